/**
 * Retrieval quality of the product's rankers (keyword, vector, hybrid) on a test collection:
 * nDCG@10 and recall@100, binary relevance, averaged over the queries that have judgements.
 */
import { loadCollection, type Collection, type Format } from './collection';
import { evaluate } from './metrics';
import { computeRankings, hybridRuns, ids, type Rankings } from './rankers';
import type { HybridOptions } from '../extension/search/hybrid';
import { flexSearchPeer, miniSearchPeer, oramaPeer, type PeerIndex } from './peers';

export interface QualityOptions {
  docs: string;
  queries: string;
  qrels: string;
  format: Format;
  modelsDir: string;
  /** 'tune' / 'test': the even / odd positions of the query list (what `tune` fits / holds out). */
  split?: 'all' | 'tune' | 'test';
  hybrid?: Partial<HybridOptions>;
  log?: (s: string) => void;
  /** How deep the keyword list is asked for (default KEYWORD_DEPTH, as the product asks). */
  keywordDepth?: number;
}

export function splitQueries(collection: Collection, split: 'all' | 'tune' | 'test' = 'all'): string[] {
  return collection.queries.filter((_, i) => split === 'all' || (split === 'tune') === (i % 2 === 0)).map((q) => q.id);
}

export async function loadAndRank(o: QualityOptions): Promise<{ collection: Collection; rankings: Rankings }> {
  const collection = loadCollection(o, o.format);
  if (collection.docs.length === 0 || collection.queries.length === 0) throw new Error(`no documents or queries read from ${o.docs} / ${o.queries} as ${o.format}`);
  o.log?.(`${collection.docs.length} docs, ${collection.queries.length} queries, ${collection.judged} judged (judgements read as ${collection.shape})`);
  return { collection, rankings: await computeRankings(collection, o.modelsDir, o.log, o.keywordDepth) };
}

export function qualityLines(collection: Collection, rankings: Rankings, splits: ('all' | 'tune' | 'test')[], options?: Partial<HybridOptions>) {
  const hybrid = hybridRuns(rankings, options);
  const lines: Record<string, unknown>[] = [];
  for (const split of splits) {
    const qids = splitQueries(collection, split);
    for (const [ranker, runs] of [['keyword', rankings.keyword], ['keyword+feedback', rankings.keywordFeedback], ['vector', rankings.vector], ['rrf', rankings.rrf], ['hybrid', hybrid]] as const) {
      const m = evaluate(ids(runs), collection.qrels, qids);
      const round = (x: number) => Math.round(x * 10000) / 10000;
      lines.push({ ranker, 'ndcg@10': round(m['ndcg@10']), 'recall@100': round(m['recall@100']), queries: m.queries, ...(split === 'all' ? {} : { split }) });
    }
  }
  return lines;
}

/** The peers' keyword rankers over the same documents and queries (bench/peers.ts). */
export async function peerQualityLines(collection: Collection) {
  const peers: PeerIndex[] = [miniSearchPeer(collection.docs), flexSearchPeer(collection.docs), (await oramaPeer(collection.docs)).keyword];
  const qids = splitQueries(collection, 'all');
  const lines: Record<string, unknown>[] = [];
  for (const peer of peers) {
    const runs = new Map<string, string[]>();
    for (const q of collection.queries) runs.set(q.id, await peer.search(q.text, 1000));
    const m = evaluate(runs, collection.qrels, qids);
    const round = (x: number) => Math.round(x * 10000) / 10000;
    lines.push({ ranker: peer.name, 'ndcg@10': round(m['ndcg@10']), 'recall@100': round(m['recall@100']), queries: m.queries, peer: true });
  }
  return lines;
}
