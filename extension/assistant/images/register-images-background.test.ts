import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { setDbForTesting } from '@/db/database';
import { clearHandlers, dispatch, onMessage } from '@/messaging/router';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { getImageRecord, saveImageRecord } from './image-records';
import { registerImageBackground } from './register-images-background';

// A content script speaks for its page (issue 9's sender policy): it may file requests only under its
// own page and mark only that page's image records as used; opening the composer or inserting an image
// are the extension's own messages to a page, never a page's.

function contentScript(url: string): chrome.runtime.MessageSender {
  return { id: 'test-extension-id', url, tab: { id: 4, url } as chrome.tabs.Tab, frameId: 0 };
}
const post = contentScript('https://blog.example/post');
const other = contentScript('https://evil.example/');

describe('image messages in the background', () => {
  let db: CalicoDb;
  beforeEach(async () => {
    db = await openTestDb();
    setDbForTesting(db);
    clearHandlers();
    registerImageBackground();
  });
  afterEach(async () => {
    clearHandlers();
    setDbForTesting(undefined);
    await dropTestDb(db);
  });

  const record = () => saveImageRecord({ prompt: 'a lighthouse', model: 'm', size: null, count: 1, source: 'menu', pageUrl: 'https://blog.example/post', pageTitle: 'Post' }, db);

  it('a page marks its own image as inserted; another page can’t', async () => {
    const { id } = await record();
    expect(await dispatch({ type: 'image.used', payload: { id, how: 'inserted' } }, other)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await getImageRecord(id, db))!.used).toEqual([]);
    expect(await dispatch({ type: 'image.used', payload: { id, how: 'inserted' } }, post)).toEqual({ ok: true, data: { saved: true } });
    expect((await getImageRecord(id, db))!.used).toEqual(['inserted']);
  });

  it('a page can’t ask for images filed under another page, nor send the extension’s own messages', async () => {
    const asked = await dispatch({ type: 'image.generate', payload: { prompt: 'a cat', n: 1, source: 'menu', url: 'https://other.example/' } }, post);
    expect(asked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    // The content script's own handlers, as a page would try to reach them through the runtime.
    onMessage('image.compose', () => ({ shown: true }));
    onMessage('image.insert', () => ({ inserted: true, reason: '' }));
    for (const [type, payload] of [
      ['image.compose', { text: 'x' }],
      ['image.insert', { dataUrl: 'data:image/png;base64,iVBORw0KGgo=', alt: '' }],
    ] as const) {
      expect(await dispatch({ type, payload }, post)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
  });
});
