import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';

/**
 * A loopback TEST DOUBLE of a documentation site, built from real articles in
 * ../shared/reference/web-pages (Mozilla Readability's test pages). Each article keeps its own markup; the
 * double appends a small nav of links to it. Laid out to exercise everything a polite crawler meets:
 *   /docs/                    index linking to the articles (depth 1) and to the traps below
 *   /docs/<name>              the real articles; one links on to /docs/deep/guardian (depth 2, another article)
 *   /docs/orphan              reachable only through /sitemap.xml
 *   /docs/private/secret      disallowed by robots.txt
 *   /docs/loop/a ↔ /docs/loop/b   a redirect loop;  /docs/moved → 301 → /docs/<first article>
 *   /docs/huge                a 10 MB page;  /docs/slow  answers after `slowMs`
 *   /docs/files/report.pdf, /docs/files/diagram.png   not HTML
 *   /docs/copy                the first article again under another URL, canonical pointing home
 *   /docs/mirror              the first article again, no canonical (caught by the content hash)
 *   /docs/<first>?utm_source=newsletter   the same URL with tracking (caught by URL normalisation)
 *   /blog/elsewhere           outside the path prefix
 * Every request is logged with its time, so tests can check what was (and wasn't) fetched and the spacing.
 */
const REFERENCE = resolve(import.meta.dirname, '../../../shared/reference/web-pages');
// Articles whose own markup allows indexing (mozilla-2, nytimes-1 and others carry a robots noindex meta).
export const ARTICLES = ['wikipedia', 'ietf-1', 'guardian-1', 'medium-2', 'v8-blog', 'quanta-1'];

export interface SiteDouble {
  origin: string;
  log: { path: string; at: number; ua: string }[];
  close(): Promise<void>;
}

function article(name: string, extraLinks: string[], canonical?: string): string {
  const html = readFileSync(resolve(REFERENCE, name, 'source.html'), 'utf8');
  const nav = `<nav>${extraLinks.map((l) => `<a href="${l}">${l}</a>`).join(' ')}</nav>`;
  const head = canonical ? `<link rel="canonical" href="${canonical}">` : '';
  const withHead = head ? html.replace(/<head[^>]*>/i, (m) => `${m}${head}`) : html;
  return /<\/body>/i.test(withHead) ? withHead.replace(/<\/body>/i, `${nav}</body>`) : `${withHead}${nav}`;
}

export async function startSiteDouble(options: { crawlDelay?: number; slowMs?: number } = {}): Promise<SiteDouble> {
  const log: SiteDouble['log'] = [];
  const first = ARTICLES[0]!;
  let origin = '';
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    log.push({ path: url.pathname + url.search, at: Date.now(), ua: String(req.headers['user-agent'] ?? '') });
    const html = (body: string, status = 200) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
    const p = url.pathname;
    if (p === '/robots.txt') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end(`User-agent: *\nDisallow: /docs/private/\n${options.crawlDelay ? `Crawl-delay: ${options.crawlDelay}\n` : ''}Sitemap: ${origin}/sitemap.xml\n`);
    }
    if (p === '/sitemap.xml') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(`<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>${origin}/sitemap-docs.xml</loc></sitemap></sitemapindex>`);
    }
    if (p === '/sitemap-docs.xml') {
      res.writeHead(200, { 'content-type': 'application/xml' });
      return res.end(`<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>${origin}/docs/orphan</loc></url><url><loc>${origin}/docs/${first}</loc></url></urlset>`);
    }
    if (p === '/docs/' || p === '/docs') {
      const links = [
        ...ARTICLES.map((a) => `/docs/${a}`),
        '/docs/private/secret',
        '/docs/loop/a',
        '/docs/moved',
        '/docs/huge',
        '/docs/slow',
        '/docs/files/report.pdf',
        '/docs/files/diagram.png',
        '/docs/copy',
        '/docs/mirror',
        `/docs/${first}?utm_source=newsletter`,
        '/blog/elsewhere',
        'https://other.example/docs/',
      ];
      return html(`<!doctype html><html lang="en"><head><title>Docs</title></head><body><main><h1>Documentation</h1><p>Everything about the project, one article per page.</p><ul>${links.map((l) => `<li><a href="${l}">${l}</a></li>`).join('')}</ul></main></body></html>`);
    }
    if (p === '/docs/loop/a') return res.writeHead(302, { location: '/docs/loop/b' }).end();
    if (p === '/docs/loop/b') return res.writeHead(302, { location: '/docs/loop/a' }).end();
    if (p === '/docs/moved') return res.writeHead(301, { location: `/docs/${ARTICLES[1]}` }).end();
    if (p === '/docs/huge') {
      res.writeHead(200, { 'content-type': 'text/html' });
      const chunk = `<p>${'lorem ipsum dolor sit amet '.repeat(40_000)}</p>\n`;
      let sent = 0;
      const write = () => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      return write();
    }
    if (p === '/docs/slow') {
      const timer = setTimeout(() => html(article(ARTICLES[2]!, [])), options.slowMs ?? 3000);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    if (p === '/docs/files/report.pdf') return res.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.4 not really');
    if (p === '/docs/files/diagram.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    if (p === '/docs/copy') return html(article(first, [], `${origin}/docs/${first}`));
    if (p === '/docs/mirror') return html(article(first, []));
    if (p === '/docs/orphan') return html(article('engadget', []));
    if (p === '/docs/private/secret') return html('<html><body><p>secret</p></body></html>');
    if (p === '/blog/elsewhere') return html(article('quanta-1', []));
    if (p === '/docs/deep/guardian') return html(article('seattletimes-1', []));
    const name = /^\/docs\/([\w-]+)$/.exec(p)?.[1];
    if (name && ARTICLES.includes(name)) return html(article(name, name === ARTICLES[3] ? ['/docs/deep/guardian'] : []));
    html('<html><body>not found</body></html>', 404);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, log, close: () => new Promise<void>((r) => server.close(() => r())) };
}
