import { sourceId } from './source-id';
import type { VectorFilter, VectorHit, VectorIndex, VectorMeta } from './vector-index';
import type { Bm25Result } from './bm25-index';

/**
 * Hybrid ranking: a keyword list (BM25F over stemmed terms with pseudo-relevance feedback,
 * extension/search/bm25-index.ts) and a vector list (cosine over chunk embeddings, best chunk per
 * source) fused into one. The bench (`npm run bench`) and the extension run these same functions.
 *
 * Designed to hold on collections it never saw (bench/README.md has the numbers on Cranfield, MED,
 * CACM and the hand-made sets, fitted on half of them and checked on the rest):
 *  - How much to trust the vector list is decided per query from what the vector list itself shows:
 *    the drop in cosine from its best source to its tenth. A list whose best hits stand clear of the
 *    rest found something; a flat one (dense technical text the bundled encoder knows little about:
 *    Cranfield, MED, CACM, where it ranks far below BM25) says little, and the keyword side leads.
 *    One weight with one slope; no per-collection constant.
 *  - Scores are fused on scales that mean the same thing anywhere: the keyword side as BM25 / the
 *    query's maximum BM25 (an idf-weighted share of the query a document holds, 0–1), the vector side
 *    as the cosine itself — min-max scaling would make a flat list look as sure as a peaked one.
 *  - The keyword list carries pseudo-relevance feedback (the words the first pass's best documents
 *    share): it lifted recall@100 on every collection measured and nDCG@10 on most.
 *  - Only the first page (`head`) is ordered by that score fusion; the rest of the list is ordered by
 *    reciprocal rank fusion of the keyword list, its feedback list and the vector list, which keeps
 *    every list's deep hits — recall@100 stays at or above the keyword list's on every set measured.
 *  - The embedding-space feedback of earlier versions (the vector query seeded with the best keyword
 *    results) is still available (`feedbackSources`) but off: with the gap-trusted fusion it lost to the
 *    plain query vector on every collection.
 * Ids are source ids (`page:<url>`, `highlight:<id>`, built by `sourceId`): the keyword index's
 * document ids, and what `sourceRanking` makes of vector chunk hits, so the two lists join on them.
 */

export interface RankedItem {
  id: string;
  score: number;
}

export interface FusionOptions {
  /** Share of the keyword score in the fused score when the vector list's cosine drops by 0.1 from
   * its best source to its tenth; the cosine gets the rest. */
  keywordWeight: number;
  /** How the keyword share falls as that drop grows: keywordWeight − gapSlope·(drop − 0.1), kept
   * within 0.1–0.9. */
  gapSlope: number;
  /** Results ordered by score fusion; those after them by rank fusion of all lists. */
  head: number;
  /** Only the first `depth` items of each list take part. */
  depth: number;
  /**
   * When no word of the query is in the keyword index, a result must reach this cosine to be listed,
   * so a query that matches no word and no meaning lists nothing rather than the nearest noise. The
   * cosine unrelated text reaches depends on the encoder and on the collection (made-up words score
   * 0.3 against highlights and 0.55 against medical abstracts with the bundled encoder), so callers
   * pass the index's calibrated floor (VectorIndex.noiseFloor); this default is the least of them.
   * A query that matched words keeps every vector result: the gap-trusted fusion and the rank-fused
   * tail already keep weak ones low, and dropping them cost recall.
   */
  minVectorOnlyScore: number;
}

export const DEFAULT_FUSION: FusionOptions = { keywordWeight: 0.5, gapSlope: 3, head: 10, depth: 1000, minVectorOnlyScore: 0.3 };

/**
 * How deep a keyword list fusion asks for (documents; the side panel's PANEL_DEPTH.keyword asks the
 * same). Measured with every depth from 100 to 1000 on Cranfield, MED, CACM and the hand-made sets
 * (bench/README.md): hybrid nDCG@10 is the same from 150 down, and recall@100 at 500 is at or above
 * the 1000-deep list's on every collection (shallower lost a little on CACM) — while a 1000-deep list
 * cost the keyword walk most of its pruning.
 */
export const KEYWORD_DEPTH = 500;

/** Reciprocal rank fusion's usual constant (Cormack et al.): not fitted here. */
const RRF_K = 60;

export interface FusedResult {
  id: string;
  score: number;
  /** 1-based rank and raw score in each list the item came from. */
  keyword?: { rank: number; score: number };
  vector?: { rank: number; score: number };
}

/** The keyword share of the fused score for a vector list (best first). */
export function keywordShare(vector: readonly RankedItem[], options: Partial<FusionOptions> = {}): number {
  const o = { ...DEFAULT_FUSION, ...options };
  if (vector.length === 0) return 1;
  const drop = vector[0]!.score - vector[Math.min(9, vector.length - 1)]!.score;
  return Math.min(0.9, Math.max(0.1, o.keywordWeight - o.gapSlope * (drop - 0.1)));
}

/**
 * Fuses a keyword list (scores scaled by its `maxScore`) with a vector list (cosines). An item missing
 * from the vector list gets its last listed cosine (the most it could have had), one missing from the
 * keyword list 0 (BM25 of a document without any query term) — so being missing is never worth more
 * than being last. The first `head` results come by that score; the rest by rank fusion.
 */
export function fuse(keyword: KeywordList, vector: readonly RankedItem[], options: Partial<FusionOptions> = {}): FusedResult[] {
  const o = { ...DEFAULT_FUSION, ...options };
  const kw = keyword.items.slice(0, o.depth);
  const plain = (keyword.plain ?? []).slice(0, o.depth);
  const vec = vector.slice(0, o.depth);
  // One entry per id holding its result and its rank-fusion score: one map, and sorts that compare
  // fields instead of looking ids up (fusion was ~1 ms of a 100k-chunk hybrid query).
  const byId = new Map<string, { r: FusedResult; rrf: number }>();
  kw.forEach((item, i) => {
    if (!byId.has(item.id)) byId.set(item.id, { r: { id: item.id, score: 0, keyword: { rank: i + 1, score: item.score } }, rrf: 0 });
  });
  for (const item of plain) if (!byId.has(item.id)) byId.set(item.id, { r: { id: item.id, score: 0, keyword: { rank: kw.length + 1, score: 0 } }, rrf: 0 });
  vec.forEach((item, i) => {
    const e = byId.get(item.id);
    if (e) e.r.vector ??= { rank: i + 1, score: item.score };
    else if (kw.length > 0 || item.score >= o.minVectorOnlyScore) byId.set(item.id, { r: { id: item.id, score: 0, vector: { rank: i + 1, score: item.score } }, rrf: 0 });
  });
  const max = keyword.maxScore > 0 ? keyword.maxScore : (kw[0]?.score ?? 1) || 1;
  const keywordFloor = keyword.items.length > o.depth ? kw[kw.length - 1]!.score : 0;
  const vectorFloor = vec.length ? vec[vec.length - 1]!.score : 0;
  const w = keywordShare(vec, o);
  // Summed list by list in the same order as before, so the scores are bit for bit the same.
  for (const list of [kw, plain, vec])
    list.forEach((item, i) => {
      const e = byId.get(item.id);
      if (e) e.rrf += 1 / (RRF_K + i + 1);
    });
  const entries = [...byId.values()];
  for (const { r } of entries) {
    const k = Math.min(1, (r.keyword?.score ?? keywordFloor) / max);
    const v = r.vector?.score ?? vectorFloor;
    r.score = w * k + (1 - w) * v;
  }
  type Entry = (typeof entries)[number];
  const tie = (a: Entry, b: Entry) => (a.r.keyword?.rank ?? Infinity) - (b.r.keyword?.rank ?? Infinity) || (a.r.id < b.r.id ? -1 : 1);
  entries.sort((a, b) => b.r.score - a.r.score || tie(a, b));
  const head = entries.slice(0, o.head).map((e) => e.r);
  const tail = entries.slice(o.head).sort((a, b) => b.rrf - a.rrf || tie(a, b));
  // The tail's scores are rank-fusion scores on another scale: keep the list's scores descending.
  const floor = head.length ? head[head.length - 1]!.score : 0;
  const out = head;
  tail.forEach(({ r }, i) => {
    r.score = Math.min(floor, r.score) * (1 - (i + 1) / (tail.length + 1));
    out.push(r);
  });
  return out;
}

/** Id of a whole source, the same as the keyword index's document id (built in search/source-id.ts). */
export { sourceId };

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
  /** Pseudo-relevance feedback on the keyword side (Bm25Index.searchWithFeedback). */
  keywordFeedback: KeywordFeedback;
}

export interface KeywordFeedback {
  /** The first pass's best documents the feedback words come from. */
  docs: number;
  /** Feedback words added. */
  terms: number;
  /** The best feedback word's weight relative to a query word's. */
  weight: number;
}

/** Textbook RM3-style settings (10 documents, 10 words, half a query word's weight); they were also
 * the best of a coarse grid on Cranfield, MED and CACM (bench/README.md). */
export const KEYWORD_FEEDBACK: KeywordFeedback = { docs: 10, terms: 10, weight: 0.5 };

/** Chosen with `npm run bench -- tune` (see the comment at the top of this file). */
export const DEFAULT_HYBRID: HybridOptions = { fusion: DEFAULT_FUSION, feedbackSources: 0, feedbackWeight: 0.85, keywordFeedback: KEYWORD_FEEDBACK };

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
  /** The list before pseudo-relevance feedback, when `items` has it (rank fusion of the tail reads both). */
  plain?: readonly RankedItem[];
}

/** The keyword list of a ranking-index result (extension/search/bm25-index.ts). */
export function keywordList(result: Bm25Result, toSourceId: (id: string) => string = (id) => id): KeywordList {
  const best = result.firstPass?.[0] ?? result.hits[0];
  const item = (h: { id: string; score: number }) => ({ id: toSourceId(h.id), score: h.score });
  return {
    items: result.hits.map(item),
    coverage: best && result.terms.length ? best.matched / result.terms.length : 0,
    maxScore: result.maxScore,
    ...(result.firstPass ? { plain: result.firstPass.map(item) } : {}),
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
  return fuse(keyword, vector, { ...DEFAULT_HYBRID.fusion, ...options.fusion });
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
