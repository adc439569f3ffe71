import { describe, expect, it } from 'vitest';
import { retrieveAll } from './retrieve';
import { fixedRetriever, passage } from './test-support';
import type { Plan } from './types';

const plan: Plan = { origins: ['memory', 'web'], queries: ['octopus'], by: 'rules', reason: '' };

describe('retrieveAll', () => {
  it('runs chosen retrievers in parallel with their own budgets and reports each outcome', async () => {
    const memory = fixedRetriever('memory', [passage('memory', 'a', 'octopus arms'), passage('memory', 'b', '  ')], { delayMs: 30 });
    const slowWeb = fixedRetriever('web', [passage('web', 'w', 'late')], { delayMs: 2_000, budgetMs: 60 });
    const page = fixedRetriever('page', [passage('page', 'p', 'not asked')]);
    const t0 = Date.now();
    const { lists, outcomes } = await retrieveAll([memory, slowWeb, page], plan, undefined);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(lists.map((l) => l.map((p) => p.id))).toEqual([['a'], [], []]);
    expect(outcomes.map((o) => [o.origin, o.status, o.count])).toEqual([
      ['memory', 'ok', 1],
      ['web', 'timeout', 0],
      ['page', 'skipped', 0],
    ]);
    expect(outcomes[1]!.detail).toMatch(/no answer within 60 ms/);
    expect(page.calls).toHaveLength(0);
    expect(memory.calls).toEqual([['octopus']]);
  });

  it('keeps its budget even for a retriever that ignores the signal', async () => {
    const stubborn = fixedRetriever('web', [passage('web', 'w', 'late')], { delayMs: 1_500, budgetMs: 40, ignoreSignal: true });
    const t0 = Date.now();
    const { outcomes } = await retrieveAll([stubborn], plan, undefined);
    expect(Date.now() - t0).toBeLessThan(1_000);
    expect(outcomes[0]!.status).toBe('timeout');
  });

  it('reports an error in words and still returns the others', async () => {
    const broken = fixedRetriever('web', [], { fail: 'HTTP 502 from the search provider' });
    const memory = fixedRetriever('memory', [passage('memory', 'a', 'octopus arms')]);
    const { lists, outcomes } = await retrieveAll([broken, memory], plan, undefined);
    expect(outcomes[0]).toMatchObject({ status: 'error', detail: 'HTTP 502 from the search provider' });
    expect(lists[1]).toHaveLength(1);
  });

  it('rejects when the caller aborts', async () => {
    const controller = new AbortController();
    const memory = fixedRetriever('memory', [passage('memory', 'a', 'x')], { delayMs: 500 });
    const run = retrieveAll([memory], plan, controller.signal);
    controller.abort(new Error('Stopped.'));
    await expect(run).rejects.toThrow('Stopped.');
  });
});
