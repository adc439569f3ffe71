import type { Env } from '../env';

/**
 * Per-route request counts and latency. With the ANALYTICS binding every request becomes one Analytics
 * Engine data point (blobs: route, method, status class; doubles: latency ms, status); without it the
 * isolate keeps running totals that /v1/metrics reads out — enough for `wrangler dev`, where there is
 * one isolate.
 */
export interface RouteStats {
  count: number;
  errors: number;
  totalMs: number;
  maxMs: number;
  /** Latency histogram: upper bounds in ms → count. */
  buckets: Record<string, number>;
}

const BOUNDS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, Infinity];
const local = new Map<string, RouteStats>();

export function recordRequest(env: Env, route: string, method: string, status: number, ms: number): void {
  if (env.ANALYTICS) {
    env.ANALYTICS.writeDataPoint({ blobs: [route, method, `${Math.floor(status / 100)}xx`], doubles: [ms, status], indexes: [route] });
    return;
  }
  const key = `${method} ${route}`;
  let s = local.get(key);
  if (!s) {
    s = { count: 0, errors: 0, totalMs: 0, maxMs: 0, buckets: {} };
    local.set(key, s);
  }
  s.count += 1;
  if (status >= 500) s.errors += 1;
  s.totalMs += ms;
  s.maxMs = Math.max(s.maxMs, ms);
  const bound = BOUNDS.find((b) => ms <= b)!;
  const label = bound === Infinity ? '+Inf' : `le${bound}`;
  s.buckets[label] = (s.buckets[label] ?? 0) + 1;
}

export function metricsSnapshot(): Record<string, RouteStats & { meanMs: number }> {
  const out: Record<string, RouteStats & { meanMs: number }> = {};
  for (const [key, s] of local) out[key] = { ...s, buckets: { ...s.buckets }, meanMs: s.count ? s.totalMs / s.count : 0 };
  return out;
}
