import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { matchedRoutes } from 'hono/route';
import { MAX_PUSH_BYTES } from '../../shared/schemas/sync';
import { authenticate } from './auth/accounts';
import { intVar } from './env';
import { clientIp } from './http/client-ip';
import type { AppEnv } from './http/context';
import { ApiError, respondError, toApiError } from './http/errors';
import { enforce } from './http/rate-limit';
import { logJson } from './observability/log';
import { metricsSnapshot, recordRequest } from './observability/metrics';
import { accountRoutes, publicAccountRoutes } from './routes/accounts';
import { aiRoutes } from './routes/ai';
import { searchRoutes } from './routes/search';
import { syncRoutes } from './routes/sync';
import { shopifyOwnerRoutes, shopifyPublicRoutes } from './shopify/routes';

/** Bodies of everything but push are small; push carries records and their vectors. */
const DEFAULT_BODY_LIMIT = 1024 * 1024;

function limitBody(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ApiError('payload_too_large', `request body over ${maxSize} bytes`);
    },
  });
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

  // Extension pages call from chrome-extension:// origins; tokens travel in a header, not cookies, so
  // allowing any origin gives a web page nothing it could use without the token.
  app.use('/v1/*', cors({ origin: '*', allowHeaders: ['authorization', 'content-type', 'x-request-id'], exposeHeaders: ['x-request-id', 'retry-after'] }));

  app.use('/v1/*', async (c, next) => {
    await enforce(c.env.DB, `ip:${clientIp(c)}`, intVar(c.env.RATE_LIMIT_IP_PER_MIN, 600), 60_000, Date.now());
    await next();
  });

  app.use('/v1/sync/push', limitBody(MAX_PUSH_BYTES));
  app.use('/v1/*', async (c, next) => (c.req.path === '/v1/sync/push' ? next() : limitBody(DEFAULT_BODY_LIMIT)(c, next)));

  app.get('/v1/health', (c) => c.json({ ok: true }));
  app.get('/v1/metrics', (c) => {
    if (c.env.METRICS_ENDPOINT !== '1') throw new ApiError('not_found', 'metrics go to Analytics Engine on this deployment');
    return c.json({ routes: metricsSnapshot() });
  });
  app.route('/v1', publicAccountRoutes);

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
  authed.route('/', shopifyOwnerRoutes);
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
