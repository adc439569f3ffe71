import { scoreRanker, type RankerScore } from './metrics';
import { rankAll, RANKERS, type SearchDeps } from './search-adapter';

/** One measurement of the user's own search on their accepted evaluation questions. */
export interface EvalRun {
  at: number;
  questions: number;
  /** The rankers that ran for every question. */
  scores: RankerScore[];
  /** Rankers left out of this run, with the reason (e.g. no embedding model yet). */
  unavailable?: Record<string, string>;
}

/** Each question is searched as its `query`; its `target` is the document it came from. A ranker that
 * failed on any question is left out of the run (a partial score would not compare with other runs). */
export async function evaluatePersonalSet(pairs: readonly { query: string; target: string }[], deps: SearchDeps, now = Date.now()): Promise<EvalRun> {
  const perRanker = new Map(RANKERS.map((r) => [r, [] as { target: string; ranked: string[] }[]]));
  const unavailable: Record<string, string> = {};
  for (const pair of pairs) {
    const { lists, failed } = await rankAll(pair.query, deps);
    Object.assign(unavailable, failed);
    for (const ranker of RANKERS) {
      const ranked = lists[ranker];
      if (ranked) perRanker.get(ranker)!.push({ target: pair.target, ranked });
    }
  }
  const measured = RANKERS.filter((r) => !(r in unavailable));
  return { at: now, questions: pairs.length, scores: measured.map((r) => scoreRanker(r, perRanker.get(r)!)), ...(Object.keys(unavailable).length ? { unavailable } : {}) };
}
