import { createApp } from './app';
import { cleanupDirectory } from './auth/cleanup';
import type { Env } from './env';
import { logJson } from './observability/log';

export { UserStore } from './store/user-store';

const app = createApp();

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    const removed = await cleanupDirectory(env.DB, Date.now());
    logJson({ level: 'info', msg: 'directory cleanup', ...removed });
  },
} satisfies ExportedHandler<Env>;
