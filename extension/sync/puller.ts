import { RECORD_SCHEMAS, type PullResponse, type ServerRecord } from '@shared/schemas/sync';
import { mergeNoteText } from '@shared/sync/merge';
import { RECORD_TABLES, type CalicoDb } from '@/db/database';
import { deleteRecords, putRecords } from '@/db/change-log';
import type { DeviceClock } from './device-clock';
import { changedFields, KIND_TABLE, sameValue, type Data } from './record-map';
import { CLOCK_KEY, INFLIGHT_KEY, PULL_CURSOR_KEY, readShadow, SYNC_CURSOR, writeShadow, writeState, type InflightBatch, type Shadow } from './sync-state';

/**
 * Applies pulled records to the local database.
 *
 * Writes go through the change log like every other write (so the keyword index and the embedding
 * queue pick pulled records up — the embedder recomputes vectors on this device) but are marked
 * origin 'sync', so the outbox never pushes them back. A page of records and the pull cursor commit
 * in one transaction: a page is applied completely or not at all.
 *
 * A record with local edits not yet pushed is not overwritten: the server's state is taken for the
 * fields this device didn't change, this device's values are kept for the fields it did (they are
 * newer and will be pushed), and when both sides changed a highlight's note, both texts are kept
 * (the same rule the worker applies, shared/sync/merge.ts). The shadow moves to the server's state,
 * so the next push names exactly this device's edits and starts its note from the server's version.
 */

export interface PullApplyResult {
  written: number;
  unchanged: number;
  invalid: number;
}

export async function applyPulledPage(db: CalicoDb, page: PullResponse, clock: DeviceClock): Promise<PullApplyResult> {
  const result: PullApplyResult = { written: 0, unchanged: 0, invalid: 0 };
  const tables = RECORD_TABLES.map((t) => db.table(t));
  await db.transaction('rw', [...tables, db.changes, db.state, db.cursors], async () => {
    const syncSeq = (await db.cursors.get(SYNC_CURSOR))?.seq ?? 0;
    const inflight = (await db.state.get(INFLIGHT_KEY))?.value as InflightBatch | undefined;
    const inFlightKeys = new Set(inflight?.changes.map((c) => `${c.kind}\u0000${c.key}`) ?? []);
    for (const record of page.records) {
      clock.receive(record.hlc);
      const table = KIND_TABLE[record.kind];
      const pending =
        inFlightKeys.has(`${record.kind}\u0000${record.key}`) ||
        (await db.changes
          .where('[table+key]')
          .equals([table, record.key])
          .filter((c) => c.seq! > syncSeq && c.origin !== 'sync')
          .count()) > 0;
      const outcome = await applyOne(db, record, pending);
      result[outcome]++;
    }
    await writeState(db, PULL_CURSOR_KEY, page.cursor);
    await writeState(db, CLOCK_KEY, clock.current);
  });
  return result;
}

async function applyOne(db: CalicoDb, record: ServerRecord, pending: boolean): Promise<keyof PullApplyResult> {
  const table = KIND_TABLE[record.kind];
  const local = (await db.table(table).get(record.key)) as Data | undefined;
  const before = await readShadow(db, record.kind, record.key);

  if (record.deleted || record.data === null) {
    await writeShadow(db, record.kind, record.key, { data: null, noteHlc: null });
    // A local edit made since the last push is newer than this delete: keep it, the push decides.
    if (pending || !local) return 'unchanged';
    await deleteRecords(table, [record.key], db, { origin: 'sync' });
    return 'written';
  }

  const parsed = RECORD_SCHEMAS[record.kind].safeParse(record.data);
  if (!parsed.success) {
    console.warn(`sync: pulled ${record.kind} ${record.key} is not a valid record; skipped`);
    return 'invalid';
  }
  const server = parsed.data as Data;
  const shadow: Shadow = { data: server, noteHlc: record.fieldHlcs.note ?? null, ...(record.noteHeads?.length ? { noteHeads: record.noteHeads } : {}) };
  await writeShadow(db, record.kind, record.key, shadow);

  let next = server;
  if (pending) {
    if (!local) return 'unchanged'; // deleted here since the last push; the push sends the delete
    next = mergeLocalEdits(record.kind, server, local, before);
  }
  if (local && sameValue(local, next)) return 'unchanged';
  await putRecords(table, [next], db, { origin: 'sync' });
  return 'written';
}

/** The server's record with this device's unpushed edits on top (see the module comment). */
export function mergeLocalEdits(kind: ServerRecord['kind'], server: Data, local: Data, before: Shadow | undefined): Data {
  const mine = before?.data ? changedFields(kind, before.data, local) : Object.keys(local);
  const next: Data = { ...server };
  for (const field of mine) if (field in local) next[field] = local[field];
  if (kind === 'highlight' && mine.includes('note') && before?.data) {
    const base = String(before.data.note ?? '');
    const theirs = String(server.note ?? '');
    const ours = String(local.note ?? '');
    if (theirs !== base && theirs !== ours) next.note = mergeNoteText(theirs, ours);
  }
  return next;
}
