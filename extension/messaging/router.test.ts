import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_VECTOR_K } from '@shared/schemas/ai-messages';
import { clearHandlers, dispatch, onMessage } from './router';
import { senderKind } from './sender-policy';

// Issue 9: the router decides who may send what from the sender the browser reports, before a handler
// runs. A content script shares its page with the page's own scripts, so it is only trusted with that page.

const EXT = 'chrome-extension://test-extension-id';
const sidePanel = { id: 'test-extension-id', url: `${EXT}/sidepanel.html` } as chrome.runtime.MessageSender;
const serviceWorker = { id: 'test-extension-id' } as chrome.runtime.MessageSender;
function contentScript(url: string): chrome.runtime.MessageSender {
  return { id: 'test-extension-id', url, tab: { id: 4, url } as chrome.tabs.Tab, frameId: 0 };
}
const page = contentScript('https://news.test/story?id=1#comments');

let ran: string[];
beforeEach(() => {
  ran = [];
  clearHandlers();
  onMessage('ai.vectorSearch', ({ k }) => {
    ran.push(`vectorSearch k=${k}`);
    return { model: 'm', hits: [] };
  });
  onMessage('ai.status', () => {
    ran.push('status');
    return { ready: true, model: 'm', kernel: 'js', vectors: 0, error: null };
  });
  onMessage('capture.policy', ({ url }) => {
    ran.push(`policy ${url}`);
    return { allowed: true };
  });
  onMessage('highlights.forPage', ({ url }) => {
    ran.push(`forPage ${url}`);
    return [];
  });
  onMessage('panel.open', () => ({ opened: true }));
  onMessage('highlight.reveal', () => ({ found: true }));
});
afterEach(() => clearHandlers());

describe('who sent it', () => {
  it('tells extension pages, our service worker and content scripts apart by what the browser reports', () => {
    expect(senderKind(sidePanel)).toBe('extension');
    expect(senderKind(serviceWorker)).toBe('extension');
    expect(senderKind(page)).toBe('content');
    // A chrome-extension:// frame of another extension, or a sender of another id, is nobody we trust.
    expect(senderKind({ id: 'test-extension-id', url: 'chrome-extension://other/x.html' })).toBeNull();
    expect(senderKind({ id: 'someone-else', url: `${EXT}/popup.html` })).toBeNull();
  });
});

describe('messages a content script may not send', () => {
  it('refuses history search (ai.vectorSearch) and AI status from a page before the handler runs', async () => {
    expect(await dispatch({ type: 'ai.vectorSearch', payload: { query: 'bank', k: 50 } }, page)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch({ type: 'ai.status', payload: {} }, page)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ran).toEqual([]);
    expect(await dispatch({ type: 'ai.vectorSearch', payload: { query: 'bank', k: 50 } }, sidePanel)).toMatchObject({ ok: true });
    expect(ran).toEqual(['vectorSearch k=50']);
  });

  it('refuses messages only the background sends to pages (highlight.reveal) when a page sends them', async () => {
    expect(await dispatch({ type: 'highlight.reveal', payload: { id: 'hl_000001' } }, page)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await dispatch({ type: 'highlight.reveal', payload: { id: 'hl_000001' } }, serviceWorker)).toMatchObject({ ok: true });
  });

  it('refuses messages from a sender it cannot place', async () => {
    const unknown = { id: 'test-extension-id' , url: 'https://news.test/' } as chrome.runtime.MessageSender; // no tab
    expect(await dispatch({ type: 'panel.open', payload: {} }, unknown)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('a content script speaks only about its own page', () => {
  it('may ask about its own URL (the fragment aside) and not about any other', async () => {
    expect(await dispatch({ type: 'capture.policy', payload: { url: 'https://news.test/story?id=1' } }, page)).toMatchObject({ ok: true });
    expect(await dispatch({ type: 'highlights.forPage', payload: { url: 'https://news.test/story?id=1#top', canonicalUrl: null, title: '' } }, page)).toMatchObject({ ok: true });
    const other = await dispatch({ type: 'highlights.forPage', payload: { url: 'https://mail.test/inbox', canonicalUrl: null, title: '' } }, page);
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const sibling = await dispatch({ type: 'highlights.forPage', payload: { url: 'https://news.test/story?id=2', canonicalUrl: null, title: '' } }, page);
    expect(sibling).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(ran).toEqual(['policy https://news.test/story?id=1', 'forPage https://news.test/story?id=1#top']);
  });

  it('may open the side panel (the overlay’s Ask), as may the popup', async () => {
    expect(await dispatch({ type: 'panel.open', payload: { query: 'q' } }, page)).toMatchObject({ ok: true });
    expect(await dispatch({ type: 'panel.open', payload: { query: 'q' } }, { id: 'test-extension-id', url: `${EXT}/popup.html` })).toMatchObject({ ok: true });
  });
});

describe('vector search depth', () => {
  it(`is capped at ${MAX_VECTOR_K} results per query`, async () => {
    expect(await dispatch({ type: 'ai.vectorSearch', payload: { query: 'x', k: 1000 } }, sidePanel)).toMatchObject({ ok: false, error: { code: 'invalid' } });
    expect(await dispatch({ type: 'ai.vectorSearch', payload: { query: 'x', k: MAX_VECTOR_K } }, sidePanel)).toMatchObject({ ok: true });
    expect(MAX_VECTOR_K).toBeLessThanOrEqual(200);
  });
});
