import { Hono } from 'hono';
import uplotJs from 'uplot/dist/uPlot.iife.min.js';
import uplotCss from 'uplot/dist/uPlot.min.css';
import { RequestsQuery, SeriesQuery } from '../../../shared/schemas/monitoring';
import type { AppEnv } from '../http/context';
import { parseQuery } from '../http/validate';
import dashboardHtml from './dashboard/dashboard.html';
import dashboardJs from './dashboard/dashboard.client.js';
import { listAlerts, monitorConfig, runDetection } from './detect';
import { ownerOnly } from './owner-auth';
import { buildSeries, loadEvents, loadFeedback } from './series';

const HOUR = 3_600_000;
/** At most this many buckets per chart: enough resolution for a screen, bounded work per request. */
const MAX_BUCKETS = 2_000;

/** A query's time range and bucket, clamped so one request can't ask for a million buckets. */
export function resolveRange(q: SeriesQuery, defaultBucketMs: number, now: number, defaultSpanMs = 24 * HOUR) {
  const to = q.to ?? now;
  const from = Math.min(q.from ?? to - defaultSpanMs, to);
  const wanted = q.bucket ? q.bucket * 1000 : defaultBucketMs;
  const bucketMs = Math.max(wanted, Math.ceil((to - from) / MAX_BUCKETS / 1000) * 1000);
  return { from, to, bucketMs };
}

const PAGE_HEADERS = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors 'none'",
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/** The owner dashboard (HTML + its scripts, served by the worker itself) and the JSON it reads. */
export const ownerRoutes = new Hono<AppEnv>()
  .use('*', ownerOnly)
  .get('/dashboard', (c) => c.body(dashboardHtml, 200, { ...PAGE_HEADERS, 'content-type': 'text/html; charset=utf-8' }))
  .get('/assets/uplot.js', (c) => c.body(uplotJs, 200, { ...PAGE_HEADERS, 'content-type': 'text/javascript; charset=utf-8' }))
  .get('/assets/uplot.css', (c) => c.body(uplotCss, 200, { ...PAGE_HEADERS, 'content-type': 'text/css; charset=utf-8' }))
  .get('/assets/dashboard.js', (c) => c.body(dashboardJs, 200, { ...PAGE_HEADERS, 'content-type': 'text/javascript; charset=utf-8' }))
  .get('/api/series', async (c) => {
    const q = parseQuery(c, SeriesQuery);
    const { from, to, bucketMs } = resolveRange(q, monitorConfig(c.env).bucketMs, Date.now());
    const [events, feedback] = await Promise.all([loadEvents(c.env.DB, from, to), loadFeedback(c.env.DB, from, to)]);
    return c.json({ ...buildSeries(events, feedback, from, to, bucketMs), truncated: events.length >= 200_000 });
  })
  .get('/api/alerts', async (c) => c.json({ alerts: await listAlerts(c.env.DB, monitorConfig(c.env)) }))
  .get('/api/requests', async (c) => {
    const q = parseQuery(c, RequestsQuery);
    const to = q.to ?? Date.now();
    const from = q.from ?? to - HOUR;
    const where = ['at >= ?', 'at < ?'];
    const args: unknown[] = [from, to];
    if (q.route) {
      const [method, ...path] = q.route.split(' ');
      where.push('method = ?', 'route = ?');
      args.push(method, path.join(' '));
    }
    if (q.errors === '1') where.push('status >= 500');
    const { results } = await c.env.DB.prepare(
      `SELECT id, request_id AS requestId, at, method, route, status, ms, user_id AS userId, provider, model, template, tokens_in AS tokensIn, tokens_out AS tokensOut, tokens_estimated AS tokensEstimated, stages
       FROM request_events WHERE ${where.join(' AND ')} ORDER BY at DESC LIMIT ?`,
    )
      .bind(...args, q.limit ?? 200)
      .all<Record<string, unknown> & { stages: string }>();
    return c.json({ requests: results.map((r) => ({ ...r, stages: JSON.parse(r.stages) as Record<string, number> })) });
  })
  // Runs the scheduled detection now (the cron does the same every few minutes).
  .post('/api/detect', async (c) => c.json(await runDetection(c.env, Date.now())));
