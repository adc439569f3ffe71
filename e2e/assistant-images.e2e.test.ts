import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_PLANS } from '../worker/src/billing/plans';
import { startWebTestDouble, type WebLogEntry } from '../worker/test/web-test-double';
import { ClosedShadow } from './support/closed-shadow';
import { readTable, waitForRows } from './support/database';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { htmlPage } from './support/server';
import { click, openPopupOver, tid } from './support/surfaces';
import { useSuite } from './support/suite';
import { allowWorker, contextMenuClick } from './support/assistant-setup';
import { waitFor } from './support/wait';

// Issue 10, generative images: the right-click "Generate image…" in a contenteditable, driven through
// the very handler Chrome's contextMenus.onClicked calls, opens the in-page composer (a closed shadow
// root, reached through the DevTools protocol); its images come from a real `wrangler dev` worker whose
// OpenAI-compatible images endpoint is the loopback TEST DOUBLE returning real PNG bytes. Not exercised
// here: Workers AI (it needs Cloudflare's cloud) and any real image provider.

const POST = 'Tide pools at low water hide anemones, crabs and sea stars between the rocks.';
const EDITOR_HTML = `<p>${POST}</p><p>Second paragraph.</p>`;
const PAGE = htmlPage('My blog post', `<main><h1>Write a post</h1><div id="editor" contenteditable="true">${EDITOR_HTML}</div></main>`);
/** The free plan with room for five images: enough for one request of two, not for a second of four. */
const PLANS = JSON.stringify(DEFAULT_PLANS.map((p) => (p.id === 'free' ? { ...p, limits: { ...p.limits, images: 5 } } : p)));

interface ImageRow {
  id: string;
  prompt: string;
  model: string;
  size: string | null;
  count: number;
  source: string;
  pageUrl: string | null;
  used: string[];
}

describe('generative images in a post', () => {
  const s = useSuite();
  let web: Awaited<ReturnType<typeof startWebTestDouble>>;
  let worker: LocalWorker;
  let page: Page;
  let composer: ClosedShadow;

  beforeAll(async () => {
    web = await startWebTestDouble();
    worker = await startLocalWorker({ vars: { OPENAI_IMAGES_BASE_URL: `${web.url}/v1`, OPENAI_IMAGES_MODEL: 'double-image-1', PLANS } });
    s.web.set('/post', PAGE);
    page = await s.eb.open(`${s.web.origin}/post`);
    composer = new ClosedShadow(page, 'calico-image-composer');
  }, 240_000);

  afterAll(async () => {
    await composer?.detach();
    await worker?.stop();
    await web?.close();
  });

  const imageRequests = async () => ((await (await fetch(`${web.url}/__log`)).json()) as WebLogEntry[]).filter((e) => e.path === '/v1/images/generations');

  const menuClick = (menuItemId: string, info: { selectionText?: string; editable?: boolean }) => contextMenuClick(s.eb, page.url(), menuItemId, info);

  /** Puts the caret in the editor after `before` characters of the first paragraph, as a click there would. */
  async function caretAfter(chars: number): Promise<void> {
    await page.bringToFront();
    await page.evaluate((n: number) => {
      const editor = document.getElementById('editor')!;
      editor.focus();
      const text = editor.querySelector('p')!.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, n);
      range.collapse(true);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    }, chars);
  }

  async function openComposer(): Promise<void> {
    expect(await menuClick('calico:image', { editable: true })).toEqual({ shown: true });
    await composer.waitFor(tid('image-composer'), { timeout: 15_000 });
  }

  const prompt = () => composer.read<string>(tid('image-prompt'), 'function () { return this.value; }');
  const state = () => composer.attr(tid('image-composer'), 'data-state');

  async function setPrompt(text: string): Promise<void> {
    await composer.click(tid('image-prompt'));
    await page.keyboard.down('Control');
    await page.keyboard.press('KeyA');
    await page.keyboard.up('Control');
    await page.keyboard.type(text);
    await waitFor(prompt, (v) => v === text, { timeout: 5_000, message: 'the typed prompt' });
  }

  async function generate(count: number): Promise<void> {
    await composer.read(tid('image-count'), `function () { this.value = ${JSON.stringify(String(count))}; return this.value; }`);
    await composer.click(tid('image-generate'));
    await waitFor(state, (st) => st === 'ready' || st === 'error', { timeout: 60_000, message: 'the generation to finish' });
  }

  async function closeComposer(): Promise<void> {
    await composer.click(tid('image-close'));
    await waitFor(() => composer.query(tid('image-composer')), (n) => n === null, { timeout: 10_000, message: 'the composer to close' });
  }

  test('“local only”: the composer opens with a drafted prompt, and Generate says why nothing is sent', async () => {
    await caretAfter(10);
    await openComposer();
    expect(await prompt()).toBe(`An illustration for this post: ${POST} Second paragraph.`);
    await generate(1);
    expect(await state()).toBe('error');
    expect(await composer.attr(tid('image-error'), 'data-code')).toBe('privacy');
    expect(await composer.text(tid('image-error'))).toMatch(/local only.*nothing is sent/);
    expect(await imageRequests()).toEqual([]);
    // The page can't see into the composer.
    expect(await page.evaluate(() => document.querySelector('calico-image-composer')?.shadowRoot ?? null)).toBeNull();
    await closeComposer();
  });

  test('the worker is allowed (an account on the local worker, privacy “allow my worker”)', async () => {
    await allowWorker(s.eb, worker.url, 'Images test');
  });

  test('right-click in the editor: two images from the worker, previewed, the first downloaded, the second inserted at the caret, the prompt and model saved', async () => {
    await caretAfter(10); // "Tide pools| at low water…"
    await openComposer();
    const wanted = 'A watercolour of a tide pool with anemones';
    await setPrompt(wanted);
    await generate(2);
    expect(await state()).toBe('ready');
    expect(await composer.queryAll(tid('image-preview-img'))).toHaveLength(2);
    // Real PNGs, decoded by the browser (the double makes 8×8 pixel images). Node ids are read afresh
    // on every poll: each DOM.getDocument makes the earlier ones stale.
    const decoded = await waitFor(
      async () => {
        const ids = await composer.queryAll(tid('image-preview-img'));
        return Promise.all(ids.map((id) => composer.call<{ w: number; src: string }>(id, 'function () { return { w: this.naturalWidth, src: this.getAttribute("src").slice(0, 22) }; }')));
      },
      (all) => all.every((d) => d.w === 8),
      { timeout: 10_000, message: 'the previews to decode' },
    );
    expect(decoded.map((d) => d.src)).toEqual(['data:image/png;base64,', 'data:image/png;base64,']);
    expect(await composer.text(tid('image-status'))).toContain('by double-image-1');
    // Only the prompt left the browser, through the worker, to the images endpoint.
    const requests = await imageRequests();
    expect(requests).toHaveLength(1);
    const sent = requests.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'double-image-1', prompt: wanted, n: 2, size: '1024x1024' });
    // Nothing reached the page before Insert.
    expect(await page.$eval('#editor', (el) => el.innerHTML)).toBe(EDITOR_HTML);

    // Download hands the first image to the browser's downloads, named after the prompt.
    const downloads = mkdtempSync(join(tmpdir(), 'calico-images-'));
    const cdp = await page.createCDPSession();
    await cdp.send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
    await composer.click(`[data-testid="image-preview"][data-index="0"] ${tid('image-download')}`);
    const [file] = await waitFor(() => readdirSync(downloads).filter((f) => f.endsWith('.png')), (f) => f.length === 1, { timeout: 15_000, message: 'the downloaded PNG' });
    expect(file).toBe('watercolour-of-tide-pool-with-anemones-1.png');
    expect([...readFileSync(join(downloads, file!)).subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    await cdp.detach();
    rmSync(downloads, { recursive: true, force: true });

    const chosen = (await composer.read<string>(`[data-testid="image-preview"][data-index="1"] ${tid('image-preview-img')}`, 'function () { return this.getAttribute("src"); }'))!;
    await composer.click(`[data-testid="image-preview"][data-index="1"] ${tid('image-insert')}`);
    await waitFor(() => composer.query(tid('image-composer')), (n) => n === null, { timeout: 10_000, message: 'the composer to close after Insert' });
    const editor = await page.$eval('#editor', (el) => {
      const img = el.querySelector('img');
      return { src: img?.getAttribute('src') ?? null, alt: img?.getAttribute('alt') ?? null, before: img?.previousSibling?.textContent ?? null, text: el.textContent?.replace(/\u00a0/g, ' '), count: el.querySelectorAll('img').length, w: img?.naturalWidth ?? 0 };
    });
    // Chrome's editing may keep the space after the image visible as a no-break space (compared as a space).
    expect(editor).toMatchObject({ src: chosen, alt: wanted, before: 'Tide pools', count: 1, text: `${POST}Second paragraph.` });
    await waitFor(() => page.$eval('#editor img', (img) => (img as HTMLImageElement).naturalWidth), (w) => w === 8, { timeout: 10_000, message: 'the inserted image to decode' });

    const rows = await waitForRows<ImageRow>(s.eb, 'images' as never, (r) => r.some((x) => x.prompt === wanted && x.used.includes('inserted') && x.used.includes('downloaded')), { message: 'the image record marked downloaded and inserted' });
    expect(rows.filter((x) => x.prompt === wanted)).toHaveLength(1);
    const record = rows.find((x) => x.prompt === wanted)!;
    expect(record).toMatchObject({ prompt: wanted, model: 'double-image-1', size: '1024x1024', count: 2, source: 'menu', pageUrl: page.url(), used: ['downloaded', 'inserted'] });
    // The record holds no image bytes.
    expect(JSON.stringify(record)).not.toContain('base64');
    const changes = await readTable<{ table: string; key: string }>(s.eb, 'changes');
    expect(changes.some((c) => c.table === 'images' && c.key === record.id)).toBe(true);
  });

  test('a refused prompt, a failing image service and a used-up quota are told in words, and the prompt is kept', async () => {
    await caretAfter(4);
    await openComposer();

    await setPrompt('something forbidden');
    await generate(1);
    expect(await composer.attr(tid('image-error'), 'data-code')).toBe('refused');
    expect(await composer.text(tid('image-error'))).toMatch(/refused this prompt.*safety system/);
    expect(await prompt()).toBe('something forbidden');

    await fetch(`${web.url}/__down?on=1`, { method: 'POST' });
    await setPrompt('a crab in a rock pool');
    await generate(1);
    await fetch(`${web.url}/__down?on=0`, { method: 'POST' });
    expect(await composer.attr(tid('image-error'), 'data-code')).toBe('failed');
    expect(await composer.text(tid('image-error'))).toMatch(/could not make the images.*prompt is kept/);
    expect(await prompt()).toBe('a crab in a rock pool');

    // Two of five images are spent: four more are past the plan.
    await generate(4);
    expect(await composer.attr(tid('image-error'), 'data-code')).toBe('quota');
    expect(await composer.text(tid('image-error'))).toMatch(/quota is used up/);
    expect(await prompt()).toBe('a crab in a rock pool');
    expect(await composer.queryAll(tid('image-preview'))).toEqual([]);

    // Nothing was saved for the failures, nothing reached the page.
    const rows = await readTable<ImageRow>(s.eb, 'images' as never);
    expect(rows.map((r) => r.prompt)).toEqual(['A watercolour of a tide pool with anemones']);
    expect(await page.$$eval('#editor img', (imgs) => imgs.length)).toBe(1);
    await closeComposer();
  });

  test('the assistant’s Image button (the real popup over the page): generated from a page-drafted prompt, inserted at the editor’s caret', async () => {
    // The caret in the second paragraph, after "Second"; the popup then takes the focus.
    await page.bringToFront();
    await page.evaluate(() => {
      const editor = document.getElementById('editor')!;
      editor.focus();
      const text = editor.querySelectorAll('p')[1]!.firstChild as Text;
      const range = document.createRange();
      range.setStart(text, 6);
      range.collapse(true);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    });
    const popup = await openPopupOver(s.eb, page);
    await click(popup, 'image-studio-toggle');
    const studioPrompt = () => popup.$eval(tid('image-studio-prompt'), (el) => (el as HTMLTextAreaElement).value);
    await waitFor(studioPrompt, (v) => v.startsWith('An illustration for this post about “My blog post”'), { timeout: 15_000, message: 'the prompt drafted from the page' });
    await click(popup, 'image-studio-generate');
    await popup.waitForSelector(tid('image-studio-preview'), { timeout: 60_000 });
    await click(popup, 'image-studio-insert');
    await waitFor(() => popup.$eval(tid('image-studio-status'), (el) => el.textContent ?? ''), (t) => /Inserted/.test(t), { timeout: 15_000, message: 'the insert to be confirmed' });
    const second = await page.$eval('#editor', (el) => {
      const p = el.querySelectorAll('p')[1]!;
      const img = p.querySelector('img');
      return { images: p.querySelectorAll('img').length, before: img?.previousSibling?.textContent ?? null, src: img?.getAttribute('src')?.slice(0, 22) ?? null };
    });
    expect(second).toEqual({ images: 1, before: 'Second', src: 'data:image/png;base64,' });
    const rows = await waitForRows<ImageRow>(s.eb, 'images' as never, (r) => r.some((x) => x.source === 'chat' && x.used.includes('inserted')), { message: 'the chat’s image record' });
    expect(rows.find((x) => x.source === 'chat')).toMatchObject({ model: 'double-image-1', count: 1, pageUrl: page.url() });
    await popup.close();
  });
});
