import { createApp } from './app';
import { cleanupDirectory } from './auth/cleanup';
import type { Env } from './env';
import { logJson } from './observability/log';
import { flushMeterEvents } from './billing/meter-events';
import { runScheduled } from './monitoring/scheduled';

export { UserStore } from './store/user-store';
export { MerchantStore } from './shopify/merchant-store';
import { resyncStale } from './shopify/routes';

const app = createApp();

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => app.fetch(request, env, ctx),
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    // Each cron of wrangler.toml has its job; the account cleanup keeps the daily one.
    if (await runScheduled(controller.cron, env, Date.now())) return;
    const removed = await cleanupDirectory(env.DB, Date.now());
    logJson({ level: 'info', msg: 'directory cleanup', ...removed });
    // Metered extras that could not be reported when they were used (Stripe down) go out now.
    const meters = await flushMeterEvents(env);
    if (meters.sent || meters.failed) logJson({ level: 'info', msg: 'meter events reported', ...meters });
    // Shopify merchant chat: re-read catalogues not synced for a day.
    const resynced = await resyncStale(env, Date.now());
    logJson({ level: 'info', msg: 'shopify resync', stores: resynced });
  },
} satisfies ExportedHandler<Env>;
