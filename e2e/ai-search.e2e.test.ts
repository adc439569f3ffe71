import type { Page } from 'puppeteer-core';
import { afterAll, describe, expect, test } from 'vitest';
import { realPage } from './support/server';
import { openSurface, readResults, tid, typeInto } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';
import type { HighlightRow } from './support/database';
import { NetworkLog, highlightPassage, openPage, offscreenTargets, readStore, waitForEmbedded } from './ai-support';

// Issue 4: highlights saved on real pages are embedded on the device (offscreen document, bundled
// model) and found by meaning: a query sharing no word with a highlight finds it first. The whole time,
// no request leaves for anything but the local test server and the extension itself.
const PASSAGES = {
  terrarium: {
    page: 'ehow-1',
    text: 'Closed terrariums are easy to care for, as they retain much of their own moisture and provide a warm environment with a consistent level of humidity.',
    query: 'sealed glass plant containers need little watering',
  },
  lorenz: {
    page: 'quanta-1',
    text: 'Instructions for the computer came from down the hall, from the office of a meteorologist named Edward Norton Lorenz.',
    query: 'weather researcher gave orders to computing devices',
  },
  wasm: {
    page: 'v8-blog',
    text: 'as WebAssembly starts to be used without JavaScript, new use cases are appearing',
    query: 'compiled binary modules running outside browsers',
  },
} as const;

const words = (s: string) => new Set(s.toLowerCase().match(/[a-z0-9]+/g) ?? []);

describe('search by meaning over highlights saved on real pages', () => {
  const s = useSuite();
  let network: NetworkLog;
  let panel: Page;
  const saved: Record<string, HighlightRow> = {};

  afterAll(async () => {
    await network?.stop();
  });

  test('the queries share no word with the highlights they should find', () => {
    for (const p of Object.values(PASSAGES)) {
      const shared = [...words(p.query)].filter((w) => words(p.text).has(w));
      expect(shared).toEqual([]);
    }
  });

  test('highlights are saved on real pages and indexed on the device', async () => {
    const { eb, web } = s;
    network = new NetworkLog(eb);
    await network.start();
    for (const [key, p] of Object.entries(PASSAGES)) {
      web.set(`/${p.page}`, realPage(p.page));
      const page = await openPage(eb, `${web.origin}/${p.page}`);
      saved[key] = await highlightPassage(eb, page, p.text);
      await page.close();
    }
    panel = await openSurface(eb, 'sidepanel.html');
    const progress = await waitForEmbedded(panel, Object.values(saved).map((h) => `highlight:${h.id}`));
    expect(progress!.state).toBe('idle');
    expect(await offscreenTargets(eb)).not.toHaveLength(0);
    const chunks = await readStore<{ sourceKind: string; sourceId: string; model: string; vector: unknown; scale: number }>(panel, 'chunks');
    for (const h of Object.values(saved)) {
      const mine = chunks.filter((c) => c.sourceKind === 'highlight' && c.sourceId === h.id);
      expect(mine.length).toBeGreaterThan(0);
      expect(mine.every((c) => c.model === 'use-lite' && c.scale > 0)).toBe(true);
    }
  });

  test.each(Object.keys(PASSAGES))('a paraphrase finds the %s highlight first', async (key) => {
    const p = PASSAGES[key as keyof typeof PASSAGES];
    await panel.select(tid('filter-kind'), 'highlight');
    await typeInto(panel, 'search-input', p.query);
    const results = await waitFor(() => readResults(panel), (r) => r.length > 0 && r[0]!.id === saved[key]!.id, {
      timeout: 20_000,
      message: `"${p.query}" to list highlight ${saved[key]!.id} first`,
    });
    expect(results[0]!.kind).toBe('highlight');
  });

  test('filters still apply to results found by meaning', async () => {
    const p = PASSAGES.terrarium;
    const hybridAnswered = () =>
      waitFor(
        () => panel.$eval(tid('result-count'), (el) => [el.getAttribute('data-query'), el.getAttribute('data-ranking')]),
        ([q, ranking]) => q === p.query && ranking === 'hybrid',
        { timeout: 20_000, message: 'the hybrid ranking to answer the query' },
      );
    // Keyword results show at once; judge the lists only once the hybrid ranking has replaced them.
    await panel.select(tid('filter-kind'), 'page');
    await typeInto(panel, 'search-input', p.query);
    await hybridAnswered();
    const pages = await readResults(panel);
    expect(pages.every((x) => x.kind === 'page')).toBe(true);
    // The highlight this query finds by meaning (see above) is filtered out with the rest of its kind …
    expect(pages.some((x) => x.id === saved.terrarium!.id)).toBe(false);
    // … and comes back, first, when every kind is shown again.
    await panel.select(tid('filter-kind'), 'all');
    await hybridAnswered();
    const all = await waitFor(() => readResults(panel), (r) => r.some((x) => x.id === saved.terrarium!.id), {
      timeout: 20_000,
      message: 'the terrarium highlight listed again with every kind shown',
    });
    expect(all.find((x) => x.kind === 'highlight')!.id).toBe(saved.terrarium!.id);
  });

  test('the extension is cross-origin isolated: the offscreen document may start WASM threads, and the side panel still shows an image from another origin', async () => {
    const { eb, web } = s;
    const offscreen = (await offscreenTargets(eb))[0]!;
    const doc = (await offscreen.asPage()) as Page;
    expect(await doc.evaluate(() => ({ isolated: globalThis.crossOriginIsolated, shared: typeof SharedArrayBuffer }))).toEqual({ isolated: true, shared: 'function' });
    // COEP `credentialless`, not `require-corp`: another site's image (sent without cookies) still loads.
    web.set('/pixel.svg', '<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"></svg>', 'image/svg+xml');
    expect(await panel.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
    const loaded = await panel.evaluate(async (src) => {
      const img = new Image();
      img.src = src;
      return new Promise<string>((resolve) => {
        img.onload = () => resolve(`${img.naturalWidth}x${img.naturalHeight}`);
        img.onerror = () => resolve('blocked');
      });
    }, `${web.origin}/pixel.svg`);
    expect(loaded).toBe('3x2');
  });

  test('no request left for anything but localhost and the extension', async () => {
    // The log did see the extension at work (its pages, the offscreen document loading the model).
    const own = network.extensionEntries();
    expect(own.some((e) => e.url.includes('/models/use-lite/'))).toBe(true);
    expect(network.outside()).toEqual([]);
  });
});
