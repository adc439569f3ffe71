import { describe, expect, it } from 'vitest';
import { isFollowUp, plan, planByRules, standaloneQuestion } from './plan';
import { scriptedGenerator } from './test-support';
import { Plan } from './types';

const all = ['page', 'memory', 'records', 'web', 'products'] as const;

describe('plan by rules', () => {
  it('chooses origins by scope among those available', () => {
    expect(planByRules({ question: 'What is this about?', scope: 'page', history: [], available: all }).origins).toEqual(['page']);
    expect(planByRules({ question: 'octopus arms', scope: 'memory', history: [], available: ['memory'] }).origins).toEqual(['memory']);
    expect(planByRules({ question: 'octopus arms', scope: 'memory', history: [], available: ['memory', 'records'] }).origins).toEqual(['memory', 'records']);
    // The passage a question is about (a selection in the answer bubble) is read with memory.
    expect(planByRules({ question: 'octopus arms', scope: 'memory', history: [], available: all }).origins).toEqual(['memory', 'records', 'page']);
    // …but a memory question without one is not told the page is missing.
    expect(planByRules({ question: 'octopus arms', scope: 'memory', history: [], available: ['memory', 'records'] }).reason).not.toMatch(/open page/);
    expect(planByRules({ question: 'octopus arms', scope: 'everything', history: [], available: all }).origins).toEqual(['memory', 'records', 'web']);
    expect(planByRules({ question: 'cheapest kettle', scope: 'shopping', history: [], available: all }).origins).toEqual(['products']);
  });

  it('says what is unavailable and why', () => {
    const p = planByRules({ question: 'octopus arms', scope: 'everything', history: [], available: ['memory'] });
    expect(p.origins).toEqual(['memory']);
    expect(p.reason).toMatch(/Not the web: web search needs a paired worker with a search provider/);
    expect(p.reason).toMatch(/memory only/);
    expect(planByRules({ question: 'x y', scope: 'page', history: [], available: ['memory'] }).reason).toMatch(/Nothing this scope searches is reachable/);
  });

  it('rewrites a follow-up with the previous question’s words, leaves a standalone question alone', () => {
    const history = [
      { role: 'user' as const, content: 'Which cephalopods change colour with chromatophores?' },
      { role: 'assistant' as const, content: 'Cuttlefish and octopuses [1].' },
    ];
    expect(isFollowUp('and how fast?')).toBe(true);
    expect(isFollowUp('Why do octopuses have blue blood?')).toBe(false);
    const q = standaloneQuestion('and how fast?', history);
    expect(q).toContain('cephalopods');
    expect(q).toContain('chromatophores');
    expect(standaloneQuestion('Why do octopuses have blue blood?', history)).toBe('Why do octopuses have blue blood?');
    const p = planByRules({ question: 'and how fast?', scope: 'memory', history, available: all });
    expect(p.queries[0]).toBe(q);
    expect(p.reason).toMatch(/Follow-up/);
  });

  it('adds a keyword query for long questions, within the schema’s bounds', () => {
    const p = Plan.parse(planByRules({ question: 'What did that blog post say about how octopuses learn by watching each other?', scope: 'memory', history: [], available: all }));
    expect(p.queries).toHaveLength(2);
    expect(p.queries[1]).toBe('blog post octopuses learn watching');
    expect(p.by).toBe('rules');
  });
});

describe('plan with a helper model', () => {
  it('takes the model’s queries when they validate', async () => {
    const helper = scriptedGenerator(['Sure: ```json\n{"queries": ["octopus arm neurons", "octopus arm taste"]}\n```']);
    const p = await plan({ question: 'and their arms?', scope: 'memory', history: [{ role: 'user', content: 'octopus brains' }], available: all }, helper);
    expect(p).toMatchObject({ by: 'model', queries: ['octopus arm neurons', 'octopus arm taste'], origins: ['memory', 'records', 'page'] });
    expect(helper.calls[0]![1]!.content).toContain('User: octopus brains');
  });

  it('falls back to rules on bad output or a failing helper', async () => {
    for (const reply of ['no json here', '{"queries": []}', '{"queries": "one"}', '{"q": ["x"]}']) {
      const p = await plan({ question: 'octopus arms', scope: 'memory', history: [], available: all }, scriptedGenerator([reply]));
      expect(p.by).toBe('rules');
      expect(p.reason).toMatch(/did not answer usable queries/);
    }
    const failing = { ...scriptedGenerator(['']), generate: async () => Promise.reject(new Error('down')) };
    expect((await plan({ question: 'octopus arms', scope: 'memory', history: [], available: all }, failing)).reason).toMatch(/failed, so rules/);
  });

  it('does not ask the model when nothing can be searched', async () => {
    const helper = scriptedGenerator(['{"queries": ["x"]}']);
    await plan({ question: 'x y z', scope: 'shopping', history: [], available: ['memory'] }, helper);
    expect(helper.calls).toHaveLength(0);
  });
});
