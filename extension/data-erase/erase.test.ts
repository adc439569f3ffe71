import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { putRecords } from '@/db/change-log';
import { deleteEverything, deleteSite, hostOf } from './erase';

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb('erase');
});
afterEach(() => dropTestDb(db));

const sel = [{ type: 'TextQuoteSelector' as const, exact: 'x', prefix: '', suffix: '' }];
async function seed() {
  for (const [n, site] of [[1, 'example.com'], [2, 'www.example.com'], [3, 'other.test']] as const) {
    const url = `https://${site}/p${n}`;
    await putRecords('visits', [{ id: `visit-000${n}`, url, site, title: 't', referrer: null, searchId: null, transition: 'load', startedAt: 1, endedAt: 1, activeMs: 0, updatedAt: 1 }], db);
    await putRecords('pages', [{ url, site, title: 't', text: 'x', excerpt: '', byline: '', siteName: '', lang: '', wordCount: 1, truncated: false, capturedAt: 1, updatedAt: 1 }], db);
    await putRecords('highlights', [{ id: `hl-00000${n}`, url, site, pageTitle: 't', text: 'x', color: 'yellow', note: '', selectors: sel, anchorStatus: 'anchored', createdAt: 1, updatedAt: 1 }], db);
  }
  await putRecords('searches', [{ id: 'search-0001', engine: 'Bing', query: 'q', url: 'https://www.bing.com/search?q=q', site: 'www.bing.com', createdAt: 1, updatedAt: 1 }], db);
  await putRecords('settings', [{ key: 'paused', value: true, updatedAt: 1 }], db);
}

describe('erase', () => {
  it('reads a host from a bare host or a URL', () => {
    expect(hostOf(' Example.COM ')).toBe('example.com');
    expect(hostOf('https://www.example.com/a?b')).toBe('www.example.com');
    expect(hostOf('')).toBeUndefined();
    expect(hostOf('not a host')).toBeUndefined();
  });

  it('deletes every record of one site (and its www. twin) through the change log', async () => {
    await seed();
    const before = await db.changes.count();
    const counts = await deleteSite('example.com', db);
    expect(counts).toEqual({ visits: 2, pages: 2, searches: 0, highlights: 2 });
    expect((await db.pages.toArray()).map((p) => p.site)).toEqual(['other.test']);
    expect((await db.visits.toArray()).map((p) => p.site)).toEqual(['other.test']);
    expect((await db.highlights.toArray()).map((p) => p.site)).toEqual(['other.test']);
    expect(await db.searches.count()).toBe(1);
    const deletes = await db.changes.where('seq').above(before).toArray();
    expect(deletes).toHaveLength(6);
    expect(deletes.every((c) => c.op === 'delete')).toBe(true);
  });

  it('deletes everything captured but keeps settings', async () => {
    await seed();
    const counts = await deleteEverything(db);
    expect(counts).toEqual({ visits: 3, pages: 3, searches: 1, highlights: 3 });
    for (const t of ['visits', 'pages', 'searches', 'highlights'] as const) expect(await db.table(t).count()).toBe(0);
    expect(await db.settings.count()).toBe(1);
  });
});
