import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { Conversation } from '@shared/schemas/assistant';
import { changesSince } from '@/db/change-log';
import { setDbForTesting, type CalicoDb } from '@/db/database';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource, Engine } from '@/ai/engines/types';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getFeedback } from '@/assistant/feedback/feedback-repository';
import { feedbackIdOf, useChatStore } from './chat-store';
import { runPipeline } from '@shared/serving/pipeline';
import type { ChatDeps } from './chat-answer';

const memory: AskSource[] = [
  { n: 1, id: 'page:https://a.example/#0', kind: 'page', sourceId: 'https://a.example/', url: 'https://a.example/', title: 'Tides', site: 'a.example', text: 'The tide comes in twice a day because of the moon.' },
];

/** A generator that streams its tokens one by one, waiting on each so a test can stop it mid-way. */
function streamingEngine(tokens: string[], delayMs = 0): Engine & { prompts: string[][] } {
  const prompts: string[][] = [];
  return {
    id: 'openai-compatible',
    label: 'stream',
    local: true,
    prompts,
    available: async () => ({ status: 'available' }),
    generate: async (input, o) => {
      prompts.push(input.messages.map((m) => `${m.role}:${m.content}`));
      let out = '';
      for (const t of tokens) {
        if (o?.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        o?.onToken?.(t);
        out += t;
        await new Promise((r) => setTimeout(r, delayMs));
      }
      return out;
    },
  };
}

function deps(engines: Engine[], page: { url: string; title: string; text: string } | null = null): ChatDeps {
  return {
    engines,
    preferences: async () => ({ privacy: 'local-only', engine: 'auto' }),
    retrieveMemory: async () => memory,
    pageContext: async () => page,
    webAccess: async () => ({ search: null, reason: 'no worker is paired' }),
    runPipeline,
  };
}

describe('chat store', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
    setDbForTesting(db);
    setActivePinia(createPinia());
  });
  afterEach(async () => {
    setDbForTesting(undefined);
    await dropTestDb(db);
  });

  it('answers, keeps the conversation through the change log, and writes an unrated feedback record', async () => {
    const store = useChatStore();
    const engine = streamingEngine(['The moon ', 'pulls [1].']);
    store.configure(deps([engine, new ExtractiveEngine()]));
    await store.send('why tides?');
    const conv = Conversation.parse(await db.conversations.get(store.conversation!.id));
    expect(conv.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
    const answer = conv.messages[1]!;
    expect(answer).toMatchObject({ content: 'The moon pulls [1].', engine: 'openai-compatible', template: { id: 'grounded-memory', version: 1 } });
    expect(answer.searched).toMatch(/hybrid search .*: 1 passage/);
    expect(answer.sources![0]).toMatchObject({ n: 1, url: 'https://a.example/' });
    // The pipeline's trace and verification are stored with the answer (and so sync with it).
    expect(answer.trace).toMatchObject({ scope: 'memory', engine: 'openai-compatible', passages: { used: 1 } });
    expect(answer.trace!.retrievals.map((r) => [r.origin, r.status])).toEqual([['memory', 'ok']]);
    expect(answer.verification).toMatchObject({ checked: 1 });
    const fb = await getFeedback(feedbackIdOf(answer.id));
    expect(fb).toMatchObject({ rating: null, output: 'The moon pulls [1].', engine: 'openai-compatible', conversationId: conv.id, template: { id: 'grounded-memory' } });
    expect(fb!.prompt.at(-1)!.content).toContain('Question: why tides?');
    // The feedback carries what the pipeline did, so the review queue can say which stage failed.
    expect(fb!.serving).toMatchObject({ verification: { checked: 1 }, retrievals: [{ origin: 'memory', status: 'ok' }] });
    expect(fb!.serving!.steps.map((s) => s.step)).toEqual(['plan', 'retrieve', 'aggregate', 'generate', 'verify']);
    expect(fb!.serving!.cutAt).toBeUndefined();
    const logged = (await changesSince(0, 100, db)).map((c) => c.table);
    expect(logged).toContain('conversations');
    expect(logged).toContain('feedback');

    // A follow-up carries the earlier turns in its prompt.
    await store.send('and in winter?');
    const last = engine.prompts.at(-1)!;
    expect(last.some((m) => m === 'user:why tides?')).toBe(true);
    expect(last.some((m) => m === 'assistant:The moon pulls [1].')).toBe(true);
    expect((await db.conversations.get(conv.id))!.messages).toHaveLength(4);
  });

  it('stops mid-answer, keeping what was written, marked as stopped', async () => {
    const store = useChatStore();
    store.configure(deps([streamingEngine(Array.from({ length: 50 }, (_, i) => `t${i} `), 5)]));
    const sending = store.send('slow one');
    // Stop once some of the answer has streamed (a fixed wait is flaky on a loaded machine).
    for (let i = 0; i < 400 && !store.streaming?.text; i++) await new Promise((r) => setTimeout(r, 5));
    expect(store.busy).toBe(true);
    store.stop();
    await sending;
    const answer = (await db.conversations.get(store.conversation!.id))!.messages[1]!;
    expect(answer.stopped).toBe(true);
    expect(answer.content.length).toBeGreaterThan(0);
    expect(answer.content.split(' ').filter(Boolean).length).toBeLessThan(50);
    expect(store.busy).toBe(false);
    // The partial answer has its feedback record, marked stopped so the data loop can leave it out.
    const record = await getFeedback(feedbackIdOf(answer.id));
    expect(record).toMatchObject({ stopped: true, output: answer.content, engine: 'openai-compatible', template: { id: 'grounded-memory' } });
    expect(record!.prompt.at(-1)!.content).toContain('slow one');
    // …and says it was cut off while generating, after the stages that had ended.
    expect(record!.serving).toMatchObject({ cutAt: 'generate', verification: null });
    expect(record!.serving!.steps.map((s) => s.step)).toEqual(['plan', 'retrieve', 'aggregate']);
  });

  it('answers "This page" from the page’s passages and says when there is no page', async () => {
    const store = useChatStore();
    const page = { url: 'https://p.example/', title: 'Volcanoes', text: 'Volcanoes erupt when magma rises. Lava cools into rock. Ash can travel far.' };
    store.configure(deps([new ExtractiveEngine()], page));
    store.scope = 'page';
    await store.send('what happens to lava?');
    const answer = store.messages.at(-1)!;
    expect(answer.engine).toBe('extractive');
    expect(answer.sources![0]).toMatchObject({ url: 'https://p.example/', kind: 'page' });
    expect(answer.content).toContain('Lava cools into rock');
    expect(store.conversation!.pageUrl).toBe('https://p.example/');

    store.configure(deps([new ExtractiveEngine()], null));
    store.startNew();
    await store.send('anything?');
    expect(store.error).toMatch(/no page text/);
  });

  it('lists, renames, reopens and deletes conversations', async () => {
    const store = useChatStore();
    store.configure(deps([new ExtractiveEngine()]));
    await store.send('first chat about tides');
    const id = store.conversation!.id;
    store.startNew();
    expect(store.messages).toHaveLength(0);
    await store.rename(id, '  Tides  ');
    expect(store.conversations.map((c) => c.title)).toContain('Tides');
    await store.openLatest();
    expect(store.conversation!.id).toBe(id);
    await store.remove(id);
    expect(await db.conversations.get(id)).toBeUndefined();
    expect(store.conversation).toBeNull();
  });

  it('keeps a 1 MB answer within the record bounds', async () => {
    const store = useChatStore();
    store.configure(deps([streamingEngine(Array.from({ length: 16 }, () => 'x'.repeat(65_536)))]));
    await store.send('huge');
    const answer = store.messages.at(-1)!;
    expect(answer.content.length).toBeLessThanOrEqual(64_000);
    expect(store.error).toBeNull();
  });
});
