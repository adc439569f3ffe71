import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkerEngine, type WorkerConfig } from './worker-sse';
import type { GenerationInput } from './types';

// A loopback double of the worker's /v1/chat: it streams SSE events with pauses between them, so the
// test sees tokens arrive one by one rather than one buffered body.
let server: Server;
let baseUrl: string;
const requests: { headers: IncomingMessage['headers']; body: string }[] = [];

function handle(req: IncomingMessage, res: ServerResponse) {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', async () => {
    requests.push({ headers: req.headers, body });
    const { messages } = JSON.parse(body) as { messages: { content: string }[] };
    const question = messages.at(-1)!.content;
    if (question.includes('quota')) {
      res.writeHead(429, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'daily limit reached' } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    if (question.includes('slow')) {
      for (let i = 0; i < 100 && !res.destroyed; i++) {
        res.write(`data: ${JSON.stringify({ delta: `t${i} ` })}\n\n`);
        await new Promise((r) => setTimeout(r, 20));
      }
      res.end();
      return;
    }
    if (question.includes('fail')) {
      res.write(`data: ${JSON.stringify({ delta: 'Partial' })}\n\n`);
      res.end(`event: error\ndata: ${JSON.stringify({ message: 'model crashed' })}\n\n`);
      return;
    }
    for (const piece of ['Cats sleep ', 'a lot [1]', '.']) {
      res.write(`data: ${JSON.stringify({ delta: piece })}\n\n`);
      await new Promise((r) => setTimeout(r, 10));
    }
    res.end('event: done\ndata: {}\n\n');
  });
}

beforeAll(async () => {
  server = createServer(handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const input = (question: string): GenerationInput => ({
  question,
  sources: [{ n: 1, id: 'highlight:h1#0', kind: 'highlight', sourceId: 'h1', url: 'https://e.com', title: 't', site: 'e.com', text: 'secret page text about cats' }],
  messages: [
    { role: 'system', content: 'Answer from the sources. [1] secret page text about cats' },
    { role: 'user', content: question },
  ],
});

const engine = (config: Partial<WorkerConfig> = {}) =>
  new WorkerEngine({ config: async () => ({ privacy: 'allow-worker', baseUrl, token: 'tok-123', ...config }) });

describe('WorkerEngine', () => {
  it('streams the answer token by token over SSE with the bearer token', async () => {
    const tokens: string[] = [];
    const answer = await engine().generate(input('how much do cats sleep?'), { onToken: (t) => tokens.push(t) });
    expect(answer).toBe('Cats sleep a lot [1].');
    expect(tokens).toEqual(['Cats sleep ', 'a lot [1]', '.']);
    const last = requests.at(-1)!;
    expect(last.headers.authorization).toBe('Bearer tok-123');
    expect(JSON.parse(last.body).stream).toBe(true);
    expect(JSON.parse(last.body).template).toBeUndefined();
  });

  it('names the template that built the prompt, for the worker to record', async () => {
    await engine().generate({ ...input('how much do cats sleep?'), template: { id: 'chat-memory', version: 3 } });
    expect(JSON.parse(requests.at(-1)!.body).template).toEqual({ id: 'chat-memory', version: 3 });
  });

  it('never sends anything when the privacy setting is local only', async () => {
    const before = requests.length;
    const e = engine({ privacy: 'local-only' });
    expect((await e.available()).status).toBe('unavailable');
    await expect(e.generate(input('how much do cats sleep?'))).rejects.toMatchObject({ code: 'privacy' });
    expect(requests.length).toBe(before);
  });

  it('explains a quota refusal in words', async () => {
    await expect(engine().generate(input('quota please'))).rejects.toMatchObject({ code: 'quota', message: expect.stringContaining('daily limit reached') });
  });

  it('turns an error event mid-stream into a readable error', async () => {
    await expect(engine().generate(input('fail now'))).rejects.toMatchObject({ code: 'generation-failed', message: expect.stringContaining('model crashed') });
  });

  it('stops streaming when cancelled', async () => {
    const controller = new AbortController();
    const tokens: string[] = [];
    const run = engine().generate(input('slow one'), {
      signal: controller.signal,
      onToken: (t) => {
        tokens.push(t);
        if (tokens.length === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    expect(tokens.length).toBeLessThan(10);
  });

  it('says when the worker cannot be reached', async () => {
    await expect(engine({ baseUrl: 'http://127.0.0.1:9' }).generate(input('hello'))).rejects.toMatchObject({ code: 'network' });
  });
});
