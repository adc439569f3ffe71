// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearHandlers, dispatch, MessageError } from '@/messaging/router';
import { createDb, type CalicoDb } from '@/db/database';
import { MESSAGES, type MessageRequest, type MessageResponse, type MessageType } from '@shared/schemas/messages';
import { rangeFromOffsets, textOf } from '@/anchoring/text-offsets';
import { registerHighlightHandlers } from '../handlers';
import { deleteHighlight, updateHighlight } from '../repository';
import { Highlighter, retrying } from './highlighter';
import { paintedElements } from './painter';
import { testLifetime } from './test-lifetime';

// The content-side highlighter talking to the real background handlers over an in-process "runtime"
// (the router's dispatch), with the database in fake-indexeddb.

const ARTICLE = `<main><h1>Tide pools</h1>
<p>Spring tides come twice a month, when the sun and moon pull in a line.</p>
<p>Lobsters hide under the kelp at low tide and come out to feed at night.</p></main>`;
const PASSAGE = 'Lobsters hide under the kelp at low tide';

let db: CalicoDb;
let n = 0;
const lives: ReturnType<typeof testLifetime>[] = [];
const sent: string[] = [];

async function send<T extends MessageType>(type: T, payload: MessageRequest<T>): Promise<MessageResponse<T>> {
  sent.push(type);
  if (type === 'panel.open') return { opened: true } as MessageResponse<T>;
  // The content script of the tab showing this document, as the browser would report it.
  const url = document.location.href;
  const reply = await dispatch({ type, payload }, { id: 'test-extension-id', tab: { id: 1, url } as chrome.tabs.Tab, url, frameId: 0 });
  if (!reply) throw new MessageError('no-receiver', type);
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
  return MESSAGES[type].response.parse(reply.data) as MessageResponse<T>;
}

function visit(html: string, options = { retryWindowMs: 600, settleMs: 30 }): Highlighter {
  for (const life of lives.splice(0)) life.invalidate();
  document.body.innerHTML = html;
  const life = testLifetime();
  lives.push(life);
  const h = new Highlighter(life, document, send, options);
  h.start();
  return h;
}

function rangeOf(phrase: string): Range {
  const at = textOf(document.body).indexOf(phrase);
  return rangeFromOffsets(document.body, at, at + phrase.length)!;
}

const paintedText = (id: string) => paintedElements(id).map((e) => e.textContent).join('');

beforeEach(() => {
  db = createDb(`highlighter-${n++}`);
  clearHandlers();
  registerHighlightHandlers(db);
  sent.length = 0;
});

afterEach(() => {
  for (const life of lives.splice(0)) life.invalidate();
  clearHandlers();
  db.close();
});

describe('highlighter', () => {
  it('creates a highlight from a selection, stores it and paints it', async () => {
    const h = visit(ARTICLE);
    await h.reload();
    const id = await h.create(rangeOf(PASSAGE), 'green');
    const row = await db.highlights.get(id);
    expect(row).toMatchObject({ text: PASSAGE, color: 'green', url: 'http://localhost:3000/', anchorStatus: 'anchored' });
    expect(row!.selectors.map((s) => s.type)).toEqual(['RangeSelector', 'TextPositionSelector', 'TextQuoteSelector']);
    expect(paintedText(id)).toBe(PASSAGE);
  });

  it('repaints on the next visit, also on a changed page, and reports statuses', async () => {
    const first = visit(ARTICLE);
    await first.reload();
    const id = await first.create(rangeOf(PASSAGE), 'yellow');

    const again = visit(ARTICLE);
    await again.reload();
    expect(paintedText(id)).toBe(PASSAGE);

    const changed = visit(ARTICLE.replace('<main>', '<main><p>New intro paragraph added above.</p>').replace('under the kelp', 'beneath the kelp'));
    await changed.reload();
    expect(paintedText(id)).toBe('Lobsters hide beneath the kelp at low tide');
    expect((await db.highlights.get(id))!.anchorStatus).toBe('anchored');
  });

  it('marks a highlight whose passage is gone as orphan after the retry window, keeping it', async () => {
    const first = visit(ARTICLE);
    await first.reload();
    const id = await first.create(rangeOf(PASSAGE), 'blue');

    const gone = visit(ARTICLE.replace(/<p>Lobsters[^<]*<\/p>/, ''));
    await gone.reload();
    expect(paintedElements(id)).toHaveLength(0);
    expect((await db.highlights.get(id))!.anchorStatus).toBe('anchored'); // not yet: still waiting
    await vi.waitFor(async () => expect((await db.highlights.get(id))!.anchorStatus).toBe('orphan'), { timeout: 3000 });
    expect(await db.highlights.count()).toBe(1);

    // Found again on a later visit: back to anchored.
    const back = visit(ARTICLE);
    await back.reload();
    await vi.waitFor(async () => expect((await db.highlights.get(id))!.anchorStatus).toBe('anchored'));
  });

  it('anchors content that arrives after load (client rendering) within the retry window', async () => {
    const first = visit(ARTICLE);
    await first.reload();
    const id = await first.create(rangeOf(PASSAGE), 'pink');

    const spa = visit('<div id="app">Loading…</div>', { retryWindowMs: 3000, settleMs: 30 });
    await spa.reload();
    expect(paintedElements(id)).toHaveLength(0);
    setTimeout(() => {
      document.getElementById('app')!.innerHTML = ARTICLE;
    }, 100);
    await vi.waitFor(() => expect(paintedText(id)).toBe(PASSAGE), { timeout: 2000 });
  });

  it('re-anchors a painted highlight that a re-render threw away', async () => {
    const h = visit(ARTICLE);
    await h.reload();
    const id = await h.create(rangeOf(PASSAGE), 'purple');
    document.querySelector('main')!.outerHTML = ARTICLE; // framework re-render: fresh nodes, same text
    expect(paintedElements(id)).toHaveLength(0);
    await vi.waitFor(() => expect(paintedText(id)).toBe(PASSAGE), { timeout: 2000 });
  });

  it('follows changes made elsewhere (side panel): recolour and delete', async () => {
    const h = visit(ARTICLE);
    await h.reload();
    const id = await h.create(rangeOf(PASSAGE), 'yellow');
    await updateHighlight(id, { color: 'blue' }, db);
    await h.reload();
    expect(paintedElements(id).every((e) => e.dataset.color === 'blue')).toBe(true);
    await deleteHighlight(id, db);
    await h.reload();
    expect(paintedElements(id)).toHaveLength(0);
  });

  it('overlay actions: recolour, note, delete, ask', async () => {
    const h = visit(ARTICLE);
    await h.reload();
    const id = await h.create(rangeOf(PASSAGE), 'yellow');
    await h.recolor(id, 'green');
    expect(paintedElements(id).every((e) => e.dataset.color === 'green')).toBe(true);
    await h.saveNote(id, 'they molt too');
    expect(h.lookup(id)).toEqual({ color: 'green', note: 'they molt too' });
    expect((await db.highlights.get(id))!.note).toBe('they molt too');
    await h.ask('lobsters');
    expect(sent).toContain('panel.open');
    await h.remove(id);
    expect(paintedElements(id)).toHaveLength(0);
    expect(await db.highlights.get(id)).toBeUndefined();
  });

  it('reveal finds painted highlights, waits for late ones, and gives up on unknown ones', async () => {
    const first = visit(ARTICLE);
    await first.reload();
    const id = await first.create(rangeOf(PASSAGE), 'yellow');
    expect(await first.reveal(id, 100)).toBe(true);
    expect(await first.reveal('hl_unknown1', 300)).toBe(false);

    const late = visit('<div id="app"></div>', { retryWindowMs: 3000, settleMs: 30 });
    void late.reload();
    setTimeout(() => {
      document.getElementById('app')!.innerHTML = ARTICLE;
    }, 150);
    expect(await late.reveal(id, 2000)).toBe(true);
  });

  it('retries a message when the service worker was not there yet', async () => {
    let calls = 0;
    const flaky = retrying(async (type, payload) => {
      if (++calls < 3) throw new Error('Could not establish connection. Receiving end does not exist.');
      return send(type, payload);
    }, 3, 5);
    expect(await flaky('highlights.forPage', { url: document.location.href, canonicalUrl: null, title: '' })).toEqual([]);
    expect(calls).toBe(3);
    const invalid = retrying(async () => {
      calls++;
      throw new MessageError('invalid', 'bad');
    }, 3, 5);
    calls = 0;
    await expect(invalid('highlight.delete', { id: 'hl_whatever' })).rejects.toThrow('bad');
    expect(calls).toBe(1);
  });
});
