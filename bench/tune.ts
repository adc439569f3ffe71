/**
 * Fits the hybrid's parameters and reports them on queries that took no part in the fit.
 *
 * The objective is the hybrid's worst margin, across the fitting sets, over the best of its
 * baselines — plain BM25, the vector list, and a plain RRF of the two — on nDCG@10 and on
 * recall@100 alike: a setting that wins on average but loses on one kind of text is not wanted.
 * `npm run bench -- tune` fits on the even query positions of Cranfield, MED and CACM and on all of
 * bench/collections/reading-notes and saved-pages, then reports the odd positions and
 * bench/collections/mixed-memory (written blind, never fitted on).
 */
import { evaluate } from './metrics';
import { hybridRuns, ids, type Rankings } from './rankers';
import { splitQueries } from './quality';
import type { Collection } from './collection';
import { DEFAULT_FUSION, DEFAULT_HYBRID, type HybridOptions } from '../extension/search/hybrid';

export interface TuneSet {
  name: string;
  collection: Collection;
  rankings: Rankings;
  qids: string[];
}

/**
 * Two knobs, coarse steps: the keyword weight and how fast it falls with the vector list's gap. Every
 * extra knob lets the fit chase noise (the single best point of a finer grid lost on held-out halves).
 */
export function tuneGrid(): HybridOptions[] {
  const grid: HybridOptions[] = [];
  for (const keywordWeight of [0.3, 0.4, 0.5, 0.6, 0.7])
    for (const gapSlope of [0, 1, 2, 3, 4])
      grid.push({ ...DEFAULT_HYBRID, fusion: { ...DEFAULT_FUSION, keywordWeight, gapSlope } });
  return grid;
}

type Metric = 'ndcg@10' | 'recall@100';
const metric = (set: TuneSet, runs: Map<string, { id: string }[]>, m: Metric) => evaluate(ids(runs as never), set.collection.qrels, set.qids)[m];
const METRICS: Metric[] = ['ndcg@10', 'recall@100'];

/** Per set and metric: the best of plain BM25, the vector list and their plain RRF. */
const baseline = (set: TuneSet) => METRICS.map((m) => Math.max(...[set.rankings.keyword, set.rankings.vector, set.rankings.rrf].map((r) => metric(set, r, m))));

function margins(set: TuneSet, options: HybridOptions) {
  const runs = hybridRuns(set.rankings, options);
  const base = baseline(set);
  return METRICS.map((m, i) => ({ metric: m, hybrid: metric(set, runs, m), best: base[i]!, margin: metric(set, runs, m) - base[i]! }));
}

export function tune(fit: TuneSet[], heldOut: TuneSet[], grid = tuneGrid()) {
  const scored = grid.map((options) => {
    const rows = fit.map((set) => margins(set, options));
    const all = rows.flat();
    return { options, margin: Math.min(...all.map((r) => r.margin)), mean: all.reduce((a, r) => a + r.margin, 0) / all.length };
  });
  // Worst margin first; the mean margin breaks ties.
  scored.sort((a, b) => b.margin - a.margin || b.mean - a.mean);
  const best = scored[0]!;
  const report = (sets: TuneSet[]) => sets.map((set) => ({ set: set.name, metrics: margins(set, best.options) }));
  return { best: best.options, fit: report(fit), heldOut: report(heldOut), top: scored.slice(0, 10) };
}
