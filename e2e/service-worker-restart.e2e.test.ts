import type { Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import { killServiceWorker } from './support/browser';
import { waitForRows, type HighlightRow, type PageRow, type VisitRow } from './support/database';
import { clickInOverlay, selectUntilOverlay } from './support/page-actions';
import { htmlPage } from './support/server';
import { useSuite } from './support/suite';

const COUNT = 20;
const WORDS = ['harbour', 'kelp', 'tide', 'reef', 'shell', 'claw', 'brine', 'current', 'shoal', 'dune'];

function article(n: number): string {
  const words = Array.from({ length: 120 }, (_, i) => WORDS[(i * 7 + n) % WORDS.length]).join(' ');
  return htmlPage(
    `Dispatch ${n} from the lobster boats`,
    `<main><h1>Dispatch ${n} from the lobster boats</h1><p>Marker phrase dispatchmarker${n} opens this report.</p><p>${words}.</p></main>`,
  );
}

// Issue 2: Chrome kills an idle MV3 service worker at any moment. Stop it (CDP
// ServiceWorker.stopAllWorkers) in the middle of a burst of captures: nothing may be lost.
describe('captures survive the service worker being killed', () => {
  const s = useSuite();

  test(`${COUNT} pages opened quickly, with the worker killed twice in the middle: every page and visit is stored`, async () => {
    const { eb, web } = s;
    for (let n = 0; n < COUNT; n++) web.set(`/dispatch/${n}`, article(n));

    const tabs: Page[] = [];
    const open = async (n: number) => {
      const tab = await eb.browser.newPage();
      tabs.push(tab);
      await tab.goto(`${web.origin}/dispatch/${n}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    };
    // Four waves of five tabs; the worker dies after the second and the third, while the earlier waves'
    // content scripts are still sending.
    for (let wave = 0; wave < 4; wave++) {
      await Promise.all(Array.from({ length: 5 }, (_, i) => open(wave * 5 + i)));
      if (wave === 1 || wave === 2) await killServiceWorker(eb);
    }

    const urls = Array.from({ length: COUNT }, (_, n) => `${web.origin}/dispatch/${n}`);
    const pages = await waitForRows<PageRow>(eb, 'pages', (rows) => urls.every((u) => rows.some((p) => p.url === u)), {
      timeout: 60_000,
      interval: 500,
    });
    for (let n = 0; n < COUNT; n++) {
      expect(pages.find((p) => p.url === urls[n])!.text).toContain(`dispatchmarker${n}`);
    }
    const visits = await waitForRows<VisitRow>(eb, 'visits', (rows) => urls.every((u) => rows.some((v) => v.url === u)), {
      timeout: 30_000,
    });
    // Exactly one visit per tab: a retried message must not record the same visit twice.
    for (const u of urls) expect(visits.filter((v) => v.url === u)).toHaveLength(1);
    await Promise.all(tabs.map((t) => t.close()));
  });

  test('a highlight made just before the worker is killed is stored', async () => {
    const { eb, web } = s;
    const page = await eb.open(`${web.origin}/dispatch/3`);
    await selectUntilOverlay(page, 'Marker phrase dispatchmarker3 opens this report');
    await clickInOverlay(page, 'overlay-color-yellow');
    await killServiceWorker(eb);
    const rows = await waitForRows<HighlightRow>(eb, 'highlights', (r) => r.some((h) => h.text.includes('dispatchmarker3')), {
      timeout: 30_000,
    });
    expect(rows.filter((h) => h.text.includes('dispatchmarker3'))).toHaveLength(1);
    await page.close();
  });
});
