import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * TEST DOUBLE of an OpenAI-compatible chat endpoint (POST /v1/chat/completions, streamed). Not a model:
 * it answers scripted chunks chosen by words in the last message, so tests can check streaming,
 * upstream errors, timeouts and cancellation against a real HTTP server on loopback.
 *   "slow"  → 200 chunks 25 ms apart (the test hangs up part-way)
 *   "hang"  → headers, then silence (timeouts)
 *   "fail"  → HTTP 500
 *   "hostile" → markup an attacker would try in an answer: <script>, <img onerror>, javascript: links
 *   "huge"  → about 1 MB of text, in 16 KiB chunks
 *   "grounded" (a question starting so) → an answer built from the prompt's numbered <source> blocks: one sentence copied from
 *               each source citing it, then one sentence copied from source 1 but citing the source
 *               that shares the fewest words with it (a wrong citation, for the verifier to catch)
 *   other   → "Hello", " world", then [DONE]
 * GET /__log lists every request: its body, and whether it ended normally or the client went away.
 */
interface Entry {
  id: number;
  auth: string | undefined;
  body: unknown;
  chunksSent: number;
  completed: boolean;
  clientClosed: boolean;
}

/** What a compromised model or a prompt-injected page could make an answer say. */
export const HOSTILE_CHUNKS = [
  'Here you go: <script>window.__pwned = "script"</script> ',
  '<img src="x" onerror="window.__pwned = \'img\'"> ',
  '[click me](javascript:window.__pwned=\'link\') ',
  '<a href="javascript:window.__pwned=\'a\'">and me</a> ',
  '<iframe src="javascript:parent.__pwned=\'iframe\'"></iframe> **bold stays bold**',
];

const wordsOf = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);
const sentencesOf = (text: string) => text.replace(/\s+/g, ' ').split(/(?<=[.!?])\s+/).map((x) => x.trim().replace(/[.!?…]+$/, '')).filter((x) => x.length > 10);

/** The "grounded" script: sentences copied from the prompt's sources, one of them cited wrongly. */
export function groundedAnswer(prompt: string): string[] {
  const sources = [...prompt.matchAll(/<source n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g)].map((m) => ({ n: Number(m[1]), sentences: sentencesOf(m[2]!) })).filter((x) => x.sentences.length);
  if (!sources.length) return ['There are no sources to quote.'];
  const out = sources.slice(0, 8).map((x) => `${x.sentences[0]} [${x.n}]. `);
  const first = sources[0]!;
  const wrong = first.sentences[1] ?? first.sentences[0]!;
  const w = wordsOf(wrong);
  const others = sources.filter((x) => x.n !== first.n);
  if (others.length) {
    const overlap = (x: (typeof others)[number]) => [...wordsOf(x.sentences.join(' '))].filter((t) => w.has(t)).length;
    const least = others.reduce((a, b) => (overlap(b) < overlap(a) ? b : a));
    out.push(`${wrong} [${least.n}].`);
  }
  return out;
}

export function startLlmTestDouble(): Promise<{ url: string; close: () => Promise<void> }> {
  const log: Entry[] = [];
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
      const body = JSON.parse(raw) as { messages: { content: string }[] };
      const entry: Entry = { id: log.length, auth: req.headers.authorization, body, chunksSent: 0, completed: false, clientClosed: false };
      log.push(entry);
      res.on('close', () => {
        if (!entry.completed) entry.clientClosed = true;
      });
      // A grounded prompt carries page text, which may hold any cue word ("change" holds "hang"): only
      // its question decides, so the script is the grounded one.
      const asked = body.messages.at(-1)?.content ?? '';
      const last = /Question:\s*grounded/.test(asked) ? 'grounded' : asked;
      if (last.includes('fail')) {
        res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'test double failure' } }));
        entry.completed = true;
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const send = (content: string) => {
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`);
        entry.chunksSent += 1;
      };
      if (last.includes('hang')) {
        res.write(': waiting\n\n');
        return;
      }
      const chunks = last.includes('slow')
        ? Array.from({ length: 200 }, (_, i) => `t${i} `)
        : last.includes('hostile')
          ? HOSTILE_CHUNKS
          : last.includes('huge')
            ? Array.from({ length: 64 }, (_, i) => `${i === 0 ? 'HUGE ' : ''}${'lorem ipsum '.repeat(1366)}`.slice(0, 16_384))
            : last.includes('grounded')
              ? groundedAnswer(body.messages.map((m) => m.content).join('\n'))
              : ['Hello', ' world'];
      for (const chunk of chunks) {
        if (res.destroyed || entry.clientClosed) return;
        send(chunk);
        await new Promise((r) => setTimeout(r, last.includes('slow') ? 25 : 5));
      }
      res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.end('data: [DONE]\n\n');
      entry.completed = true;
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/v1`, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
