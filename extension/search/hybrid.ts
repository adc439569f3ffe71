import type { VectorFilter, VectorHit, VectorIndex, VectorMeta } from './vector-index';
import type { Bm25Result } from './bm25-index';

/**
 * Hybrid ranking: a keyword list (BM25 over stemmed terms) and a vector list (cosine over chunk
 * embeddings, best chunk per source) fused into one.
 *
 * Plain reciprocal rank fusion (1/(60+rank) from each list, equal weights) lost to BM25 alone on
 * several classic collections: the bundled encoder is weaker than BM25, and RRF gives its mistakes the
 * same say as BM25's hits. So (numbers tuned on one half of Cranfield's queries and reported on the
 * other by `npm run bench -- tune`):
 *  - the vector query is seeded with the best keyword results (hybridSearch: pseudo-relevance
 *    feedback in embedding space), which roughly doubled the vector side's nDCG@10 on Cranfield;
 *  - each list contributes w / (k + rank), the keyword list weighted above the vector list;
 *  - plus a small normalised-score term (scoreWeight, min–max over each list), so a document far
 *    behind the leader in BM25 or cosine gains less than its rank alone would give it;
 *  - when the best keyword result matches only a small share of the query's terms (a question phrased
 *    unlike the text), the vector list gets more say and the feedback less (keywordCoverage).
 * Ids are source ids (`page:<url>`, `highlight:<id>`): the keyword index's document ids, and what
 * `sourceRanking` makes of vector chunk hits, so the two lists join on them.
 */

export interface RankedItem {
  id: string;
  score: number;
}

export interface FusionOptions {
  /** RRF rank constant: larger flattens the difference between ranks. */
  k: number;
  keywordWeight: number;
  vectorWeight: number;
  /** Weight of the normalised-score term (0 = pure weighted RRF). */
  scoreWeight: number;
  /** Only the first `depth` items of each list take part (deeper ranks are noise for both). */
  depth: number;
  /** How scores are scaled to [0, 1] for the score term: by the list's top score, or min–max over the
   * first `depth` items (cosines never reach 0, so dividing by the top alone leaves noise near 1). */
  normalize: 'max' | 'minmax';
}

/**
 * Chosen by `npm run bench -- tune` on the even-numbered half of Cranfield's queries (see DEFAULT_HYBRID
 * for the feedback part); the odd half was only evaluated afterwards. The keyword list weighs ~3× the
 * vector list, and k = 20 keeps the top of each list decisive.
 */
export const DEFAULT_FUSION: FusionOptions = { k: 20, keywordWeight: 1, vectorWeight: 0.3, scoreWeight: 0.02, depth: 1000, normalize: 'minmax' };

export interface FusedResult {
  id: string;
  score: number;
  /** 1-based rank and raw score in each list the item came from. */
  keyword?: { rank: number; score: number };
  vector?: { rank: number; score: number };
}

export function fuse(keyword: readonly RankedItem[], vector: readonly RankedItem[], options: Partial<FusionOptions> = {}): FusedResult[] {
  const o = { ...DEFAULT_FUSION, ...options };
  const byId = new Map<string, FusedResult>();
  const add = (list: readonly RankedItem[], side: 'keyword' | 'vector', weight: number) => {
    if (weight === 0 || list.length === 0) return;
    const n = Math.min(o.depth, list.length);
    const top = list[0]!.score;
    const floor = o.normalize === 'minmax' ? Math.min(...list.slice(0, n).map((x) => x.score)) : 0;
    const span = top - floor;
    for (let i = 0; i < n; i++) {
      const item = list[i]!;
      let r = byId.get(item.id);
      if (!r) byId.set(item.id, (r = { id: item.id, score: 0 }));
      if (r[side]) continue; // a list should not repeat ids; keep the first (best)
      r[side] = { rank: i + 1, score: item.score };
      const norm = span > 0 ? Math.max(0, item.score - floor) / span : 0;
      r.score += weight * (1 / (o.k + i + 1) + o.scoreWeight * norm);
    }
  };
  add(keyword, 'keyword', o.keywordWeight);
  add(vector, 'vector', o.vectorWeight);
  return [...byId.values()].sort((a, b) => b.score - a.score || (a.keyword?.rank ?? Infinity) - (b.keyword?.rank ?? Infinity) || (a.id < b.id ? -1 : 1));
}

/** Id of a whole source, the same as the keyword index's document id. */
export const sourceId = (sourceKind: string, id: string) => `${sourceKind}:${id}`;

/** Chunk hits → one item per source, scored by its best chunk, best first. */
export function sourceRanking<M extends VectorMeta>(hits: readonly VectorHit<M>[]): RankedItem[] {
  const seen = new Set<string>();
  const out: RankedItem[] = [];
  for (const h of hits) {
    const id = sourceId(h.meta.sourceKind, h.meta.sourceId);
    if (seen.has(id)) continue; // hits come best first, so the first chunk of a source is its best
    seen.add(id);
    out.push({ id, score: h.score });
  }
  return out;
}

export interface HybridOptions {
  fusion: FusionOptions;
  /** How many of the best keyword results seed the vector query (0 = plain query vector). */
  feedbackSources: number;
  /** Share of the seed centroid in the vector query: (1 − w)·query + w·centroid, then normalised. */
  feedbackWeight: number;
}

export const DEFAULT_HYBRID: HybridOptions = { fusion: DEFAULT_FUSION, feedbackSources: 5, feedbackWeight: 0.5 };

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
}

/** The keyword list of a ranking-index result (extension/search/bm25-index.ts). */
export function keywordList(result: Bm25Result, toSourceId: (id: string) => string = (id) => id): KeywordList {
  const best = result.hits[0];
  return {
    items: result.hits.map((h) => ({ id: toSourceId(h.id), score: h.score })),
    coverage: best && result.terms.length ? best.matched / result.terms.length : 0,
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
  const fusion = { ...DEFAULT_HYBRID.fusion, ...options.fusion };
  const coverage = clamp01(keyword.coverage);
  // Full coverage keeps the tuned weights; as coverage falls below the vector weight, the vector list
  // overtakes (vectorWeight / coverage), reaching equal say when coverage == vectorWeight.
  return fuse(keyword.items, vector, { ...fusion, vectorWeight: fusion.vectorWeight / Math.max(coverage, 0.05) });
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
