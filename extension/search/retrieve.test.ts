import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord, pageRecord } from '@/test-support/records';
import { KeywordIndex } from '@/search/keyword-index';
import { DEFAULT_FUSION, feedbackFor, fuseHybrid, type Feedback } from '@/search/hybrid';
import type { VectorFilters, VectorHitMessage } from '@shared/schemas/ai-messages';
import { hybridSearch, retrieveSources, type VectorSearch } from './retrieve';

// The extension's hybrid retrieval over a real keyword index (fake-indexeddb); only the offscreen
// document's vector search is a stand-in, recording what it was asked.

const now = Date.now();
let db: CalicoDb;
let index: KeywordIndex;

const highlight = (id: string, text: string, pageTitle: string) => highlightRecord(id, text, { pageTitle, createdAt: now });

beforeEach(async () => {
  db = await openTestDb('retrieve');
  await putRecords(
    'highlights',
    [
      highlight('aaaaaaaa', 'Rates went up to cool prices.', 'Central banks'),
      highlight('bbbbbbbb', 'Cats nap all afternoon.', 'Pets'),
      highlight('cccccccc', 'Tides follow the moon.', 'Sea notes'),
    ],
    db,
  );
  await putRecords(
    'pages',
    [pageRecord('https://tides.test/', 'Tide tables', 'Tides and the moon: tide tables for the coast.', { capturedAt: now })],
    db,
  );
  await putRecords('searches', [{ id: 'search-0001', engine: 'Bing', query: 'moon tides', url: 'https://www.bing.com/search?q=moon+tides', site: 'www.bing.com', createdAt: now, updatedAt: now }], db);
  index = await KeywordIndex.open(db, { saveDelayMs: 60_000 });
});
afterEach(async () => {
  await index.close();
  await dropTestDb(db);
});

const hit = (id: string, score: number): VectorHitMessage => ({ id: `highlight:${id}#0`, sourceKind: 'highlight', sourceId: id, score, url: `https://e.com/${id}`, title: id, site: 'e.com', at: now });

/** A vector search answering `hits`, recording each call. */
function vectors(hits: VectorHitMessage[]) {
  const calls: { query: string; k: number; filters: VectorFilters; feedback?: Feedback }[] = [];
  const search: VectorSearch = async (query, k, filters, feedback) => {
    calls.push({ query, k, filters, feedback });
    return { hits };
  };
  return { calls, search };
}

const rankKeywords = (q: string, f: Parameters<KeywordIndex['rank']>[1], limit: number) => index.rank(q, f, limit);

describe('side panel hybrid list', () => {
  it('is the hybrid ranking: ranking-index list (with feedback words), the plain query vector, fuseHybrid', async () => {
    const v = vectors([hit('aaaaaaaa', 0.7), hit('cccccccc', 0.5), hit('bbbbbbbb', DEFAULT_FUSION.minVectorOnlyScore - 0.2)]);
    const results = await hybridSearch('moon tides', { kind: 'all' }, { rankKeywords, searchVectors: v.search, db });

    const keyword = index.rank('moon tides', { kind: 'all' }, 500);
    expect(keyword.results.map((r) => r.id).sort()).toEqual(['highlight:cccccccc', 'page:https://tides.test/', 'search:search-0001']);
    // The hybrid's default seeds no vector query (feedbackFor gives none): the plain query vector.
    expect(v.calls).toHaveLength(1);
    expect(feedbackFor(keyword.list).seeds).toEqual([]);
    expect(v.calls[0]!.feedback).toBeUndefined();
    // The list is the fused ranking; a query that matched words keeps even a weak vector-only result,
    // after everything the keyword side found.
    const expected = fuseHybrid(keyword.list, [{ id: 'highlight:aaaaaaaa', score: 0.7 }, { id: 'highlight:cccccccc', score: 0.5 }, { id: 'highlight:bbbbbbbb', score: DEFAULT_FUSION.minVectorOnlyScore - 0.2 }]);
    expect(results.map((r) => r.id)).toEqual(expected.map((f) => f.id));
    expect(results.at(-1)!.id).toBe('highlight:bbbbbbbb');
    expect(results.map((r) => r.id).sort()).toEqual([...keyword.results.map((r) => r.id), 'highlight:aaaaaaaa', 'highlight:bbbbbbbb'].sort());
    expect(results.map((r) => r.rank)).toEqual(results.map((_, i) => i + 1));
    // Keyword hits keep their stemmed terms (snippets mark them); the vector-only one is loaded from the db.
    expect(results.find((r) => r.id === 'page:https://tides.test/')).toMatchObject({ title: 'Tide tables', stemmed: true });
    expect(results.find((r) => r.id === 'highlight:aaaaaaaa')).toMatchObject({ kind: 'highlight', title: 'Central banks', terms: [], byMeaning: true });
    // Keyword results are not labelled as found by meaning.
    expect(results.filter((r) => r.byMeaning).map((r) => r.id).sort()).toEqual(['highlight:aaaaaaaa', 'highlight:bbbbbbbb']);
  });

  it('passes the filters to both sides', async () => {
    const v = vectors([]);
    const results = await hybridSearch('moon tides', { kind: 'page', site: 'tides' }, { rankKeywords, searchVectors: v.search, db });
    expect(results.map((r) => r.id)).toEqual(['page:https://tides.test/']);
    expect(v.calls[0]!.filters).toMatchObject({ kind: 'page', site: 'tides' });
  });

  it('lists nothing for a query matching no word and nothing by meaning', async () => {
    const v = vectors([hit('aaaaaaaa', 0.15), hit('bbbbbbbb', 0.1)]);
    expect(await hybridSearch('zyzzogeton', { kind: 'all' }, { rankKeywords, searchVectors: v.search, db })).toEqual([]);
    expect(v.calls[0]!.feedback).toBeUndefined(); // no keyword list, no seeds: the plain query vector
  });

  it('keeps the instant list’s prefix matches after the ranked ones', async () => {
    const instant = index.search('tid'); // prefix: the ranking index has no "tid"
    expect(instant.length).toBeGreaterThan(0);
    const results = await hybridSearch('tid', { kind: 'all' }, { rankKeywords, searchVectors: vectors([hit('aaaaaaaa', 0.6)]).search, instant, db });
    expect(results[0]!.id).toBe('highlight:aaaaaaaa');
    expect(results.slice(1).map((r) => r.id)).toEqual(instant.map((r) => r.id));
    expect(results.map((r) => r.rank)).toEqual(results.map((_, i) => i + 1));
  });
});

describe('ask retrieval', () => {
  it('cites keyword and vector sources, never saved searches', async () => {
    const v = vectors([hit('aaaaaaaa', 0.6)]);
    const sources = await retrieveSources('when do tides follow the moon?', { rankKeywords, searchVectors: v.search, db });
    expect(sources.map((s) => s.kind)).not.toContain('search');
    const keyword = index.rank('when do tides follow the moon?', { kinds: ['page', 'highlight'] }, 60);
    expect(v.calls[0]!.feedback).toBeUndefined();
    const fused = fuseHybrid(keyword.list, [{ id: 'highlight:aaaaaaaa', score: 0.6 }]);
    expect(sources.map((s) => `${s.kind}:${s.sourceId}`)).toEqual(fused.map((f) => f.id));
    expect(sources.map((s) => s.n)).toEqual([1, 2, 3]);
    expect(sources.find((s) => s.sourceId === 'cccccccc')!.text).toBe('Tides follow the moon.');
  });

  it('still answers from the keyword side when the vector search fails', async () => {
    const sources = await retrieveSources('tides moon', { rankKeywords, searchVectors: async () => Promise.reject(new Error('no offscreen document')), db });
    const keyword = index.rank('tides moon', { kinds: ['page', 'highlight'] }, 60);
    expect(sources.map((s) => `${s.kind}:${s.sourceId}`)).toEqual(keyword.results.map((r) => r.id));
    expect(sources).toHaveLength(2);
  });
});

describe('the vector index\'s noise floor', () => {
  it('drops vector-only results under the floor the offscreen document reports when no word matched', async () => {
    const search = (floor?: number): VectorSearch => async () => ({ hits: [hit('aaaaaaaa', 0.42)], ...(floor === undefined ? {} : { floor }) });
    expect(await hybridSearch('zyzzogeton', { kind: 'all' }, { rankKeywords, searchVectors: search(0.5), db })).toEqual([]);
    expect((await hybridSearch('zyzzogeton', { kind: 'all' }, { rankKeywords, searchVectors: search(0.4), db })).map((r) => r.id)).toEqual(['highlight:aaaaaaaa']);
    expect((await hybridSearch('zyzzogeton', { kind: 'all' }, { rankKeywords, searchVectors: search(), db })).map((r) => r.id)).toEqual(['highlight:aaaaaaaa']);
  });
});
