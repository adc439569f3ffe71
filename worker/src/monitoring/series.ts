/**
 * Request events → per-bucket statistics, overall, per route and per model: what the owner dashboard
 * draws and what the scheduled detector watches. Percentiles are exact (nearest rank over the bucket's
 * latencies), not interpolated from a histogram.
 */
export interface EventRow {
  id: number;
  at: number;
  method: string;
  route: string;
  status: number;
  ms: number;
  model: string | null;
  provider: string | null;
  tokens_in: number | null;
  tokens_out: number | null;
}

export interface FeedbackRow {
  at: number;
  rating: 'up' | 'down';
  model: string;
  engine: string;
}

export interface BucketStats {
  /** Bucket start, epoch ms. */
  t: number;
  requests: number;
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
  tokensIn: number;
  tokensOut: number;
  rated: number;
  down: number;
  /** Thumbs-down share of the bucket's ratings; null without ratings. */
  downRate: number | null;
}

export interface SeriesSet {
  bucketMs: number;
  from: number;
  to: number;
  overall: BucketStats[];
  routes: Record<string, BucketStats[]>;
  models: Record<string, BucketStats[]>;
}

export function percentile(sorted: readonly number[], q: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

interface Acc {
  ms: number[];
  requests: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  rated: number;
  down: number;
}
const newAcc = (): Acc => ({ ms: [], requests: 0, errors: 0, tokensIn: 0, tokensOut: 0, rated: 0, down: 0 });

export const routeKey = (e: Pick<EventRow, 'method' | 'route'>) => `${e.method} ${e.route}`;
/** Requests that reached a model are grouped by its name (ratings too: the same key both sides); the
 * rest by "(no model)". */
export const modelKey = (model: string | null, provider: string | null) => model || provider || '(no model)';

function finish(byBucket: Map<number, Acc>, from: number, to: number, bucketMs: number, fill: boolean): BucketStats[] {
  const out: BucketStats[] = [];
  const first = Math.floor(from / bucketMs) * bucketMs;
  const starts = fill ? Array.from({ length: Math.max(0, Math.ceil((to - first) / bucketMs)) }, (_, i) => first + i * bucketMs) : [...byBucket.keys()].sort((a, b) => a - b);
  for (const t of starts) {
    const a = byBucket.get(t) ?? newAcc();
    const sorted = a.ms.sort((x, y) => x - y);
    out.push({
      t,
      requests: a.requests,
      errors: a.errors,
      errorRate: a.requests ? a.errors / a.requests : 0,
      p50: percentile(sorted, 0.5),
      p95: percentile(sorted, 0.95),
      tokensIn: a.tokensIn,
      tokensOut: a.tokensOut,
      rated: a.rated,
      down: a.down,
      downRate: a.rated ? a.down / a.rated : null,
    });
  }
  return out;
}

/** `fill`: emit empty buckets too (the dashboard's shared x axis); otherwise only buckets with data. */
export function buildSeries(events: readonly EventRow[], feedback: readonly FeedbackRow[], from: number, to: number, bucketMs: number, fill = true): SeriesSet {
  const overall = new Map<number, Acc>();
  const routes = new Map<string, Map<number, Acc>>();
  const models = new Map<string, Map<number, Acc>>();
  const acc = (m: Map<number, Acc>, t: number) => {
    let a = m.get(t);
    if (!a) m.set(t, (a = newAcc()));
    return a;
  };
  const group = (m: Map<string, Map<number, Acc>>, key: string) => {
    let g = m.get(key);
    if (!g) m.set(key, (g = new Map()));
    return g;
  };
  for (const e of events) {
    const t = Math.floor(e.at / bucketMs) * bucketMs;
    for (const a of [acc(overall, t), acc(group(routes, routeKey(e)), t), acc(group(models, modelKey(e.model, e.provider)), t)]) {
      a.requests += 1;
      if (e.status >= 500) a.errors += 1;
      a.ms.push(e.ms);
      a.tokensIn += e.tokens_in ?? 0;
      a.tokensOut += e.tokens_out ?? 0;
    }
  }
  for (const f of feedback) {
    const t = Math.floor(f.at / bucketMs) * bucketMs;
    for (const a of [acc(overall, t), acc(group(models, f.model || f.engine || '(no model)'), t)]) {
      a.rated += 1;
      if (f.rating === 'down') a.down += 1;
    }
  }
  const each = (m: Map<string, Map<number, Acc>>) => Object.fromEntries([...m].map(([k, v]) => [k, finish(v, from, to, bucketMs, fill)]));
  return { bucketMs, from, to, overall: finish(overall, from, to, bucketMs, fill), routes: each(routes), models: each(models) };
}

export const MAX_EVENTS = 200_000;

export async function loadEvents(db: D1Database, from: number, to: number, userId?: string): Promise<EventRow[]> {
  const where = userId ? 'user_id = ? AND at >= ? AND at < ?' : 'at >= ? AND at < ?';
  const args = userId ? [userId, from, to] : [from, to];
  const { results } = await db
    .prepare(`SELECT id, at, method, route, status, ms, model, provider, tokens_in, tokens_out FROM request_events WHERE ${where} ORDER BY at LIMIT ${MAX_EVENTS}`)
    .bind(...args)
    .all<EventRow>();
  return results;
}

export async function loadFeedback(db: D1Database, from: number, to: number, userId?: string): Promise<FeedbackRow[]> {
  const where = userId ? 'user_id = ? AND at >= ? AND at < ?' : 'at >= ? AND at < ?';
  const args = userId ? [userId, from, to] : [from, to];
  const { results } = await db.prepare(`SELECT at, rating, model, engine FROM feedback_events WHERE ${where} ORDER BY at LIMIT ${MAX_EVENTS}`).bind(...args).all<FeedbackRow>();
  return results;
}
