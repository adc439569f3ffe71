import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CalicoDb } from './database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { setDbForTesting } from './database';
import { changesSince, putRecords, writeCursor } from './change-log';
import { COMPACT_ALARM, compactChangeLog, compactedThrough, startCompactionSchedule } from './compaction';
import { KeywordIndex } from '@/search/keyword-index';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('compaction');
});
afterEach(async () => {
  setDbForTesting(undefined);
  vi.unstubAllGlobals();
  await dropTestDb(db);
});

const search = (id: string, query = `q ${id}`) => ({ id, engine: 'Bing', query, url: `https://www.bing.com/search?q=${id}`, site: 'www.bing.com', createdAt: 1, updatedAt: 1 });
const writeSearches = (from: number, n: number) => putRecords('searches', Array.from({ length: n }, (_, i) => search(`search_${String(from + i).padStart(6, '0')}`)), db);
const seqs = async () => (await changesSince(0, 100_000, db)).map((c) => c.seq!);

describe('change log compaction', () => {
  it('deletes what every consumer has passed, keeps the rest, and keeps everything while no consumer is registered', async () => {
    for (let i = 0; i < 10; i++) await writeSearches(i, 1);
    expect(await compactChangeLog(db)).toMatchObject({ removed: 0 });
    await writeCursor('sync', 4, db);
    await writeCursor('embedder', 7, db);
    await writeCursor('keyword-index', 9, db);
    expect(await compactChangeLog(db)).toEqual({ removed: 4, dropped: [], through: 4 });
    expect(await seqs()).toEqual([5, 6, 7, 8, 9, 10]);
    expect(await compactedThrough(db)).toBe(4);
  });

  it('lets a rebuildable consumer that lags too far go, never sync', async () => {
    await writeSearches(0, 30);
    await writeCursor('keyword-index', 2, db);
    await writeCursor('embedder', 30, db);
    expect(await compactChangeLog(db, { maxLag: 10 })).toEqual({ removed: 30, dropped: ['keyword-index'], through: 30 });
    await writeSearches(100, 30);
    await writeCursor('sync', 31, db);
    await writeCursor('embedder', 60, db);
    const r = await compactChangeLog(db, { maxLag: 10 });
    expect(r.dropped).toEqual([]);
    expect(r.removed).toBe(1);
    expect((await db.cursors.get('sync'))!.seq).toBe(31);
  });

  it('a keyword index let go by compaction rebuilds and misses nothing — from a snapshot, and while open', async () => {
    await writeSearches(0, 5);
    const index = await KeywordIndex.open(db, { saveDelayMs: 60_000 });
    await index.save();
    await putRecords('searches', [search('search_late01', 'zebra crossing')], db);
    await writeSearches(10, 20);
    await writeCursor('embedder', 1_000, db);
    const { dropped } = await compactChangeLog(db, { maxLag: 5 });
    expect(dropped).toEqual(['keyword-index']);
    // The open index's position is before what was deleted: it rebuilds on catch-up.
    await index.catchUp();
    expect(index.search('zebra').map((r) => r.id)).toContain('search:search_late01');
    await index.save();
    // So does one opened from a snapshot saved before compaction.
    const reopened = await KeywordIndex.open(db, { saveDelayMs: 60_000 });
    expect(reopened.search('zebra').map((r) => r.id)).toContain('search:search_late01');
  });

  it('runs on an alarm in the background', async () => {
    const alarms = new Map<string, chrome.alarms.AlarmCreateInfo>();
    const listeners: ((alarm: chrome.alarms.Alarm) => void)[] = [];
    vi.stubGlobal('chrome', {
      alarms: {
        get: async (name: string) => (alarms.has(name) ? { name } : undefined),
        create: async (name: string, info: chrome.alarms.AlarmCreateInfo) => void alarms.set(name, info),
        onAlarm: { addListener: (l: (alarm: chrome.alarms.Alarm) => void) => listeners.push(l) },
      },
    });
    setDbForTesting(db);
    startCompactionSchedule();
    await vi.waitFor(() => expect(alarms.get(COMPACT_ALARM)?.periodInMinutes).toBe(60));
    await writeSearches(0, 10);
    await writeCursor('embedder', 10, db);
    for (const l of listeners) l({ name: COMPACT_ALARM, scheduledTime: Date.now() } as chrome.alarms.Alarm);
    await vi.waitFor(async () => expect(await seqs()).toEqual([]));
  });
});
