import type { Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import { realPage } from './support/server';
import { openSurface } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';
import { highlightPassage, inServiceWorker, offscreenTargets, openPage, readStore } from './ai-support';

// Issue 4: the embedding queue is durable. Closing the offscreen document in the middle of indexing
// (what Chrome may do, here through chrome.offscreen.closeDocument in the service worker) loses
// nothing: the background brings a new document up by itself and indexing resumes where it stopped.
const PAGES = ['quanta-1', 'guardian-1', 'v8-blog', 'ehow-1'];

interface Embedded {
  key: string;
  chunkCount: number;
  model: string;
}

describe('indexing survives the offscreen document being closed', () => {
  const s = useSuite();
  let reader: Page;

  test('pages read and a highlight made are queued and indexing starts', async () => {
    const { eb, web } = s;
    // An extension page that only reads the database (not the side panel: it would ask for the document).
    reader = await openSurface(eb, 'options.html');
    // All pages open at once, so their texts arrive together and the queue holds several items.
    const pages = await Promise.all(
      PAGES.map(async (name) => {
        web.set(`/${name}`, realPage(name));
        return openPage(eb, `${web.origin}/${name}`);
      }),
    );
    await pages[1]!.bringToFront();
    await highlightPassage(eb, pages[1]!, 'has now overseen more than 500 strandings and is renowned in New Zealand as the leading');
    // A page's text is captured once it settles: keep the tabs open until then.
    await waitFor(() => readStore<{ url: string }>(reader, 'pages'), (rows) => PAGES.every((n) => rows.some((r) => r.url.endsWith(`/${n}`))), {
      timeout: 90_000,
      message: 'every page captured',
    });
    await Promise.all(pages.map((p) => p.close()));
  });

  test('closing the document mid-indexing loses nothing and indexing resumes on its own', async () => {
    const { eb } = s;
    // Mid-indexing: some sources done, some still queued.
    await waitFor(
      async () => [(await readStore(reader, 'embeddedSources')).length, (await readStore(reader, 'embedQueue')).length],
      ([done, queued]) => done! > 0 && queued! > 0,
      { timeout: 90_000, interval: 100, message: 'indexing to be under way' },
    );
    const closedAt = await inServiceWorker(eb, async () => {
      await chrome.offscreen.closeDocument();
      return Date.now();
    });
    await waitFor(() => offscreenTargets(eb), (t) => t.length === 0, { timeout: 10_000, message: 'the offscreen document to close' });
    const queuedAtClose = (await readStore<{ key: string }>(reader, 'embedQueue')).map((r) => r.key);
    expect(queuedAtClose.length).toBeGreaterThan(0);

    // Nobody asks for it: the background's alarm brings a new document up, which carries on.
    await waitFor(() => offscreenTargets(eb), (t) => t.length > 0, { timeout: 90_000, interval: 500, message: 'a new offscreen document' });
    const pages = await readStore<{ url: string }>(reader, 'pages');
    const highlights = await readStore<{ id: string }>(reader, 'highlights');
    const expected = [...pages.map((p) => `page:${p.url}`), ...highlights.map((h) => `highlight:${h.id}`)].sort();
    const embedded = await waitFor(
      () => readStore<Embedded>(reader, 'embeddedSources'),
      (rows) => expected.every((k) => rows.some((r) => r.key === k)),
      { timeout: 180_000, interval: 1000, message: 'every page and highlight embedded after the restart' },
    );
    await waitFor(() => readStore(reader, 'embedQueue'), (rows) => rows.length === 0, { timeout: 30_000, message: 'an empty queue' });
    expect(Date.now()).toBeGreaterThan(closedAt);

    // Nothing lost, nothing half-written: each source has exactly the chunks its record says.
    const chunks = await readStore<{ id: string; sourceKind: string; sourceId: string; model: string }>(reader, 'chunks');
    for (const row of embedded) {
      const mine = chunks.filter((c) => `${c.sourceKind}:${c.sourceId}` === row.key);
      expect(mine.length, row.key).toBe(row.chunkCount);
      expect(mine.every((c) => c.model === row.model)).toBe(true);
    }
    expect(new Set(chunks.map((c) => c.id)).size).toBe(chunks.length);
    // What was queued when the document died is indexed now.
    for (const key of queuedAtClose) expect(embedded.some((r) => r.key === key), key).toBe(true);
  });

  test('the background tells the indexer whether the person is using the machine (chrome.idle)', async () => {
    // What the offscreen document asks after each batch, asked here from an extension page.
    const reply = await reader.evaluate(() => chrome.runtime.sendMessage({ type: 'ai.machineState', payload: {} }));
    expect(reply).toMatchObject({ ok: true });
    expect(['active', 'idle', 'locked']).toContain((reply as { data: { state: string } }).data.state);
  });
});
