import type { VectorFilter, VectorHit, VectorIndex, VectorMeta } from './vector-index';
import type { Bm25Result } from './bm25-index';

/**
 * Hybrid ranking: a keyword list (BM25F over stemmed terms, extension/search/bm25-index.ts) and a
 * vector list (cosine over chunk embeddings, best chunk per source) fused into one. The bench
 * (`npm run bench`) and the extension run these same functions.
 *
 * What was measured, and why the design is what it is (bench/README.md has the numbers):
 *  - Plain reciprocal rank fusion lost to BM25 alone on Cranfield, and a keyword-heavy weighted RRF
 *    tuned there lost to vectors alone on paraphrase-style collections: rank fusion throws away how sure
 *    each side is, and the two sides are sure of different things per query.
 *  - So scores are fused, on scales that mean the same thing in any collection: the keyword side as
 *    BM25 / the query's maximum BM25 (an idf-weighted share of the query a document contains, 0–1),
 *    the vector side as the cosine itself. The keyword share of the sum follows how much of the query
 *    the best keyword result holds: a query phrased like the text (Cranfield's) leaves BM25 in the
 *    lead, a paraphrase or a question whose best keyword hit holds a word or two hands it to the
 *    vectors. Fitted with `npm run bench -- tune` for the worst margin over the best part across three
 *    collections of opposite kinds, and checked on held-out queries (bench/README.md).
 *  - The vector query is seeded with the best keyword results (pseudo-relevance feedback in embedding
 *    space: "more like what BM25 is surest about"), scaled by how much of the query the best keyword
 *    result covers. It lifted the vector side on every collection measured (Cranfield ×1.7), and it
 *    is what lets the fused list beat BM25 on text the encoder knows little about.
 * Ids are source ids (`page:<url>`, `highlight:<id>`): the keyword index's document ids, and what
 * `sourceRanking` makes of vector chunk hits, so the two lists join on them.
 */

export interface RankedItem {
  id: string;
  score: number;
}

export interface FusionOptions {
  /** Share of the keyword score in the fused score when the best keyword result holds half of the
   * query's maximum BM25; the cosine gets the rest. */
  keywordWeight: number;
  /**
   * How the keyword share follows the best keyword result's share of the query's maximum (`s`, 0–1):
   * keywordWeight + slope·(s − 0.5), kept within 0.1–0.9. A best hit that holds most of what the query
   * asks for is strong evidence (BM25 leads); one that holds a word or two of a question phrased unlike
   * the text is weak (the vectors lead).
   */
  keywordWeightSlope: number;
  /** Only the first `depth` items of each list take part. */
  depth: number;
  /**
   * A result only the vector side found must reach this cosine to be listed: unrelated text scores
   * ≈ 0.1–0.25 with the bundled encoder, so a query with no true match lists nothing rather than noise.
   */
  minVectorOnlyScore: number;
}

export const DEFAULT_FUSION: FusionOptions = { keywordWeight: 0.4, keywordWeightSlope: 0.5, depth: 1000, minVectorOnlyScore: 0.3 };

export interface FusedResult {
  id: string;
  score: number;
  /** 1-based rank and raw score in each list the item came from. */
  keyword?: { rank: number; score: number };
  vector?: { rank: number; score: number };
}

/**
 * Fuses a keyword list (scores scaled by `keywordMax`, the query's maximum BM25) with a vector list
 * (cosines). An item missing from a list gets that list's floor: 0 from a complete keyword list (BM25
 * of a document without any query term), and the last listed cosine from a vector list cut at
 * `depth` (the most it could have had) — so being missing is never worth more than being last.
 */
export function fuse(keyword: readonly RankedItem[], keywordMax: number, vector: readonly RankedItem[], options: Partial<FusionOptions> = {}): FusedResult[] {
  const o = { ...DEFAULT_FUSION, ...options };
  const kw = keyword.slice(0, o.depth);
  const vec = vector.slice(0, o.depth);
  const byId = new Map<string, FusedResult>();
  kw.forEach((item, i) => {
    if (!byId.has(item.id)) byId.set(item.id, { id: item.id, score: 0, keyword: { rank: i + 1, score: item.score } });
  });
  vec.forEach((item, i) => {
    const r = byId.get(item.id);
    if (r) r.vector ??= { rank: i + 1, score: item.score };
    else if (item.score >= o.minVectorOnlyScore) byId.set(item.id, { id: item.id, score: 0, vector: { rank: i + 1, score: item.score } });
  });
  const max = keywordMax > 0 ? keywordMax : (kw[0]?.score ?? 1) || 1;
  const keywordFloor = keyword.length > o.depth ? kw[kw.length - 1]!.score : 0;
  const vectorFloor = vec.length ? vec[vec.length - 1]!.score : 0;
  const best = kw.length ? Math.min(1, kw[0]!.score / max) : 0;
  const w = Math.min(0.9, Math.max(0.1, o.keywordWeight + o.keywordWeightSlope * (best - 0.5)));
  for (const r of byId.values()) {
    const k = Math.min(1, (r.keyword?.score ?? keywordFloor) / max);
    const v = r.vector?.score ?? vectorFloor;
    r.score = w * k + (1 - w) * v;
  }
  return [...byId.values()].sort((a, b) => b.score - a.score || (a.keyword?.rank ?? Infinity) - (b.keyword?.rank ?? Infinity) || (a.id < b.id ? -1 : 1));
}

/** Id of a whole source, the same as the keyword index's document id. */
export const sourceId = (sourceKind: string, id: string) => `${sourceKind}:${id}`;

/**
 * The best hit of each source, in rank order (hits come best first, so a source's first hit is its
 * best chunk). Keys are source ids; the extension's messages and the in-process index shape hits
 * differently, hence `sourceOf`.
 */
export function bestHitPerSource<H>(hits: readonly H[], sourceOf: (hit: H) => string): Map<string, H> {
  const best = new Map<string, H>();
  for (const h of hits) {
    const id = sourceOf(h);
    if (!best.has(id)) best.set(id, h);
  }
  return best;
}

/** Chunk hits → one item per source, scored by its best chunk, best first. */
export function sourceRanking<M extends VectorMeta>(hits: readonly VectorHit<M>[]): RankedItem[] {
  const best = bestHitPerSource(hits, (h) => sourceId(h.meta.sourceKind, h.meta.sourceId));
  return [...best].map(([id, h]) => ({ id, score: h.score }));
}

export interface HybridOptions {
  fusion: FusionOptions;
  /** How many of the best keyword results seed the vector query (0 = plain query vector). */
  feedbackSources: number;
  /** Share of the seed centroid in the vector query: (1 − w)·query + w·centroid, then normalised. */
  feedbackWeight: number;
}

/** Chosen with `npm run bench -- tune` (see the comment at the top of this file). */
export const DEFAULT_HYBRID: HybridOptions = { fusion: DEFAULT_FUSION, feedbackSources: 3, feedbackWeight: 0.85 };

/** (1 − w)·query + w·centroid, normalised (cosine ranking ignores length, but the int8 scale doesn't). */
export function blendQuery(query: ArrayLike<number>, centroid: ArrayLike<number> | null, weight: number): Float32Array {
  const out = Float32Array.from(query);
  if (!centroid || weight <= 0) return out;
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = (1 - weight) * out[i]! + weight * centroid[i]!;
    n += out[i]! * out[i]!;
  }
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < out.length; i++) out[i]! /= n;
  return out;
}

/** The keyword side of one query, as fusion needs it. */
export interface KeywordList {
  /** Best first, with source ids. */
  items: readonly RankedItem[];
  /** Share (0–1) of the query's distinct analysed terms that the best item contains. Low coverage
   * means the list rests on a word or two of a question phrased differently from the text. */
  coverage: number;
  /** The query's maximum BM25 (Bm25Result.maxScore): what keyword scores are scaled by. */
  maxScore: number;
}

/** The keyword list of a ranking-index result (extension/search/bm25-index.ts). */
export function keywordList(result: Bm25Result, toSourceId: (id: string) => string = (id) => id): KeywordList {
  const best = result.hits[0];
  return {
    items: result.hits.map((h) => ({ id: toSourceId(h.id), score: h.score })),
    coverage: best && result.terms.length ? best.matched / result.terms.length : 0,
    maxScore: result.maxScore,
  };
}

/** How the vector query is seeded from the keyword list: the best sources' centroid and its share. */
export interface Feedback {
  seeds: string[];
  weight: number;
}

/** The feedback for one query: fewer seeds' say as the keyword list's coverage falls. */
export function feedbackFor(keyword: KeywordList, options: Partial<HybridOptions> = {}): Feedback {
  const o = { ...DEFAULT_HYBRID, ...options };
  const coverage = clamp01(keyword.coverage);
  const seeds = keyword.items.slice(0, o.feedbackSources).map((r) => r.id);
  return { seeds, weight: seeds.length ? o.feedbackWeight * coverage : 0 };
}

/** The query vector with its feedback applied: what the vector index is asked with. */
export function seededQueryVector<M extends VectorMeta>(queryVector: ArrayLike<number>, feedback: Feedback, index: VectorIndex<M>): Float32Array {
  const centroid = feedback.weight > 0 && feedback.seeds.length ? index.sourcesCentroid(feedback.seeds) : null;
  return blendQuery(queryVector, centroid, feedback.weight);
}

/** The keyword and (seeded) vector lists of one query fused: the hybrid ranking. */
export function fuseHybrid(keyword: KeywordList, vector: readonly RankedItem[], options: Partial<HybridOptions> = {}): FusedResult[] {
  return fuse(keyword.items, keyword.maxScore, vector, { ...DEFAULT_HYBRID.fusion, ...options.fusion });
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));

export interface HybridQuery<M extends VectorMeta> {
  keyword: KeywordList;
  /** The query's embedding (Embedder.embedQuery), from the index's model. */
  queryVector: ArrayLike<number> | null;
  index: VectorIndex<M> | null;
  /** Sources wanted. */
  limit: number;
  /** Side-panel filters on the vector side (the keyword side filters in its own search). */
  filter?: VectorFilter<M>;
  options?: Partial<HybridOptions>;
}

/**
 * One hybrid query in one place (the bench, and anywhere both indexes live together; the extension runs
 * the same steps across the side panel and the offscreen document). The vector query is seeded with the
 * best keyword results (pseudo-relevance feedback in embedding space): the bundled encoder alone ranks
 * technical text poorly, but "more like the documents BM25 is surest about" finds their relevant
 * neighbours that share no query words. With no keyword hits (a paraphrase that shares no words) the
 * plain query vector is used, so meaning-only matches still surface. Either side may be missing (no
 * model yet, empty index): the other is returned.
 */
export function hybridSearch<M extends VectorMeta>(q: HybridQuery<M>): FusedResult[] {
  let vector: RankedItem[] = [];
  if (q.index && q.queryVector && q.index.size > 0) {
    const v = seededQueryVector(q.queryVector, feedbackFor(q.keyword, q.options), q.index);
    // Several chunks per source: ask for more chunks than sources wanted.
    vector = sourceRanking(q.index.topK(v, Math.max(q.limit, 1) * 3, q.filter));
  }
  return fuseHybrid(q.keyword, vector, q.options).slice(0, q.limit);
}
