import { readEvents } from '../../test/sse';
import { beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { TEMPLATES } from '../../../shared/prompts';
import { call, hlcAt, highlightData, json, newAccount, newId, plansWithFreeLimit, push, resetDb } from '../../test/helpers';

// The model side is the OpenAI-compatible TEST DOUBLE from extension/test-support/openai-test-double.ts, listening on
// loopback in the Node process that runs vitest (see test/global-setup.ts).
const llmBaseUrl = inject('llmBaseUrl');
const withModel = { OPENAI_BASE_URL: llmBaseUrl, OPENAI_API_KEY: 'sk-test-double', OPENAI_MODEL: 'double-1', AI_PROVIDER: '' };

beforeEach(resetDb);

interface LogEntry {
  id: number;
  auth?: string;
  body: { model: string; stream: boolean; messages: { role: string; content: string }[] };
  chunksSent: number;
  completed: boolean;
  clientClosed: boolean;
}

async function doubleLog(): Promise<LogEntry[]> {
  return (await fetch(new URL('/__log', llmBaseUrl))).json();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('POST /v1/chat (SSE)', () => {
  it('streams deltas from the OpenAI-compatible endpoint, then done', async () => {
    const a = await newAccount();
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'say hello' }], stream: true }, envOverrides: withModel });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(res);
    const deltas = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data).delta);
    expect(deltas).toEqual(['Hello', ' world']);
    expect(events.at(-1)).toMatchObject({ event: 'done', data: JSON.stringify({ finishReason: 'stop' }) });
    const upstream = (await doubleLog()).at(-1)!;
    expect(upstream.auth).toBe('Bearer sk-test-double');
    expect(upstream.body).toMatchObject({ model: 'double-1', stream: true });
    // Messages the client built itself carry no template unless the client names one.
    expect(res.headers.get('x-calico-template')).toBeNull();
  });

  it('names the template version that built the prompt: ask-sources for questions, the client’s ref for its own messages', async () => {
    const a = await newAccount();
    const asked = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'Why?', sources: [{ title: 't', url: 'https://a.example/', text: 'because' }] }, envOverrides: withModel });
    expect(asked.headers.get('x-calico-template')).toBe(`ask-sources@${TEMPLATES['ask-sources'].version}`);
    await asked.text();
    const own = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'hi' }], template: { id: 'write.improve', version: 3 } }, envOverrides: withModel });
    expect(own.headers.get('x-calico-template')).toBe('write.improve@3');
    await own.text();
    const bad = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'hi' }], template: { id: '', version: 0 } }, envOverrides: withModel });
    expect(bad.status).toBe(400);
  });

  it('builds the ask-with-sources prompt from the user’s own synced records and says which', async () => {
    const a = await newAccount();
    const id = newId('hl');
    await push(a.token, [{ op: 'put', kind: 'highlight', key: id, hlc: hlcAt(Date.now() - 1000, 'd'), data: highlightData(id, { text: 'Octopuses taste with their arms.' }) }]);
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'How do octopuses taste?', searchMyRecords: true }, envOverrides: withModel });
    const events = await readEvents(res);
    expect(events[0]!.event).toBe('sources');
    expect(JSON.parse(events[0]!.data).sources).toEqual([{ n: 1, kind: 'highlight', key: id, title: 'An article about octopus cognition', url: 'https://example.com/article' }]);
    const prompt = (await doubleLog()).at(-1)!.body.messages;
    expect(prompt[0]!.role).toBe('system');
    expect(prompt[1]!.content).toContain('<source n="1"');
    expect(prompt[1]!.content).toContain('Octopuses taste with their arms.');
  });

  it('stops the upstream request when the client disconnects mid-stream', async () => {
    const a = await newAccount();
    const before = (await doubleLog()).length;
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'be slow please' }] }, envOverrides: withModel });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toContain('event: delta');
    await reader.cancel('user closed the panel');
    let entry: LogEntry | undefined;
    for (let i = 0; i < 40; i++) {
      await sleep(50);
      entry = (await doubleLog())[before];
      if (entry?.clientClosed) break;
    }
    expect(entry!.clientClosed).toBe(true);
    expect(entry!.completed).toBe(false);
    const sent = entry!.chunksSent;
    await sleep(200);
    // Nothing more was generated for a reader that's gone.
    expect((await doubleLog())[before]!.chunksSent).toBe(sent);
    expect(sent).toBeLessThan(200);
  });

  it('times out a silent model with an error event, and closes the upstream request', async () => {
    const a = await newAccount();
    const before = (await doubleLog()).length;
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'hang forever' }] }, envOverrides: { ...withModel, CHAT_TIMEOUT_MS: '300' } });
    const events = await readEvents(res);
    expect(events.at(-1)!.event).toBe('error');
    expect(JSON.parse(events.at(-1)!.data).error.message).toMatch(/did not finish within 300 ms/);
    await sleep(100);
    expect((await doubleLog())[before]!.clientClosed).toBe(true);
  });

  it('an upstream error is a 502 JSON error before any stream starts', async () => {
    const a = await newAccount();
    const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { messages: [{ role: 'user', content: 'please fail' }] }, envOverrides: withModel });
    expect(res.status).toBe(502);
    expect((await json(res)).error.code).toBe('provider_error');
  });

  it('never echoes the upstream’s error text to the client: it is logged under the requestId (issue 9)', async () => {
    const a = await newAccount();
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const res = await call('/v1/chat', {
        method: 'POST',
        token: a.token,
        json: { messages: [{ role: 'user', content: 'please fail' }] },
        envOverrides: { ...withModel, LOG_REQUESTS: '1' },
        headers: { 'x-request-id': 'req_upstream_fail_1' },
      });
      expect(res.status).toBe(502);
      const text = await res.text();
      expect(text).not.toMatch(/test double failure|HTTP 500|127\.0\.0\.1/);
      expect(JSON.parse(text).error).toEqual({ code: 'provider_error', message: expect.stringMatching(/requestId/), requestId: 'req_upstream_fail_1' });
      const logged = spy.mock.calls.map((call) => JSON.parse(String(call[0])));
      expect(logged).toContainEqual(expect.objectContaining({ requestId: 'req_upstream_fail_1', upstreamStatus: 500, error: expect.stringContaining('test double failure') }));
      // An endpoint that can't be reached says so without naming where it is.
      const unreachable = await call('/v1/chat', {
        method: 'POST',
        token: a.token,
        json: { question: 'hi' },
        envOverrides: { ...withModel, OPENAI_BASE_URL: 'http://127.0.0.1:9/internal-llm/v1' },
      });
      expect(unreachable.status).toBe(502);
      expect(await unreachable.text()).not.toMatch(/internal-llm|127\.0\.0\.1/);
    } finally {
      spy.mockRestore();
    }
  });

  it('503 when no provider is configured; 400 on bad bodies; 401 without a token', async () => {
    const a = await newAccount();
    const none = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'hi' }, envOverrides: { OPENAI_BASE_URL: '', AI_PROVIDER: '' } });
    expect(none.status).toBe(503);
    expect((await json(none)).error.code).toBe('provider_unavailable');
    for (const body of [{}, { question: '' }, { messages: [] }, { messages: [{ role: 'tool', content: 'x' }] }, { question: 'a', messages: [{ role: 'user', content: 'b' }] }]) {
      expect((await call('/v1/chat', { method: 'POST', token: a.token, json: body, envOverrides: withModel })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('/v1/chat', { method: 'POST', json: { question: 'hi' }, envOverrides: withModel })).status).toBe(401);
  });

  it("enforces the plan's chat quota per user with 429", async () => {
    const a = await newAccount();
    const env = { ...withModel, PLANS: JSON.stringify(plansWithFreeLimit('chatRequests', 2)) };
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'hello' }, envOverrides: env });
      statuses.push(res.status);
      await res.body?.cancel();
    }
    expect(statuses).toEqual([200, 200, 429]);
    // Another user has their own quota.
    const b = await newAccount();
    const other = await call('/v1/chat', { method: 'POST', token: b.token, json: { question: 'hello' }, envOverrides: env });
    expect(other.status).toBe(200);
    await other.body?.cancel();
  });
});

describe('POST /v1/write (SSE)', () => {
  it('streams a writing action with the shared prompt template', async () => {
    const a = await newAccount();
    const res = await call('/v1/write', { method: 'POST', token: a.token, json: { action: 'tone', tone: 'friendly', text: 'Send the report.' }, envOverrides: withModel });
    expect(res.status).toBe(200);
    const events = await readEvents(res);
    expect(events.filter((e) => e.event === 'delta')).toHaveLength(2);
    // The versioned template from shared/prompts/templates.ts, the same ref the extension stores.
    expect(res.headers.get('x-calico-template')).toBe(`write.tone@${TEMPLATES['write.tone'].version}`);
    const prompt = (await doubleLog()).at(-1)!.body.messages;
    expect(prompt[0]!.content).toContain('friendly');
    expect(prompt[1]!.content).toContain('<text>\nSend the report.\n</text>');
  });

  it('400s on unknown actions and a tone action without a tone; 401 without a token', async () => {
    const a = await newAccount();
    for (const body of [{ action: 'shout', text: 'x' }, { action: 'tone', text: 'x' }, { action: 'improve', text: '' }]) {
      expect((await call('/v1/write', { method: 'POST', token: a.token, json: body, envOverrides: withModel })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await call('/v1/write', { method: 'POST', json: { action: 'improve', text: 'x' }, envOverrides: withModel })).status).toBe(401);
  });
});
