import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from './database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { changesSince, compactChanges, deleteRecords, InvalidSettingError, putRecords, readCursor, updateRecord, writeCursor } from './change-log';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('test');
});
afterEach(() => dropTestDb(db));

const search = (id: string) => ({ id, engine: 'Bing', query: 'q ' + id, url: 'https://www.bing.com/search?q=' + id, site: 'www.bing.com', createdAt: 1, updatedAt: 1 });

describe('change log', () => {
  it('logs one change per written and deleted row, in order', async () => {
    await putRecords('searches', [search('aaaaaaaa'), search('bbbbbbbb')], db);
    await deleteRecords('searches', ['aaaaaaaa', 'missing-key'], db);
    const log = await changesSince(0, 100, db);
    expect(log.map((c) => [c.key, c.op])).toEqual([
      ['aaaaaaaa', 'put'],
      ['bbbbbbbb', 'put'],
      ['aaaaaaaa', 'delete'],
    ]);
    expect(await db.searches.count()).toBe(1);
  });

  it('updates atomically and skips unchanged rows', async () => {
    await putRecords('searches', [search('aaaaaaaa')], db);
    await updateRecord<ReturnType<typeof search>>('searches', 'aaaaaaaa', (r) => ({ ...r, query: 'changed' }), db);
    await updateRecord('searches', 'aaaaaaaa', () => undefined, db);
    expect((await db.searches.get('aaaaaaaa'))?.query).toBe('changed');
    expect(await db.changes.count()).toBe(2);
  });

  it('writes nothing when the row is invalid', async () => {
    await expect(putRecords('searches', [{ engine: 'x' }], db)).rejects.toThrow(/no key/);
    expect(await db.changes.count()).toBe(0);
  });

  it('compacts only what every consumer has read', async () => {
    await putRecords('searches', [search('aaaaaaaa'), search('bbbbbbbb'), search('cccccccc')], db);
    await writeCursor('index', 3, db);
    await writeCursor('sync', 1, db);
    expect(await compactChanges(db)).toBe(1);
    expect(await readCursor('sync', db)).toBe(1);
    expect((await changesSince(0, 100, db)).map((c) => c.seq)).toEqual([2, 3]);
  });

  it('refuses a setting the sync server would refuse (too deep, too big): nothing saved, nothing logged', async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 2_000; i++) deep = [deep];
    await expect(putRecords('settings', [{ key: 'x', value: deep, updatedAt: 1 }], db)).rejects.toBeInstanceOf(InvalidSettingError);
    await expect(putRecords('settings', [{ key: 'x', value: 'v'.repeat(300 * 1024), updatedAt: 1 }], db)).rejects.toThrow(/can't be saved/);
    await putRecords('settings', [{ key: 'x', value: { ok: true }, updatedAt: 1 }], db);
    await expect(updateRecord('settings', 'x', (row) => ({ ...row, value: deep }), db)).rejects.toBeInstanceOf(InvalidSettingError);
    expect((await db.settings.get('x'))!.value).toEqual({ ok: true });
    expect((await changesSince(0, 100, db)).length).toBe(1);
  });
});
