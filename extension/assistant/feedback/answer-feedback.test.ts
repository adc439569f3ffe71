import { describe, expect, it } from 'vitest';
import { Feedback } from '@shared/schemas/assistant';
import type { AnswerTrace, Verification } from '@shared/serving/types';
import { answerFeedback, type SentPrompt } from './answer-feedback';

const SENT: SentPrompt = {
  prompt: [{ role: 'system', content: 'Answer from the sources.' }, { role: 'user', content: 'why tides?' }],
  template: { id: 'grounded-memory', version: 1 },
  engine: 'extractive',
  model: '',
  pageUrl: 'https://p.example/',
};
const steps = ['plan', 'retrieve', 'aggregate', 'generate', 'verify'].map((step, i) => ({ step, at: i * 10, ms: 10, detail: step }) as AnswerTrace['steps'][number]);
const TRACE: AnswerTrace = {
  scope: 'memory',
  plan: { origins: ['memory'], queries: ['tides'], by: 'rules', reason: 'memory' },
  steps,
  retrievals: [{ origin: 'memory', label: 'hybrid search of your memory', status: 'ok', count: 1, ms: 4 }],
  passages: { retrieved: 1, unique: 1, used: 1 },
  engine: 'extractive',
  model: '',
  template: { id: 'grounded-memory', version: 1 },
  totalMs: 50,
};
const VERIFICATION: Verification = { claims: [], checked: 1, supported: 1, unsupported: 0, uncited: 0, repaired: false };
const now = { createdAt: 1, updatedAt: 1 };

describe('answerFeedback (the record every Ask surface writes)', () => {
  it('records a finished run with the pipeline\'s outcome, valid for the schema', () => {
    const record = answerFeedback({ subjectId: 'm_abcdefgh', option: 'memory', result: { ...SENT, trace: TRACE, verification: VERIFICATION }, sent: SENT, steps: [], output: 'The moon [1].', sources: [] });
    expect(record).toMatchObject({ id: 'fb_m_abcdefgh', subjectId: 'm_abcdefgh', subjectKind: 'answer', action: 'ask', conversationId: null, output: 'The moon [1].', pageUrl: 'https://p.example/' });
    expect(record!.stopped).toBeUndefined();
    expect(record!.serving).toMatchObject({ verification: { checked: 1, supported: 1 }, retrievals: [{ origin: 'memory', status: 'ok' }], totalMs: 50 });
    expect(record!.serving!.cutAt).toBeUndefined();
    expect(() => Feedback.parse({ ...record, ...now })).not.toThrow();
  });

  it('records a stopped run as stopped, cut off in the stage after the last that ended', () => {
    const record = answerFeedback({ subjectId: 'm_abcdefgh', conversationId: 'c_12345678', option: 'memory', result: null, sent: SENT, steps: steps.slice(0, 3), output: 'The mo', sources: [], pageUrl: null });
    expect(record).toMatchObject({ stopped: true, output: 'The mo', conversationId: 'c_12345678', pageUrl: null, serving: { cutAt: 'generate', verification: null } });
    expect(() => Feedback.parse({ ...record, ...now })).not.toThrow();
  });

  it('records nothing when no prompt reached an engine', () => {
    expect(answerFeedback({ subjectId: 'm_abcdefgh', option: 'memory', result: null, sent: null, steps: [], output: '', sources: [] })).toBeNull();
  });

  it('clips a long conversation and answer to the record\'s bounds rather than failing', () => {
    const prompt = Array.from({ length: 30 }, (_, i) => ({ role: 'user' as const, content: `${i} ${'x'.repeat(20_000)}` }));
    const record = answerFeedback({ subjectId: 'm_abcdefgh', option: 'o'.repeat(100), result: null, sent: { ...SENT, prompt, model: 'm'.repeat(200) }, steps: [], output: 'y'.repeat(70_000), sources: [] })!;
    expect(record.prompt).toHaveLength(24);
    expect(record.prompt[0]!.content.startsWith('6 ')).toBe(true);
    expect(() => Feedback.parse({ ...record, ...now })).not.toThrow();
  });
});
