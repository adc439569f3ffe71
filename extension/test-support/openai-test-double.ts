import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * TEST DOUBLE of an OpenAI-compatible chat endpoint (POST /v1/chat/completions with stream: true), the
 * shape Ollama, LM Studio, llama.cpp's server and OpenAI share. Not a model: it streams scripted
 * chunks chosen by a word in the last message, so every client of such an endpoint is tested against
 * a real HTTP server on loopback. The one double of the project: the extension's unit tests and e2e
 * (direct-endpoint engine, chat), the worker's tests (started in Node by worker/test/global-setup.ts,
 * as the worker's upstream model) and the in-page e2e through `wrangler dev` all use it.
 *   "slow"    → 200 chunks 25 ms apart (the test presses Stop / hangs up part-way)
 *   "hang"    → headers, then silence (timeouts)
 *   "fail"    → HTTP 500 with an OpenAI error body
 *   "hostile" → Markdown and raw HTML an attacker would try: <script>, <img onerror>, javascript:
 *               links (Markdown and <a>), an <iframe>, beside a safe link and **bold stays bold**
 *   "huge"    → about 1 MB of text in 16 KiB chunks
 *   with option `grounded` (the worker's tests, the grounded-answers e2e):
 *   a grounded prompt (shared/prompts/grounded.ts: <source n=… from=…> blocks) → one sentence per source,
 *               its first sentence cited [n]; "miscite" in the question adds a claim no source makes,
 *               cited [1]; a repair request answers the earlier answer without its flagged sentences.
 *               Checked first: a grounded prompt carries page text, whose words must not trip the scripts.
 *   other     → "Hello **world** [1]." when the prompt has a numbered source (a model citing it),
 *               else "Hello world" (what a rewrite gets back), in a few chunks, then [DONE]
 * Options: `apiKey` makes it answer 401 without that bearer token; `rejectOrigins` answers 403 with an
 * empty body to any request carrying an Origin header, as Ollama does without OLLAMA_ORIGINS.
 * GET /__log lists every request: headers that matter, body, and whether the client went away.
 */

export interface TestDoubleEntry {
  id: number;
  auth: string | undefined;
  origin: string | undefined;
  body: { model?: string; messages: { role: string; content: string }[]; stream?: boolean };
  chunksSent: number;
  completed: boolean;
  clientClosed: boolean;
}

export interface OpenAiTestDouble {
  /** Base URL including /v1. */
  url: string;
  log: TestDoubleEntry[];
  close: () => Promise<void>;
}

export const HOSTILE_ANSWER = [
  'Safe text [1].',
  '<script>window.__pwned = true</script>',
  '<img src="x" onerror="window.__pwned = true">',
  '[click me](javascript:window.__pwned=true) and [a real link](https://example.com/docs)',
  '<a href="javascript:window.__pwned=\'a\'">and me</a> <iframe src="javascript:parent.__pwned=\'iframe\'"></iframe> **bold stays bold**',
].join('\n\n');

/** A trigger word in the last message, as a whole word: page text in a prompt ("change", "failure")
 * must not trip it. */
const says = (text: string, word: string) => new RegExp(`\\b${word}\\b`, 'i').test(text);

/** Scripted, not a model: what a grounded answer looks like, so the serving pipeline can be checked end to end. */
function groundedReply(messages: TestDoubleEntry['body']['messages']): string | null {
  const last = messages.at(-1)?.content ?? '';
  if (last.includes('cite sources that do not support them')) {
    const previous = messages.at(-2)?.content ?? '';
    const flagged = [...last.matchAll(/^\d+\. "(.+?)" cites/gm)].map((m) => m[1]!.split(' ').slice(0, 3).join(' '));
    return previous
      .split(/(?<=\.(?:\s*\[\d+\])*)\s+/)
      .filter((sentence) => !flagged.some((f) => sentence.includes(f)))
      .join(' ');
  }
  if (!/<source n="\d+" from="/.test(last)) return null;
  const sentences = [...last.matchAll(/<source n="(\d+)"[^>]*>\n([^\n]*)/g)].map((m) => {
    const first = (m[2]!.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? m[2]!).replace(/[.!?]$/, '');
    return `${first} [${m[1]}].`;
  });
  if (!sentences.length) return 'The sources do not say.';
  if (/miscite/i.test(last.slice(last.lastIndexOf('Question:')))) sentences.push('Octopuses can fly across whole oceans at night [1].');
  return sentences.join(' ');
}

/** The last message, or nothing when the prompt is answered as a grounded one (its page text must not trip a trigger). */
function triggerText(messages: TestDoubleEntry['body']['messages'], grounded: boolean): string {
  return grounded && groundedReply(messages) !== null ? '' : (messages.at(-1)?.content ?? '');
}

function script(messages: TestDoubleEntry['body']['messages'], grounded: boolean): string[] {
  const reply = grounded ? groundedReply(messages) : null;
  if (reply !== null) return reply.match(/\S+\s*/g) ?? [reply];
  const last = messages.at(-1)?.content ?? '';
  if (says(last, 'hostile')) return HOSTILE_ANSWER.match(/[\s\S]{1,24}/g)!;
  if (says(last, 'huge')) return Array.from({ length: 64 }, (_, i) => `${i === 0 ? 'HUGE ' : ''}${'lorem ipsum '.repeat(1366)}`.slice(0, 16_384));
  if (says(last, 'slow')) return Array.from({ length: 200 }, (_, i) => `t${i} `);
  const hasSource = messages.some((m) => m.content.includes('<source n="1"'));
  return hasSource ? ['Hello ', '**world** ', '[1].'] : ['Hello', ' world'];
}

export function startOpenAiTestDouble(options: { apiKey?: string; rejectOrigins?: boolean; port?: number; grounded?: boolean } = {}): Promise<OpenAiTestDouble> {
  const log: TestDoubleEntry[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url === '/__log') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(log));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', async () => {
      const body = JSON.parse(raw) as TestDoubleEntry['body'];
      const entry: TestDoubleEntry = { id: log.length, auth: req.headers.authorization, origin: req.headers.origin, body, chunksSent: 0, completed: false, clientClosed: false };
      log.push(entry);
      res.on('close', () => {
        if (!entry.completed) entry.clientClosed = true;
      });
      if (options.rejectOrigins && req.headers.origin) {
        res.writeHead(403).end();
        entry.completed = true;
        return;
      }
      if (options.apiKey && req.headers.authorization !== `Bearer ${options.apiKey}`) {
        res.writeHead(401, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Incorrect API key provided' } }));
        entry.completed = true;
        return;
      }
      const grounded = options.grounded ?? false;
      const last = triggerText(body.messages, grounded);
      if (says(last, 'fail')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'test double failure' } }));
        entry.completed = true;
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      if (says(last, 'hang')) {
        res.write(': waiting\n\n');
        return;
      }
      const slow = says(last, 'slow');
      for (const content of script(body.messages, grounded)) {
        if (res.destroyed || entry.clientClosed) return;
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
        entry.chunksSent += 1;
        await new Promise((r) => setTimeout(r, slow ? 25 : 5));
      }
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      entry.completed = true;
    });
  });
  return new Promise((resolve) => {
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}/v1`,
        log,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
