import { getDb, type CalicoDb } from './database';

/**
 * Keeps the change log from growing forever. Every consumer of the log (the keyword index, the
 * embedding queue, the sync outbox) keeps a cursor in the `cursors` table; entries every cursor has
 * passed are deleted, on an alarm (startCompactionSchedule) — a visit heartbeat appends an entry every
 * 15 s, so a month of browsing would otherwise leave tens of thousands behind.
 *
 * A consumer that can rebuild from the record tables (the keyword index rebuilds when its cursor row is
 * gone; the embedding queue re-enqueues every source and skips unchanged text by hash) doesn't hold the
 * log back for ever: once it lags more than `maxLag` entries, its cursor is dropped. Sync's cursor is
 * never dropped — a delete made while sync was off exists only in the log — so a signed-in device with
 * sync switched off keeps its log until sync runs again.
 *
 * `changes.compactedThrough` (state table) records the highest seq deleted, so a consumer holding a
 * position in memory can tell that the entries after it are gone and rebuild instead of replaying.
 */

export const COMPACT_ALARM = 'calicolobster-compact-changes';
export const COMPACT_PERIOD_MINUTES = 60;
export const COMPACTED_THROUGH_KEY = 'changes.compactedThrough';
/** Cursors of consumers that rebuild from the tables when their cursor row is missing. */
export const REBUILDABLE_CONSUMERS: readonly string[] = ['keyword-index', 'embedder'];
export const MAX_REBUILDABLE_LAG = 50_000;

export interface CompactionResult {
  /** Log entries deleted. */
  removed: number;
  /** Cursors dropped because their consumer lagged too far (it rebuilds when it next runs). */
  dropped: string[];
  /** Entries up to this seq are gone. */
  through: number;
}

export async function compactChangeLog(db: CalicoDb = getDb(), { maxLag = MAX_REBUILDABLE_LAG }: { maxLag?: number } = {}): Promise<CompactionResult> {
  return db.transaction('rw', db.cursors, db.changes, db.state, async () => {
    const head = ((await db.changes.orderBy('seq').lastKey()) as number | undefined) ?? 0;
    const cursors = await db.cursors.toArray();
    const dropped = cursors.filter((c) => REBUILDABLE_CONSUMERS.includes(c.name) && head - c.seq > maxLag).map((c) => c.name);
    if (dropped.length) await db.cursors.bulkDelete(dropped);
    const kept = cursors.filter((c) => !dropped.includes(c.name));
    const previous = Number((await db.state.get(COMPACTED_THROUGH_KEY))?.value ?? 0);
    // No consumer registered at all: keep the log (one may be starting right now from the tables).
    if (kept.length === 0) return { removed: 0, dropped, through: previous };
    const floor = Math.min(...kept.map((c) => c.seq));
    const removed = await db.changes.where('seq').belowOrEqual(floor).delete();
    const through = Math.max(previous, floor);
    if (through !== previous) await db.state.put({ key: COMPACTED_THROUGH_KEY, value: through });
    return { removed, dropped, through };
  });
}

/** Highest seq compaction has deleted (0: none). */
export async function compactedThrough(db: CalicoDb = getDb()): Promise<number> {
  return Number((await db.state.get(COMPACTED_THROUGH_KEY))?.value ?? 0);
}

/** Background: compact on an hourly alarm (alarms wake a stopped service worker). */
export function startCompactionSchedule(): void {
  chrome.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === COMPACT_ALARM) void compactChangeLog().catch((error) => console.warn('change log compaction failed', error));
  });
  void chrome.alarms.get(COMPACT_ALARM).then((existing) => {
    if (!existing) void chrome.alarms.create(COMPACT_ALARM, { periodInMinutes: COMPACT_PERIOD_MINUTES, delayInMinutes: 5 });
  });
}
