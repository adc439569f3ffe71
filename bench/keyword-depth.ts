/**
 * How deep a keyword list hybrid fusion needs: the hybrid ranking on each collection with the keyword
 * list (and its first pass) cut to each depth — the same list a search asked for that many results
 * returns, since the walk is exhaustive — scored by nDCG@10 and recall@100. KEYWORD_DEPTH
 * (extension/search/hybrid.ts) was chosen from this: the shallowest depth whose numbers are at or above
 * the 1000-deep list's on every collection.
 */
import { loadAndRank, type QualityOptions } from './quality';
import { evaluate } from './metrics';
import { hybridRuns, ids } from './rankers';

export async function keywordDepthLines(name: string, options: QualityOptions, depths = [1000, 500, 300, 200, 150, 100]): Promise<Record<string, unknown>[]> {
  const { collection, rankings } = await loadAndRank({ ...options, keywordDepth: Math.max(...depths) });
  const qids = collection.queries.map((q) => q.id);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  return depths.map((depth) => {
    const keywordLists = new Map([...rankings.keywordLists].map(([q, l]) => [q, { ...l, items: l.items.slice(0, depth), ...(l.plain ? { plain: l.plain.slice(0, depth) } : {}) }]));
    const m = evaluate(ids(hybridRuns({ ...rankings, keywordLists })), collection.qrels, qids);
    return { bench: 'keyword-depth', collection: name, depth, ranker: 'hybrid', 'ndcg@10': round(m['ndcg@10']), 'recall@100': round(m['recall@100']), queries: m.queries };
  });
}
