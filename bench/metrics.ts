/** Binary-relevance metrics over ranked id lists. */

export function ndcgAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal ? dcg / ideal : 0;
}

export function recallAt(ranked: readonly string[], relevant: ReadonlySet<string>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i]!)) hits++;
  return hits / relevant.size;
}

/** Mean nDCG@10 and recall@100 over the queries that have at least one relevant document. */
export function evaluate(runs: Map<string, string[]>, qrels: Map<string, Set<string>>, qids?: Iterable<string>) {
  let ndcg = 0, recall = 0, n = 0;
  for (const qid of qids ?? qrels.keys()) {
    const rel = qrels.get(qid);
    if (!rel || rel.size === 0) continue;
    const ranked = runs.get(qid) ?? [];
    ndcg += ndcgAt(ranked, rel, 10);
    recall += recallAt(ranked, rel, 100);
    n++;
  }
  return { 'ndcg@10': n ? ndcg / n : 0, 'recall@100': n ? recall / n : 0, queries: n };
}
