import { scoreRanker, type RankerScore } from './metrics';
import { rankAll, RANKERS, type SearchDeps } from './search-adapter';

/** One measurement of the user's own search on their accepted evaluation questions. */
export interface EvalRun {
  at: number;
  questions: number;
  scores: RankerScore[];
}

/** Each question is searched as its `query`; its `target` is the document it came from. */
export async function evaluatePersonalSet(pairs: readonly { query: string; target: string }[], deps: SearchDeps, now = Date.now()): Promise<EvalRun> {
  const perRanker = new Map(RANKERS.map((r) => [r, [] as { target: string; ranked: string[] }[]]));
  for (const pair of pairs) {
    const lists = await rankAll(pair.query, deps);
    for (const ranker of RANKERS) perRanker.get(ranker)!.push({ target: pair.target, ranked: lists[ranker] });
  }
  return { at: now, questions: pairs.length, scores: RANKERS.map((r) => scoreRanker(r, perRanker.get(r)!)) };
}
