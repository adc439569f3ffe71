import { describe, expect, test } from 'vitest';
import { waitForRows, type SearchRow, type VisitRow } from './support/database';
import { realPage } from './support/server';
import { useSuite } from './support/suite';

// Issue 2: a results URL on a real engine's host is recorded as a Search, and the page opened from it
// is linked to that search. www.bing.com is on Chromium's HSTS preload list, so it is served over TLS
// by the local HTTPS server that --host-resolver-rules maps it to.
describe('search journeys', () => {
  const s = useSuite({ tlsHosts: ['www.bing.com', 'v8.dev'] });

  test('a Bing results page is a Search and the result opened from it is linked to it', async () => {
    const { eb, tls } = s;
    tls.set('/search', (_req, url) => {
      const q = (url.searchParams.get('q') ?? '').replace(/[<>&"]/g, '');
      return `<!doctype html><html><head><meta charset="utf-8"><title>${q} - Search</title></head><body>
<ol id="b_results">
  <li class="b_algo"><h2><a id="result-1" href="https://v8.dev/blog/emscripten-standalone-wasm">Outside the web: standalone WebAssembly binaries using Emscripten · V8</a></h2>
  <p>Emscripten now supports standalone Wasm files, which do not need JavaScript.</p></li>
  <li class="b_algo"><h2><a href="https://v8.dev/blog">V8 blog</a></h2><p>News from the V8 team.</p></li>
</ol></body></html>`;
    });
    tls.set('/blog/emscripten-standalone-wasm', realPage('v8-blog'));

    const page = await eb.open('https://www.bing.com/search?q=standalone+wasm+emscripten&form=QBLH&sp=-1');
    const searches = await waitForRows<SearchRow>(eb, 'searches', (rows) => rows.length > 0, { timeout: 60_000 });
    expect(searches).toHaveLength(1);
    const search = searches[0]!;
    expect(search.engine).toMatch(/bing/i);
    expect(search.query).toBe('standalone wasm emscripten');
    expect(search.site).toContain('bing.com');

    // A reader clicks the first result in the same tab.
    await Promise.all([page.waitForNavigation({ waitUntil: 'load', timeout: 90_000 }), page.click('#result-1')]);
    const visits = await waitForRows<VisitRow>(
      eb,
      'visits',
      (rows) => rows.some((v) => v.url.startsWith('https://v8.dev/blog/emscripten-standalone-wasm') && v.searchId !== null),
      { timeout: 60_000 },
    );
    const opened = visits.find((v) => v.url.startsWith('https://v8.dev/blog/emscripten-standalone-wasm'))!;
    expect(opened.searchId).toBe(search.id);
    expect(opened.title).toContain('standalone WebAssembly');
    await page.close();
  });
});
