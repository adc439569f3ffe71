import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DEFAULT_FUSION, blendQuery, feedbackFor, fuse, hybridSearch, keywordList, keywordShare, sourceRanking, type KeywordList, type RankedItem } from './hybrid';
import { Bm25Index, RANKING_INDEX_OPTIONS } from './bm25-index';
import { NOISE_PROBES, noiseFloor } from './noise-floor';
import { VectorIndex } from './vector-index';
import { Embedder } from '../ai/embedder';
import { chunkHighlight } from '../ai/chunker';

const list = (...ids: string[]): RankedItem[] => ids.map((id, i) => ({ id, score: 10 - i }));

const kwl = (items: RankedItem[], maxScore: number, plain?: RankedItem[]): KeywordList => ({ items, coverage: 1, maxScore, ...(plain ? { plain } : {}) });
/** A vector list whose cosine drops by `drop` from the first to the tenth item. */
const vecList = (ids: string[], top: number, drop: number): RankedItem[] => ids.map((id, i) => ({ id, score: top - (drop * Math.min(i, 9)) / 9 }));

describe('fuse (keyword share of the query + cosine, trusted by the vector list\'s gap)', () => {
  it('adds the keyword score scaled by the query maximum and the cosine, by their weights', () => {
    const r = fuse(kwl(list('a', 'b'), 20), [{ id: 'b', score: 0.8 }, { id: 'c', score: 0.6 }], { keywordWeight: 0.5, gapSlope: 0 });
    // a: keyword 10/20, no cosine listed → the last listed cosine (0.6) is the most it could have.
    expect(r.map((x) => [x.id, Number(x.score.toFixed(4))])).toEqual([
      ['b', 0.5 * (9 / 20) + 0.5 * 0.8],
      ['a', 0.5 * (10 / 20) + 0.5 * 0.6],
      ['c', 0.5 * 0 + 0.5 * 0.6],
    ]);
    expect(r[0]).toMatchObject({ keyword: { rank: 2, score: 9 }, vector: { rank: 1, score: 0.8 } });
  });

  it('trusts a peaked vector list more than a flat one', () => {
    const ids = ['v', ...Array.from({ length: 11 }, (_, i) => `x${i}`)];
    expect(keywordShare(vecList(ids, 0.8, 0.1))).toBeCloseTo(0.5);
    expect(keywordShare(vecList(ids, 0.8, 0.02))).toBeCloseTo(0.74);
    expect(keywordShare(vecList(ids, 0.8, 0.3))).toBeCloseTo(0.1);
    expect(keywordShare([])).toBe(1);
    // A keyword match holding half the query against the vectors' favourite: a flat list (all
    // cosines within 0.02) leaves the keyword hit first, a peaked one (0.35 drop) puts "v" first.
    const keyword = kwl([{ id: 'k', score: 5 }], 10);
    expect(fuse(keyword, vecList(ids, 0.78, 0.02))[0]!.id).toBe('k');
    expect(fuse(keyword, vecList(ids, 0.78, 0.35))[0]!.id).toBe('v');
  });

  it('orders the first page by fused score and the rest by rank fusion of every list', () => {
    const items = list('a', 'b', 'c', 'd');
    const plain = list('d', 'a', 'b', 'c');
    const r = fuse(kwl(items, 10, plain), [{ id: 'd', score: 0.5 }, { id: 'z', score: 0.49 }], { head: 1, gapSlope: 0 });
    expect(r[0]!.id).toBe('a');
    // d is first in two of the three lists: first of the tail.
    expect(r[1]!.id).toBe('d');
    for (let i = 1; i < r.length; i++) expect(r[i]!.score).toBeLessThanOrEqual(r[i - 1]!.score);
  });

  it('lists vector-only results under the floor only when the query matched some word', () => {
    const vector = [{ id: 'noise', score: 0.2 }, { id: 'near', score: 0.45 }];
    expect(fuse(kwl([], 0), vector, { minVectorOnlyScore: 0.3 }).map((x) => x.id)).toEqual(['near']);
    expect(fuse(kwl([], 0), vector, { minVectorOnlyScore: 0.5 })).toEqual([]);
    expect(fuse(kwl(list('k'), 10), vector, { minVectorOnlyScore: 0.5 }).map((x) => x.id).sort()).toEqual(['k', 'near', 'noise']);
  });

  it('works with either list empty, and respects depth', () => {
    expect(fuse(kwl([], 0), [{ id: 'p', score: 0.9 }, { id: 'q', score: 0.8 }]).map((x) => x.id)).toEqual(['p', 'q']);
    expect(fuse(kwl(list('p', 'q', 'r'), 0), []).map((x) => x.id)).toEqual(['p', 'q', 'r']);
    expect(fuse(kwl(list('p', 'q', 'r'), 10), [], { depth: 2 }).map((x) => x.id)).toEqual(['p', 'q']);
  });
});

describe('keyword coverage', () => {
  it('is the share of distinct query terms the best ranking-index hit contains', () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    index.add('page:a', { text: 'heating of a wing' });
    expect(keywordList(index.search('heated wings in laminar flow', 10)).coverage).toBeCloseTo(2 / 4);
    expect(keywordList(index.search('the of', 10))).toMatchObject({ items: [], coverage: 0 });
  });

  it('seeds the vector query from the best keyword results, less as coverage falls', () => {
    const items = list('a', 'b', 'c', 'd');
    const full = feedbackFor({ items, coverage: 1, maxScore: 10 }, { feedbackSources: 2, feedbackWeight: 0.8 });
    expect(full).toEqual({ seeds: ['a', 'b'], weight: 0.8 });
    expect(feedbackFor({ items, coverage: 0.25, maxScore: 10 }, { feedbackSources: 2, feedbackWeight: 0.8 }).weight).toBeCloseTo(0.2);
    expect(feedbackFor({ items: [], coverage: 0, maxScore: 0 })).toEqual({ seeds: [], weight: 0 });
  });
});

describe('sourceRanking and blendQuery', () => {
  it('keeps the best chunk per source, with keyword-compatible ids', () => {
    const hit = (id: string, sourceId: string, score: number) => ({ id, score, meta: { id, sourceKind: 'page', sourceId } });
    expect(sourceRanking([hit('1', 'u1', 0.9), hit('2', 'u2', 0.8), hit('3', 'u1', 0.7)])).toEqual([
      { id: 'page:u1', score: 0.9 },
      { id: 'page:u2', score: 0.8 },
    ]);
  });

  it('blends toward the centroid and stays a unit vector', () => {
    const v = blendQuery([1, 0], [0, 1], 0.5);
    expect(v[0]).toBeCloseTo(Math.SQRT1_2);
    expect(v[1]).toBeCloseTo(Math.SQRT1_2);
    expect([...blendQuery([1, 0], null, 0.5)]).toEqual([1, 0]);
  });
});

// Highlights a user saved; each query paraphrases one and shares no content word with it.
const HIGHLIGHTS = [
  { id: 'h-bread-01', text: 'Let the dough rise overnight in a cool place before shaping the loaf.' },
  { id: 'h-sleep-02', text: 'Keeping the bedroom dark and cool helps you fall asleep faster.' },
  { id: 'h-money-03', text: 'Index funds charge lower fees than actively managed portfolios.' },
  { id: 'h-runner-04', text: 'Increase weekly mileage by no more than ten percent to avoid injury.' },
  { id: 'h-garden-05', text: 'Tomatoes need at least six hours of direct sunlight every day.' },
  { id: 'h-code-06', text: 'Write the failing test first, then the simplest code that passes it.' },
  { id: 'h-space-07', text: 'The probe used a gravity assist from Jupiter to reach Saturn.' },
  { id: 'h-coffee-08', text: 'Grind the beans just before brewing for the best flavour.' },
];
const PARAPHRASES: [string, string][] = [
  ['leaving bread to ferment slowly before baking', 'h-bread-01'],
  ['tips for better rest at night', 'h-sleep-02'],
  ['cheap passive investing costs', 'h-money-03'],
  ['how fast to build distance when jogging', 'h-runner-04'],
  ['a planet slingshot manoeuvre for spacecraft', 'h-space-07'],
];

describe('hybridSearch with the bundled model', () => {
  let embedder: Embedder;
  let index: VectorIndex;
  let keywordIndex: Bm25Index;
  beforeAll(async () => {
    embedder = await Embedder.load({ localModelPath: resolve(import.meta.dirname, '../../wasm/models') });
    index = new VectorIndex({ dims: embedder.dims, model: embedder.modelId });
    const chunks = HIGHLIGHTS.flatMap((h) => chunkHighlight(h));
    const vectors = await embedder.embed(chunks.map((c) => c.text));
    chunks.forEach((c, i) => index.upsert({ id: c.id, sourceKind: c.sourceKind, sourceId: c.sourceId }, vectors[i]!));
    keywordIndex = new Bm25Index(RANKING_INDEX_OPTIONS);
    for (const h of HIGHLIGHTS) keywordIndex.add(`highlight:${h.id}`, { text: h.text });
  }, 60_000);
  afterAll(async () => {
    await embedder?.dispose();
  });

  for (const [query, expected] of PARAPHRASES) {
    it(`finds "${expected}" first for a paraphrase sharing no words: "${query}"`, async () => {
      const keyword = keywordList(keywordIndex.search(query, 100));
      expect(keyword.items.map((r) => r.id)).not.toContain(`highlight:${expected}`);
      const results = hybridSearch({ keyword, queryVector: await embedder.embedQuery(query), index, limit: 5 });
      expect(results[0]!.id).toBe(`highlight:${expected}`);
    });
  }

  it('still ranks an exact keyword match first, and works without a vector side', async () => {
    const query = 'gravity assist Jupiter';
    const keyword = keywordList(keywordIndex.search(query, 100));
    expect(hybridSearch({ keyword, queryVector: await embedder.embedQuery(query), index, limit: 3 })[0]!.id).toBe('highlight:h-space-07');
    expect(hybridSearch({ keyword, queryVector: null, index: null, limit: 3 })[0]!.id).toBe('highlight:h-space-07');
  });

  it('lists nothing for made-up words, and still finds paraphrases, with the calibrated floor', async () => {
    const floor = noiseFloor(index, await embedder.embed([...NOISE_PROBES], 'query'));
    expect(floor).toBeGreaterThan(0.2);
    expect(floor).toBeLessThan(0.6);
    const empty = { items: [], coverage: 0, maxScore: 0 };
    for (const nonsense of ['xyzzyplugh', 'florbing the wizzlecrat', 'qqzx vbnm']) {
      expect(keywordIndex.search(nonsense, 10).hits).toEqual([]);
      const results = hybridSearch({ keyword: empty, queryVector: await embedder.embedQuery(nonsense), index, limit: 5, options: { fusion: { ...DEFAULT_FUSION, minVectorOnlyScore: floor } } });
      expect(results, nonsense).toEqual([]);
    }
    for (const [query, expected] of PARAPHRASES) {
      const keyword = keywordList(keywordIndex.search(query, 100));
      const results = hybridSearch({ keyword, queryVector: await embedder.embedQuery(query), index, limit: 5, options: { fusion: { ...DEFAULT_FUSION, minVectorOnlyScore: floor } } });
      expect(results[0]?.id, query).toBe(`highlight:${expected}`);
    }
  });

  it('applies a filter on the vector side', async () => {
    const results = hybridSearch({ keyword: { items: [], coverage: 0, maxScore: 0 }, queryVector: await embedder.embedQuery('tips for better rest at night'), index, limit: 3, filter: (m) => m.sourceId !== 'h-sleep-02' });
    expect(results.map((r) => r.id)).not.toContain('highlight:h-sleep-02');
  });
});
