import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { compactChanges, deleteRecords, putRecords, readCursor, writeCursor } from '@/db/change-log';
import { createHighlight, deleteHighlight, updateHighlight } from '@/highlights/repository';
import type { Page, Search } from '@shared/schemas/records';
import { pageRecord } from '@/test-support/records';
import { CURSOR_NAME, INDEX_VERSION, KeywordIndex, SNAPSHOT_KEY } from './keyword-index';

let db: CalicoDb;
let index: KeywordIndex | undefined;
beforeEach(async () => {
  db = await openTestDb('kw');
});
afterEach(async () => {
  await index?.close();
  index = undefined;
  await dropTestDb(db);
});

const page = (url: string, title: string, text: string, capturedAt = 1000): Page => pageRecord(url, title, text, { capturedAt });
const search = (id: string, query: string, createdAt = 1000): Search => ({
  id,
  engine: 'Bing',
  query,
  url: `https://www.bing.com/search?q=${encodeURIComponent(query)}`,
  site: 'www.bing.com',
  createdAt,
  updatedAt: createdAt,
});
const highlight = (id: string, text: string, url = 'https://example.com/a', pageTitle = 'Example page') => ({
  id,
  url,
  site: new URL(url).host,
  pageTitle,
  text,
  color: 'yellow' as const,
  selectors: [{ type: 'TextQuoteSelector' as const, exact: text, prefix: '', suffix: '' }],
});

const ids = (results: { id: string }[]) => results.map((r) => r.id).sort();

/** Two pages and a search about tides, on different sites and days (for the filter tests). */
async function saveTideRecords(): Promise<void> {
  await putRecords('pages', [
    page('https://news.example.org/x', 'Tide report', 'tides today', 5_000),
    page('https://blog.test/y', 'Tide tables', 'tides tomorrow', 9_000),
  ], db);
  await putRecords('searches', [search('search-0001', 'tide times', 7_000)], db);
}

describe('keyword index', () => {
  it('follows the change log: add, edit, delete', async () => {
    index = await KeywordIndex.open(db);
    expect(index.size).toBe(0);

    await putRecords('pages', [page('https://lobster.test/care', 'Lobster care', 'How to keep a calico lobster healthy in cold water.')], db);
    await putRecords('searches', [search('search-0001', 'calico lobster facts')], db);
    await createHighlight(highlight('hl-000001', 'Lobsters molt as they grow'), db);
    expect(await index.catchUp()).toBe(3);
    expect(index.size).toBe(3);
    expect(ids(index.search('lobster'))).toEqual(['highlight:hl-000001', 'page:https://lobster.test/care', 'search:search-0001']);

    // Edit: the note becomes searchable, the old text stays findable.
    await updateHighlight('hl-000001', { note: 'remember the shedding season' }, db);
    await index.catchUp();
    expect(ids(index.search('shedding'))).toEqual(['highlight:hl-000001']);
    expect(index.size).toBe(3);

    // Replace a page: old words gone, new words found.
    await putRecords('pages', [page('https://lobster.test/care', 'Crab care', 'Crabs are different.')], db);
    await index.catchUp();
    expect(ids(index.search('healthy'))).toEqual([]);
    expect(ids(index.search('crabs'))).toEqual(['page:https://lobster.test/care']);

    // Delete.
    await deleteHighlight('hl-000001', db);
    await deleteRecords('searches', ['search-0001'], db);
    await index.catchUp();
    expect(index.size).toBe(1);
    expect(ids(index.search('lobster'))).toEqual([]);
  });

  it('ranks title matches first and matches prefixes and typos', async () => {
    await putRecords('pages', [
      page('https://a.test/1', 'Unrelated heading', 'the word quantum appears in the body'),
      page('https://a.test/2', 'Quantum computing', 'a body about other things'),
    ], db);
    index = await KeywordIndex.open(db);
    const results = index.search('quantum');
    expect(results.map((r) => r.key)).toEqual(['https://a.test/2', 'https://a.test/1']);
    expect(results.map((r) => r.rank)).toEqual([1, 2]);
    expect(index.search('quant').length).toBe(2);
    expect(index.search('quantun').length).toBe(2); // one typo
  });

  it('serves the instant list from the ranking index: earlier words as typed, the last by prefix or typo, filters applied', async () => {
    await saveTideRecords();
    await putRecords('pages', [page('https://sea.test/moon', 'Moon and telescopes', 'the moon pulls the tides; a telescope shows its craters', 8_000)], db);
    index = await KeywordIndex.open(db);
    // "teles" is being typed: it begins "telescop(e)", and "moon" as typed already narrows the ranking.
    const typing = index.search('moon teles');
    expect(typing[0]!.key).toBe('https://sea.test/moon');
    expect(typing[0]!.stemmed).toBe(true);
    // The stems behind the match are what the snippet marks (every word form of them).
    expect(index.titleParts(typing[0]!).filter((p) => p.match).map((p) => p.text)).toEqual(['Moon', 'telescopes']);
    // A typo in a word that begins nothing in the dictionary still finds it; nonsense finds nothing.
    expect(ids(index.search('telescpoe'))).toEqual(['page:https://sea.test/moon']);
    expect(index.search('xyzzyplugh')).toEqual([]);
    // Filters and the limit apply inside the bounded top-k, not after it.
    expect(ids(index.search('tid', { kind: 'search' }))).toEqual(['search:search-0001']);
    expect(ids(index.search('tid', { site: 'sea.test' }))).toEqual(['page:https://sea.test/moon']);
    expect(index.search('tid', { limit: 2 })).toHaveLength(2);
  });

  it('persists a snapshot with its cursor and catches up after reopening', async () => {
    await putRecords('pages', [page('https://a.test/1', 'First page', 'alpha text')], db);
    index = await KeywordIndex.open(db, { saveEvery: 1000, saveDelayMs: 60_000 });
    await putRecords('pages', [page('https://a.test/2', 'Second page', 'beta text')], db);
    await index.catchUp();
    await index.close(); // flushes the pending snapshot
    const snapshot = (await db.state.get(SNAPSHOT_KEY))?.value as { seq: number; stored: { id: string }[] };
    expect(snapshot.stored.map((d) => d.id).sort()).toEqual(['page:https://a.test/1', 'page:https://a.test/2']);
    expect(snapshot.seq).toBe(index.position);
    expect(await readCursor(CURSOR_NAME, db)).toBe(snapshot.seq);

    // Changed while no index was open: the reopened index loads the snapshot and replays the rest.
    await putRecords('pages', [page('https://a.test/3', 'Third page', 'gamma text')], db);
    await deleteRecords('pages', ['https://a.test/1'], db);
    index = await KeywordIndex.open(db);
    expect(ids(index.search('text'))).toEqual(['page:https://a.test/2', 'page:https://a.test/3']);

    // The snapshot really was used: a page written behind the log's back is absent until a rebuild.
    await db.pages.put(page('https://a.test/4', 'Hidden page', 'delta text'));
    await index.close();
    index = await KeywordIndex.open(db);
    expect(ids(index.search('delta'))).toEqual([]);
  });

  it('rebuilds from the tables when the log was compacted without its cursor', async () => {
    await putRecords('pages', [page('https://a.test/1', 'First page', 'alpha text')], db);
    await writeCursor('sync', 1, db);
    expect(await compactChanges(db)).toBe(1);
    index = await KeywordIndex.open(db);
    expect(ids(index.search('alpha'))).toEqual(['page:https://a.test/1']);
    // Registered now, so compaction keeps what the index hasn't seen.
    await putRecords('pages', [page('https://a.test/2', 'Second page', 'alpha again')], db);
    await index.catchUp();
    await index.close();
    expect(await readCursor(CURSOR_NAME, db)).toBe(2);
    expect(ids(index.search('alpha'))).toEqual(['page:https://a.test/1', 'page:https://a.test/2']);
  });

  it('filters by kind, site and date', async () => {
    await saveTideRecords();
    index = await KeywordIndex.open(db);
    expect(index.search('tide').length).toBe(3);
    expect(ids(index.search('tide', { kind: 'search' }))).toEqual(['search:search-0001']);
    expect(ids(index.search('tide', { site: 'example' }))).toEqual(['page:https://news.example.org/x']);
    expect(ids(index.search('tide', { from: 6_000, to: 8_000 }))).toEqual(['search:search-0001']);
    expect(ids(index.search('tide', { kind: 'page', from: 6_000 }))).toEqual(['page:https://blog.test/y']);
    // Empty query: everything that passes the filters, newest first.
    expect(index.search('').map((r) => r.date)).toEqual([9_000, 7_000, 5_000]);
    expect(index.search('', { limit: 1 }).map((r) => r.key)).toEqual(['https://blog.test/y']);
  });

  it('builds snippets around the matches, reading page text on demand', async () => {
    const filler = 'Lorem ipsum dolor sit amet. '.repeat(100);
    await putRecords('pages', [page('https://a.test/long', 'Long page', `${filler} The calico lobster is rare. ${filler}`)], db);
    index = await KeywordIndex.open(db);
    const [result] = index.search('calico lobster');
    const parts = await index.snippet(result!);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(['calico', 'lobster']);
    const text = parts.map((p) => p.text).join('');
    expect(text.length).toBeLessThan(200);
    expect(text.startsWith('… ')).toBe(true);
    expect(text.endsWith(' …')).toBe(true);
  });

  it('returns a hostile title as plain text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    await putRecords('pages', [page('https://evil.test/', hostile, `payload ${hostile} here`)], db);
    index = await KeywordIndex.open(db);
    const [result] = index.search('onerror');
    expect(result!.title).toBe(hostile);
    const titleText = index.titleParts(result!).map((p) => p.text).join('');
    expect(titleText).toBe(hostile);
    const snippet = await index.snippet(result!);
    expect(snippet.map((p) => p.text).join('')).toBe(`payload ${hostile} here`);
    for (const part of snippet) expect(typeof part.text).toBe('string');
  });

  it('indexes only the head of a huge page', async () => {
    const huge = 'filler '.repeat(10_000) + 'needle';
    await putRecords('pages', [page('https://a.test/huge', 'Huge', huge)], db);
    index = await KeywordIndex.open(db);
    expect(index.search('needle')).toEqual([]);
    expect(index.search('filler').length).toBe(1);
  });
});

describe('recent items', () => {
  it('stay newest first as records are added, edited and deleted', async () => {
    await putRecords('searches', [search('search-0001', 'one', 1_000), search('search-0002', 'two', 3_000)], db);
    index = await KeywordIndex.open(db);
    expect(index.search('').map((r) => r.key)).toEqual(['search-0002', 'search-0001']);
    await putRecords('searches', [search('search-0003', 'three', 2_000), search('search-0001', 'one edited', 4_000)], db);
    await deleteRecords('searches', ['search-0002'], db);
    await index.catchUp();
    const recent = index.search('');
    expect(recent.map((r) => r.key)).toEqual(['search-0001', 'search-0003']);
    expect(recent[0]!.title).toBe('one edited');
    expect(recent.map((r) => r.rank)).toEqual([1, 2]);
    expect(index.search('', { site: 'nowhere' })).toEqual([]);
  });

  it('keep their order when an item with the same date is edited', async () => {
    await putRecords('searches', ['search-000a', 'search-000b', 'search-000c'].map((id) => search(id, `query ${id}`, 5_000)), db);
    index = await KeywordIndex.open(db);
    const order = index.search('').map((r) => r.key);
    expect(order).toEqual(['search-000a', 'search-000b', 'search-000c']);
    await putRecords('searches', [search('search-000a', 'edited', 5_000)], db);
    await index.catchUp();
    expect(index.search('').map((r) => r.key)).toEqual(order);
  });
});

describe('ranking list (BM25F)', () => {
  it('follows the change log, stems, and fills terms and coverage for hybrid fusion', async () => {
    index = await KeywordIndex.open(db);
    await putRecords('pages', [
      page('https://wing.test/a', 'Aircraft wings', 'Heating the wing surface delays icing.', 5_000),
      page('https://wing.test/b', 'Boats', 'A heated cabin for the winter.', 6_000),
    ], db);
    await putRecords('searches', [search('search-0001', 'heated wings', 7_000)], db);
    await createHighlight(highlight('hl-000001', 'Lobsters molt as they grow', 'https://sea.test/l', 'Sea life'), db);
    await index.catchUp();

    const { list, results } = index.rank('heated aircraft wings', {}, 10);
    // Stems join "heated"/"heating" and "wings"/"wing"; the any-term list ranks the page matching all first.
    expect(results[0]!.id).toBe('page:https://wing.test/a');
    expect(ids(results)).toEqual(['page:https://wing.test/a', 'page:https://wing.test/b', 'search:search-0001']);
    expect(list.items.map((i) => i.id)).toEqual(results.map((r) => r.id));
    expect(list.coverage).toBe(1);
    expect(results[0]).toMatchObject({ kind: 'page', key: 'https://wing.test/a', title: 'Aircraft wings', rank: 1, stemmed: true });
    expect(results[0]!.terms.sort()).toEqual(['aircraft', 'heat', 'wing']);
    // The snippet and title mark the text's own word forms of the stems.
    const marked = (parts: { text: string; match: boolean }[]) => parts.filter((p) => p.match).map((p) => p.text);
    expect(marked(await index.snippet(results[0]!))).toEqual(['Heating', 'wing']);
    expect(marked(index.titleParts(results[0]!))).toEqual(['Aircraft', 'wings']);

    // Highlights rank by quote and note under their page's title; edits and deletions follow.
    expect(ids(index.rank('sea molting', {}, 10).results)).toEqual(['highlight:hl-000001']);
    await updateHighlight('hl-000001', { note: 'shedding season' }, db);
    await index.catchUp();
    expect(ids(index.rank('shedding', {}, 10).results)).toEqual(['highlight:hl-000001']);
    await deleteHighlight('hl-000001', db);
    await index.catchUp();
    expect(index.rank('shedding', {}, 10).results).toEqual([]);
    expect(index.rank('shedding', {}, 10).list).toMatchObject({ items: [], coverage: 0 });
  });

  it('applies kind, kinds, site and date filters and the limit', async () => {
    await saveTideRecords();
    index = await KeywordIndex.open(db);
    expect(index.rank('tide', {}, 10).results.length).toBe(3);
    expect(ids(index.rank('tide', { kind: 'search' }, 10).results)).toEqual(['search:search-0001']);
    expect(ids(index.rank('tide', { kinds: ['page', 'highlight'] }, 10).results)).toEqual(['page:https://blog.test/y', 'page:https://news.example.org/x']);
    expect(ids(index.rank('tide', { site: 'example' }, 10).results)).toEqual(['page:https://news.example.org/x']);
    expect(ids(index.rank('tide', { from: 6_000, to: 8_000 }, 10).results)).toEqual(['search:search-0001']);
    const one = index.rank('tide', { kind: 'page' }, 1);
    expect(one.results).toHaveLength(1);
    expect(one.list.items).toHaveLength(1);
  });

  it('is saved in the snapshot as typed arrays and reloaded from it', async () => {
    await putRecords('pages', [page('https://a.test/1', 'First page', 'alpha text'), page('https://a.test/2', 'Second page', 'beta text')], db);
    index = await KeywordIndex.open(db, { saveEvery: 1000, saveDelayMs: 60_000 });
    const before = index.rank('alpha text', {}, 10);
    await index.close();
    const snapshot = (await db.state.get(SNAPSHOT_KEY))?.value as { version: number; bm25: { postings: unknown; forward: unknown; idText: unknown } };
    expect(snapshot.version).toBe(INDEX_VERSION);
    expect(snapshot.bm25.postings).toBeInstanceOf(Uint8Array);
    expect(snapshot.bm25.forward).toBeInstanceOf(Uint8Array);
    expect(snapshot.bm25.idText).toBeInstanceOf(Uint8Array);

    // The snapshot really is what's loaded: a page written behind the log's back stays absent.
    await db.pages.put(page('https://a.test/3', 'Hidden page', 'alpha hidden'));
    index = await KeywordIndex.open(db);
    expect(index.rank('alpha text', {}, 10)).toEqual(before);
    expect(index.rank('hidden', {}, 10).results).toEqual([]);
  });

  it.each([
    ['corrupt', (bm25: Record<string, unknown>) => ({ ...bm25, postings: new Uint8Array([99, 99, 99]) })],
    ['for other fields', (bm25: Record<string, unknown>) => ({ ...bm25, fields: ['title', 'text', 'note'] })],
    ['missing', () => undefined],
  ])('a %s ranking snapshot makes the index rebuild from the tables', async (_name, spoil) => {
    await putRecords('pages', [page('https://a.test/1', 'First page', 'alpha text')], db);
    index = await KeywordIndex.open(db, { saveEvery: 1000, saveDelayMs: 60_000 });
    await index.close();
    const row = (await db.state.get(SNAPSHOT_KEY))!;
    const value = row.value as { bm25: Record<string, unknown> };
    await db.state.put({ ...row, value: { ...value, bm25: spoil(value.bm25) } });
    // Written behind the log's back: only a rebuild from the tables sees it.
    await db.pages.put(page('https://a.test/2', 'Hidden page', 'alpha hidden'));
    index = await KeywordIndex.open(db);
    expect(ids(index.rank('alpha', {}, 10).results)).toEqual(['page:https://a.test/1', 'page:https://a.test/2']);
    expect(ids(index.search('alpha'))).toEqual(['page:https://a.test/1', 'page:https://a.test/2']);
  });

  it('an old-version snapshot is rebuilt', async () => {
    await putRecords('pages', [page('https://a.test/1', 'First page', 'alpha text')], db);
    index = await KeywordIndex.open(db, { saveEvery: 1000, saveDelayMs: 60_000 });
    await index.close();
    const row = (await db.state.get(SNAPSHOT_KEY))!;
    const { bm25: _bm25, ...v1 } = row.value as Record<string, unknown>;
    await db.state.put({ ...row, value: { ...v1, version: 1 } });
    await db.pages.put(page('https://a.test/2', 'Hidden page', 'alpha hidden'));
    index = await KeywordIndex.open(db);
    expect(index.rank('alpha', {}, 10).results).toHaveLength(2);
  });
});
