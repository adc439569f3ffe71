import { DEFAULT_DETECTOR, detectAnomalies, type Alert, type SeriesPoint } from '../../../shared/monitoring/anomaly';
import { randomHex } from '../auth/crypto';
import { intVar, type Env } from '../env';
import { buildSeries, loadEvents, loadFeedback, type BucketStats, type SeriesSet } from './series';
import { postAlert, type Poster } from './webhook';

/**
 * The scheduled detector: the last `lookback` buckets of request events → the watched series → the
 * shared EWMA + spike detector → incidents stored in monitor_alerts and posted to the webhook once.
 * An incident seen again on the next run (it is still going on, or the window moved) extends the stored
 * alert instead of raising a new one.
 */
export interface MonitorConfig {
  bucketMs: number;
  lookbackBuckets: number;
  minHistory: number;
  /** Buckets with fewer requests (or ratings) are left out of rate and latency series: one failed
   * request out of two is not a 50% error rate worth waking anyone for. */
  minRequests: number;
  retentionDays: number;
  webhookUrl: string | null;
  publicUrl: string;
}

export function monitorConfig(env: Env): MonitorConfig {
  return {
    bucketMs: Math.max(1, intVar(env.MONITOR_BUCKET_SECONDS, 300)) * 1000,
    lookbackBuckets: Math.min(2000, Math.max(30, intVar(env.MONITOR_LOOKBACK_BUCKETS, 288))),
    minHistory: Math.max(3, intVar(env.MONITOR_MIN_HISTORY, DEFAULT_DETECTOR.minHistory)),
    minRequests: Math.max(1, intVar(env.MONITOR_MIN_REQUESTS, 5)),
    retentionDays: Math.max(1, intVar(env.MONITOR_RETENTION_DAYS, 14)),
    webhookUrl: env.MONITOR_WEBHOOK_URL || null,
    publicUrl: (env.MONITOR_PUBLIC_URL ?? '').replace(/\/+$/, ''),
  };
}

export interface WatchedSeries {
  name: string;
  /** The route key ("POST /v1/chat") the series is about, for the link to its requests. */
  route: string | null;
  points: SeriesPoint[];
  /** Smallest meaningful deviation in the series' own units (see DetectorOptions.minScale). */
  minScale: number;
}

/** Routes watched one by one, busiest first (the rest are still in the overall series). */
const MAX_ROUTES = 20;

export function watchedSeries(set: SeriesSet, minRequests: number): WatchedSeries[] {
  const busy = (b: BucketStats) => b.requests >= minRequests;
  const out: WatchedSeries[] = [];
  const firstActive = set.overall.findIndex((b) => b.requests > 0);
  // Traffic is counted from the first bucket that had any: the empty time before the worker's first
  // request is not a baseline.
  if (firstActive >= 0) out.push({ name: 'requests', route: null, points: set.overall.slice(firstActive).map((b) => ({ t: b.t, value: b.requests })), minScale: 1 });
  const rates = (name: string, route: string | null, buckets: BucketStats[]) => {
    out.push({ name: `error_rate${route ? ` ${route}` : ''}`, route, points: buckets.filter(busy).map((b) => ({ t: b.t, value: b.errorRate })), minScale: 0.02 });
    out.push({ name: `latency_p95${route ? ` ${route}` : ''}`, route, points: buckets.filter(busy).map((b) => ({ t: b.t, value: b.p95 })), minScale: 5 });
  };
  rates('overall', null, set.overall);
  const routes = Object.entries(set.routes)
    .map(([route, buckets]) => ({ route, buckets, n: buckets.reduce((s, b) => s + b.requests, 0) }))
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_ROUTES);
  for (const { route, buckets } of routes) rates(route, route, buckets);
  out.push({ name: 'thumbs_down_rate', route: null, points: set.overall.filter((b) => b.rated >= minRequests).map((b) => ({ t: b.t, value: b.downRate ?? 0 })), minScale: 0.05 });
  return out;
}

export interface StoredAlert {
  id: string;
  series: string;
  kind: string;
  direction: string;
  startedAt: number;
  endedAt: number;
  value: number;
  expected: number;
  score: number;
  points: number;
  closed: boolean;
  createdAt: number;
  postedAt: number | null;
  postError: string | null;
  /** The requests of the incident, on the owner dashboard. */
  link: string;
}

export function requestsLink(publicUrl: string, route: string | null, from: number, to: number): string {
  const q = new URLSearchParams({ from: String(from), to: String(to) });
  if (route) q.set('route', route);
  return `${publicUrl}/owner/dashboard#requests?${q}`;
}

interface AlertRow {
  id: string;
  series: string;
  kind: string;
  direction: string;
  started_at: number;
  ended_at: number;
  value: number;
  expected: number;
  score: number;
  points: number;
  closed: number;
  created_at: number;
  posted_at: number | null;
  post_attempts: number;
  post_error: string | null;
}

export function toStoredAlert(row: AlertRow, config: Pick<MonitorConfig, 'publicUrl' | 'bucketMs'>): StoredAlert {
  const route = row.series.match(/^\w+ (\S+ \S+)$/)?.[1] ?? null;
  return {
    id: row.id,
    series: row.series,
    kind: row.kind,
    direction: row.direction,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    value: row.value,
    expected: row.expected,
    score: row.score,
    points: row.points,
    closed: row.closed === 1,
    createdAt: row.created_at,
    postedAt: row.posted_at,
    postError: row.post_error,
    link: requestsLink(config.publicUrl, route, row.started_at, row.ended_at + config.bucketMs),
  };
}

export async function listAlerts(db: D1Database, config: Pick<MonitorConfig, 'publicUrl' | 'bucketMs'>, limit = 100): Promise<StoredAlert[]> {
  const { results } = await db.prepare('SELECT * FROM monitor_alerts ORDER BY started_at DESC LIMIT ?').bind(limit).all<AlertRow>();
  return results.map((r) => toStoredAlert(r, config));
}

const MAX_POST_ATTEMPTS = 5;

/** Stores new incidents (extending ones already stored) and returns the new ones. */
async function storeIncidents(db: D1Database, series: WatchedSeries, alerts: Alert[], config: MonitorConfig, now: number): Promise<string[]> {
  const created: string[] = [];
  for (const alert of alerts) {
    // The same incident seen by an earlier run: overlapping, or ending within the detector's gap.
    const near = alert.t - (DEFAULT_DETECTOR.gap + 1) * config.bucketMs;
    const existing = await db.prepare('SELECT * FROM monitor_alerts WHERE series = ? AND ended_at >= ? AND started_at <= ? ORDER BY started_at DESC LIMIT 1').bind(series.name, near, alert.end).first<AlertRow>();
    if (existing) {
      const worse = alert.score > existing.score;
      await db
        .prepare('UPDATE monitor_alerts SET ended_at = MAX(ended_at, ?), closed = ?, points = MAX(points, ?), score = MAX(score, ?), value = ?, expected = ?, kind = ? WHERE id = ?')
        .bind(alert.end, alert.closed ? 1 : 0, alert.points, alert.score, worse ? alert.value : existing.value, worse ? alert.expected : existing.expected, existing.kind === 'shift' ? 'shift' : alert.kind, existing.id)
        .run();
      continue;
    }
    const id = `alt_${randomHex(10)}`;
    await db
      .prepare('INSERT INTO monitor_alerts (id, series, kind, direction, started_at, ended_at, value, expected, score, points, closed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(id, series.name, alert.kind, alert.direction, alert.t, alert.end, alert.value, alert.expected, alert.score, alert.points, alert.closed ? 1 : 0, now)
      .run();
    created.push(id);
  }
  return created;
}

export interface DetectionRun {
  series: number;
  created: StoredAlert[];
  posted: number;
}

export async function runDetection(env: Env, now: number, post: Poster = fetch): Promise<DetectionRun> {
  const config = monitorConfig(env);
  const to = Math.floor(now / config.bucketMs) * config.bucketMs; // the current bucket is still filling
  const from = to - config.lookbackBuckets * config.bucketMs;
  const [events, feedback] = await Promise.all([loadEvents(env.DB, from, to), loadFeedback(env.DB, from, to)]);
  const set = buildSeries(events, feedback, from, to, config.bucketMs);
  const watched = watchedSeries(set, config.minRequests);
  const createdIds: string[] = [];
  for (const series of watched) {
    const alerts = detectAnomalies(series.points, { minHistory: config.minHistory, minScale: series.minScale });
    createdIds.push(...(await storeIncidents(env.DB, series, alerts, config, now)));
  }
  const posted = await postPending(env.DB, config, post, now);
  const created = createdIds.length
    ? (await env.DB.prepare(`SELECT * FROM monitor_alerts WHERE id IN (${createdIds.map(() => '?').join(',')})`).bind(...createdIds).all<AlertRow>()).results.map((r) => toStoredAlert(r, config))
    : [];
  return { series: watched.length, created, posted };
}

/** Posts every stored alert not yet delivered (new ones, and earlier failures up to a few attempts). */
async function postPending(db: D1Database, config: MonitorConfig, post: Poster, now: number): Promise<number> {
  if (!config.webhookUrl) return 0;
  const { results } = await db.prepare('SELECT * FROM monitor_alerts WHERE posted_at IS NULL AND post_attempts < ? ORDER BY started_at LIMIT 20').bind(MAX_POST_ATTEMPTS).all<AlertRow>();
  let posted = 0;
  for (const row of results) {
    const error = await postAlert(config.webhookUrl, toStoredAlert(row, config), post);
    await db
      .prepare('UPDATE monitor_alerts SET post_attempts = post_attempts + 1, posted_at = ?, post_error = ? WHERE id = ?')
      .bind(error ? null : now, error, row.id)
      .run();
    if (!error) posted += 1;
  }
  return posted;
}

export async function pruneEvents(env: Env, now: number): Promise<void> {
  const cutoff = now - monitorConfig(env).retentionDays * 86_400_000;
  await env.DB.batch([env.DB.prepare('DELETE FROM request_events WHERE at < ?').bind(cutoff), env.DB.prepare('DELETE FROM feedback_events WHERE at < ?').bind(cutoff)]);
}
