import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DEFAULT_FUSION, blendQuery, fuse, hybridSearch, keywordList, sourceRanking, type RankedItem } from './hybrid';
import { Bm25Index, RANKING_INDEX_OPTIONS } from './bm25-index';
import { VectorIndex } from './vector-index';
import { Embedder } from '../ai/embedder';
import { chunkHighlight } from '../ai/chunker';

const list = (...ids: string[]): RankedItem[] => ids.map((id, i) => ({ id, score: 10 - i }));

describe('fuse (weighted reciprocal rank fusion)', () => {
  it('equal weights, k=60, no score term: plain RRF', () => {
    const r = fuse(list('a', 'b', 'c'), list('c', 'd'), { k: 60, keywordWeight: 1, vectorWeight: 1, scoreWeight: 0 });
    expect(r.map((x) => x.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(r[0]!.score).toBeCloseTo(1 / 63 + 1 / 61);
    expect(r[0]).toMatchObject({ keyword: { rank: 3, score: 8 }, vector: { rank: 1, score: 10 } });
  });

  it('by default the keyword list outweighs the vector list', () => {
    expect(DEFAULT_FUSION.keywordWeight).toBeGreaterThan(DEFAULT_FUSION.vectorWeight);
    const r = fuse(list('a', 'b', 'c', 'd'), list('b', 'x', 'y', 'z')).map((x) => x.id);
    // b is in both lists and wins; a (keyword #1 only) and even d (keyword #4) beat x (vector #2 only).
    expect(r[0]).toBe('b');
    expect(r.indexOf('a')).toBe(1);
    expect(r.indexOf('d')).toBeLessThan(r.indexOf('x'));
  });

  it('returns the other list unchanged when one is empty, and respects depth', () => {
    expect(fuse([], list('p', 'q', 'r')).map((x) => x.id)).toEqual(['p', 'q', 'r']);
    expect(fuse(list('p', 'q', 'r'), []).map((x) => x.id)).toEqual(['p', 'q', 'r']);
    expect(fuse(list('p', 'q', 'r'), [], { depth: 2 }).map((x) => x.id)).toEqual(['p', 'q']);
  });

  it('the score term separates items of equal rank by how close they are to the leader', () => {
    const kw = [{ id: 'a', score: 10 }, { id: 'b', score: 9.9 }, { id: 'c', score: 1 }];
    const vec = [{ id: 'c', score: 0.9 }, { id: 'b', score: 0.2 }, { id: 'a', score: 0.1 }];
    const plain = fuse(kw, vec, { k: 60, keywordWeight: 1, vectorWeight: 1, scoreWeight: 0 });
    const scored = fuse(kw, vec, { k: 60, keywordWeight: 1, vectorWeight: 1, scoreWeight: 1 });
    // Rank-only, a and c tie (1st + 3rd); with scores, c's weak BM25 counts against it.
    expect(plain[0]!.score).toBeCloseTo(plain[1]!.score);
    expect(scored.map((x) => x.id)).toEqual(['b', 'a', 'c']);
  });
});

describe('keyword coverage', () => {
  it('is the share of distinct query terms the best ranking-index hit contains', () => {
    const index = new Bm25Index(RANKING_INDEX_OPTIONS);
    index.add('page:a', { text: 'heating of a wing' });
    expect(keywordList(index.search('heated wings in laminar flow', 10)).coverage).toBeCloseTo(2 / 4);
    expect(keywordList(index.search('the of', 10))).toEqual({ items: [], coverage: 0 });
  });

  it('low coverage gives the vector list more say', () => {
    const index = new VectorIndex({ dims: 2, model: 'm', kernel: 'js' });
    index.upsert({ id: 'v1', sourceKind: 'page', sourceId: 'v' }, [1, 0]);
    index.upsert({ id: 'k1', sourceKind: 'page', sourceId: 'k' }, [0, 1]);
    const items = [{ id: 'page:k', score: 3 }];
    const opts = { options: { feedbackSources: 0 }, filter: (m: { sourceId: string }) => m.sourceId === 'v' };
    expect(hybridSearch({ keyword: { items, coverage: 1 }, queryVector: [1, 0], index, limit: 2, ...opts })[0]!.id).toBe('page:k');
    expect(hybridSearch({ keyword: { items, coverage: 0.1 }, queryVector: [1, 0], index, limit: 2, ...opts })[0]!.id).toBe('page:v');
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

  it('applies a filter on the vector side', async () => {
    const results = hybridSearch({ keyword: { items: [], coverage: 0 }, queryVector: await embedder.embedQuery('tips for better rest at night'), index, limit: 3, filter: (m) => m.sourceId !== 'h-sleep-02' });
    expect(results.map((r) => r.id)).not.toContain('highlight:h-sleep-02');
  });
});
