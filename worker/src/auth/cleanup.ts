/**
 * Daily housekeeping of the directory (cron trigger): counters whose window is long over and pairing
 * codes that expired or were used. Neither is needed for correctness — old counters are reset on
 * their next hit and dead codes can't be claimed — this only keeps the tables small.
 */
export async function cleanupDirectory(db: D1Database, now: number): Promise<{ counters: number; codes: number }> {
  const [counters, codes] = await db.batch([
    db.prepare('DELETE FROM counters WHERE window_start < ?').bind(now - 2 * 86_400_000),
    db.prepare('DELETE FROM pairing_codes WHERE expires_at < ?').bind(now - 86_400_000),
  ]);
  return { counters: counters?.meta.changes ?? 0, codes: codes?.meta.changes ?? 0 };
}
