import type { EntitlementKey } from '../../../shared/schemas/billing';

/**
 * Usage counters in D1, one row per (account, entitlement, period start). Consuming is one statement:
 * SQLite runs it alone, so the read of `used` and the write of `used + amount` can't interleave with
 * another request's — 50 concurrent requests against a limit of 10 let exactly 10 through.
 */

/** Adds `amount` if the total stays within `limit` (null: no limit). Returns the new total, or null when
 * it would pass the limit (nothing is added then). */
export async function consume(db: D1Database, userId: string, key: EntitlementKey, periodStart: number, amount: number, limit: number | null): Promise<number | null> {
  const cap = limit ?? Number.MAX_SAFE_INTEGER;
  const row = await db
    .prepare(
      `INSERT INTO usage (user_id, entitlement, period_start, used)
         SELECT ?1, ?2, ?3, ?4 WHERE ?4 <= ?5
       ON CONFLICT(user_id, entitlement, period_start) DO UPDATE SET used = used + ?4 WHERE used + ?4 <= ?5
       RETURNING used`,
    )
    .bind(userId, key, periodStart, amount, cap)
    .first<{ used: number }>();
  return row ? row.used : null;
}

/** Gives back what a request consumed but never used (the model could not be reached, say). */
export async function refund(db: D1Database, userId: string, key: EntitlementKey, periodStart: number, amount: number): Promise<void> {
  await db
    .prepare('UPDATE usage SET used = MAX(0, used - ?4) WHERE user_id = ?1 AND entitlement = ?2 AND period_start = ?3')
    .bind(userId, key, periodStart, amount)
    .run();
}

export async function usageOf(db: D1Database, userId: string, periodStart: number): Promise<Partial<Record<EntitlementKey, number>>> {
  const { results } = await db
    .prepare('SELECT entitlement, used FROM usage WHERE user_id = ? AND period_start = ?')
    .bind(userId, periodStart)
    .all<{ entitlement: EntitlementKey; used: number }>();
  return Object.fromEntries(results.map((r) => [r.entitlement, r.used]));
}
