import type { CalicoDb } from '@/db/database';
import { CURSOR_NAME, KeywordIndex, SNAPSHOT_KEY } from '../keyword-index';

/**
 * Brings the keyword index's saved snapshot up to the change log's head (issue 15, cold start): load it
 * (or build it from the tables when there is none), apply what changed, save, let go. Run away from the
 * side panel (keyword-snapshot.worker.ts, started by the offscreen document), so that the panel opening
 * on a big memory loads a snapshot that is already current instead of building the index on its own
 * main thread — the 80 s first open after a large import.
 *
 * The snapshot and its cursor are written together by KeywordIndex (a newer one already saved by the
 * panel is never overwritten), so this can run beside an open side panel.
 */

export interface RefreshResult {
  /** Documents in the saved index. */
  size: number;
  /** Change-log position the saved snapshot reflects. */
  position: number;
  ms: number;
}

/** Refreshes with the index kept loaded between calls, so a burst of writes is applied incrementally
 * (the snapshot is still written whole each time). */
export class KeywordSnapshotRefresher {
  private index: Promise<KeywordIndex> | undefined;

  constructor(private readonly db: CalicoDb) {}

  async refresh(): Promise<RefreshResult> {
    const started = performance.now();
    this.index ??= KeywordIndex.open(this.db, { saveEvery: Number.MAX_SAFE_INTEGER, saveDelayMs: 2 ** 31 - 1 }).catch((error: unknown) => {
      this.index = undefined;
      throw error;
    });
    const index = await this.index;
    // Writes may go on while it applies: apply them too, then save once.
    while ((await index.catchUp()) > 0);
    await index.save();
    return { size: index.size, position: index.position, ms: performance.now() - started };
  }
}

/** One refresh from a cold start (load or build, apply, save). */
export function refreshKeywordSnapshot(db: CalicoDb): Promise<RefreshResult> {
  return new KeywordSnapshotRefresher(db).refresh();
}

/** How many change-log entries the saved snapshot is behind (Infinity: no snapshot to load at all). */
export async function keywordSnapshotLag(db: CalicoDb): Promise<number> {
  const [head, cursor, hasSnapshot] = await Promise.all([
    db.changes.orderBy('seq').lastKey() as Promise<number | undefined>,
    db.cursors.get(CURSOR_NAME),
    db.state.where('key').equals(SNAPSHOT_KEY).count(),
  ]);
  if (!hasSnapshot || !cursor) return (head ?? 0) > 0 ? Infinity : 0;
  return Math.max(0, (head ?? 0) - cursor.seq);
}
