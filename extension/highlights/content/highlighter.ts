import type { AnchorStatus, Highlight, HighlightColor } from '@shared/schemas/records';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { anchor, describe } from '@/anchoring/index';
import { normalizeUrl, pageKeyUrl } from '@/capture/normalize-url';
import { MessageError, onMessage, sendMessage } from '@/messaging/router';
import type { MessageRequest, MessageResponse, MessageType } from '@shared/schemas/messages';
import { onHighlightsChanged } from '../change-signal';
import { flash, paint, paintedElements, recolor, unpaint } from './painter';
import { pageMeta } from './page-meta';
import { OverlayController, mountOverlay, type Lifetime, type OverlayActions, type OverlayMount } from './overlay';

/**
 * The in-page half of highlights: on every visit it fetches the page's highlights, anchors and paints
 * them, and reports which were found; the overlay creates, recolours, annotates and deletes them.
 *
 * Pages keep changing after load (client rendering, lazy sections, infinite feeds), so highlights not
 * found at first are retried whenever the DOM settles after a mutation — for RETRY_WINDOW_MS, then
 * reported as orphans. Orphans stay in the database (the side panel lists them); a later visit tries
 * again. Highlights that were painted and then wiped by a re-render are re-anchored the same way.
 */

export const RETRY_WINDOW_MS = 12_000;
const MUTATION_SETTLE_MS = 400;
const REVEAL_WAIT_MS = 5_000;

type Send = <T extends MessageType>(type: T, payload: MessageRequest<T>) => Promise<MessageResponse<T>>;

interface Entry {
  highlight: Highlight;
  state: 'pending' | 'anchored' | 'orphan';
}

/** The service worker may be asleep or restarting: retry the (idempotent) messages a few times. */
export function retrying(send: Send, attempts = 3, delayMs = 300): Send {
  return async (type, payload) => {
    for (let i = 1; ; i++) {
      try {
        return await send(type, payload);
      } catch (error) {
        const transient = error instanceof MessageError ? error.code === 'no-receiver' : /receiving end|message port closed|connection/i.test(String(error));
        if (!transient || i >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, delayMs * i));
      }
    }
  };
}

function newId(): string {
  return crypto.randomUUID();
}

export class Highlighter implements OverlayActions {
  readonly entries = new Map<string, Entry>();
  private deadline = 0;
  private orphanTimer: number | undefined;
  private settleTimer: number | undefined;
  private observer: MutationObserver | undefined;
  private pageUrl: string;
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private stopped = false;

  private readonly retryWindowMs: number;
  private readonly settleMs: number;

  constructor(
    private readonly ctx: Lifetime,
    private readonly doc: Document,
    private readonly send: Send,
    options: { retryWindowMs?: number; settleMs?: number } = {},
  ) {
    this.pageUrl = this.urlWithoutHash();
    this.retryWindowMs = options.retryWindowMs ?? RETRY_WINDOW_MS;
    this.settleMs = options.settleMs ?? MUTATION_SETTLE_MS;
  }

  private get root(): HTMLElement {
    return this.doc.body;
  }

  private urlWithoutHash(): string {
    return this.doc.location.href.replace(/#.*$/, '');
  }

  /** The URLs this page's highlights may be filed under (see handlers.ts). */
  private pageKeys(): Set<string> {
    const meta = pageMeta(this.doc);
    return new Set([pageKeyUrl(meta.url, meta.canonicalUrl), normalizeUrl(meta.url)].filter((u): u is string => !!u));
  }

  start(): void {
    this.observer = new MutationObserver(() => this.onMutation());
    this.observer.observe(this.root, { childList: true, subtree: true, characterData: true });
    this.ctx.onInvalidated(() => this.stop());
    this.ctx.addEventListener(this.doc, 'visibilitychange', () => {
      if (this.doc.visibilityState === 'visible') void this.reload();
    });
    this.ctx.addEventListener(this.doc.defaultView ?? window, 'wxt:locationchange', () => this.onRouteChange());
    this.ctx.onInvalidated(onHighlightsChanged((url) => {
      if (this.pageKeys().has(url)) void this.reload();
    }));
  }

  stop(): void {
    // Answers to messages sent before the stop still arrive; they must not paint anything.
    this.stopped = true;
    this.observer?.disconnect();
    for (const id of this.entries.keys()) unpaint(id, this.doc);
    this.entries.clear();
  }

  /** Fetches the page's highlights and brings the page in line: new ones anchored, changed ones
   * recoloured, deleted ones removed. Safe to call any time; overlapping calls coalesce. */
  reload(): Promise<void> {
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = (async () => {
      try {
        do {
          this.reloadAgain = false;
          const list = await this.send('highlights.forPage', pageMeta(this.doc));
          this.sync(list);
        } while (this.reloadAgain);
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  sync(list: readonly Highlight[]): void {
    if (this.stopped) return;
    const ids = new Set(list.map((h) => h.id));
    for (const id of [...this.entries.keys()]) {
      if (!ids.has(id)) this.forget(id);
    }
    let added = false;
    for (const h of list) {
      const entry = this.entries.get(h.id);
      if (!entry) {
        this.entries.set(h.id, { highlight: h, state: 'pending' });
        added = true;
      } else {
        if (entry.highlight.color !== h.color && entry.state === 'anchored') this.quietly(() => recolor(h.id, h.color, this.doc));
        entry.highlight = h;
      }
    }
    if (added) this.openRetryWindow();
    this.anchorPending();
  }

  private forget(id: string): void {
    this.quietly(() => unpaint(id, this.doc));
    this.entries.delete(id);
  }

  /** DOM writes of our own must not look like page changes to the observer. */
  private quietly<T>(write: () => T): T {
    try {
      return write();
    } finally {
      this.observer?.takeRecords();
    }
  }

  private openRetryWindow(): void {
    this.deadline = Date.now() + this.retryWindowMs;
    if (this.orphanTimer !== undefined) clearTimeout(this.orphanTimer);
    this.orphanTimer = this.ctx.setTimeout(() => this.giveUp(), this.retryWindowMs);
  }

  /** Tries every pending highlight once; reports the ones found. */
  anchorPending(): void {
    const results: { id: string; status: AnchorStatus }[] = [];
    for (const [id, entry] of this.entries) {
      if (entry.state === 'anchored') continue;
      if (entry.state === 'orphan' && Date.now() > this.deadline) continue;
      let range: Range | null = null;
      try {
        range = anchor(this.root, entry.highlight.selectors);
      } catch {
        range = null;
      }
      if (!range) continue;
      const painted = this.quietly(() => paint(range, id, entry.highlight.color));
      if (painted.length === 0) continue;
      entry.state = 'anchored';
      if (entry.highlight.anchorStatus !== 'anchored') results.push({ id, status: 'anchored' });
    }
    this.report(results);
  }

  private giveUp(): void {
    this.orphanTimer = undefined;
    const results: { id: string; status: AnchorStatus }[] = [];
    for (const [id, entry] of this.entries) {
      if (entry.state !== 'pending') continue;
      entry.state = 'orphan';
      if (entry.highlight.anchorStatus !== 'orphan') results.push({ id, status: 'orphan' });
    }
    this.report(results);
  }

  private report(results: { id: string; status: AnchorStatus }[]): void {
    if (results.length === 0) return;
    for (const { id, status } of results) {
      const entry = this.entries.get(id);
      if (entry) entry.highlight = { ...entry.highlight, anchorStatus: status };
    }
    void this.send('highlights.anchored', { results, canonicalUrl: pageMeta(this.doc).canonicalUrl }).catch(() => {
      // Reported again on the next visit; nothing on the page depends on it.
    });
  }

  private onMutation(): void {
    if (this.settleTimer !== undefined) clearTimeout(this.settleTimer);
    this.settleTimer = this.ctx.setTimeout(() => this.afterMutations(), this.settleMs);
  }

  private afterMutations(): void {
    this.settleTimer = undefined;
    // Painted highlights a re-render threw away go back to pending for another window.
    let lost = false;
    for (const [id, entry] of this.entries) {
      if (entry.state === 'anchored' && !paintedElements(id, this.doc).some((el) => el.isConnected)) {
        entry.state = 'pending';
        lost = true;
      }
    }
    if (lost) this.openRetryWindow();
    if (Date.now() <= this.deadline) this.anchorPending();
  }

  private onRouteChange(): void {
    const now = this.urlWithoutHash();
    if (now === this.pageUrl) return;
    this.pageUrl = now;
    for (const id of [...this.entries.keys()]) this.forget(id);
    void this.reload();
  }

  // --- actions from the overlay -------------------------------------------------------------------

  lookup(id: string): { color: HighlightColor; note: string } | undefined {
    const h = this.entries.get(id)?.highlight;
    return h ? { color: h.color, note: h.note } : undefined;
  }

  async create(range: Range, color: HighlightColor, note = ''): Promise<string> {
    const selectors = describe(this.root, range);
    const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
    if (!quote || !quote.exact.trim()) throw new Error('nothing to highlight');
    const id = newId();
    const created = await this.send('highlight.create', { ...pageMeta(this.doc), id, text: quote.exact, color, note, selectors });
    if (this.stopped) return id;
    // Paint what is on the page now (the DOM may have moved on while we waited): anchor afresh.
    const entry: Entry = { highlight: created, state: 'pending' };
    this.entries.set(id, entry);
    const now = anchor(this.root, created.selectors);
    if (now && this.quietly(() => paint(now, id, color)).length > 0) entry.state = 'anchored';
    return id;
  }

  async recolor(id: string, color: HighlightColor): Promise<void> {
    const updated = await this.send('highlight.update', { id, color, canonicalUrl: pageMeta(this.doc).canonicalUrl });
    const entry = this.entries.get(id);
    if (entry) entry.highlight = updated;
    this.quietly(() => recolor(id, color, this.doc));
  }

  async saveNote(id: string, note: string): Promise<void> {
    const updated = await this.send('highlight.update', { id, note, canonicalUrl: pageMeta(this.doc).canonicalUrl });
    const entry = this.entries.get(id);
    if (entry) entry.highlight = updated;
  }

  async remove(id: string): Promise<void> {
    await this.send('highlight.delete', { id, canonicalUrl: pageMeta(this.doc).canonicalUrl });
    this.forget(id);
  }

  /** Set by the page's assistant: the toolbar's Ask opens its bubble at the selection. */
  onAsk: ((query: string, range?: Range) => void) | undefined;

  async ask(query: string, range?: Range): Promise<void> {
    if (this.onAsk) return this.onAsk(query, range);
    await this.send('panel.open', { query });
  }

  /** Scrolls to a highlight and flashes it, waiting (bounded) for it to be anchored. */
  async reveal(id: string, waitMs = REVEAL_WAIT_MS): Promise<boolean> {
    const until = Date.now() + waitMs;
    let reloaded = false;
    for (;;) {
      const el = paintedElements(id, this.doc).find((e) => e.isConnected);
      if (el) {
        el.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
        flash(id, this.doc);
        return true;
      }
      if (!this.entries.has(id) && !reloaded) {
        // Made in another tab or just synced: fetch before giving up on it.
        reloaded = true;
        await this.reload().catch(() => undefined);
        continue;
      }
      if (Date.now() >= until) return false;
      await new Promise((resolve) => this.ctx.setTimeout(() => resolve(undefined), 200));
    }
  }
}

let registered: Highlighter | undefined;

/**
 * Starts highlights on this page. Registers the 'highlight.reveal' handler synchronously (before the
 * first await) so the content entry can call the router's `listen()` right after.
 */
export async function startHighlights(ctx: ContentScriptContext, options: { onAsk?: Highlighter['onAsk'] } = {}): Promise<Highlighter | undefined> {
  if (!document.body || window.top !== window) return undefined;
  const highlighter = new Highlighter(ctx, document, retrying(sendMessage));
  highlighter.onAsk = options.onAsk;
  if (!registered) {
    onMessage('highlight.reveal', async ({ id }) => ({ found: (await registered?.reveal(id)) ?? false }));
  }
  registered = highlighter;
  ctx.onInvalidated(() => {
    if (registered === highlighter) registered = undefined;
  });
  highlighter.start();
  let mount: OverlayMount | undefined;
  try {
    mount = await mountOverlay(ctx);
  } catch (error) {
    console.warn('CalicoLobster: overlay unavailable on this page', error);
  }
  if (mount) new OverlayController(ctx, document, mount, highlighter);
  await highlighter.reload().catch((error) => console.warn('CalicoLobster: could not load highlights', error));
  return highlighter;
}
