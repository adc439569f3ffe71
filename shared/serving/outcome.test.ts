import { describe, expect, it } from 'vitest';
import { Feedback } from '../schemas/assistant';
import { ServingOutcome, outcomeOfCut, outcomeOfRun, weakStage } from './outcome';
import type { AnswerTrace, TraceStep, Verification } from './types';

const step = (name: TraceStep['step'], ms = 5): TraceStep => ({ step: name, at: 0, ms, detail: `${name} done` });
const trace: AnswerTrace = {
  scope: 'everything',
  plan: { origins: ['memory', 'web'], queries: ['octopus arms'], by: 'rules', reason: '' },
  steps: ['plan', 'retrieve', 'aggregate', 'generate', 'verify'].map((n) => step(n as TraceStep['step'])),
  retrievals: [
    { origin: 'memory', label: 'hybrid search', status: 'ok', count: 3, ms: 12 },
    { origin: 'web', label: 'web search', status: 'timeout', count: 0, ms: 3000 },
  ],
  passages: { retrieved: 3, unique: 3, used: 3 },
  engine: 'worker',
  model: 'm',
  template: { id: 'grounded-everything', version: 1 },
  totalMs: 3100,
};
const verification: Verification = { claims: [{ start: 0, end: 10, cites: [1], unsupported: [1], score: 0.1, method: 'lexical' }], checked: 2, supported: 1, unsupported: 1, uncited: 0, repaired: false };

describe('the serving outcome a feedback record carries', () => {
  it('keeps stages, sources and verifier counts of a finished run, without the per-claim offsets', () => {
    const o = outcomeOfRun(trace, verification);
    expect(o.steps).toHaveLength(5);
    expect(o.verification).toEqual({ checked: 2, supported: 1, unsupported: 1, uncited: 0, repaired: false });
    expect(o.cutAt).toBeUndefined();
    // Unsupported citations are blamed before a slow source: they are what the reader saw.
    expect(weakStage(o)).toEqual({ step: 'verify', why: '1 of 2 cited sentences not supported by their sources' });
    expect(weakStage({ ...o, verification: { ...o.verification!, unsupported: 0 } })).toEqual({ step: 'retrieve', why: 'web search: timed out' });
    expect(weakStage({ ...o, verification: null, retrievals: [] })).toBeNull();
  });

  it('names the stage a stopped run was in', () => {
    expect(outcomeOfCut([step('plan'), step('retrieve'), step('aggregate')]).cutAt).toBe('generate');
    expect(outcomeOfCut([]).cutAt).toBe('plan');
    expect(weakStage(outcomeOfCut([step('plan')]))).toEqual({ step: 'retrieve', why: 'stopped during retrieve' });
  });

  it('is bounded, and optional on a feedback record', () => {
    expect(() => ServingOutcome.parse({ steps: Array.from({ length: 17 }, () => step('plan')) })).toThrow();
    const record = { id: 'fb_m_12345678', subjectKind: 'answer', subjectId: 'm_12345678', action: 'ask', prompt: [{ role: 'user', content: 'q' }], output: 'a', engine: 'worker', template: { id: 't', version: 1 }, createdAt: 1, updatedAt: 1 };
    expect(Feedback.parse(record).serving).toBeUndefined();
    expect(Feedback.parse({ ...record, serving: outcomeOfRun(trace, verification) }).serving?.verification?.unsupported).toBe(1);
  });
});
