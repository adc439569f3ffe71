/**
 * Fits the fusion parameters on the tune half of a collection's queries (even positions) and reports
 * the chosen setting on both halves, so the number quoted for the held-out half was never looked at
 * while choosing. The defaults in extension/search/hybrid.ts came from this run on Cranfield.
 */
import { evaluate } from './metrics';
import { hybridRuns, ids, type Rankings } from './rankers';
import { splitQueries } from './quality';
import type { Collection } from './collection';
import type { HybridOptions } from '../extension/search/hybrid';

export function tune(collection: Collection, rankings: Rankings) {
  const tuneIds = splitQueries(collection, 'tune');
  const testIds = splitQueries(collection, 'test');
  const grid: HybridOptions[] = [];
  for (const feedbackSources of [0, 3, 5])
    for (const feedbackWeight of feedbackSources ? [0.5, 0.7] : [0])
      for (const k of [20, 60])
        for (const vectorWeight of [0.3, 0.5, 0.7, 1])
          for (const scoreWeight of [0, 0.02])
            grid.push({ feedbackSources, feedbackWeight, fusion: { k, keywordWeight: 1, vectorWeight, scoreWeight, normalize: 'minmax', depth: 1000 } });
  const scored = grid.map((options) => ({ options, tune: evaluate(ids(hybridRuns(rankings, options)), collection.qrels, tuneIds) }));
  // nDCG@10 first; recall@100 breaks exact ties.
  scored.sort((a, b) => b.tune['ndcg@10'] - a.tune['ndcg@10'] || b.tune['recall@100'] - a.tune['recall@100']);
  const best = scored[0]!;
  const test = evaluate(ids(hybridRuns(rankings, best.options)), collection.qrels, testIds);
  return { best: best.options, tune: best.tune, test, top: scored.slice(0, 10) };
}
