import type { Review, SyntheticPair } from '@shared/schemas/curation';
import { templateKey } from '@shared/prompts/templates';
import { getDb, type CalicoDb } from '@/db/database';
import { evaluationSet } from '../review-queue';
import type { Engine } from '@/ai/engines/types';
import { scoreAnswers, type AnswerScore } from './answer-eval';
import { evaluatePersonalSet, type EvalRun } from './personal-eval';
import type { SearchDeps } from './search-adapter';

/**
 * One stored measurement of this device's search on the person's evaluation set. Local, not synced:
 * it measures this device's index. It says what the set was made of (the generators' template
 * versions and engines), so a jump in the chart can be told apart from a change of the questions.
 */
export interface EvalRunRow extends EvalRun {
  id: string;
  /** "id@version" of the templates that generated the questions → how many questions each. */
  templates: Record<string, number>;
  /** Engine → how many questions it generated. */
  engines: Record<string, number>;
  /** When asked for: the current engine's answers to the questions, scored against the accepted ones. */
  answers?: AnswerScore;
}

const count = (values: string[]) => values.reduce<Record<string, number>>((m, v) => ({ ...m, [v]: (m[v] ?? 0) + 1 }), {});

export class EmptyEvaluationSetError extends Error {
  constructor() {
    super('The evaluation set is empty: accept some generated questions in the review queue first.');
  }
}

export async function runPersonalEvaluation(deps: SearchDeps, db: CalicoDb = getDb(), now = Date.now(), options: { answerEngine?: Engine | null } = {}): Promise<EvalRunRow> {
  const [pairs, reviews]: [SyntheticPair[], Review[]] = await Promise.all([db.syntheticPairs.toArray(), db.reviews.toArray()]);
  const set = evaluationSet(pairs, reviews);
  if (set.length === 0) throw new EmptyEvaluationSetError();
  const run = await evaluatePersonalSet(set, deps, now);
  const row: EvalRunRow = { ...run, id: `eval_${now.toString(36)}`, templates: count(set.map((p) => templateKey(p.template))), engines: count(set.map((p) => p.engine)) };
  if (options.answerEngine) {
    const decided = new Map(reviews.filter((r) => r.subjectKind === 'synthetic').map((r) => [r.subjectId, r]));
    // The accepted answer: the reviewer's edit when there is one (without the citation the export adds).
    const preferred = (p: SyntheticPair) => (decided.get(p.id)?.decision === 'edit' ? decided.get(p.id)!.editedOutput : p.answer);
    row.answers = await scoreAnswers(set.map((pair) => ({ pair, preferred: preferred(pair) })), options.answerEngine);
  }
  await db.evalRuns.put(row);
  return row;
}

/** Oldest first: the chart's x axis. */
export async function listEvalRuns(db: CalicoDb = getDb()): Promise<EvalRunRow[]> {
  return db.evalRuns.orderBy('at').toArray();
}

/** uPlot's columns: x (seconds), then recall@10 and MRR of each ranker, in the order of `labels`. */
export function chartColumns(runs: readonly (EvalRun & { answers?: AnswerScore })[]): { labels: string[]; data: (number | null)[][] } {
  const rankers = [...new Set(runs.flatMap((r) => r.scores.map((s) => s.ranker)))];
  const labels = rankers.flatMap((r) => [`${r} recall@10`, `${r} MRR`]);
  const data: (number | null)[][] = [runs.map((r) => r.at / 1000)];
  for (const ranker of rankers) {
    const of = (r: EvalRun) => r.scores.find((s) => s.ranker === ranker);
    data.push(runs.map((r) => of(r)?.recallAt10 ?? null), runs.map((r) => of(r)?.mrr ?? null));
  }
  if (runs.some((r) => r.answers)) {
    labels.push('answer F1');
    data.push(runs.map((r) => r.answers?.f1 ?? null));
  }
  return { labels, data };
}
