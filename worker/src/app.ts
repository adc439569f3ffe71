import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { MAX_PUSH_BYTES } from '../../shared/schemas/sync';
import { authenticate } from './auth/accounts';
import { sha256Hex } from './auth/crypto';
import { intVar } from './env';
import { clientIp } from './http/client-ip';
import { limitBody } from './http/body-limit';
import type { AppEnv } from './http/context';
import { ApiError, respondError, toApiError } from './http/errors';
import { enforce } from './http/rate-limit';
import { logJson } from './observability/log';
import { metricsSnapshot, recordRequest } from './observability/metrics';
import { monitorRequests } from './monitoring/request-monitor';
import { ownerRoutes } from './monitoring/owner-routes';
import { usageRoutes } from './monitoring/usage-routes';
import { accountRoutes, publicAccountRoutes } from './routes/accounts';
import { aiRoutes } from './routes/ai';
import { billingRoutes, publicBillingRoutes } from './routes/billing';
import { searchRoutes } from './routes/search';
import { syncRoutes } from './routes/sync';
import { groundingRoutes } from './routes/grounding';
import { MIGRATE_COMMAND, notMigratedMessage, readSchemaState, schemaIsCurrent, type SchemaState } from './schema/schema-state';
import { shopifyOwnerRoutes, shopifyPublicRoutes } from './shopify/routes';

/** Bodies of everything but push are small; push carries records and their vectors. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

function healthBody(schema: SchemaState) {
  return {
    ok: schema.current,
    schema: { applied: schema.applied, expected: schema.expected, missing: schema.missing },
    ...(schema.current ? {} : { fix: MIGRATE_COMMAND, message: notMigratedMessage(schema) }),
  };
}

/** The pattern of the route that answered (e.g. /v1/devices/:id): middlewares are registered as
 * method ALL, handlers with their method, and the first matched handler is the one that responds. */
function handlerRoute(c: Context<AppEnv>): string {
  return matchedRoutes(c).find((r) => r.method !== 'ALL')?.path ?? 'unmatched';
}

export function createApp() {
  const app = new Hono<AppEnv>();

  // Request id, structured log line and metrics for every request, errors included.
  app.use('*', async (c, next) => {
    const requestId = c.req.header('x-request-id')?.match(/^[A-Za-z0-9_-]{8,64}$/)?.[0] ?? crypto.randomUUID();
    c.set('requestId', requestId);
    const started = Date.now();
    await next();
    c.header('x-request-id', requestId);
    const ms = Date.now() - started;
    const route = handlerRoute(c);
    recordRequest(c.env, route, c.req.method, c.res.status, ms);
    if (c.env.LOG_REQUESTS !== '0') {
      logJson({ level: c.res.status >= 500 ? 'error' : 'info', requestId, method: c.req.method, route, status: c.res.status, ms, user: c.get('auth')?.userId });
    }
  });

  app.use('*', monitorRequests);

  // Extension pages call from chrome-extension:// origins; tokens travel in a header, not cookies, so
  // allowing any origin gives a web page nothing it could use without the token.
  app.use('/v1/*', cors({ origin: '*', allowHeaders: ['authorization', 'content-type', 'x-request-id'], exposeHeaders: ['x-request-id', 'retry-after', 'x-usage', 'x-usage-warning', 'x-upgrade', 'x-calico-template'] }));

  // Before anything touches the directory: an unmigrated database is a 503 that names the fix (health
  // answers with the schema state instead), not a 500 from the first missing table.
  app.use('/v1/*', async (c, next) => {
    const schema = await schemaIsCurrent(c.env.DB);
    if (schema !== true) {
      if (c.req.path === '/v1/health') return c.json(healthBody(schema), 503);
      throw new ApiError('unavailable', notMigratedMessage(schema));
    }
    await next();
  });

  app.use('/v1/*', async (c, next) => {
    await enforce(c.env.DB, `ip:${clientIp(c)}`, intVar(c.env.RATE_LIMIT_IP_PER_MIN, 600), 60_000, Date.now());
    await next();
  });

  app.use('/v1/sync/push', limitBody(MAX_PUSH_BYTES));
  app.use('/v1/*', async (c, next) => (c.req.path === '/v1/sync/push' ? next() : limitBody(DEFAULT_BODY_LIMIT)(c, next)));

  app.get('/v1/health', async (c) => {
    const schema = await readSchemaState(c.env.DB);
    return c.json(healthBody(schema), schema.current ? 200 : 503);
  });
  app.get('/v1/metrics', async (c) => {
    // Route names, counts and latencies describe how the service is used: only its operator reads them.
    const expected = c.env.METRICS_TOKEN;
    if (!expected) throw new ApiError('not_found', 'metrics are off: set the METRICS_TOKEN secret to read them here (Analytics Engine has them on Cloudflare)');
    const given = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    // Compared as digests, so the time taken says nothing about how much of the token was right.
    if ((await sha256Hex(given)) !== (await sha256Hex(expected))) {
      throw new ApiError('unauthorized', 'metrics need the operator’s METRICS_TOKEN', undefined, { 'www-authenticate': 'Bearer' });
    }
    return c.json({ routes: metricsSnapshot() });
  });
  app.route('/v1', publicAccountRoutes);
  app.route('/v1', publicBillingRoutes);
  app.route('/owner', ownerRoutes);

  // Everything below needs a valid device token, and is rate limited per user.
  const authed = new Hono<AppEnv>();
  authed.use('*', async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw new ApiError('unauthorized', 'missing bearer token', undefined, { 'www-authenticate': 'Bearer' });
    const auth = await authenticate(c.env.DB, match[1]!, Date.now());
    c.set('auth', auth);
    await enforce(c.env.DB, `user:${auth.userId}`, intVar(c.env.RATE_LIMIT_USER_PER_MIN, 600), 60_000, Date.now());
    await next();
  });
  authed.route('/', accountRoutes);
  authed.route('/', syncRoutes);
  authed.route('/', searchRoutes);
  authed.route('/', aiRoutes);
  authed.route('/', billingRoutes);
  authed.route('/', usageRoutes);
  authed.route('/', shopifyOwnerRoutes);
  authed.route('/', groundingRoutes);
  app.route('/v1', authed);
  // Shopify merchant chat: the widget and its public endpoints, outside /v1 (store pages call them).
  app.route('/', shopifyPublicRoutes);

  app.notFound((c) => respondError(c, new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`)));
  app.onError((error, c) => {
    const apiError = toApiError(error);
    if (apiError.code === 'internal') logJson({ level: 'error', requestId: c.get('requestId'), msg: 'unhandled error', error: String(error), stack: (error as Error).stack });
    return respondError(c, apiError);
  });
  return app;
}
