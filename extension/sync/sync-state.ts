import type { Change } from '@shared/schemas/sync';
import type { CalicoDb, StateRow } from '@/db/database';
import type { Data } from './record-map';

/**
 * Sync's own bookkeeping, in the database next to the records it describes (so a record write and the
 * bookkeeping about it commit together):
 * - the change-log cursor 'sync' (cursors table): local changes up to it are on the server;
 * - `sync.shadow:<kind>:<key>`: each record as the server last had it, to tell which fields a local
 *   edit changed (a put names only those, so concurrent edits of different fields both survive) and
 *   which note version an edit started from (`noteBase`);
 * - `sync.clock`, `sync.pullCursor`, `sync.scan` (first push of everything), `sync.inflight` (a batch
 *   sent but not yet acknowledged: resent with the same pushId, so a lost answer applies nothing twice).
 */

export const SYNC_CURSOR = 'sync';
const PREFIX = 'sync.';
const SHADOW_PREFIX = 'sync.shadow:';
export const CLOCK_KEY = 'sync.clock';
export const PULL_CURSOR_KEY = 'sync.pullCursor';
export const SCAN_KEY = 'sync.scan';
export const INFLIGHT_KEY = 'sync.inflight';

export interface Shadow {
  /** The record as the server has it; null when the server has a tombstone. */
  data: Data | null;
  /** HLC of the server's current note (highlights): sent back as `noteBase`. */
  noteHlc: string | null;
  /** The note versions the server's note keeps (ServerRecord.noteHeads), sent back as `noteBases`. */
  noteHeads?: string[];
}

/** Position of the first full push: the next table (index into SCAN_TABLES) and the last key done. */
export interface ScanPosition {
  table: number;
  after: string | null;
}

export interface ShadowUpdate {
  kind: Change['kind'];
  key: string;
  shadow: Shadow;
}

export interface InflightBatch {
  pushId: string;
  changes: Change[];
  /** What the server will have once this batch is applied. */
  shadows: ShadowUpdate[];
  /** The change-log cursor to store once acknowledged (null: a scan batch). */
  upToSeq: number | null;
  /** The scan position to store once acknowledged ('done' ends the scan; null: not a scan batch). */
  scanNext: ScanPosition | 'done' | null;
  /** The rest of a refused batch being bisected (quarantine.ts): sent once this part is settled. */
  then?: InflightBatch | null;
  /** Consecutive 5xx answers to this batch (a batch failing again and again is bisected too). */
  serverFailures?: number;
}

export const shadowKey = (kind: string, key: string) => `${SHADOW_PREFIX}${kind}:${key}`;

export async function readState<T>(db: CalicoDb, key: string): Promise<T | undefined> {
  return (await db.state.get(key))?.value as T | undefined;
}

export async function writeState(db: CalicoDb, key: string, value: unknown): Promise<void> {
  await db.state.put({ key, value } satisfies StateRow);
}

export async function readShadow(db: CalicoDb, kind: string, key: string): Promise<Shadow | undefined> {
  return readState<Shadow>(db, shadowKey(kind, key));
}

export async function writeShadow(db: CalicoDb, kind: string, key: string, shadow: Shadow): Promise<void> {
  await writeState(db, shadowKey(kind, key), shadow);
}

/** Forgets everything sync knew (another account, or signed out); local records stay. */
export async function resetSyncState(db: CalicoDb): Promise<void> {
  await db.transaction('rw', db.state, db.cursors, async () => {
    await db.state.where('key').startsWith(PREFIX).delete();
    await db.cursors.delete(SYNC_CURSOR);
  });
}
