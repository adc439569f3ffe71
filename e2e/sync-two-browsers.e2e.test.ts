import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchBrowser, type ExtensionBrowser } from './support/browser';
import { readTable, waitForRows, type HighlightRow } from './support/database';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { clickInOverlay, selectUntilOverlay } from './support/page-actions';
import { htmlPage, startServer, type TestServer } from './support/server';
import { click, readResults, tid, typeInto } from './support/surfaces';
import { waitFor } from './support/wait';

const PATH = '/notes/tide-pools';
// A short article: the point is the trip through the worker, not text extraction (issue 2's tests use
// the real pages), and a small page keeps both profiles' embedders from crowding a busy machine.
const PASSAGE = 'a periwinkle clings to the basalt long after the tide has gone';
const ARTICLE = htmlPage(
  'Tide pools of the north shore',
  `<main><article><h1>Tide pools of the north shore</h1>
   <p>Walk out at low water and the rocks are busy. Anemones fold shut, crabs back into cracks, and ${PASSAGE}, waiting.</p>
   <p>Bring boots with a good grip; the weed is slick and the barnacles are sharp.</p></article></main>`,
);

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

  /** Like openSurface, with more patience: right after launch each profile's extension is busy starting
   * (offscreen document, model, indexes) while wrangler and the other browser start too. */
  async function openExtensionPage(eb: ExtensionBrowser, path: string, ready: string): Promise<Page> {
    const tab = await eb.browser.newPage();
    await tab.goto(eb.extensionUrl(path), { waitUntil: 'domcontentloaded', timeout: 90_000 });
    await tab.waitForSelector(tid(ready), { timeout: 60_000 });
    return tab;
  }

  /** Puts a tab in front, then clicks in it. A background tab gets no animation frames, and puppeteer's
   * locator clicks wait for them, so a click in a tab behind another one would never happen. */
  async function clickIn(page: Page, testId: string): Promise<void> {
    await page.bringToFront();
    await click(page, testId);
  }

  const text = (page: Page, testId: string) => page.$eval(tid(testId), (el) => el.textContent?.trim() ?? '');

  test('browser one creates an account and shows a pairing code; browser two joins with it', async () => {
    options1 = await openExtensionPage(one, 'options.html', 'sync-section');
    await typeInto(options1, 'sync-worker-url', worker.url);
    await typeInto(options1, 'sync-device-name', 'Browser one');
    await click(options1, 'sync-create-account');
    await options1.waitForSelector(tid('sync-account'), { timeout: 60_000 });
    await waitFor(() => options1.$eval(tid('sync-status'), (el) => el.getAttribute('data-state')), (s) => s === 'idle', {
      timeout: 60_000,
      message: 'browser one to finish its first sync',
    });

    // Each probe asks for a code if none is shown yet (a click while the page is still busy with the
    // first sync is ignored, like a person's would be) and reports what the section says otherwise.
    const shown = await waitFor(
      async () => {
        const state = await options1.evaluate(() => ({
          code: document.querySelector('[data-testid="sync-pairing-code"]')?.getAttribute('data-code') ?? '',
          error: document.querySelector('[data-testid="sync-action-error"]')?.textContent ?? '',
          busy: (document.querySelector('[data-testid="sync-pairing-show"]') as HTMLButtonElement | null)?.disabled ?? true,
        }));
        if (!state.code && !state.busy) await clickIn(options1, 'sync-pairing-show');
        return state;
      },
      (state) => /^[A-Z0-9]{8}$/.test(state.code),
      { timeout: 60_000, interval: 1_000, message: 'a pairing code on browser one' },
    );
    const code = shown.code;

    options2 = await openExtensionPage(two, 'options.html', 'sync-section');
    await typeInto(options2, 'sync-worker-url', worker.url);
    await typeInto(options2, 'sync-device-name', 'Browser two');
    await typeInto(options2, 'sync-join-code', code);
    await click(options2, 'sync-join-submit');
    await options2.waitForSelector(tid('sync-account'), { timeout: 60_000 });
    expect(await text(options2, 'sync-account')).toContain('Browser two');
    // Same account on both.
    const account = (page: Page) => page.$eval(tid('sync-account'), (el) => el.querySelectorAll('code')[1]?.textContent ?? '');
    expect(await account(options2)).toBe(await account(options1));

    // Browser one lists both devices, itself marked current.
    const devices = await waitFor(
      async () => {
        await clickIn(options1, 'sync-devices-refresh');
        return options1.$$eval(tid('sync-device-item'), (items) =>
          items.map((i) => ({ name: i.querySelector('[data-testid="sync-device-name-label"]')?.textContent, current: i.getAttribute('data-current') })),
        );
      },
      (list) => list.length === 2,
      { message: 'two devices listed on browser one' },
    );
    expect(devices).toEqual(expect.arrayContaining([{ name: 'Browser one', current: 'true' }, { name: 'Browser two', current: 'false' }]));
  }, 240_000);

  test('a highlight made in browser one appears in browser two, and its side panel search finds it', async () => {
    web.set(PATH, ARTICLE);
    const page = await one.open(web.origin + PATH);
    await selectUntilOverlay(page, PASSAGE);
    await clickInOverlay(page, 'overlay-color-green');
    const [made] = await waitForRows<HighlightRow>(one, 'highlights', (r) => r.length === 1);

    // Browser one pushes on its own (debounced after the change); browser two pulls when asked — each
    // probe presses "Sync now" there and looks in its database. (The first read opens the database
    // reader tab, before the loop, so it doesn't push the options tab behind it mid-way.)
    await readTable(two, 'highlights');
    const arrived = await waitFor(
      async () => {
        await clickIn(options2, 'sync-now');
        await options2.waitForFunction((sel) => document.querySelector(sel)?.getAttribute('data-state') !== 'syncing', { timeout: 20_000, polling: 250 }, tid('sync-status'));
        const rows = await readTable<HighlightRow>(two, 'highlights');
        return rows.find((h) => h.id === made!.id);
      },
      Boolean,
      { timeout: 90_000, interval: 1_000, message: 'the highlight to reach browser two' },
    );
    expect(arrived).toMatchObject({ text: made!.text, color: 'green', url: made!.url });
    // Browser two may have started another scheduled sync meanwhile: it must settle back to idle, not error.
    await waitFor(() => options2.$eval(tid('sync-status'), (el) => el.getAttribute('data-state')), (state) => state === 'idle', {
      timeout: 30_000,
      message: 'browser two sync status to settle to idle',
    });

    const panel = await openExtensionPage(two, 'sidepanel.html', 'search-input');
    await typeInto(panel, 'search-input', 'periwinkle');
    const results = await waitFor(() => readResults(panel), (r) => r.some((x) => x.kind === 'highlight' && x.id === made!.id), {
      timeout: 60_000,
      interval: 1_000,
      message: 'browser two side-panel results for "periwinkle"',
    });
    const hit = results.find((x) => x.kind === 'highlight')!;
    expect(hit.snippet + hit.title).toMatch(/periwinkle/);

    // Nothing browser two pulled is waiting to go back up.
    await waitFor(() => text(options2, 'sync-pending'), (n) => n === '0', { timeout: 60_000, message: 'browser two has nothing to upload' });
    await panel.close();
    await page.close();
  }, 240_000);

  test('browser one revokes browser two; browser two is refused from then on', async () => {
    await clickIn(options1, 'sync-devices-refresh');
    await options1.locator(`${tid('sync-device-item')}[data-current="false"] ${tid('sync-device-revoke')}`).setTimeout(15_000).click();
    await waitFor(
      () => options1.$$eval(tid('sync-device-item'), (items) => items.map((i) => `${i.getAttribute('data-current')}:${i.getAttribute('data-revoked')}`)),
      (list) => list.includes('false:true') && list.includes('true:false'),
      { timeout: 60_000, message: 'browser two listed as revoked on browser one' },
    );
    // Browser two learns it at its next sync (its own alarm, or "Sync now" pressed here); each probe
    // presses it unless the refusal is already on screen.
    const refusal = await waitFor(
      async () => {
        const shown = await options2.$eval(tid('sync-error'), (el) => el.textContent ?? '').catch(() => '');
        if (!/refused/i.test(shown)) await clickIn(options2, 'sync-now');
        return shown;
      },
      (shown) => /refused/i.test(shown),
      { timeout: 30_000, interval: 500, message: 'browser two refused' },
    );
    expect(refusal).toMatch(/revoked or its token expired/);
    await waitFor(() => options2.$eval(tid('sync-status'), (el) => el.getAttribute('data-state')), (state) => state === 'error', {
      message: 'browser two in the error state',
    });
  }, 240_000);
});
