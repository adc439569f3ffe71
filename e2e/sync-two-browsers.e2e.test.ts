import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type ExtensionBrowser } from './support/browser';
import { waitForRows, type HighlightRow } from './support/database';
import { LITERALLY } from './support/fixtures';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { clickInOverlay, selectUntilOverlay } from './support/page-actions';
import { startServer, type TestServer } from './support/server';
import { click, openSurface, readResults, tid, typeInto } from './support/surfaces';
import { waitFor } from './support/wait';

const PATH = '/2015/on-behalf-of-literally';

// Issue 3: two Chromium profiles paired to one local worker through the options page; a highlight made
// in one appears in the other, where the side panel's search finds it.
describe('sync between two browsers through the local worker', () => {
  let worker: LocalWorker;
  let web: TestServer;
  let one: ExtensionBrowser;
  let two: ExtensionBrowser;
  let options1: Page;
  let options2: Page;

  beforeAll(async () => {
    // wrangler (migrations, then dev) starts while the two browsers launch.
    [worker, web, one, two] = await Promise.all([startLocalWorker(), startServer(), launchBrowser(), launchBrowser()]);
  }, 240_000);

  afterAll(async () => {
    await one?.close();
    await two?.close();
    await web?.close();
    await worker?.stop();
  });

  const text = (page: Page, testId: string) => page.$eval(tid(testId), (el) => el.textContent?.trim() ?? '');

  test('browser one creates an account and shows a pairing code; browser two joins with it', async () => {
    options1 = await openSurface(one, 'options.html');
    await typeInto(options1, 'sync-worker-url', worker.url);
    await typeInto(options1, 'sync-device-name', 'Browser one');
    await click(options1, 'sync-create-account');
    await options1.waitForSelector(tid('sync-account'), { timeout: 30_000 });
    await waitFor(() => options1.$eval(tid('sync-status'), (el) => el.getAttribute('data-state')), (s) => s === 'idle', {
      timeout: 30_000,
      message: 'browser one to finish its first sync',
    });

    await click(options1, 'sync-pairing-show');
    const code = await waitFor(
      () => options1.$eval(tid('sync-pairing-code'), (el) => el.getAttribute('data-code') ?? ''),
      (c) => /^[A-Z0-9]{8}$/.test(c),
      { message: 'a pairing code on browser one' },
    );

    options2 = await openSurface(two, 'options.html');
    await typeInto(options2, 'sync-worker-url', worker.url);
    await typeInto(options2, 'sync-device-name', 'Browser two');
    await typeInto(options2, 'sync-join-code', code);
    await click(options2, 'sync-join-submit');
    await options2.waitForSelector(tid('sync-account'), { timeout: 30_000 });
    expect(await text(options2, 'sync-account')).toContain('Browser two');
    // Same account on both.
    const account = (page: Page) => page.$eval(tid('sync-account'), (el) => el.querySelectorAll('code')[1]?.textContent ?? '');
    expect(await account(options2)).toBe(await account(options1));

    // Browser one lists both devices, itself marked current.
    const devices = await waitFor(
      async () => {
        await click(options1, 'sync-devices-refresh');
        return options1.$$eval(tid('sync-device-item'), (items) =>
          items.map((i) => ({ name: i.querySelector('[data-testid="sync-device-name-label"]')?.textContent, current: i.getAttribute('data-current') })),
        );
      },
      (list) => list.length === 2,
      { message: 'two devices listed on browser one' },
    );
    expect(devices).toEqual(expect.arrayContaining([{ name: 'Browser one', current: 'true' }, { name: 'Browser two', current: 'false' }]));
  });

  test('a highlight made in browser one appears in browser two, and its side panel search finds it', async () => {
    web.set(PATH, LITERALLY.source());
    const page = await one.open(web.origin + PATH);
    await selectUntilOverlay(page, LITERALLY.passage);
    await clickInOverlay(page, 'overlay-color-green');
    const [made] = await waitForRows<HighlightRow>(one, 'highlights', (r) => r.length === 1);

    // Browser one pushes on its own (debounced after the change); browser two pulls when asked — each
    // probe presses "Sync now" there and looks in its database.
    await options2.bringToFront();
    const arrived = await waitFor(
      async () => {
        await click(options2, 'sync-now');
        await options2.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') !== 'syncing', { timeout: 20_000 }, tid('sync-status'));
        const rows = await waitForRows<HighlightRow>(two, 'highlights', () => true);
        return rows.find((h) => h.id === made!.id);
      },
      Boolean,
      { timeout: 60_000, interval: 1_000, message: 'the highlight to reach browser two' },
    );
    expect(arrived).toMatchObject({ text: made!.text, color: 'green', url: made!.url });
    expect(await options2.$eval(tid('sync-status'), (el) => el.getAttribute('data-state'))).toBe('idle');

    const panel = await openSurface(two, 'sidepanel.html');
    await typeInto(panel, 'search-input', 'whither');
    const results = await waitFor(() => readResults(panel), (r) => r.some((x) => x.kind === 'highlight' && x.id === made!.id), {
      timeout: 40_000,
      message: 'browser two side-panel results for "whither"',
    });
    const hit = results.find((x) => x.kind === 'highlight')!;
    expect(hit.snippet + hit.title).toMatch(/whither/);

    // Nothing browser two pulled is waiting to go back up.
    await waitFor(() => text(options2, 'sync-pending'), (n) => n === '0', { message: 'browser two has nothing to upload' });
    await panel.close();
    await page.close();
  });

  test('browser one revokes browser two; browser two is refused from then on', async () => {
    // Background tabs get no animation frames, which puppeteer's locators wait for.
    await options1.bringToFront();
    await options2.bringToFront();
    await click(options1, 'sync-devices-refresh');
    await options1.locator(`${tid('sync-device-item')}[data-current="false"] ${tid('sync-device-revoke')}`).setTimeout(15_000).click();
    await waitFor(
      () => options1.$$eval(tid('sync-device-item'), (items) => items.map((i) => `${i.getAttribute('data-current')}:${i.getAttribute('data-revoked')}`)),
      (list) => list.includes('false:true') && list.includes('true:false'),
      { message: 'browser two listed as revoked on browser one' },
    );
    await click(options2, 'sync-now');
    await waitFor(() => options2.$eval(tid('sync-status'), (el) => el.getAttribute('data-state')), (s) => s === 'error', {
      timeout: 20_000,
      message: 'browser two refused',
    });
    expect(await text(options2, 'sync-error')).toMatch(/refused/i);
  });
});
