/**
 * The product's rankers built over a test collection: the same analyser, chunker, embedder, vector
 * index and fusion the extension uses, with documents standing in for pages.
 */
import { Bm25Index, RANKING_INDEX_OPTIONS } from '../extension/search/bm25-index';
import { chunkPage } from '../extension/ai/chunker';
import { Embedder } from '../extension/ai/embedder';
import { VectorIndex } from '../extension/search/vector-index';
import { hybridSearch, KEYWORD_DEPTH, keywordList, KEYWORD_FEEDBACK, sourceRanking, type HybridOptions, type KeywordList, type RankedItem } from '../extension/search/hybrid';
import { EmbeddingCache } from './embed-cache';
import type { Collection } from './collection';

/**
 * The keyword list hybrid ranking uses: BM25F over title and text (title ×2) with the stemming
 * analyser, any term matching, with pseudo-relevance feedback — the product's ranking index
 * (extension/search/bm25-index.ts). Its `plain` list (no feedback) is the "keyword" ranker reported.
 */
export function buildKeywordRanker(collection: Collection) {
  const index = new Bm25Index(RANKING_INDEX_OPTIONS);
  for (const d of collection.docs) index.add(`doc:${d.id}`, { title: d.title, text: d.text });
  return (query: string, limit = 1000): KeywordList => keywordList(index.searchWithFeedback(query, limit, KEYWORD_FEEDBACK));
}

/** Plain reciprocal rank fusion (k = 60) of two lists: the baseline the hybrid must beat. */
export function rrf(a: readonly RankedItem[], b: readonly RankedItem[], k = 60): RankedItem[] {
  const s = new Map<string, number>();
  for (const list of [a, b]) list.forEach((item, i) => s.set(item.id, (s.get(item.id) ?? 0) + 1 / (k + i + 1)));
  return [...s].map(([id, score]) => ({ id, score })).sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1));
}

export async function buildVectorRanker(collection: Collection, modelsDir: string, log: (s: string) => void = () => {}) {
  const embedder = await Embedder.load({ localModelPath: modelsDir });
  const cache = new EmbeddingCache(embedder);
  const chunks = collection.docs.flatMap((d) => chunkPage({ url: d.id, title: d.title, text: d.text }));
  const t0 = performance.now();
  const vectors = await cache.embed(chunks.map((c) => c.text), 'passage', (done, total) => log(`embedding ${done}/${total} new chunks`));
  log(`${chunks.length} chunks of ${collection.docs.length} docs embedded (or read from cache) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const index = new VectorIndex({ dims: embedder.dims, model: embedder.modelId });
  chunks.forEach((c, i) => index.upsert({ id: c.id, sourceKind: 'doc', sourceId: c.sourceId }, vectors[i]!));
  return { embedder, index, cache };
}

export interface Rankings {
  /** Plain BM25 (stemmed, no feedback). */
  keyword: Map<string, RankedItem[]>;
  /** BM25 with pseudo-relevance feedback (the keyword list the hybrid fuses). */
  keywordFeedback: Map<string, RankedItem[]>;
  /** Plain RRF of `keyword` and `vector`. */
  rrf: Map<string, RankedItem[]>;
  vector: Map<string, RankedItem[]>;
  queryVectors: Map<string, Float32Array>;
  index: VectorIndex;
  /** Each query's keyword list as fusion takes it (with coverage and the query's maximum BM25). */
  keywordLists: Map<string, KeywordList>;
}

export const RUN_DEPTH = 1000;

export async function computeRankings(collection: Collection, modelsDir: string, log?: (s: string) => void, keywordDepth = KEYWORD_DEPTH): Promise<Rankings> {
  const kw = buildKeywordRanker(collection);
  // The keyword list as deep as the product asks it (the runs' depth for the rankers' own metrics is
  // unaffected: recall@100 and nDCG@10 read the first 100).
  const kwRuns = collection.queries.map((q) => kw(q.text, keywordDepth));
  const keyword = new Map(collection.queries.map((q, i) => [q.id, [...(kwRuns[i]!.plain ?? kwRuns[i]!.items)]]));
  const keywordFeedback = new Map(collection.queries.map((q, i) => [q.id, [...kwRuns[i]!.items]]));
  const keywordLists = new Map(collection.queries.map((q, i) => [q.id, kwRuns[i]!]));
  const { embedder, index, cache } = await buildVectorRanker(collection, modelsDir, log);
  const qv = await cache.embed(collection.queries.map((q) => q.text), 'query');
  await embedder.dispose();
  const queryVectors = new Map(collection.queries.map((q, i) => [q.id, qv[i]!]));
  // Several chunks per source: ask for more chunks than sources wanted.
  const vector = new Map(collection.queries.map((q, i) => [q.id, sourceRanking(index.topK(qv[i]!, RUN_DEPTH * 3)).slice(0, RUN_DEPTH)]));
  const rrfRuns = new Map(collection.queries.map((q) => [q.id, rrf(keyword.get(q.id)!, vector.get(q.id)!)]));
  return { keyword, keywordFeedback, rrf: rrfRuns, vector, queryVectors, index, keywordLists };
}

export function hybridRuns(r: Rankings, options?: Partial<HybridOptions>): Map<string, RankedItem[]> {
  const out = new Map<string, RankedItem[]>();
  for (const [qid, keyword] of r.keywordLists) {
    out.set(qid, hybridSearch({ keyword, queryVector: r.queryVectors.get(qid)!, index: r.index, limit: RUN_DEPTH, options }));
  }
  return out;
}

export const ids = (runs: Map<string, RankedItem[]>) =>
  new Map([...runs].map(([q, items]) => [q, items.map((i) => i.id.replace(/^doc:/, ''))]));
