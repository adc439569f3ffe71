import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deflateSync } from 'node:zlib';

/**
 * TEST DOUBLE of the web for worker tests, on loopback: not SearXNG, not Brave, not OpenAI — each
 * endpoint answers with the real shape and records what it was asked.
 *   GET  /searxng/search?q=…&format=json      → SearXNG-shaped { results: [{ title, url, content }] }
 *   GET  /res/v1/web/search?q=…&count=…       → Brave-shaped { web: { results: [{ title, url, description }] } }
 *                                               (401 without X-Subscription-Token: brave-test-key)
 *   GET  /robots.txt                          → disallows /pages/private for every agent
 *   GET  /pages/:name                         → loopback result pages (article, second, private, huge, slow)
 *   POST /v1/images/generations               → OpenAI-shaped { data: [{ b64_json }] } with real PNG bytes
 *                                               (400 content_policy_violation for a prompt with "forbidden")
 *   GET  /__log                               → every request so far; POST /__down?on=1|0 → 503 everything
 */
export const BRAVE_TEST_KEY = 'brave-test-key';

export interface WebLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([len, typed, crc]);
}
/** A valid RGB PNG of `size`² pixels in one colour (seeded by the prompt, so images differ). */
export function tinyPng(size: number, rgb: [number, number, number]): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => rgb).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function article(title: string, paragraphs: string[]): string {
  return `<!doctype html><html><head><title>${title}</title><script>var tracking = "SCRIPT_NOISE";</script></head><body>
<nav><a href="/">Home</a> · <a href="/about">About</a></nav>
<article><h1>${title}</h1>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<footer>Copyright footer text</footer></body></html>`;
}

const PAGES: Record<string, string> = {
  article: article('Octopus cognition', [
    'Octopuses solve puzzles, open screw-top jars and recognise individual human keepers, which suggests a flexible form of learning rather than fixed instinct.',
    'Two thirds of an octopus’s neurons sit in its arms, so each arm can taste, touch and decide on simple movements without waiting for the central brain.',
    'Researchers studying the common octopus found that it learns by watching another octopus, a behaviour once thought to need a social species.',
  ]),
  second: article('Cephalopod camouflage', [
    'Cuttlefish and octopuses change colour and skin texture within a fraction of a second using chromatophores controlled directly by nerves.',
    'Although most cephalopods are colour-blind, their skin contains light-sensitive proteins that may help match the surroundings.',
  ]),
  private: article('Private page', ['This page is disallowed by robots.txt and must never be fetched by a polite crawler. PRIVATE_MARKER.']),
};

export function startWebTestDouble(): Promise<{ url: string; close: () => Promise<void> }> {
  const log: WebLogEntry[] = [];
  let down = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://double');
      const base = `http://${req.headers.host}`;
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/__log') return send(200, log);
      if (url.pathname === '/__down') {
        down = url.searchParams.get('on') === '1';
        return send(200, { down });
      }
      let body: unknown = null;
      try {
        body = raw ? JSON.parse(raw) : null;
      } catch {
        body = raw;
      }
      log.push({ method: req.method ?? '', path: url.pathname, query: Object.fromEntries(url.searchParams), body });
      if (down) return send(503, { error: 'test double is down' });

      const q = url.searchParams.get('q') ?? '';
      // Result lists depend on the query, so a test can tell one search from another.
      const hits = [
        { title: `Octopus cognition — ${q}`, url: `${base}/pages/article`, text: 'Octopuses <strong>solve</strong> puzzles &amp; open jars.' },
        { title: 'Cephalopod camouflage', url: `${base}/pages/second`, text: 'How cuttlefish change colour.' },
        { title: 'Private page', url: `${base}/pages/private`, text: 'Disallowed by robots.txt.' },
        { title: 'Not fetched (fourth)', url: `${base}/pages/fourth`, text: 'Only the top three are read.' },
        { title: 'Not a web URL', url: 'ftp://example.invalid/file', text: 'Dropped by the worker.' },
      ];
      if (url.pathname === '/searxng/search') {
        if (url.searchParams.get('format') !== 'json') return res.writeHead(403).end('format not allowed');
        return send(200, { query: q, number_of_results: hits.length, results: hits.map((h) => ({ title: h.title, url: h.url, content: h.text, engine: 'double' })) });
      }
      if (url.pathname === '/res/v1/web/search') {
        if (req.headers['x-subscription-token'] !== BRAVE_TEST_KEY) return send(401, { type: 'ErrorResponse', error: { code: 'SUBSCRIPTION_TOKEN_INVALID' } });
        const count = Number(url.searchParams.get('count') ?? 20);
        return send(200, { type: 'search', query: { original: q }, web: { type: 'search', results: hits.slice(0, count).map((h) => ({ title: h.title, url: h.url, description: h.text })) } });
      }
      if (url.pathname === '/robots.txt') return res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /pages/private\n');
      if (url.pathname.startsWith('/pages/')) {
        const name = url.pathname.slice('/pages/'.length);
        if (name === 'huge') return res.writeHead(200, { 'content-type': 'text/html' }).end(article('Huge', ['x'.repeat(2 * 1024 * 1024)]));
        const page = PAGES[name];
        if (!page) return res.writeHead(404, { 'content-type': 'text/html' }).end('<p>not found</p>');
        return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      }
      if (url.pathname === '/v1/images/generations' && req.method === 'POST') {
        const request = (body ?? {}) as { prompt?: string; n?: number; response_format?: string };
        if (request.response_format !== 'b64_json') return send(400, { error: { message: 'response_format must be b64_json' } });
        // A prompt the provider's safety system refuses, answered the way OpenAI's images API does.
        if (/\bforbidden\b/i.test(request.prompt ?? '')) return send(400, { error: { code: 'content_policy_violation', message: 'Your request was rejected as a result of our safety system.' } });
        const seed = [...(request.prompt ?? '')].reduce((a, ch) => (a * 31 + ch.charCodeAt(0)) % 256, 7);
        const data = Array.from({ length: request.n ?? 1 }, (_, i) => ({ b64_json: tinyPng(8, [seed, (seed + 80 * i) % 256, 200]).toString('base64') }));
        return send(200, { created: Math.floor(Date.now() / 1000), data });
      }
      if (url.pathname === '/bad-images/v1/images/generations') return send(200, { data: [{ b64_json: Buffer.from('GIF89a not a png').toString('base64') }] });
      res.writeHead(404).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((done) => server.close(() => done())) });
    });
  });
}
