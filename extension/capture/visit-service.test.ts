import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { MessageRequest } from '@shared/schemas/messages';
import { createDb, setDbForTesting, type CalicoDb } from '@/db/database';
import { changesSince } from '@/db/change-log';
import { clearHandlers, dispatch } from '@/messaging/router';
import { setDenylist, setPaused } from '@/settings/settings-repository';
import { registerCaptureHandlers } from './register-background';
import { ACTIVE_EXTRAPOLATION_CAP_MS, PAGE_TEXT_LIMIT, finishTabVisit } from './visit-service';

let db: CalicoDb;
let seq = 0;

beforeEach(async () => {
  fakeBrowser.reset();
  db = createDb(`capture-${Math.random()}`);
  await db.open();
  setDbForTesting(db);
  clearHandlers();
  registerCaptureHandlers();
});
afterEach(async () => {
  clearHandlers();
  setDbForTesting(undefined);
  db.close();
  await db.delete();
});

function tab(id: number, url: string, extra: Partial<chrome.tabs.Tab> = {}): chrome.runtime.MessageSender {
  return { tab: { id, url, incognito: false, ...extra } as chrome.tabs.Tab, url, frameId: 0 };
}

async function send<T extends Parameters<typeof dispatch>[0]>(type: string, payload: unknown, sender: chrome.runtime.MessageSender) {
  const reply = await dispatch({ type, payload } as T, sender);
  if (!reply || !reply.ok) throw new Error(`${type} failed: ${JSON.stringify(reply)}`);
  return reply.data as Record<string, unknown>;
}

/** Simulates the content script of `tabId` starting a visit of `url`. */
async function begin(tabId: number, url: string, opts: { referrer?: string | null; opener?: number; transition?: 'load' | 'spa'; visitId?: string } = {}) {
  const visitId = opts.visitId ?? `visit-${++seq}-abcdef`;
  const payload: MessageRequest<'visit.begin'> = {
    visitId,
    url,
    canonicalUrl: null,
    title: `Title of ${url}`,
    referrer: opts.referrer ?? null,
    transition: opts.transition ?? 'load',
    startedAt: 1_000 * seq,
  };
  const data = await send('visit.begin', payload, tab(tabId, url, opts.opener === undefined ? {} : { openerTabId: opts.opener }));
  return { visitId, recorded: data.recorded as boolean, visit: await db.visits.get(visitId) };
}

describe('visit.begin', () => {
  it('records a visit under the normalised URL', async () => {
    const { visit, recorded } = await begin(1, 'https://Example.com/post?id=3&utm_source=news#comments', { referrer: 'https://news.test/?fbclid=1' });
    expect(recorded).toBe(true);
    expect(visit).toMatchObject({ url: 'https://example.com/post?id=3', site: 'example.com', referrer: 'https://news.test/', searchId: null, transition: 'load', activeMs: 0 });
  });

  it('is idempotent: a retried begin writes nothing more', async () => {
    const first = await begin(1, 'https://example.com/a', { visitId: 'same-visit-id' });
    const changes = (await changesSince(0, 100, db)).length;
    const again = await begin(1, 'https://example.com/a', { visitId: 'same-visit-id' });
    expect(again.recorded).toBe(true);
    expect(again.visit).toEqual(first.visit);
    expect((await changesSince(0, 100, db)).length).toBe(changes);
  });

  it('records nothing for denylisted, paused, incognito and non-web pages', async () => {
    await setDenylist(['bank.com'], db);
    expect((await begin(1, 'https://www.bank.com/')).recorded).toBe(false);
    const incognito = await send('visit.begin', { visitId: 'incognito-visit', url: 'https://example.com/', canonicalUrl: null, title: '', referrer: null, transition: 'load', startedAt: 1 }, tab(2, 'https://example.com/', { incognito: true }));
    expect(incognito.recorded).toBe(false);
    expect((await begin(3, 'chrome://settings/')).recorded).toBe(false);
    await setPaused(true, db);
    expect((await begin(4, 'https://example.com/')).recorded).toBe(false);
    expect(await db.visits.count()).toBe(0);
    expect(await db.searches.count()).toBe(0);
  });

  it('answers capture.policy from the stored settings', async () => {
    await setDenylist(['*.paypal.com'], db);
    expect(await send('capture.policy', { url: 'https://www.paypal.com/x' }, tab(1, 'https://www.paypal.com/x'))).toEqual({ allowed: false, reason: 'denylisted' });
    expect(await send('capture.policy', { url: 'https://example.com/' }, tab(1, 'https://example.com/'))).toEqual({ allowed: true });
  });
});

describe('search journeys', () => {
  it('records a search for a results page and links the page opened from it in the same tab', async () => {
    const results = await begin(7, 'https://www.bing.com/search?q=calico+lobster&form=QBLH');
    const search = await db.searches.get(results.visit!.searchId!);
    expect(search).toMatchObject({ engine: 'Bing', query: 'calico lobster', url: 'https://www.bing.com/search?q=calico+lobster&form=QBLH', site: 'www.bing.com' });

    // Cross-site navigations send only the origin as referrer by default.
    const article = await begin(7, 'https://example.com/lobsters', { referrer: 'https://www.bing.com/' });
    expect(article.visit!.searchId).toBe(search!.id);

    // The next page in the tab is no longer part of the search.
    const next = await begin(7, 'https://example.com/more', { referrer: 'https://example.com/lobsters' });
    expect(next.visit!.searchId).toBeNull();
  });

  it('links a tab opened from a results page (openerTabId)', async () => {
    const results = await begin(10, 'https://duckduckgo.com/?q=fake+indexeddb&t=h_');
    const opened = await begin(11, 'https://github.com/dumbmatter/fakeIndexedDB', { opener: 10, referrer: 'https://duckduckgo.com/' });
    expect(opened.visit!.searchId).toBe(results.visit!.searchId);
    expect((await db.searches.get(results.visit!.searchId!))?.engine).toBe('DuckDuckGo');
    // A second page in the new tab is not.
    const second = await begin(11, 'https://github.com/dumbmatter', { referrer: 'https://github.com/dumbmatter/fakeIndexedDB' });
    expect(second.visit!.searchId).toBeNull();
  });

  it('does not link a typed navigation or a tab opened from a non-results page', async () => {
    await begin(20, 'https://www.google.com/search?q=tea');
    const typed = await begin(20, 'https://example.com/', { referrer: null });
    expect(typed.visit!.searchId).toBeNull();
    await begin(21, 'https://example.com/start');
    const fromArticle = await begin(22, 'https://example.org/', { opener: 21 });
    expect(fromArticle.visit!.searchId).toBeNull();
  });

  it('reuses the search when the same query is paged or returned to, and passes through engine redirects', async () => {
    const first = await begin(30, 'https://www.google.com/search?q=rust+traits');
    const page2 = await begin(30, 'https://www.google.com/search?q=rust+traits&start=10', { referrer: 'https://www.google.com/' });
    expect(page2.visit!.searchId).toBe(first.visit!.searchId);
    const redirect = await begin(30, 'https://www.google.com/url?sa=t&url=https%3A%2F%2Fdoc.rust-lang.org', { referrer: 'https://www.google.com/' });
    expect(redirect.visit!.searchId).toBe(first.visit!.searchId);
    const doc = await begin(30, 'https://doc.rust-lang.org/book/ch10-02-traits.html', { referrer: 'https://www.google.com/' });
    expect(doc.visit!.searchId).toBe(first.visit!.searchId);
    expect(await db.searches.count()).toBe(1);

    const other = await begin(30, 'https://www.google.com/search?q=rust+lifetimes', { referrer: 'https://doc.rust-lang.org/' });
    expect(other.visit!.searchId).not.toBe(first.visit!.searchId);
    expect(await db.searches.count()).toBe(2);
  });

  it('keeps journey state outside the worker: a restarted worker still links the next page', async () => {
    const results = await begin(40, 'https://yandex.ru/search/?text=%D0%BB%D0%BE%D0%B1%D1%81%D1%82%D0%B5%D1%80');
    const stored = await chrome.storage.session.get(null);
    expect(JSON.stringify(stored)).toContain(results.visit!.searchId!);
    // A new worker: handlers registered afresh, nothing carried over in memory.
    clearHandlers();
    registerCaptureHandlers();
    const page = await begin(40, 'https://ru.wikipedia.org/wiki/Lobster', { referrer: 'https://yandex.ru/' });
    expect(page.visit!.searchId).toBe(results.visit!.searchId);
  });

  it('a begin retried after a crash between its two writes still moves the journey on', async () => {
    const results = await begin(50, 'https://www.bing.com/search?q=retry');
    // The visit row landed but the worker died before the tab's journey was saved.
    await chrome.storage.session.clear();
    const again = await begin(50, 'https://www.bing.com/search?q=retry', { visitId: results.visitId });
    expect(again.recorded).toBe(true);
    const page = await begin(50, 'https://example.com/found', { referrer: 'https://www.bing.com/' });
    expect(page.visit!.searchId).toBe(results.visit!.searchId);
  });
});

describe('visit.heartbeat', () => {
  it('sets time on page and title, never goes backwards, and is idempotent', async () => {
    const { visitId, visit } = await begin(1, 'https://example.com/a');
    const start = visit!.startedAt;
    const beat = (endedAt: number, activeMs: number, title = 'New title') =>
      send('visit.heartbeat', { visitId, title, endedAt, activeMs }, tab(1, 'https://example.com/a'));
    expect(await beat(start + 5_000, 3_000)).toEqual({ recorded: true });
    const changes = (await changesSince(0, 100, db)).length;
    await beat(start + 5_000, 3_000);
    expect((await changesSince(0, 100, db)).length).toBe(changes);
    await beat(start + 4_000, 1_000); // late duplicate
    expect(await db.visits.get(visitId)).toMatchObject({ endedAt: start + 5_000, activeMs: 3_000, title: 'New title' });
    await beat(start + 6_000, 60_000, '  '); // active time can't exceed the visit; blank titles keep the old one
    expect(await db.visits.get(visitId)).toMatchObject({ endedAt: start + 6_000, activeMs: 6_000, title: 'New title' });
  });

  it('records the last beat sent while the tab already shows the next, non-web page', async () => {
    const { visitId, visit } = await begin(1, 'https://example.com/c');
    const leaving = { ...tab(1, 'about:blank'), url: 'https://example.com/c' };
    expect(await send('visit.heartbeat', { visitId, title: 'T', endedAt: visit!.startedAt + 2_000, activeMs: 1_500 }, leaving)).toEqual({ recorded: true });
    expect(await db.visits.get(visitId)).toMatchObject({ endedAt: visit!.startedAt + 2_000, activeMs: 1_500 });
  });

  it('lets a page time only its own site’s visits (issue 9: a content script is trusted with its page only)', async () => {
    const { visitId, visit } = await begin(1, 'https://example.com/private');
    const elsewhere = tab(2, 'https://attacker.test/');
    expect(await send('visit.heartbeat', { visitId, title: 'Forged title', endedAt: visit!.startedAt + 9_000, activeMs: 9_000 }, elsewhere)).toEqual({ recorded: false });
    expect(await db.visits.get(visitId)).toMatchObject({ title: 'Title of https://example.com/private', activeMs: 0 });
  });

  it('answers recorded: false for unknown visits and denied pages', async () => {
    expect(await send('visit.heartbeat', { visitId: 'unknown-visit', title: '', endedAt: 5, activeMs: 1 }, tab(1, 'https://example.com/'))).toEqual({ recorded: false });
    const { visitId } = await begin(1, 'https://example.com/b');
    await setPaused(true, db);
    expect(await send('visit.heartbeat', { visitId, title: '', endedAt: 99_999, activeMs: 1 }, tab(1, 'https://example.com/b'))).toEqual({ recorded: false });
  });
});

describe('closing a visit when its tab moves on', () => {
  const beat = (tabId: number, visitId: string, endedAt: number, activeMs: number, active: boolean) =>
    send('visit.heartbeat', { visitId, title: 'T', endedAt, activeMs, active }, tab(tabId, 'https://example.com/x'));

  it('counts the time since an active last beat, up to a cap, when the page never said goodbye', async () => {
    const { visitId, visit } = await begin(60, 'https://example.com/x');
    const t = visit!.startedAt + 10_000;
    await beat(60, visitId, t, 4_000, true);
    await finishTabVisit(60, { now: () => t + 3_000 });
    expect(await db.visits.get(visitId)).toMatchObject({ endedAt: t + 3_000, activeMs: 7_000 });
    // Done once: a second navigation event changes nothing.
    await finishTabVisit(60, { now: () => t + 60_000 });
    expect(await db.visits.get(visitId)).toMatchObject({ endedAt: t + 3_000, activeMs: 7_000 });
  });

  it('adds no active time after an inactive beat, and caps a long silence', async () => {
    const a = await begin(61, 'https://example.com/x');
    const ta = a.visit!.startedAt + 5_000;
    await beat(61, a.visitId, ta, 2_000, false);
    await finishTabVisit(61, { now: () => ta + 30_000 });
    expect(await db.visits.get(a.visitId)).toMatchObject({ endedAt: ta + 30_000, activeMs: 2_000 });

    const b = await begin(62, 'https://example.com/x');
    const tb = b.visit!.startedAt + 5_000;
    await beat(62, b.visitId, tb, 1_000, true);
    await finishTabVisit(62, { now: () => tb + 3_600_000 });
    expect((await db.visits.get(b.visitId))!.activeMs).toBe(1_000 + ACTIVE_EXTRAPOLATION_CAP_MS);
  });

  it('ignores beats of a visit the tab has already left', async () => {
    const first = await begin(63, 'https://example.com/one');
    const second = await begin(63, 'https://example.com/two');
    const t = second.visit!.startedAt + 1_000;
    await beat(63, first.visitId, t, 500, true); // a late retry from the old page
    await finishTabVisit(63, { now: () => t + 5_000 });
    expect((await db.visits.get(first.visitId))!.endedAt).toBe(t);
    expect((await db.visits.get(second.visitId))!.endedAt).toBe(second.visit!.startedAt);
  });
});

describe('page.content', () => {
  const content = (over: Partial<MessageRequest<'page.content'>> = {}): MessageRequest<'page.content'> => ({
    url: 'https://example.com/article?utm_medium=x',
    canonicalUrl: 'https://www.example.com/article',
    title: '<img src=x onerror=alert(1)> Lobsters',
    text: 'Lobsters are   decapod crustaceans.\n\nThey have long bodies.',
    excerpt: 'Lobsters are decapods',
    byline: 'A. Writer',
    siteName: 'Example',
    lang: 'en',
    ...over,
  });

  it('upserts one page per normalised canonical URL, keeping hostile text as plain data', async () => {
    expect(await send('page.content', content(), tab(1, 'https://example.com/article?utm_medium=x'))).toEqual({ recorded: true });
    await send('page.content', content({ text: 'Updated text here.' }), tab(1, 'https://example.com/article?utm_medium=x'));
    const pages = await db.pages.toArray();
    expect(pages).toHaveLength(1);
    expect(pages[0]).toMatchObject({ url: 'https://www.example.com/article', site: 'www.example.com', title: '<img src=x onerror=alert(1)> Lobsters', text: 'Updated text here.', wordCount: 3, truncated: false });
  });

  it('stores content signals with the page, from its text and the document counts the content script sent', async () => {
    const stuffed = 'Buy cheap viagra online. Cheap viagra no prescription, cheap viagra today, cheap viagra now. '.repeat(3);
    const dom = { textChars: 1000, linkChars: 100, links: 5, linkHosts: 1, hiddenChars: 0, hiddenSample: '' };
    await send('page.content', content({ text: stuffed, dom }), tab(1, 'https://example.com/article?utm_medium=x'));
    const [page] = await db.pages.toArray();
    expect(page!.signals).toMatchObject({ spam: true, linkDensity: 0.1, hiddenTextRatio: 0 });
    expect(page!.signals!.boilerplateRatio).toBeGreaterThan(0.6);
    expect(page!.signals!.reasons.join(' ')).toContain('pharmacy spam phrase');
  });

  it('caps the text and marks it truncated', async () => {
    const long = 'word '.repeat(PAGE_TEXT_LIMIT / 2);
    await send('page.content', content({ text: long }), tab(1, 'https://example.com/article?utm_medium=x'));
    const page = await db.pages.get('https://www.example.com/article');
    expect(page!.text.length).toBe(PAGE_TEXT_LIMIT);
    expect(page!.truncated).toBe(true);
  });

  it('does not rewrite an unchanged page, and stores nothing for denied pages', async () => {
    await send('page.content', content(), tab(1, 'https://example.com/article?utm_medium=x'));
    const n = (await changesSince(0, 100, db)).length;
    await send('page.content', content(), tab(1, 'https://example.com/article?utm_medium=x'));
    expect((await changesSince(0, 100, db)).length).toBe(n);
    await setDenylist(['secret.example'], db);
    expect(await send('page.content', content({ url: 'https://secret.example/x', canonicalUrl: null }), tab(2, 'https://secret.example/x'))).toEqual({ recorded: false });
    expect(await db.pages.get('https://secret.example/x')).toBeUndefined();
  });
});
