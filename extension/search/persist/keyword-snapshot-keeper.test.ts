import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { deleteRecords, putRecords } from '@/db/change-log';
import { pageRecord } from '@/test-support/records';
import { CURSOR_NAME, KeywordIndex, SNAPSHOT_KEY } from '../keyword-index';
import { KeywordSnapshotRefresher, keywordSnapshotLag, refreshKeywordSnapshot } from './keyword-snapshot-refresh';
import { KeywordSnapshotKeeper } from './keyword-snapshot-keeper';

// The keyword snapshot kept current away from the side panel (issue 15, cold start), on fake-indexeddb:
// after a refresh the panel's open finds a snapshot at the log's head and applies nothing.

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('kw-keeper');
});
afterEach(async () => {
  await dropTestDb(db);
});

const pages = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => pageRecord(`https://site.example/${from + i}`, `Page ${from + i}`, `text about topic${(from + i) % 7} and number${from + i}`, { capturedAt: 1000 + from + i }));

describe('refreshKeywordSnapshot', () => {
  it('builds and saves a snapshot at the head; the next open loads it and has nothing to apply', async () => {
    await putRecords('pages', pages(0, 40), db);
    expect(await keywordSnapshotLag(db)).toBe(Infinity);
    const r = await refreshKeywordSnapshot(db);
    expect(r.size).toBe(40);
    expect(await keywordSnapshotLag(db)).toBe(0);
    expect((await db.state.get(SNAPSHOT_KEY))?.value).toMatchObject({ seq: r.position });
    expect((await db.cursors.get(CURSOR_NAME))?.seq).toBe(r.position);

    const opened = await KeywordIndex.open(db);
    expect(opened.size).toBe(40);
    expect(await opened.catchUp()).toBe(0);
    expect(opened.rank('number17').results[0]?.key).toBe('https://site.example/17');
  });

  it('applies later writes and deletions to the saved snapshot', async () => {
    await putRecords('pages', pages(0, 10), db);
    await refreshKeywordSnapshot(db);
    await putRecords('pages', pages(10, 15), db);
    await deleteRecords('pages', ['https://site.example/3'], db);
    expect(await keywordSnapshotLag(db)).toBe(6);
    const r = await refreshKeywordSnapshot(db);
    expect(r.size).toBe(14);
    expect(await keywordSnapshotLag(db)).toBe(0);
    const opened = await KeywordIndex.open(db);
    expect(opened.rank('number12').results[0]?.key).toBe('https://site.example/12');
    expect(opened.rank('number3').results.map((x) => x.key)).not.toContain('https://site.example/3');
  });

  it('a refresher kept between calls applies only what changed since its last call', async () => {
    await putRecords('pages', pages(0, 10), db);
    const refresher = new KeywordSnapshotRefresher(db);
    await refresher.refresh();
    const open = vi.spyOn(KeywordIndex, 'open');
    await putRecords('pages', pages(10, 12), db);
    const r = await refresher.refresh();
    expect(open).not.toHaveBeenCalled();
    open.mockRestore();
    expect(r.size).toBe(12);
    expect(await keywordSnapshotLag(db)).toBe(0);
    expect((await KeywordIndex.open(db)).rank('number11').results[0]?.key).toBe('https://site.example/11');
  });

  it('an empty memory has no lag', async () => {
    expect(await keywordSnapshotLag(db)).toBe(0);
  });
});

describe('KeywordSnapshotKeeper', () => {
  it('refreshes only once the snapshot lags by the threshold, folding concurrent checks into one more pass', async () => {
    await putRecords('pages', pages(0, 5), db);
    const refresh = vi.fn(() => refreshKeywordSnapshot(db));
    const keeper = new KeywordSnapshotKeeper({ db, lag: 10, refresh, minIntervalMs: 0 });
    await keeper.check();
    expect(refresh).toHaveBeenCalledTimes(1); // no snapshot at all: refreshed whatever the threshold
    await putRecords('pages', pages(5, 10), db);
    await keeper.check();
    expect(refresh).toHaveBeenCalledTimes(1); // 5 behind: under the threshold
    await putRecords('pages', pages(10, 20), db);
    await Promise.all([keeper.check(), keeper.check(), keeper.check()]);
    expect(refresh).toHaveBeenCalledTimes(2); // the second and third calls found it current
    expect(await keywordSnapshotLag(db)).toBe(0);
  });

  it('follows the change log once started', async () => {
    const refresh = vi.fn(() => refreshKeywordSnapshot(db));
    const keeper = new KeywordSnapshotKeeper({ db, lag: 1, settleMs: 20, refresh, minIntervalMs: 0 });
    keeper.start();
    try {
      await putRecords('pages', pages(0, 3), db);
      const end = Date.now() + 10_000;
      while ((await keywordSnapshotLag(db)) !== 0 || refresh.mock.calls.length === 0) {
        if (Date.now() > end) throw new Error('the keeper never refreshed');
        await new Promise((r) => setTimeout(r, 20));
      }
      await keeper.idle();
      expect((await KeywordIndex.open(db)).size).toBe(3);
    } finally {
      keeper.stop();
    }
  });
});
