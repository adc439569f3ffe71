/** Retrieval quality of one ranker over the personal evaluation set. Each question has one target
 * (the highlight or page it was generated from). */
export interface RankerScore {
  ranker: string;
  questions: number;
  /** Share of questions whose target is in the top k. */
  recallAt10: number;
  /** Mean of 1/rank of the target (0 when not in the list). */
  mrr: number;
}

export function scoreRanker(ranker: string, runs: readonly { target: string; ranked: readonly string[] }[], k = 10): RankerScore {
  let hits = 0;
  let rr = 0;
  for (const run of runs) {
    const rank = run.ranked.indexOf(run.target);
    if (rank >= 0 && rank < k) hits += 1;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = runs.length;
  return { ranker, questions: n, recallAt10: n ? hits / n : 0, mrr: n ? rr / n : 0 };
}
