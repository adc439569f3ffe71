/**
 * Cold start of the side panel in Chromium (issue 15 §2: first results ≤ 1 s on a 100k-chunk memory).
 *
 * The built extension (EXT_DIR, default .output/chrome-mv3) is loaded in headless Chromium with a fresh
 * profile; a memory of N chunks is written into its IndexedDB from one of its own pages through the
 * product's write path (seed-memory.ts). Then, like a person: open sidepanel.html, type a query into
 * `search-input`, and stop the clock when `result-count` says it answers that query with results and
 * `result-item`s are on screen. Nothing here knows how the ranking index is built, saved or loaded, so
 * the same harness measures whatever the index does on open.
 *
 * Opens measured: `first` (the first open after the memory was written: whatever the panel must build),
 * then `reopen` twice (a new side-panel page after the previous one stayed open `settleS` seconds and
 * its page went quiet — the state a person leaves it in). Each line has the wall time to the first
 * results, when the search box was usable, when the hybrid list (search by meaning) replaced the
 * instant one if it did within `hybridWaitS`, and the side panel's main-thread task time (CDP
 * `TaskDuration`: its CPU, less noisy than wall time on a shared machine).
 */
import { resolve } from 'node:path';
import type { Page } from 'puppeteer-core';
import { launchBrowser } from '../../e2e/support/browser';
import { tid } from '../../e2e/support/surfaces';
import type { ExtensionBrowser } from '../../e2e/support/browser';

/** The side panel's opening marks (search-store.ts), in ms since its navigation started. */
async function panelMarks(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    if (nav) out['dom-content-loaded'] = Math.round(nav.domContentLoadedEventEnd);
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('search:')) out[m.name.slice(7)] = Math.round(m.startTime);
    return out;
  });
}

/**
 * With the page quiet: how long reading the saved indexes' rows takes by themselves (one IndexedDB get
 * each, the structured clone included), apart from building anything from them. Missing rows read -1.
 */
async function snapshotReads(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('calicolobster');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const read = async (store: string, key: string) => {
      if (!db.objectStoreNames.contains(store)) return -1;
      const t0 = performance.now();
      const value = await new Promise<unknown>((resolve, reject) => {
        const r = db.transaction(store, 'readonly').objectStore(store).get(key);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      return value === undefined ? -1 : Math.round(performance.now() - t0);
    };
    const keywordMs = await read('state', 'keyword-index.snapshot');
    let vectorMs = -1;
    if (db.objectStoreNames.contains('searchSnapshots')) {
      const names = await new Promise<IDBValidKey[]>((resolve) => {
        const r = db.transaction('searchSnapshots', 'readonly').objectStore('searchSnapshots').getAllKeys();
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => resolve([]);
      });
      const name = names.find((n) => String(n).startsWith('vectors:'));
      if (name !== undefined) vectorMs = await read('searchSnapshots', String(name));
    }
    db.close();
    return { keyword_snapshot_read_ms: keywordMs, vector_snapshot_read_ms: vectorMs };
  });
}

/**
 * What is saved when a panel opens: the change log's head, the keyword snapshot's cursor (-1: none) and
 * the saved vector snapshots' names, read from a blank extension page (the panel is not open yet).
 */
async function savedState(eb: ExtensionBrowser): Promise<Record<string, unknown>> {
  const page = await eb.open(eb.extensionUrl('manifest.json'));
  try {
    return await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const r = indexedDB.open('calicolobster');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const req = <T>(r: IDBRequest<T>) => new Promise<T>((resolve, reject) => {
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      const head = await req(db.transaction('changes').objectStore('changes').openCursor(null, 'prev'));
      const cursor = (await req(db.transaction('cursors').objectStore('cursors').get('keyword-index'))) as { seq: number } | undefined;
      const snapshot = await req(db.transaction('state').objectStore('state').count('keyword-index.snapshot'));
      const vectors = db.objectStoreNames.contains('searchSnapshots') ? await req(db.transaction('searchSnapshots').objectStore('searchSnapshots').getAllKeys()) : [];
      db.close();
      return { log_head: Number(head?.key ?? 0), keyword_snapshot_seq: snapshot ? (cursor?.seq ?? -1) : -1, vector_snapshots: vectors.map(String) };
    });
  } finally {
    await page.close();
  }
}

/** Closes the offscreen document from the service worker and waits until it is gone. */
async function closeOffscreen(eb: ExtensionBrowser): Promise<void> {
  const worker = await serviceWorker(eb);
  await worker.evaluate(async () => {
    if (await chrome.offscreen.hasDocument()) await chrome.offscreen.closeDocument();
  });
}

/** Starts the offscreen document as the background does at a browser start (offscreen-host.ts). */
async function startOffscreen(eb: ExtensionBrowser): Promise<void> {
  const worker = await serviceWorker(eb);
  await worker.evaluate(async () => {
    if (await chrome.offscreen.hasDocument()) return;
    await chrome.offscreen.createDocument({ url: 'offscreen.html', reasons: [chrome.offscreen.Reason.WORKERS], justification: 'cold-start bench' });
  });
}

async function serviceWorker(eb: ExtensionBrowser) {
  const target = await eb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(eb.extensionId), { timeout: 30_000 });
  const worker = await target.worker();
  if (!worker) throw new Error('no service worker');
  return worker;
}

export interface ColdStartOptions {
  root: string;
  chunks: number;
  chunksPerPage?: number;
  model: string;
  dims: number;
  reopens?: number;
  settleS?: number;
  hybridWaitS?: number;
  /** Before each open, close the offscreen document and start a new one as the panel opens (what a
   * browser start does): its vector index must then load while the panel opens. */
  freshOffscreen?: boolean;
  /**
   * How the query goes in: `paste` (one input event, as soon as the box shows: the time is the panel's,
   * not a typist's) or `keystrokes` (one key event per character, as puppeteer types: ~0.6–1.1 s for a
   * 5-word query here, which then makes most of the measured time).
   * @default 'paste'
   */
  entry?: 'paste' | 'keystrokes';
  log: (s: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function taskSeconds(page: Page): Promise<number> {
  return (await page.metrics()).TaskDuration ?? 0;
}

/** Waits until the page's main thread has done under 0.25 s of work in 5 s (or `maxS` passed). */
async function quiet(page: Page, maxS: number): Promise<boolean> {
  const deadline = Date.now() + maxS * 1000;
  let before = await taskSeconds(page);
  while (Date.now() < deadline) {
    await sleep(5000);
    const now = await taskSeconds(page);
    if (now - before < 0.25) return true;
    before = now;
  }
  return false;
}

/**
 * Records in the page, by a MutationObserver, the moment (Date.now()) the result list first answers
 * `query` with results, and the moment it turns hybrid. The Node side polls for them with short calls:
 * one long DevTools call would hit the protocol timeout while a big memory is being indexed.
 */
async function watchResults(page: Page, query: string): Promise<void> {
  await page.evaluate((q: string) => {
    const w = window as unknown as { __first?: number; __firstRanking?: string; __hybrid?: number };
    const check = () => {
      const count = document.querySelector('[data-testid="result-count"]');
      if (count?.getAttribute('data-query') !== q) return;
      if (w.__first === undefined && Number(count.getAttribute('data-count')) > 0 && document.querySelector('[data-testid="result-item"]')) {
        w.__first = Date.now();
        w.__firstRanking = count.getAttribute('data-ranking') ?? '';
      }
      if (w.__hybrid === undefined && count.getAttribute('data-ranking') === 'hybrid') w.__hybrid = Date.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    check();
  }, query);
}

async function poll<T>(read: () => Promise<T | undefined | null>, timeoutMs: number): Promise<T | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await read();
    if (v !== undefined && v !== null) return v;
    await sleep(100);
  }
  return null;
}

async function openAndSearch(open: () => Promise<Page>, url: string, query: string, o: Required<Pick<ColdStartOptions, 'hybridWaitS' | 'entry'>>) {
  const t0 = Date.now();
  const page = await open();
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 600_000 });
  const input = await poll(() => page.$(tid('search-input')), 600_000);
  if (!input) throw new Error('the side panel showed no search box in 10 minutes');
  const inputMs = Date.now() - t0;
  await watchResults(page, query);
  await input.click();
  if (o.entry === 'keystrokes') await page.keyboard.type(query);
  else await page.keyboard.sendCharacter(query);
  const typedMs = Date.now() - t0;
  type Marks = { first?: number; ranking?: string; hybrid?: number };
  const marks = () => page.evaluate(() => {
    const w = window as unknown as { __first?: number; __firstRanking?: string; __hybrid?: number };
    return { first: w.__first, ranking: w.__firstRanking, hybrid: w.__hybrid } as Marks;
  });
  const first = await poll(async () => ((await marks()).first === undefined ? null : await marks()), 900_000);
  if (!first) throw new Error(`no results for "${query}" within 15 minutes`);
  const taskMs = (await taskSeconds(page)) * 1000;
  const done = first.hybrid !== undefined ? first : await poll(async () => ((await marks()).hybrid === undefined ? null : await marks()), o.hybridWaitS * 1000);
  return { page, inputMs, typedMs, firstMs: first.first! - t0, firstRanking: first.ranking ?? '', hybridMs: done?.hybrid === undefined ? null : done.hybrid - t0, taskMs };
}

export async function runColdStart(o: ColdStartOptions): Promise<Record<string, unknown>[]> {
  const { build } = await import('esbuild');
  const bundle = await build({
    entryPoints: [resolve(o.root, 'bench/cold-start/seed-memory.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    write: false,
    alias: { '@wasm': resolve(o.root, 'wasm'), '@shared': resolve(o.root, 'shared'), '@': resolve(o.root, 'extension') },
  });
  const chunksPerPage = o.chunksPerPage ?? 10;
  const reopens = o.reopens ?? 2;
  const settleS = o.settleS ?? 30;
  const hybridWaitS = o.hybridWaitS ?? 120;
  const entry = o.entry ?? 'paste';
  const eb = await launchBrowser({ args: ['--js-flags=--max-old-space-size=8192'] });
  const lines: Record<string, unknown>[] = [];
  try {
    const seedPage = await eb.open(eb.extensionUrl('manifest.json'));
    seedPage.setDefaultTimeout(0);
    await seedPage.evaluate(bundle.outputFiles[0]!.text);
    o.log(`cold start: writing ${o.chunks} chunks (${Math.ceil(o.chunks / chunksPerPage)} pages) into the extension's IndexedDB`);
    type Seed = { prepareMemory(x: unknown): Promise<{ pages: number; queries: string[] }>; seedPages(a: number, b: number): Promise<void>; finishMemory(): Promise<{ pages: number; chunks: number; seedMs: number }> };
    const plan = await seedPage.evaluate((opts) => (globalThis as unknown as Seed).prepareMemory(opts), { chunks: o.chunks, chunksPerPage, model: o.model, dims: o.dims, queries: reopens + 1 });
    // In ranges, each well inside one DevTools call's time limit.
    const STEP = 500;
    for (let from = 0; from < plan.pages; from += STEP) {
      await seedPage.evaluate((a, b) => (globalThis as unknown as Seed).seedPages(a, b), from, from + STEP);
      if ((from / STEP) % 4 === 3) o.log(`cold start: ${Math.min(plan.pages, from + STEP)} of ${plan.pages} pages written`);
    }
    const seeded = { ...(await seedPage.evaluate(() => (globalThis as unknown as Seed).finishMemory())), queries: plan.queries };
    o.log(`cold start: seeded ${seeded.pages} pages, ${seeded.chunks} chunks in ${(seeded.seedMs / 1000).toFixed(1)} s`);
    await seedPage.close();
    const url = eb.extensionUrl('sidepanel.html');
    for (let i = 0; i <= reopens; i++) {
      const open = i === 0 ? 'first' : 'reopen';
      const query = seeded.queries[i]!;
      o.log(`cold start: ${open} open, query "${query}"`);
      const saved = await savedState(eb).catch((error) => ({ error: String(error) }));
      o.log(`cold start: ${open}: saved before opening: ${JSON.stringify(saved)}`);
      if (o.freshOffscreen) await closeOffscreen(eb);
      const r = await openAndSearch(
        async () => {
          if (o.freshOffscreen) void startOffscreen(eb).catch((error) => o.log(`cold start: offscreen start failed: ${String(error)}`));
          return eb.browser.newPage();
        },
        url,
        query,
        { hybridWaitS, entry },
      );
      const marks = await panelMarks(r.page).catch(() => ({}));
      o.log(`cold start: ${open}: input ${r.inputMs.toFixed(0)} ms, first results ${r.firstMs.toFixed(0)} ms (${r.firstRanking}), hybrid ${r.hybridMs === null ? 'not within the wait' : `${r.hybridMs.toFixed(0)} ms`}`);
      lines.push({
        bench: 'coldstart',
        open,
        run: i,
        chunks: seeded.chunks,
        pages: seeded.pages,
        query_words: query.split(' ').length,
        query_entry: entry,
        input_ms: Math.round(r.inputMs),
        typed_ms: Math.round(r.typedMs),
        first_results_ms: Math.round(r.firstMs),
        first_ranking: r.firstRanking,
        hybrid_ms: r.hybridMs === null ? null : Math.round(r.hybridMs),
        task_ms: Math.round(r.taskMs),
        seed_ms: Math.round(seeded.seedMs),
        fresh_offscreen: Boolean(o.freshOffscreen),
        saved_before_open: saved,
        panel_marks: marks,
        runtime: `chromium ${(await eb.browser.version()).replace(/^\D+/, '')}`,
      });
      // Leave the panel open as a person would, until it has done what it does after the first results.
      await sleep(settleS * 1000);
      if (!(await quiet(r.page, 300))) o.log('cold start: the side panel was still busy after 5 minutes');
      const reads = await snapshotReads(r.page).catch(() => ({}));
      o.log(`cold start: ${open}: marks ${JSON.stringify(marks)}; after it settled, reading the saved rows alone: ${JSON.stringify(reads)}`);
      Object.assign(lines[lines.length - 1]!, reads);
      await r.page.close({ runBeforeUnload: true });
      await sleep(2000);
    }
  } finally {
    await eb.close();
  }
  return lines;
}
