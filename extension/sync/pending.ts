import { RECORD_TABLES, type CalicoDb } from '@/db/database';
import { INFLIGHT_KEY, readState, SCAN_KEY, SYNC_CURSOR, type InflightBatch } from './sync-state';

/**
 * How many records wait to be pushed: distinct records with local (not pulled) changes past the sync
 * cursor, plus a batch in flight. Before the first sync of an account, every record waits.
 */
export async function pendingCount(db: CalicoDb): Promise<number> {
  const cursor = await db.cursors.get(SYNC_CURSOR);
  if (!cursor || (await readState(db, SCAN_KEY))) {
    let total = 0;
    for (const table of RECORD_TABLES) total += await db.table(table).count();
    return total;
  }
  const keys = new Set<string>();
  await db.changes
    .where('seq')
    .above(cursor.seq)
    .each((c) => {
      if (c.origin !== 'sync') keys.add(`${c.table}\u0000${c.key}`);
    });
  const inflight = await readState<InflightBatch>(db, INFLIGHT_KEY);
  return keys.size + (inflight?.changes.length ?? 0);
}

/** Whether anything local waits to be pushed (cheaper than counting: stops at the first). */
export async function hasPending(db: CalicoDb): Promise<boolean> {
  const cursor = await db.cursors.get(SYNC_CURSOR);
  if (!cursor || (await readState(db, SCAN_KEY)) || (await readState(db, INFLIGHT_KEY))) return true;
  const first = await db.changes
    .where('seq')
    .above(cursor.seq)
    .filter((c) => c.origin !== 'sync')
    .first();
  return first !== undefined;
}
