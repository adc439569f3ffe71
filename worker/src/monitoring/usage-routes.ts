import { Hono } from 'hono';
import { SeriesQuery, type UsageResponse } from '../../../shared/schemas/monitoring';
import type { AppEnv } from '../http/context';
import { parseQuery } from '../http/validate';
import { monitorConfig } from './detect';
import { resolveRange } from './owner-routes';
import { buildSeries, loadEvents, loadFeedback } from './series';

const DAY = 86_400_000;

/** GET /v1/usage/activity: the signed-in user's own requests, errors, latency, tokens and ratings over time
 * (default: the last 7 days by hour) — what the options page charts. */
export const usageRoutes = new Hono<AppEnv>().get('/usage/activity', async (c) => {
  const q = parseQuery(c, SeriesQuery);
  const { from, to, bucketMs } = resolveRange({ bucket: 3600, ...q }, monitorConfig(c.env).bucketMs, Date.now(), 7 * DAY);
  const userId = c.get('auth').userId;
  const [events, feedback] = await Promise.all([loadEvents(c.env.DB, from, to, userId), loadFeedback(c.env.DB, from, to, userId)]);
  const body: UsageResponse = buildSeries(events, feedback, from, to, bucketMs);
  return c.json(body);
});
