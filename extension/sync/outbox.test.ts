import { afterEach, describe, expect, test } from 'vitest';
import { createDb, type CalicoDb } from '@/db/database';
import { deleteRecords, putRecords, updateRecord } from '@/db/change-log';
import { DeviceClock } from './device-clock';
import { commitBatch, ensureStarted, nextBatch } from './outbox';
import { highlight } from './test-support/devices';
import { pendingCount } from './pending';
import { readShadow, SYNC_CURSOR } from './sync-state';

let db: CalicoDb;
let n = 0;
const clock = () => new DeviceClock('dev_a');

async function freshDb(): Promise<CalicoDb> {
  db = createDb(`outbox-${++n}`);
  await db.open();
  return db;
}

afterEach(async () => {
  db?.close();
});

/** Drains the outbox as acknowledged pushes, returning every batch's changes. */
async function drain(c = clock(), options = {}) {
  const batches = [];
  for (let b = await nextBatch(db, c, options); b; b = await nextBatch(db, c, options)) {
    batches.push(b);
    await commitBatch(db, b);
  }
  return batches;
}

describe('outbox', () => {
  test('the first sync pushes every existing record (scan), then only changes from the log', async () => {
    await freshDb();
    await putRecords('highlights', [highlight('hl_000001'), highlight('hl_000002')], db);
    await putRecords('settings', [{ key: 'capture', value: { paused: true, denylist: [] }, updatedAt: 5 }], db);
    await ensureStarted(db);
    expect(await pendingCount(db)).toBe(3);
    const first = await drain();
    const changes = first.flatMap((b) => b.changes);
    expect(changes.map((c) => `${c.op}:${c.kind}:${c.key}`).sort()).toEqual(['put:highlight:hl_000001', 'put:highlight:hl_000002', 'put:setting:capture']);
    // A new record is sent whole (no `fields`), with no note base.
    expect(changes.every((c) => c.op === 'put' && c.fields === undefined)).toBe(true);
    expect(await pendingCount(db)).toBe(0);
    expect(await drain()).toEqual([]);

    await updateRecord('highlights', 'hl_000001', (h) => ({ ...h, color: 'green', updatedAt: 10 }), db);
    const second = (await drain()).flatMap((b) => b.changes);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ op: 'put', kind: 'highlight', key: 'hl_000001', fields: ['color', 'updatedAt'] });
  });

  test('many edits of one record become one change with its latest state; batches respect the size bounds', async () => {
    await freshDb();
    await ensureStarted(db);
    await drain();
    for (let i = 0; i < 5; i++) await putRecords('highlights', [highlight(`hl_${String(i).padStart(6, '0')}`)], db);
    for (let v = 0; v < 3; v++) await updateRecord('highlights', 'hl_000000', (h) => ({ ...h, note: `version ${v}` }), db);

    const batches = await drain(clock(), { maxChanges: 2 });
    expect(batches.map((b) => b.changes.length)).toEqual([2, 2, 1]);
    const all = batches.flatMap((b) => b.changes);
    expect(new Set(all.map((c) => c.key)).size).toBe(5);
    const first = all.find((c) => c.key === 'hl_000000')!;
    expect(first.op === 'put' && first.kind === 'highlight' && first.data.note).toBe('version 2');
    // HLCs increase in push order: the server orders this device's own edits by them.
    expect(all.map((c) => c.hlc)).toEqual([...all.map((c) => c.hlc)].sort());
    expect((await db.cursors.get(SYNC_CURSOR))!.seq).toBe((await db.changes.orderBy('seq').lastKey()) as number);

    // A byte budget smaller than two records still makes progress, one record per batch.
    await freshDb();
    await ensureStarted(db);
    await drain();
    const big = 'x'.repeat(5000);
    await putRecords('highlights', [highlight('hl_big001', { note: big }), highlight('hl_big002', { note: big }), highlight('hl_big003', { note: big })], db);
    const small = await drain(clock(), { maxBytes: 8000 });
    expect(small.map((b) => b.changes.length)).toEqual([1, 1, 1]);
    expect(await pendingCount(db)).toBe(0);
  });

  test('changes written by the puller (origin sync) are never pushed back', async () => {
    await freshDb();
    await ensureStarted(db);
    await drain();
    await putRecords('highlights', [highlight('hl_pulled1'), highlight('hl_pulled2')], db, { origin: 'sync' });
    await deleteRecords('highlights', ['hl_pulled1'], db, { origin: 'sync' });
    expect(await pendingCount(db)).toBe(0);
    const batches = await drain();
    expect(batches.flatMap((b) => b.changes)).toEqual([]);
    // …but the cursor moved past them.
    expect((await db.cursors.get(SYNC_CURSOR))!.seq).toBe((await db.changes.orderBy('seq').lastKey()) as number);
  });

  test('deletes: a pushed record sends a tombstone; one made and deleted between syncs sends nothing', async () => {
    await freshDb();
    await ensureStarted(db);
    await putRecords('highlights', [highlight('hl_kept001')], db);
    await drain();
    await putRecords('highlights', [highlight('hl_brief01')], db);
    await deleteRecords('highlights', ['hl_brief01', 'hl_kept001'], db);
    const changes = (await drain()).flatMap((b) => b.changes);
    expect(changes.map((c) => `${c.op}:${c.key}`)).toEqual(['delete:hl_kept001']);
    expect(await readShadow(db, 'highlight', 'hl_kept001')).toEqual({ data: null, noteHlc: null });
  });

  test('a batch not acknowledged is resent unchanged, with the same push id', async () => {
    await freshDb();
    await ensureStarted(db);
    await putRecords('highlights', [highlight('hl_000001')], db);
    const c = clock();
    const first = (await nextBatch(db, c))!;
    await putRecords('highlights', [highlight('hl_000002')], db);
    const again = (await nextBatch(db, c))!;
    expect(again.pushId).toBe(first.pushId);
    expect(again.changes).toEqual(first.changes);
    await commitBatch(db, again);
    expect((await drain(c)).flatMap((b) => b.changes.map((x) => x.key))).toEqual(['hl_000002']);
  });

  test('a note edit names the note version it started from (noteBase)', async () => {
    await freshDb();
    await ensureStarted(db);
    await putRecords('highlights', [highlight('hl_000001', { note: 'first' })], db);
    const [created] = (await drain()).flatMap((b) => b.changes);
    await updateRecord('highlights', 'hl_000001', (h) => ({ ...h, note: 'second' }), db);
    const [edited] = (await drain()).flatMap((b) => b.changes);
    expect(edited).toMatchObject({ fields: ['note'], noteBase: created!.hlc });
  });
});
