import { describe, expect, test } from 'vitest';
import { readTable, waitForRows, type PageRow, type VisitRow } from './support/database';
import { spaPage } from './support/fixtures';
import { useSuite } from './support/suite';

// Issue 2: a page view from a real web page is recorded (URL normalised, utm_* dropped, title, text,
// active time), and an SPA route change makes a second visit.
describe('capture of page views', () => {
  const s = useSuite();

  test('a real page is recorded with a normalised URL, its title, its text and the time spent on it', async () => {
    const { eb, web } = s;
    const page = await eb.open(`${web.origin}/web/v8-blog/?utm_source=newsletter&utm_medium=email&utm_campaign=wasm#standalone`);
    await page.bringToFront();

    const [visit] = await waitForRows<VisitRow>(eb, 'visits', (rows) => rows.some((v) => v.url.includes('/web/v8-blog')), {
      timeout: 60_000,
    });
    expect(visit!.url).not.toMatch(/utm_/);
    expect(visit!.url.startsWith(`${web.origin}/web/v8-blog`)).toBe(true);
    expect(visit!.title).toContain('standalone WebAssembly binaries using Emscripten');
    expect(visit!.site).toContain('127.0.0.1');
    expect(visit!.transition).toBe('load');

    const pages = await waitForRows<PageRow>(eb, 'pages', (rows) => rows.some((p) => p.url === visit!.url), { timeout: 60_000 });
    const stored = pages.find((p) => p.url === visit!.url)!;
    expect(stored.title).toContain('standalone WebAssembly binaries using Emscripten');
    // The article's words, not the navigation or the script around it.
    expect(stored.text).toContain('support for emitting standalone Wasm files from Emscripten');
    expect(stored.text).not.toContain('document.documentElement.className');
    expect(stored.wordCount).toBeGreaterThan(300);

    // Time on page accrues while the tab is in front; reading on to the next page settles it.
    await page.goto(`${web.origin}/web/mozilla-2/`, { waitUntil: 'load', timeout: 90_000 });
    const visits = await waitForRows<VisitRow>(
      eb,
      'visits',
      (rows) => rows.some((v) => v.id === visit!.id && v.activeMs > 0 && v.endedAt > v.startedAt),
      { timeout: 60_000 },
    );
    const settled = visits.find((v) => v.id === visit!.id)!;
    expect(settled.activeMs).toBeLessThanOrEqual(settled.endedAt - settled.startedAt + 1000);
    await page.close();
  });

  test('a history.pushState route change in a single-page app starts a second visit', async () => {
    const { eb, web } = s;
    web.set('/spa/', spaPage());
    web.set('/spa/tides', spaPage());
    const page = await eb.open(`${web.origin}/spa/`);
    await waitForRows<VisitRow>(eb, 'visits', (rows) => rows.some((v) => v.url === `${web.origin}/spa/`), { timeout: 60_000 });

    await page.click('#to-tides');
    expect(new URL(page.url()).pathname).toBe('/spa/tides');

    const visits = await waitForRows<VisitRow>(eb, 'visits', (rows) => rows.some((v) => v.url === `${web.origin}/spa/tides`), {
      timeout: 60_000,
    });
    const first = visits.find((v) => v.url === `${web.origin}/spa/`)!;
    const second = visits.find((v) => v.url === `${web.origin}/spa/tides`)!;
    expect(second.id).not.toBe(first.id);
    expect(second.transition).toBe('spa');
    expect(second.startedAt).toBeGreaterThanOrEqual(first.startedAt);
    // One visit per route, not one per heartbeat.
    const spaVisits = (await readTable<VisitRow>(eb, 'visits')).filter((v) => v.url.startsWith(`${web.origin}/spa/`));
    expect(spaVisits).toHaveLength(2);
    await page.close();
  });
});
