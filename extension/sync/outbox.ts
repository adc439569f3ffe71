import { Change, MAX_PUSH_CHANGES, RECORD_SCHEMAS, type RecordKind } from '@shared/schemas/sync';
import { RECORD_TABLES, type CalicoDb, type RecordTable } from '@/db/database';
import { changesSince } from '@/db/change-log';
import type { DeviceClock } from './device-clock';
import { dueQuarantine, newPushId, quarantineId, quarantineRecord } from './quarantine';
import { changedFields, parseLocal, TABLE_KIND } from './record-map';
import {
  INFLIGHT_KEY,
  readShadow,
  readState,
  SCAN_KEY,
  shadowKey,
  SYNC_CURSOR,
  writeState,
  type InflightBatch,
  type ScanPosition,
  type Shadow,
  type ShadowUpdate,
} from './sync-state';

/**
 * The outbox: turns local changes into push batches. It follows the change log with its own cursor
 * ('sync'), skips the changes the puller wrote (origin 'sync' — pushing them back would echo every
 * pulled record), collapses many edits of one record into one change carrying the record's current
 * state, and names only the fields that differ from what the server has (the record's shadow).
 *
 * The first sync of an account pushes every existing record (a scan in primary-key order), since the
 * change log may have been compacted long ago; the log cursor is set where the scan started, so
 * nothing written meanwhile is missed.
 */

export interface OutboxOptions {
  /** Changes per push (the protocol allows MAX_PUSH_CHANGES). */
  maxChanges?: number;
  /** Bytes per push body, well under the protocol's 8 MiB. */
  maxBytes?: number;
  /** Wall time (quarantined records due for another try). */
  now?: () => number;
}

const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
const encoder = new TextEncoder();

interface Item {
  table: RecordTable;
  key: string;
  at: number;
  /** First change-log seq of this record in the batch (to rewind the cursor when it doesn't fit). */
  firstSeq: number;
}

/** Starts sync bookkeeping for an account the first time: cursor at the end of the log, scan from the top. */
export async function ensureStarted(db: CalicoDb): Promise<void> {
  await db.transaction('rw', db.cursors, db.changes, db.state, async () => {
    if (await db.cursors.get(SYNC_CURSOR)) return;
    const last = ((await db.changes.orderBy('seq').lastKey()) as number | undefined) ?? 0;
    await db.cursors.put({ name: SYNC_CURSOR, seq: last });
    await writeState(db, SCAN_KEY, { table: 0, after: null } satisfies ScanPosition);
  });
}

/**
 * The next batch to push: the unacknowledged one if there is one (same pushId), else a new one (stored
 * as in flight before it is returned). null when everything is pushed. A batch may have no changes
 * (a stretch of the log that was all pulled changes): commit it without sending.
 */
export async function nextBatch(db: CalicoDb, clock: DeviceClock, options: OutboxOptions = {}): Promise<InflightBatch | null> {
  const inflight = await readState<InflightBatch>(db, INFLIGHT_KEY);
  if (inflight) return inflight;
  const retry = await retryBatch(db, clock, options);
  if (retry) return retry;
  const scan = await readState<ScanPosition>(db, SCAN_KEY);
  const batch = scan ? await scanBatch(db, clock, scan, options) : await logBatch(db, clock, options);
  if (batch && batch.changes.length > 0) await writeState(db, INFLIGHT_KEY, batch);
  return batch;
}

/** Quarantined records due for another try, pushed again from their current state. Their next try is
 * pushed back first, so a batch that never gets an answer doesn't retry them in a tight loop. */
async function retryBatch(db: CalicoDb, clock: DeviceClock, options: OutboxOptions): Promise<InflightBatch | null> {
  const now = (options.now ?? Date.now)();
  const due = await dueQuarantine(db, now, Math.min(options.maxChanges ?? MAX_PUSH_CHANGES, MAX_PUSH_CHANGES));
  if (due.length === 0) return null;
  await db.syncQuarantine.bulkUpdate(due.map((row) => ({ key: row.id, changes: { retryAt: now + 60 * 60_000 } })));
  const items = due.flatMap((row): Item[] => {
    const table = RECORD_TABLES.find((t) => TABLE_KIND[t] === row.kind);
    return table ? [{ table, key: row.key, at: now, firstSeq: 0 }] : [];
  });
  const built = await buildChanges(db, clock, items, options);
  // Nothing to send any more (the record now equals what the server has, or is gone): settled.
  const sent = new Set(built.changes.map((c) => quarantineId(c.kind, c.key)));
  const pendingRest = new Set(built.rest.map((i) => quarantineId(TABLE_KIND[i.table], i.key)));
  const stillRefused = new Set(built.refused);
  await db.syncQuarantine.bulkDelete(due.map((row) => row.id).filter((id) => !sent.has(id) && !pendingRest.has(id) && !stillRefused.has(id)));
  if (built.changes.length === 0) return null;
  const batch: InflightBatch = { pushId: newPushId(), changes: built.changes, shadows: built.shadows, upToSeq: null, scanNext: null };
  await writeState(db, INFLIGHT_KEY, batch);
  return batch;
}

async function logBatch(db: CalicoDb, clock: DeviceClock, options: OutboxOptions): Promise<InflightBatch | null> {
  const maxChanges = Math.min(options.maxChanges ?? MAX_PUSH_CHANGES, MAX_PUSH_CHANGES);
  const cursor = (await db.cursors.get(SYNC_CURSOR))?.seq ?? 0;
  const rows = await changesSince(cursor, maxChanges * 4, db);
  if (rows.length === 0) return null;
  const items = new Map<string, Item>();
  let upTo = cursor;
  for (const row of rows) {
    if (row.origin !== 'sync') {
      const id = `${row.table}\u0000${row.key}`;
      const item = items.get(id);
      if (item) item.at = row.at;
      else if (items.size >= maxChanges) break;
      else items.set(id, { table: row.table, key: row.key, at: row.at, firstSeq: row.seq! });
    }
    upTo = row.seq!;
  }
  const built = await buildChanges(db, clock, [...items.values()], options);
  // Records that didn't fit are read from the log again next time.
  if (built.rest.length) upTo = Math.min(...built.rest.map((i) => i.firstSeq)) - 1;
  return { pushId: newPushId(), changes: built.changes, shadows: built.shadows, upToSeq: upTo, scanNext: null };
}

async function scanBatch(db: CalicoDb, clock: DeviceClock, scan: ScanPosition, options: OutboxOptions): Promise<InflightBatch> {
  const maxChanges = Math.min(options.maxChanges ?? MAX_PUSH_CHANGES, MAX_PUSH_CHANGES);
  let position = scan as ScanPosition | 'done';
  const items: Item[] = [];
  while (position !== 'done' && items.length < maxChanges) {
    const table = RECORD_TABLES[position.table];
    if (!table) {
      position = 'done';
      break;
    }
    const want = maxChanges - items.length;
    const collection = position.after === null ? db.table(table).orderBy(':id') : db.table(table).where(':id').above(position.after);
    const keys = (await collection.limit(want).primaryKeys()) as string[];
    for (const key of keys) items.push({ table, key, at: 0, firstSeq: 0 });
    position = keys.length < want ? { table: position.table + 1, after: null } : { table: position.table, after: keys.at(-1)! };
  }
  const built = await buildChanges(db, clock, items, options, true);
  if (built.rest.length) {
    // Resume the scan at the first record that didn't fit.
    const first = built.rest[0]!;
    const before = items[items.indexOf(first) - 1];
    if (!before) position = scan;
    else position = { table: RECORD_TABLES.indexOf(first.table), after: before.table === first.table ? before.key : null };
  }
  return { pushId: newPushId(), changes: built.changes, shadows: built.shadows, upToSeq: null, scanNext: position };
}

async function buildChanges(
  db: CalicoDb,
  clock: DeviceClock,
  items: Item[],
  options: OutboxOptions,
  stampAtUpdatedAt = false,
): Promise<{ changes: Change[]; shadows: ShadowUpdate[]; rest: Item[]; refused: string[] }> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const changes: Change[] = [];
  const shadows: ShadowUpdate[] = [];
  const refused: string[] = [];
  let bytes = 64;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const kind = TABLE_KIND[item.table];
    const row = await db.table(item.table).get(item.key);
    const shadow = await readShadow(db, kind, item.key);
    const at = stampAtUpdatedAt ? Number((row as { updatedAt?: unknown } | undefined)?.updatedAt ?? 0) : item.at;
    let reason: string | null = null;
    const made = changeFor(kind, item.key, row, shadow, () => clock.stampAt(at), (why) => (reason = why));
    if (reason !== null) {
      // The server would refuse it (too big, invalid): keep it visible in the sync panel, not just a log line.
      await quarantineRecord(db, kind, item.key, `not sent: ${reason}`, 0, (options.now ?? Date.now)());
      refused.push(quarantineId(kind, item.key));
    }
    if (!made) continue;
    const size = encoder.encode(JSON.stringify(made.change)).length + 1;
    if (changes.length > 0 && bytes + size > maxBytes) return { changes, shadows, rest: items.slice(i), refused };
    bytes += size;
    changes.push(made.change);
    shadows.push({ kind, key: item.key, shadow: made.shadow });
  }
  return { changes, shadows, rest: [], refused };
}

/** The change that brings the server from `shadow` to `row` (undefined row: deleted here), or null
 * when there is nothing to send. */
export function changeFor(
  kind: RecordKind,
  key: string,
  row: unknown,
  shadow: Shadow | undefined,
  stamp: () => string,
  /** Told why, when the record can't be sent as it is (invalid, or refused by the protocol's bounds). */
  onRefused: (reason: string) => void = () => undefined,
): { change: Change; shadow: Shadow } | null {
  if (row === undefined) {
    // Never on the server (made and deleted between two syncs), or already deleted there.
    if (!shadow || shadow.data === null) return null;
    const change = Change.parse({ op: 'delete', kind, key, hlc: stamp() });
    return { change, shadow: { data: null, noteHlc: null } };
  }
  const data = parseLocal(kind, row);
  if (!data) {
    console.warn(`sync: skipping a ${kind} that is not a valid record`, key);
    const problem = RECORD_SCHEMAS[kind].safeParse(row);
    onRefused(problem.success ? 'not a valid record' : problem.error.issues[0]?.message ?? 'not a valid record');
    return null;
  }
  const fields = shadow?.data ? changedFields(kind, shadow.data, data) : undefined;
  if (fields && fields.length === 0) return null;
  const hlc = stamp();
  const noteChanged = kind === 'highlight' && (!fields || fields.includes('note'));
  const parsed = Change.safeParse({
    op: 'put',
    kind,
    key,
    hlc,
    data,
    ...(fields ? { fields } : {}),
    ...(kind === 'highlight' ? { noteBase: shadow?.noteHlc ?? null, ...(noteChanged && shadow?.noteHeads?.length ? { noteBases: shadow.noteHeads } : {}) } : {}),
  });
  if (!parsed.success) {
    console.warn(`sync: skipping a ${kind} the protocol refuses`, key, parsed.error.message.slice(0, 200));
    onRefused(parsed.error.issues[0]?.message ?? 'refused by the protocol');
    return null;
  }
  const noteHeads = noteChanged ? undefined : shadow?.noteHeads;
  return { change: parsed.data, shadow: { data, noteHlc: noteChanged ? hlc : (shadow?.noteHlc ?? null), ...(noteHeads ? { noteHeads } : {}) } };
}

/** Records the server's acknowledgement (or an empty batch): shadows, cursor or scan position, the
 * acknowledged records out of the quarantine, and the next part of a bisected batch (or none) in flight. */
export async function commitBatch(db: CalicoDb, batch: InflightBatch): Promise<void> {
  await db.transaction('rw', db.state, db.cursors, db.syncQuarantine, async () => {
    if (batch.changes.length) await db.syncQuarantine.bulkDelete(batch.changes.map((c) => quarantineId(c.kind, c.key)));
    await db.state.bulkPut(batch.shadows.map((s) => ({ key: shadowKey(s.kind, s.key), value: s.shadow })));
    if (batch.upToSeq !== null) {
      const current = (await db.cursors.get(SYNC_CURSOR))?.seq ?? 0;
      await db.cursors.put({ name: SYNC_CURSOR, seq: Math.max(current, batch.upToSeq) });
    }
    if (batch.scanNext === 'done') await db.state.delete(SCAN_KEY);
    else if (batch.scanNext) await db.state.put({ key: SCAN_KEY, value: batch.scanNext });
    if (batch.then) await db.state.put({ key: INFLIGHT_KEY, value: batch.then });
    else await db.state.delete(INFLIGHT_KEY);
  });
}
