import { createApp } from './app';
import { cleanupDirectory } from './auth/cleanup';
import type { Env } from './env';
import { logJson } from './observability/log';

export { UserStore } from './store/user-store';
export { MerchantStore } from './shopify/merchant-store';
import { resyncStale } from './shopify/routes';

const app = createApp();

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  async scheduled(_controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    const removed = await cleanupDirectory(env.DB, Date.now());
    logJson({ level: 'info', msg: 'directory cleanup', ...removed });
    // Shopify merchant chat: re-read catalogues not synced for a day.
    const resynced = await resyncStale(env, Date.now());
    logJson({ level: 'info', msg: 'shopify resync', stores: resynced });
  },
} satisfies ExportedHandler<Env>;
