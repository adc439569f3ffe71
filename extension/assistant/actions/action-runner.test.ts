import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActionRequest, RunnerEvent } from '@shared/schemas/assistant-page';
import type { CalicoDb } from '@/db/database';
import { EngineError } from '@/ai/engines/errors';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource, Engine, GenerateOptions, GenerationInput } from '@/ai/engines/types';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getFeedback, saveFeedback } from '../feedback/feedback-repository';
import { TEMPLATES } from '@shared/prompts/templates';
import { runPipeline } from '@shared/serving/pipeline';
import { NEEDS_GENERATOR, runAction, type RunnerDeps } from './action-runner';
import type { WebOutcome, WebSource } from './web-references';

/** A generator that streams the given pieces (or fails / waits for abort), recording what it was given. */
class ScriptedEngine implements Engine {
  readonly label: string;
  inputs: GenerationInput[] = [];
  signals: (AbortSignal | undefined)[] = [];
  constructor(
    readonly id: Engine['id'],
    readonly local: boolean,
    private readonly script: string[] | 'fail' | 'wait',
  ) {
    this.label = `scripted ${id}`;
  }
  async available() {
    return { status: 'available' as const };
  }
  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    this.inputs.push(input);
    this.signals.push(options.signal);
    if (this.script === 'fail') throw new EngineError('generation-failed', 'the model fell over');
    if (this.script === 'wait') {
      const stopped = new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(new EngineError('aborted', 'Stopped.'))));
      options.onToken?.('partial ');
      await stopped;
      return '';
    }
    let out = '';
    for (const piece of this.script) {
      out += piece;
      options.onToken?.(piece);
      await Promise.resolve();
    }
    return out;
  }
}

const request = (fields: Partial<ActionRequest>): ActionRequest => ({
  action: 'improve',
  option: '',
  text: 'Their going too the store tomorow.',
  target: 'editable',
  question: '',
  history: [],
  pageUrl: 'https://example.com/draft',
  pageTitle: 'Draft',
  ...fields,
});

const memorySource: AskSource = {
  n: 1,
  id: 'highlight:h1#0',
  kind: 'highlight',
  sourceId: 'hl_00000001',
  url: 'https://blog.example/tides',
  title: 'Tides',
  site: 'blog.example',
  text: 'Spring tides happen when the sun and moon line up. Neap tides happen at quarter moons.',
  highlightId: 'hl_00000001',
};

describe('action runner', () => {
  let db: CalicoDb;
  let retrieved: string[];
  beforeEach(async () => {
    db = await openTestDb();
    retrieved = [];
  });
  afterEach(() => dropTestDb(db));

  function deps(engines: Engine[], privacy: 'local-only' | 'allow-worker' = 'local-only', sources: AskSource[] = []): RunnerDeps {
    let n = 0;
    return {
      engines,
      preferences: async () => ({ privacy, engine: 'auto' }),
      retrieve: async (q) => {
        retrieved.push(q);
        return sources;
      },
      saveFeedback: (record) => saveFeedback(record, db),
      newId: () => `fb_test_${String(++n).padStart(4, '0')}`,
      runPipeline,
    };
  }

  async function collect(req: ActionRequest, d: RunnerDeps, signal?: AbortSignal): Promise<RunnerEvent[]> {
    const events: RunnerEvent[] = [];
    await runAction(req, d, (e) => events.push(e), signal);
    return events;
  }

  it('streams a rewrite from the chosen engine with the task, and records feedback for it', async () => {
    const built = new ScriptedEngine('built-in', true, ['They’re going ', 'to the store tomorrow.']);
    const events = await collect(request({}), deps([built, new ExtractiveEngine()]));
    expect(events[0]).toMatchObject({ type: 'engine', engine: 'built-in' });
    expect(events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('')).toBe('They’re going to the store tomorrow.');
    const done = events.at(-1);
    expect(done).toMatchObject({ type: 'done', engine: 'built-in', rewrite: true, template: TEMPLATES.improve });
    expect(built.inputs[0]!.task).toEqual({ action: 'improve', text: 'Their going too the store tomorow.' });
    expect(built.inputs[0]!.messages.at(-1)!.content).toContain('Their going too the store tomorow.');
    const record = await getFeedback((done as { feedbackId: string }).feedbackId, db);
    expect(record).toMatchObject({ subjectKind: 'rewrite', action: 'improve', engine: 'built-in', output: 'They’re going to the store tomorrow.', pageUrl: 'https://example.com/draft', rating: null });
    expect(record!.prompt[0]!.role).toBe('system');
  });

  it('passes the tone and the language as the task option', async () => {
    const built = new ScriptedEngine('built-in', true, ['ok']);
    await collect(request({ action: 'tone', option: 'friendly' }), deps([built]));
    await collect(request({ action: 'translate', option: 'de' }), deps([built]));
    expect(built.inputs.map((i) => i.task?.option)).toEqual(['friendly', 'de']);
    expect(built.inputs[0]!.messages[0]!.content).toContain('friendlier');
    expect(built.inputs[1]!.messages[0]!.content).toContain('German');
  });

  it('under "local only" never asks an engine that sends text away, and a rewrite without a generator says so', async () => {
    const remote = new ScriptedEngine('worker', false, ['remote answer']);
    const events = await collect(request({}), deps([remote, new ExtractiveEngine()], 'local-only'));
    expect(remote.inputs).toHaveLength(0);
    expect(events.at(-1)).toEqual({ type: 'error', code: 'needs-generator', message: NEEDS_GENERATOR });
  });

  it('with the worker allowed, the remote engine answers', async () => {
    const remote = new ScriptedEngine('worker', false, ['remote answer']);
    const events = await collect(request({}), deps([remote, new ExtractiveEngine()], 'allow-worker'));
    expect(remote.inputs).toHaveLength(1);
    expect(events.at(-1)).toMatchObject({ type: 'done', engine: 'worker' });
  });

  it('summarises extractively from the text itself when no generator runs', async () => {
    const text = 'Bees dance to share where flowers are. The waggle dance points toward food. Its length tells the distance. Some bees guard the hive.';
    const events = await collect(request({ action: 'summarize', text, target: 'selection' }), deps([new ExtractiveEngine()]));
    const answer = events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('');
    expect(answer).toMatch(/extractive/i);
    expect(answer).toContain('waggle dance');
    expect(events.at(-1)).toMatchObject({ type: 'done', engine: 'extractive', rewrite: false });
    expect(retrieved).toEqual([]); // a summary doesn't search memory
  });

  it('finds references in memory and cites them', async () => {
    const events = await collect(request({ action: 'find-references', text: 'the moon drives the tides', target: 'selection' }), deps([new ExtractiveEngine()], 'local-only', [memorySource]));
    expect(retrieved[0]).toContain('the moon drives the tides');
    expect(events.find((e) => e.type === 'sources')).toMatchObject({ sources: [{ n: 1, kind: 'highlight', highlightId: 'hl_00000001' }] });
    const answer = events.filter((e) => e.type === 'token').map((e) => (e as { text: string }).text).join('');
    expect(answer).toContain('[1]');
    expect(answer).toContain('Spring tides');
  });

  it('finds references on the web after memory, labelled as web, and says why when the web was not searched', async () => {
    const webSource: WebSource = { n: 1, id: 'web:https://w.example/tides', kind: 'web', sourceId: 'https://w.example/tides', url: 'https://w.example/tides', title: 'Web: Tides explained', site: 'w.example', text: 'The moon drives the tides, with the sun.' };
    const asked: string[] = [];
    const withWeb = (outcome: WebOutcome): RunnerDeps => ({
      ...deps([new ExtractiveEngine()], 'allow-worker', [memorySource]),
      webSearch: async (text) => {
        asked.push(text);
        return outcome;
      },
    });
    const found = await collect(request({ action: 'find-references', text: 'the moon drives the tides', target: 'selection' }), withWeb({ status: 'found', provider: 'searxng', sources: [webSource], message: 'Also searched the web through your worker: 1 web result (searxng).' }));
    expect(asked).toEqual(['the moon drives the tides']);
    expect(found.find((e) => e.type === 'sources')).toMatchObject({ sources: [{ n: 1, kind: 'highlight' }, { n: 2, kind: 'web', url: 'https://w.example/tides' }] });
    expect(found.find((e) => e.type === 'web')).toMatchObject({ status: 'found' });
    const record = await getFeedback((found.at(-1) as { feedbackId: string }).feedbackId, db);
    expect(record!.template).toEqual(TEMPLATES['find-references']);
    expect(record!.prompt.at(-1)!.content).toContain('<source n="2" title="Web: Tides explained"');
    expect(record!.sources.map((s) => s.kind)).toEqual(['highlight', 'web']);

    const none = await collect(request({ action: 'find-references', text: 'the moon drives the tides', target: 'selection' }), withWeb({ status: 'no-provider', message: 'The web was not searched: your worker has no web search provider configured.' }));
    expect(none.find((e) => e.type === 'web')).toEqual({ type: 'web', status: 'no-provider', message: 'The web was not searched: your worker has no web search provider configured.' });
    expect(none.find((e) => e.type === 'sources')).toMatchObject({ sources: [{ n: 1, kind: 'highlight' }] });
    expect(none.at(-1)).toMatchObject({ type: 'done' });
    // Other actions never search the web.
    await collect(request({ action: 'ask', question: 'q', text: 'the moon', target: 'selection' }), withWeb({ status: 'found', provider: 'searxng', sources: [webSource], message: '' }));
    expect(asked).toHaveLength(2);
  });

  it('asks about the selection through the serving pipeline: the selection and memory as sources, follow-ups kept, citations verified, the outcome in its feedback', async () => {
    const built = new ScriptedEngine('built-in', true, ['Spring tides happen when the sun and moon line up [1]. The tide rose early today because of the wind [1].']);
    const embedded: string[][] = [];
    // The page's own saved copy is left out: the selection already stands for it.
    const ownPage = { ...memorySource, id: 'page:draft#0', kind: 'page' as const, url: 'https://example.com/draft', title: 'Draft (saved)', highlightId: undefined };
    const d = { ...deps([built], 'local-only', [memorySource, ownPage]), embed: async (texts: string[]) => (embedded.push(texts), texts.map(() => Float32Array.from([1, 0]))) };
    const events = await collect(
      request({ action: 'ask', question: 'Why?', text: 'The tide rose early.', target: 'selection', history: [{ role: 'user', content: 'What is this?' }, { role: 'assistant', content: 'A tide note.' }] }),
      d,
    );
    // Memory is searched with the question and the text it is about.
    expect(retrieved[0]).toContain('The tide rose early.');
    const input = built.inputs[0]!;
    expect(input.task).toBeUndefined();
    expect(input.sources.map((s) => s.title).sort()).toEqual(['The selected text: Draft', 'Tides']);
    expect(input.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(input.messages.at(-1)!.content).toContain('Why?');
    expect(events.map((e) => e.type)).toEqual(['engine', 'sources', 'token', 'done']);
    const done = events.at(-1) as Extract<RunnerEvent, { type: 'done' }>;
    expect(done).toMatchObject({ rewrite: false, template: { id: 'grounded-memory' } });
    // Planned, verified (with the embedder it was given) and traced, as the chat's answers are.
    expect(done.trace!.steps.map((s) => s.step)).toEqual(['plan', 'retrieve', 'aggregate', 'generate', 'verify']);
    expect(done.trace!.retrievals.map((r) => r.origin).sort()).toEqual(['memory', 'page']);
    expect(done.verification!.checked).toBe(2);
    expect(embedded.length).toBeGreaterThan(0);
    const record = await getFeedback(done.feedbackId!, db);
    expect(record).toMatchObject({ action: 'ask', engine: 'built-in', template: { id: 'grounded-memory' }, serving: { verification: { checked: 2 } } });
  });

  it('a stopped Ask is recorded with the stage it was cut off in', async () => {
    const slow = new ScriptedEngine('built-in', true, 'wait');
    const controller = new AbortController();
    const events: RunnerEvent[] = [];
    await runAction(request({ action: 'ask', question: 'When are spring tides?', text: 'tides', target: 'selection' }), deps([slow], 'local-only', [memorySource]), (e) => {
      events.push(e);
      if (e.type === 'token') controller.abort();
    }, controller.signal);
    expect(events.map((e) => e.type)).toEqual(['engine', 'sources', 'token']);
    const [record] = await db.feedback.toArray();
    expect(record).toMatchObject({ stopped: true, action: 'ask', output: 'partial ', serving: { cutAt: 'generate' } });
  });

  it('a failing generator restarts the answer as quotes when the action allows it', async () => {
    const broken = new ScriptedEngine('built-in', true, 'fail');
    const events = await collect(request({ action: 'ask', question: 'When are spring tides?', text: 'tides', target: 'selection' }), deps([broken, new ExtractiveEngine()], 'local-only', [memorySource]));
    expect(events.map((e) => e.type)).toContain('restart');
    expect(events.at(-1)).toMatchObject({ type: 'done', engine: 'extractive' });
  });

  it('a failing generator on a rewrite is an error in words, not quotes', async () => {
    const events = await collect(request({}), deps([new ScriptedEngine('built-in', true, 'fail')]));
    expect(events.at(-1)).toMatchObject({ type: 'error', message: expect.stringContaining('fell over') });
  });

  it('Stop aborts the engine and ends with nothing more than a stopped feedback record of the partial output', async () => {
    const slow = new ScriptedEngine('built-in', true, 'wait');
    const controller = new AbortController();
    const events: RunnerEvent[] = [];
    const running = runAction(request({}), deps([slow]), (e) => {
      events.push(e);
      if (e.type === 'token') controller.abort();
    }, controller.signal);
    await running;
    expect(slow.signals[0]?.aborted).toBe(true);
    expect(events.map((e) => e.type)).toEqual(['engine', 'token']);
    const [record] = await db.feedback.toArray();
    expect(record).toMatchObject({ stopped: true, action: 'improve', engine: 'built-in', template: TEMPLATES.improve });
    expect(record!.output).toBe((events[1] as { text: string }).text);
    // A finished output carries no mark, so `!f.stopped` keeps exactly the whole ones.
    const done = (await collect(request({}), deps([new ScriptedEngine('built-in', true, ['whole'])]))).at(-1) as { feedbackId: string };
    expect((await getFeedback(done.feedbackId, db))!.stopped).toBeUndefined();
  });

  it('keeps a huge output within the feedback bounds', async () => {
    const huge = 'x'.repeat(200_000);
    const events = await collect(request({}), deps([new ScriptedEngine('built-in', true, [huge])]));
    const done = events.at(-1) as { feedbackId: string };
    const record = await getFeedback(done.feedbackId, db);
    expect(record!.output.length).toBe(64_000);
  });
});
