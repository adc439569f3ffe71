/**
 * Capture overhead in Chromium: the reference pages (../shared/reference/web-pages, served locally)
 * loaded in a browser with the built extension and in one without, interleaved page by page so both
 * see the same machine load. Page load = the navigation's loadEventEnd (the page's own clock). The
 * extension's content script runs on every page and the background records the visit, so the ratio of
 * the two is what capturing costs a page load. Needs a built extension (EXT_DIR, as the e2e suite).
 */
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { launchBrowser } from '../e2e/support/browser';
import { startServer } from '../e2e/support/server';
import { chromiumPath, webPagesDir } from '../e2e/support/paths';

export interface CaptureOptions {
  rounds: number;
  log?: (s: string) => void;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function loadMs(browser: Browser, url: string): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(url, { waitUntil: 'load', timeout: 90_000 });
    return await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).loadEventEnd);
  } finally {
    await page.close();
  }
}

export async function runCaptureOverhead(o: CaptureOptions): Promise<Record<string, unknown>[]> {
  const log = o.log ?? (() => {});
  const names = readdirSync(webPagesDir).filter((n) => existsSync(join(webPagesDir, n, 'source.html'))).sort();
  const web = await startServer();
  const withExt = await launchBrowser();
  const plain = await puppeteer.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update', `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`],
  });
  const times = { with: [] as number[], without: [] as number[] };
  try {
    // One unmeasured pass warms both browsers' caches of the server's files and code.
    for (const n of names.slice(0, 3)) {
      await loadMs(plain, `${web.origin}/web/${n}/`);
      await loadMs(withExt.browser, `${web.origin}/web/${n}/`);
    }
    for (let r = 0; r < o.rounds; r++) {
      for (const [i, n] of names.entries()) {
        const url = `${web.origin}/web/${n}/?r=${r}`;
        // Alternate which goes first, so neither always meets a warmer machine.
        const order = (i + r) % 2 === 0 ? (['without', 'with'] as const) : (['with', 'without'] as const);
        for (const mode of order) times[mode].push(await loadMs(mode === 'with' ? withExt.browser : plain, url));
      }
      log(`capture overhead: round ${r + 1} of ${o.rounds} (${names.length} pages)`);
    }
  } finally {
    await Promise.all([withExt.close(), plain.close(), web.close()]);
  }
  const w = [...times.with].sort((a, b) => a - b);
  const wo = [...times.without].sort((a, b) => a - b);
  const r2 = (x: number) => Math.round(x * 100) / 100;
  const runtime = 'chromium (headless)';
  return [
    { bench: 'capture', what: 'page load, without the extension', pages: names.length, loads: wo.length, p50_ms: r2(percentile(wo, 50)), p95_ms: r2(percentile(wo, 95)), runtime },
    { bench: 'capture', what: 'page load, with the extension', pages: names.length, loads: w.length, p50_ms: r2(percentile(w, 50)), p95_ms: r2(percentile(w, 95)), runtime },
    { bench: 'capture', what: 'ratio with / without', ratio_p50: r2(percentile(w, 50) / percentile(wo, 50)), ratio_p95: r2(percentile(w, 95) / percentile(wo, 95)), runtime },
  ];
}
