import { ApiError } from './errors';

/**
 * Fixed-window counters in D1 (one row per bucket, one upsert per check). D1 rather than a Durable
 * Object because the directory is already there and the counts need no sub-second precision; the
 * upsert is atomic, so concurrent requests can't both read the same count.
 */
export async function hit(db: D1Database, bucket: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
  const windowStart = now - (now % windowMs);
  const row = await db
    .prepare(
      `INSERT INTO counters (bucket, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT(bucket) DO UPDATE SET
         count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END,
         window_start = ?2
       RETURNING count`,
    )
    .bind(bucket, windowStart)
    .first<{ count: number }>();
  return { count: row?.count ?? 1, resetAt: windowStart + windowMs };
}

export async function enforce(
  db: D1Database,
  bucket: string,
  limit: number,
  windowMs: number,
  now: number,
  code: 'rate_limited' | 'quota_exceeded' = 'rate_limited',
): Promise<void> {
  if (limit <= 0) return;
  const { count, resetAt } = await hit(db, bucket, windowMs, now);
  if (count > limit) {
    const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
    const what = code === 'quota_exceeded' ? 'quota used up' : 'too many requests';
    throw new ApiError(code, `${what}; retry in ${retryAfter} s`, undefined, { 'retry-after': String(retryAfter) });
  }
}

/** The count of a bucket in the current window, without counting this call: for limits that only
 * count failures but must refuse before the attempt is tried. */
export async function peek(db: D1Database, bucket: string, windowMs: number, now: number): Promise<{ count: number; resetAt: number }> {
  const windowStart = now - (now % windowMs);
  const row = await db.prepare('SELECT count FROM counters WHERE bucket = ? AND window_start = ?').bind(bucket, windowStart).first<{ count: number }>();
  return { count: row?.count ?? 0, resetAt: windowStart + windowMs };
}

export function tooMany(resetAt: number, now: number, what = 'too many requests'): ApiError {
  const retryAfter = Math.max(1, Math.ceil((resetAt - now) / 1000));
  return new ApiError('rate_limited', `${what}; retry in ${retryAfter} s`, undefined, { 'retry-after': String(retryAfter) });
}
