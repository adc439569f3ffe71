import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearHandlers, dispatch } from '@/messaging/router';
import { createDb, type CalicoDb } from '@/db/database';
import { registerHighlightHandlers } from './handlers';
import type { Selector } from '@shared/schemas/records';

const sender = { tab: { id: 1 } } as chrome.runtime.MessageSender;
const selectors: Selector[] = [{ type: 'TextQuoteSelector', exact: 'Two', prefix: 'One ', suffix: ' Three' }];

let db: CalicoDb;
let n = 0;

async function call(type: string, payload: unknown) {
  return dispatch({ type, payload }, sender);
}

async function ok(type: string, payload: unknown) {
  const reply = await call(type, payload);
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
    expect(await ok('highlights.forPage', { url: 'https://example.com/other', canonicalUrl: null, title: '' })).toEqual([]);
    expect(await ok('highlights.forPage', { url: 'chrome://settings', canonicalUrl: null, title: '' })).toEqual([]);
  });

  it('recolours, edits notes, records anchor statuses and deletes', async () => {
    await ok('highlight.create', { ...page, id: 'hl_000005', text: 'Two', color: 'yellow', selectors });
    expect(await ok('highlight.update', { id: 'hl_000005', color: 'pink' })).toMatchObject({ color: 'pink', note: '' });
    expect(await ok('highlight.update', { id: 'hl_000005', note: 'remember this' })).toMatchObject({ color: 'pink', note: 'remember this' });
    expect(await ok('highlights.anchored', { results: [{ id: 'hl_000005', status: 'orphan' }] })).toEqual({ updated: 1 });
    expect(await ok('highlights.anchored', { results: [{ id: 'hl_000005', status: 'orphan' }] })).toEqual({ updated: 0 });
    expect((await db.highlights.get('hl_000005'))!.anchorStatus).toBe('orphan');
    expect(await ok('highlight.delete', { id: 'hl_000005' })).toEqual({ deleted: true });
    expect(await ok('highlight.delete', { id: 'hl_000005' })).toEqual({ deleted: false });
    expect(await db.highlights.count()).toBe(0);
  });

  it('rejects invalid requests and unknown ids without writing', async () => {
    const bad = await call('highlight.create', { ...page, id: 'x', text: '', color: 'red', selectors: [] });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
    const noPage = await call('highlight.create', { ...page, url: 'ftp://example.com/a', canonicalUrl: null, id: 'hl_000006', text: 'Two', color: 'yellow', selectors });
    expect(noPage).toMatchObject({ ok: false, error: { code: 'unsupported-url' } });
    const missing = await call('highlight.update', { id: 'hl_missing1', color: 'blue' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await db.highlights.count()).toBe(0);
  });
});
