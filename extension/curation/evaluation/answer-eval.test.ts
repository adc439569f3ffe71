import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine, GenerationInput } from '@/ai/engines/types';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import { putRecords } from '@/db/change-log';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord } from '@/test-support/records';
import { recordDecision } from '../review-repository';
import { generateSynthetic } from '../synthetic/generate';
import { saveNewPairs, sourcesWithoutPairs } from '../synthetic/synthetic-repository';
import { containsAnswer, scoreAnswers, tokenF1 } from './answer-eval';
import { chartColumns, runPersonalEvaluation } from './eval-run';
import type { SearchDeps } from './search-adapter';

const TEXT = 'Lobsters grow by molting their hard shells several times a year. A young lobster may molt 25 times before its first birthday.';

/** A generating engine as a TEST DOUBLE: answers from a fixed table by question, keeping what it was asked. */
function engineDouble(answers: (q: string) => string): Engine & { inputs: GenerationInput[] } {
  const inputs: GenerationInput[] = [];
  return { id: 'openai-compatible', label: 'test double', local: true, inputs, available: async () => ({ status: 'available' }), generate: async (input) => (inputs.push(input), answers(input.question)) };
}

describe('answer measures', () => {
  it('token F1 and containment ignore case, punctuation, articles and citations', () => {
    expect(tokenF1('The answer is 25 [1].', '25')).toBeCloseTo((2 * (1 / 3) * 1) / (1 / 3 + 1));
    expect(tokenF1('Twenty-five times', 'twenty five times')).toBe(1);
    expect(tokenF1('nothing alike', '25')).toBe(0);
    expect(containsAnswer('They molt about 25 times [1].', '25')).toBe(true);
    expect(containsAnswer('They molt about 125 times.', '25')).toBe(false);
  });
});

let db: CalicoDb;
beforeEach(async () => {
  db = await openTestDb();
  await putRecords('highlights', [highlightRecord('hl_molting_0001', TEXT)], db);
});
afterEach(async () => {
  await dropTestDb(db);
});

describe("the current engine's answers on the accepted questions", () => {
  it('asks each question with the ask-sources prompt over its passage and scores against the accepted (or edited) answer', async () => {
    const { pairs } = await generateSynthetic(await sourcesWithoutPairs(10, db), null, 1000);
    await saveNewPairs(pairs, db);
    await recordDecision({ subjectKind: 'synthetic', subjectId: pairs[0]!.id, decision: 'accept', deviceId: 'd' }, db);
    await recordDecision({ subjectKind: 'synthetic', subjectId: pairs[1]!.id, decision: 'edit', editedOutput: 'twenty-five', deviceId: 'd' }, db);
    const engine = engineDouble((q) => (q.includes('_____ times') ? 'Twenty-five [1].' : 'Crabs [1].'));
    const deps: SearchDeps = { rankKeywords: () => ({ list: { items: [] } as never, results: [] }), searchVectors: async () => ({ hits: [] }) };
    const run = await runPersonalEvaluation(deps, db, 7_000, { answerEngine: engine });
    expect(engine.inputs).toHaveLength(2);
    expect(engine.inputs[0]!.messages[1]!.content).toMatch(/^Sources:\n\n<source n="1"[\s\S]*Question: Fill in the blank: /);
    expect(run.answers).toEqual({ engine: 'openai-compatible', template: 'ask-sources@1', questions: 2, f1: 0.5, contains: 0.5, failed: 0 });
    expect((await db.evalRuns.get(run.id))!.answers).toEqual(run.answers);
    expect(chartColumns([run]).labels.at(-1)).toBe('answer F1');
  });

  it('the extractive engine answers by quoting the passage; a failing engine counts as zero, not as skipped', async () => {
    const { pairs } = await generateSynthetic(await sourcesWithoutPairs(10, db), null, 1000);
    const items = pairs.map((pair) => ({ pair, preferred: pair.answer }));
    const extractive = await scoreAnswers(items, new ExtractiveEngine());
    expect(extractive).toMatchObject({ engine: 'extractive', questions: 2, contains: 1, failed: 0 });
    const failing = engineDouble(() => {
      throw new Error('endpoint down');
    });
    expect(await scoreAnswers(items, failing)).toMatchObject({ questions: 2, f1: 0, contains: 0, failed: 2 });
  });
});
