import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearHandlers, dispatch } from '@/messaging/router';
import { createDb, type CalicoDb } from '@/db/database';
import { registerHighlightHandlers } from './handlers';
import type { Selector } from '@shared/schemas/records';

/** The overlay's content script on the article page. */
const sender = { id: 'test-extension-id', tab: { id: 1, url: 'https://www.example.com/article?utm_source=feed' }, url: 'https://www.example.com/article?utm_source=feed', frameId: 0 } as chrome.runtime.MessageSender;
const selectors: Selector[] = [{ type: 'TextQuoteSelector', exact: 'Two', prefix: 'One ', suffix: ' Three' }];

let db: CalicoDb;
let n = 0;

/** A content script on another page (tab 2). */
function senderOn(url: string): chrome.runtime.MessageSender {
  return { id: 'test-extension-id', tab: { id: 2, url } as chrome.tabs.Tab, url, frameId: 0 };
}
/** The side panel: an extension page. */
const panel = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' } as chrome.runtime.MessageSender;

async function call(type: string, payload: unknown, from = sender) {
  return dispatch({ type, payload }, from);
}

async function ok(type: string, payload: unknown, from = sender) {
  const reply = await call(type, payload, from);
  if (!reply?.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
  return reply.data as any;
}

const page = {
  url: 'https://www.example.com/article?utm_source=feed#section',
  canonicalUrl: 'https://example.com/article',
  title: 'An article',
};

beforeEach(() => {
  db = createDb(`highlights-handlers-${n++}`);
  clearHandlers();
  registerHighlightHandlers(db);
});

afterEach(async () => {
  db.close();
  clearHandlers();
});

describe('highlight handlers', () => {
  it('creates a highlight filed under the normalised same-site canonical URL', async () => {
    const created = await ok('highlight.create', { ...page, id: 'hl_000001', text: 'Two', color: 'yellow', selectors });
    expect(created).toMatchObject({ url: 'https://example.com/article', site: 'example.com', pageTitle: 'An article', anchorStatus: 'anchored', note: '' });
    expect(await db.highlights.get('hl_000001')).toMatchObject({ color: 'yellow' });
    expect(await db.changes.where({ table: 'highlights', key: 'hl_000001' }).count()).toBe(1);
  });

  it('ignores a canonical link that points at another site', async () => {
    const created = await ok('highlight.create', { ...page, canonicalUrl: 'https://bank.test/', id: 'hl_000002', text: 'Two', color: 'green', selectors });
    expect(created.url).toBe('https://www.example.com/article');
  });

  it('lists a page’s highlights by canonical or plain URL, and nothing for other pages', async () => {
    await ok('highlight.create', { ...page, id: 'hl_000003', text: 'Two', color: 'yellow', selectors });
    await ok('highlight.create', { ...page, canonicalUrl: null, id: 'hl_000004', text: 'Two', color: 'blue', selectors });
    const forPage = await ok('highlights.forPage', page);
    expect(forPage.map((h: { id: string }) => h.id).sort()).toEqual(['hl_000003', 'hl_000004']);
    expect(await ok('highlights.forPage', { url: 'https://www.example.com/article?other=1', canonicalUrl: null, title: '' }, senderOn('https://www.example.com/article?other=1'))).toEqual([]);
    expect(await ok('highlights.forPage', { url: 'chrome://settings', canonicalUrl: null, title: '' }, senderOn('chrome://settings'))).toEqual([]);
  });

  it('recolours, edits notes, records anchor statuses and deletes', async () => {
    await ok('highlight.create', { ...page, id: 'hl_000005', text: 'Two', color: 'yellow', selectors });
    const canonicalUrl = page.canonicalUrl;
    expect(await ok('highlight.update', { id: 'hl_000005', color: 'pink', canonicalUrl })).toMatchObject({ color: 'pink', note: '' });
    expect(await ok('highlight.update', { id: 'hl_000005', note: 'remember this', canonicalUrl })).toMatchObject({ color: 'pink', note: 'remember this' });
    expect(await ok('highlights.anchored', { results: [{ id: 'hl_000005', status: 'orphan' }], canonicalUrl })).toEqual({ updated: 1 });
    expect(await ok('highlights.anchored', { results: [{ id: 'hl_000005', status: 'orphan' }], canonicalUrl })).toEqual({ updated: 0 });
    expect((await db.highlights.get('hl_000005'))!.anchorStatus).toBe('orphan');
    expect(await ok('highlight.delete', { id: 'hl_000005', canonicalUrl })).toEqual({ deleted: true });
    expect(await ok('highlight.delete', { id: 'hl_000005', canonicalUrl })).toEqual({ deleted: false });
    expect(await db.highlights.count()).toBe(0);
  });

  it('rejects invalid requests and unknown ids without writing', async () => {
    const bad = await call('highlight.create', { ...page, id: 'x', text: '', color: 'red', selectors: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const noPage = await call('highlight.create', { ...page, url: 'ftp://example.com/a', canonicalUrl: null, id: 'hl_000006', text: 'Two', color: 'yellow', selectors }, senderOn('ftp://example.com/a'));
    expect(noPage).toMatchObject({ ok: false, error: { code: 'unsupported-url' } });
    const missing = await call('highlight.update', { id: 'hl_missing1', color: 'blue' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await db.highlights.count()).toBe(0);
  });

  describe('a content script reaches only its own page (issue 9)', () => {
    const other = senderOn('https://attacker.test/page');
    const otherSamePath = senderOn('https://www.example.com/another-article');

    it('cannot list another page’s highlights by naming its URL', async () => {
      await ok('highlight.create', { ...page, id: 'hl_000101', text: 'Two', color: 'yellow', note: 'private', selectors });
      expect(await call('highlights.forPage', page, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call('highlights.forPage', page, otherSamePath)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // Its own page it may read (a fragment in the URL is the same page).
      expect((await ok('highlights.forPage', page)).map((h: { id: string }) => h.id)).toEqual(['hl_000101']);
    });

    it('cannot edit, recolour, mark or delete another page’s highlight by id', async () => {
      await ok('highlight.create', { ...page, id: 'hl_000102', text: 'Two', color: 'yellow', note: 'private', selectors });
      expect(await call('highlight.update', { id: 'hl_000102', note: 'forged' }, other)).toMatchObject({ ok: false, error: { code: 'not-found' } });
      expect(await call('highlight.update', { id: 'hl_000102', color: 'pink', canonicalUrl: 'https://example.com/article' }, other)).toMatchObject({ ok: false });
      expect(await ok('highlights.anchored', { results: [{ id: 'hl_000102', status: 'orphan' }] }, other)).toEqual({ updated: 0 });
      expect(await ok('highlight.delete', { id: 'hl_000102' }, otherSamePath)).toEqual({ deleted: false });
      expect(await db.highlights.get('hl_000102')).toMatchObject({ note: 'private', color: 'yellow', anchorStatus: 'anchored' });
      // Extension pages change highlights through the repository, never by message.
      expect(await call('highlight.delete', { id: 'hl_000102' }, panel)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      // The page itself may.
      expect(await ok('highlight.update', { id: 'hl_000102', note: 'mine', canonicalUrl: page.canonicalUrl })).toMatchObject({ note: 'mine' });
    });

    it('cannot overwrite another page’s highlight by creating one with its id', async () => {
      await ok('highlight.create', { ...page, id: 'hl_000103', text: 'Two', color: 'yellow', note: 'private', selectors });
      const forged = { url: 'https://attacker.test/page', canonicalUrl: null, title: 'x', id: 'hl_000103', text: 'Two', color: 'blue', note: '', selectors };
      expect(await call('highlight.create', forged, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await db.highlights.get('hl_000103')).toMatchObject({ url: 'https://example.com/article', note: 'private' });
      // A retried create from the page itself is still fine (idempotent).
      expect(await ok('highlight.create', { ...page, id: 'hl_000103', text: 'Two', color: 'yellow', note: 'private', selectors })).toMatchObject({ id: 'hl_000103' });
    });

    it('edits its own page’s highlight filed under its canonical URL', async () => {
      await ok('highlight.create', { ...page, id: 'hl_000104', text: 'Two', color: 'yellow', selectors });
      expect(await ok('highlight.update', { id: 'hl_000104', color: 'green', canonicalUrl: page.canonicalUrl })).toMatchObject({ color: 'green' });
      expect(await ok('highlight.delete', { id: 'hl_000104', canonicalUrl: page.canonicalUrl })).toEqual({ deleted: true });
    });
  });
});
