import type { CDPSession, Page, Target } from 'puppeteer-core';
import type { ExtensionBrowser } from './support/browser';
import { readStoreIn, waitForRows, type HighlightRow } from './support/database';
import { clickInOverlay, selectUntilOverlay } from './support/page-actions';
import { tid } from './support/surfaces';
import { waitFor } from './support/wait';

/** Helpers of the on-device AI suites (e2e/ai-*.e2e.test.ts). */

export interface Progress {
  state: string;
  done: number;
  total: number;
  pending: number;
  indexed: number;
}

/** The side panel's indexing progress, as its data attributes say it. */
export async function readProgress(panel: Page): Promise<Progress | null> {
  return panel.$eval(tid('indexing-progress'), (el) => ({
    state: el.getAttribute('data-state') ?? '',
    done: Number(el.getAttribute('data-done')),
    total: Number(el.getAttribute('data-total')),
    pending: Number(el.getAttribute('data-pending')),
    indexed: Number(el.getAttribute('data-indexed')),
  })).catch(() => null);
}

/** Waits until every named source (`highlight:<id>`, `page:<url>`) is embedded and nothing is queued. */
export async function waitForEmbedded(panel: Page, keys: string[], timeout = 90_000): Promise<Progress | null> {
  await waitFor(
    async () => new Set((await readStore<{ key: string }>(panel, 'embeddedSources')).map((r) => r.key)),
    (done) => keys.every((k) => done.has(k)),
    { timeout, interval: 300, message: `${keys.join(', ')} to be embedded` },
  );
  return waitFor(() => readProgress(panel), (p) => Boolean(p && p.pending === 0), { timeout, interval: 300, message: 'the indexing queue to drain' });
}

/** Rows of any table of the extension's database (raw IndexedDB from an extension page). */
export const readStore = readStoreIn;

/** Opens a page, once more if the first load timed out (two busy cores can starve a heavy page). */
export async function openPage(eb: ExtensionBrowser, url: string): Promise<Page> {
  try {
    return await eb.open(url);
  } catch (error) {
    if (!String(error).includes('timeout')) throw error;
    return eb.open(url);
  }
}

/** Highlights a passage on a page with the overlay, the way a reader does; returns the stored row. */
export async function highlightPassage(eb: ExtensionBrowser, page: Page, passage: string): Promise<HighlightRow> {
  const before = new Set((await waitForRows<HighlightRow>(eb, 'highlights', () => true)).map((h) => h.id));
  await selectUntilOverlay(page, passage);
  await clickInOverlay(page, 'overlay-color-yellow');
  const rows = await waitForRows<HighlightRow>(eb, 'highlights', (r) => r.some((h) => !before.has(h.id)));
  return rows.find((h) => !before.has(h.id))!;
}

export async function offscreenTargets(eb: ExtensionBrowser): Promise<Target[]> {
  return eb.browser.targets().filter((t) => t.url().startsWith(`chrome-extension://${eb.extensionId}/offscreen.html`));
}

/** Runs code in the extension's service worker. */
export async function inServiceWorker<T>(eb: ExtensionBrowser, fn: () => Promise<T> | T): Promise<T> {
  const target = await eb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(eb.extensionId), { timeout: 30_000 });
  const worker = await target.worker();
  if (!worker) throw new Error('no service worker');
  return worker.evaluate(fn) as Promise<T>;
}

export interface NetworkEntry {
  url: string;
  target: string;
  type: string;
  /** Made by the extension: from one of its own targets, or by its content script inside a page. */
  byExtension: boolean;
}

/**
 * Records every request the browser's targets make (pages, the service worker, the offscreen
 * document, workers) through CDP Network events: one session per target, attached as each appears.
 */
export class NetworkLog {
  readonly entries: NetworkEntry[] = [];
  private readonly sessions: CDPSession[] = [];
  private readonly onTarget = (target: Target) => void this.attach(target);

  constructor(private readonly eb: ExtensionBrowser) {}

  async start(): Promise<void> {
    this.eb.browser.on('targetcreated', this.onTarget);
    await Promise.all(this.eb.browser.targets().map((t) => this.attach(t)));
  }

  private async attach(target: Target): Promise<void> {
    if (target.type() === 'browser') return;
    try {
      const session = await target.createCDPSession();
      session.on('Network.requestWillBeSent', (e: { request: { url: string }; initiator?: unknown }) => {
        const own = target.url().startsWith('chrome-extension://');
        // A real page's own images and scripts are the page's business; a request whose initiator stack
        // runs through the extension's content script is ours.
        const fromContentScript = JSON.stringify(e.initiator ?? {}).includes('chrome-extension://');
        this.entries.push({ url: e.request.url, target: target.url(), type: target.type(), byExtension: own || fromContentScript });
      });
      await session.send('Network.enable');
      this.sessions.push(session);
    } catch {
      // A target that closed while attaching made no request worth recording.
    }
  }

  /** Requests the extension made to anything but this machine or the extension itself. */
  outside(): NetworkEntry[] {
    return this.entries.filter((e) => {
      if (!e.byExtension) return false;
      if (/^(chrome-extension|data|blob|about|chrome):/.test(e.url)) return false;
      try {
        const host = new URL(e.url).hostname;
        return host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]';
      } catch {
        return true;
      }
    });
  }

  /** The extension's own requests (to tell that the log saw its targets at all). */
  extensionEntries(): NetworkEntry[] {
    return this.entries.filter((e) => e.byExtension);
  }

  async stop(): Promise<void> {
    this.eb.browser.off('targetcreated', this.onTarget);
    await Promise.all(this.sessions.map((s) => s.detach().catch(() => undefined)));
  }
}
