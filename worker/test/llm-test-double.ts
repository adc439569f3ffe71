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
 *   a grounded prompt (shared/prompts/grounded.ts: <source n=… from=…> blocks) → one sentence per source,
 *           its first sentence cited [n]; "miscite" in the question adds a claim no source makes, cited [1];
 *           a repair request answers the earlier answer without its flagged sentences
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

/** Scripted, not a model: what a grounded answer looks like, so the worker's pipeline can be checked end to end. */
function groundedReply(messages: { role: string; content: string }[]): string | null {
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
      // Checked first: a grounded prompt carries page text, whose words ("change") must not trigger the scripts below.
      const grounded = groundedReply(body.messages as { role: string; content: string }[]);
      const last = grounded ? '' : (body.messages.at(-1)?.content ?? '');
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
      const chunks = grounded
        ? grounded.match(/\S+\s*/g) ?? []
        : last.includes('slow')
        ? Array.from({ length: 200 }, (_, i) => `t${i} `)
        : last.includes('hostile')
          ? HOSTILE_CHUNKS
          : last.includes('huge')
            ? Array.from({ length: 64 }, (_, i) => `${i === 0 ? 'HUGE ' : ''}${'lorem ipsum '.repeat(1366)}`.slice(0, 16_384))
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
