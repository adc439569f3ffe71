import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { highlightRecord, pageRecord } from '@/test-support/records';
import { createDb, type CalicoDb } from '@/db/database';
import { deleteRecords, putRecords, readCursor } from '@/db/change-log';
import { quantizeInt8 } from '@/search/quantize';
import { EMBEDDER_CURSOR, IndexingQueue, readProgress, type QueueDeps } from './indexing-queue';

// A deterministic stand-in for the encoder: hashed bag of words, L2-normalised. The queue's job is
// bookkeeping, not semantics, so what matters is that the same text always gives the same vector.
function fakeEmbed(texts: string[]): Promise<Float32Array[]> {
  return Promise.resolve(
    texts.map((text) => {
      const v = new Float32Array(16);
      for (const word of text.toLowerCase().split(/\W+/).filter(Boolean)) {
        let h = 0;
        for (const ch of word) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
        v[h % 16]! += 1;
      }
      const norm = Math.hypot(...v) || 1;
      return v.map((x) => x / norm);
    }),
  );
}

const sentences = (text: string) => text.split(/(?<=\.)\s+/).map((t) => ({ text: t }));

function deps(overrides: Partial<QueueDeps> = {}): QueueDeps & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    model: 'fake-16',
    chunk: sentences,
    embed: (texts) => {
      calls.push(texts);
      return fakeEmbed(texts);
    },
    quantize: (v) => quantizeInt8(v),
    calls,
    ...overrides,
  };
}

function highlight(id: string, text: string, note = '') {
  return highlightRecord(id, text, { url: `https://example.com/${id}`, site: 'example.com', pageTitle: `Title ${id}`, note });
}

function page(url: string, text: string) {
  return pageRecord(url, 'A page', text, { site: 'example.com' });
}

async function drain(queue: IndexingQueue): Promise<void> {
  for (let i = 0; i < 100; i++) {
    await queue.pullChanges();
    if ((await queue.runBatch()) === 0 && !(await queue.hasWork())) return;
  }
  throw new Error('queue did not drain');
}

let db: CalicoDb;
let name: string;
beforeEach(async () => {
  name = `queue-test-${Math.random().toString(36).slice(2)}`;
  db = createDb(name);
  await db.open();
});
afterEach(async () => {
  db.close();
  await createDb(name).delete();
});

describe('IndexingQueue', () => {
  it('first run backfills what already exists, then follows the change log', async () => {
    await putRecords('highlights', [highlight('hl-aaaaaaaa', 'Cats sleep most of the day.')], db);
    const queue = new IndexingQueue(deps(), db);
    expect(await queue.pullChanges()).toBe(1);
    expect(await readCursor(EMBEDDER_CURSOR, db)).toBeGreaterThan(0);
    await drain(queue);
    await putRecords('pages', [page('https://example.com/p', 'First sentence here. Second one there.')], db);
    await drain(queue);
    const chunks = await db.chunks.toArray();
    expect(chunks.map((c) => c.id).sort()).toEqual(['highlight:hl-aaaaaaaa#0', 'page:https://example.com/p#0', 'page:https://example.com/p#1']);
    expect(chunks.every((c) => c.model === 'fake-16' && c.vector instanceof Int8Array && c.scale > 0)).toBe(true);
    const progress = await readProgress(db);
    expect(progress).toMatchObject({ pending: 0, indexed: 2, state: 'idle' });
  });

  it('loses nothing when the document dies mid-batch, and resumes where it stopped', async () => {
    await putRecords('highlights', ['a', 'b', 'c', 'd', 'e', 'f'].map((c) => highlight(`hl-${c.repeat(8)}`, `Text number ${c}.`)), db);
    // The "offscreen document" embeds two items, then its embed call never returns (it was killed).
    let embedded = 0;
    const dying = new IndexingQueue(
      deps({
        embed: (texts) => (embedded++ < 2 ? fakeEmbed(texts) : new Promise<Float32Array[]>(() => undefined)),
      }),
      db,
    );
    await dying.pullChanges();
    void dying.runBatch(6); // never settles: the third item hangs forever
    // Until the third embed call has started (hashing and planning come first, so no fixed sleep).
    for (let i = 0; i < 200 && embedded < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(embedded).toBe(3);
    expect(await db.embedQueue.count()).toBe(4);
    expect(await db.chunks.count()).toBe(2);
    let progress = await readProgress(db);
    expect(progress).toMatchObject({ done: 2, total: 6, pending: 4 });

    // A fresh document on a fresh connection (what a restart sees) picks up the rest.
    const reopened = createDb(name);
    await reopened.open();
    const second = deps();
    await drain(new IndexingQueue(second, reopened));
    expect(second.calls.flat().sort()).toEqual(['Text number c.', 'Text number d.', 'Text number e.', 'Text number f.']);
    expect(await reopened.chunks.count()).toBe(6);
    expect(await reopened.embedQueue.count()).toBe(0);
    progress = await readProgress(reopened);
    expect(progress).toMatchObject({ pending: 0, indexed: 6, state: 'idle' });
    reopened.close();
  });

  it('keeps an item queued when its text changed while it was being embedded', async () => {
    await putRecords('highlights', [highlight('hl-gggggggg', 'Old words.')], db);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const queue = new IndexingQueue(deps({ embed: async (texts) => (await gate, fakeEmbed(texts)) }), db);
    await queue.pullChanges();
    const running = queue.runBatch();
    await new Promise((r) => setTimeout(r, 20));
    await putRecords('highlights', [highlight('hl-gggggggg', 'New words entirely.')], db);
    await queue.pullChanges();
    release();
    await running;
    expect(await db.embedQueue.count()).toBe(1);
    await drain(new IndexingQueue(deps(), db));
    expect((await db.chunks.toArray()).map((c) => c.text)).toEqual(['New words entirely.']);
  });

  it('skips unchanged text and removes the vectors of deleted sources', async () => {
    await putRecords('highlights', [highlight('hl-hhhhhhhh', 'Stable text.')], db);
    const d = deps();
    const queue = new IndexingQueue(d, db);
    await drain(queue);
    expect(d.calls).toHaveLength(1);
    // Same text rewritten (e.g. a colour change): logged, queued, but not embedded again.
    await putRecords('highlights', [{ ...highlight('hl-hhhhhhhh', 'Stable text.'), color: 'green', createdAt: (await db.highlights.get('hl-hhhhhhhh'))!.createdAt }], db);
    await drain(queue);
    expect(d.calls).toHaveLength(1);
    await deleteRecords('highlights', ['hl-hhhhhhhh'], db);
    await drain(queue);
    expect(await db.chunks.count()).toBe(0);
    expect(await db.embeddedSources.count()).toBe(0);
  });

  it('re-embeds in the background when the model changes, and every vector records its model', async () => {
    await putRecords('highlights', [highlight('hl-iiiiiiii', 'One.'), highlight('hl-jjjjjjjj', 'Two.')], db);
    await drain(new IndexingQueue(deps(), db));
    const next = new IndexingQueue(deps({ model: 'fake-16-v2' }), db);
    expect(await next.enqueueStale()).toBe(2);
    await drain(next);
    const models = (await db.chunks.toArray()).map((c) => c.model);
    expect(models).toEqual(['fake-16-v2', 'fake-16-v2']);
  });

  it('records a failing item and reports the error instead of spinning', async () => {
    await putRecords('highlights', [highlight('hl-kkkkkkkk', 'Breaks the encoder.')], db);
    const queue = new IndexingQueue(deps({ embed: () => Promise.reject(new Error('out of memory')) }), db);
    await queue.pullChanges();
    await expect(queue.runBatch()).rejects.toThrow('out of memory');
    const progress = await readProgress(db);
    expect(progress.state).toBe('error');
    expect(progress.error).toContain('out of memory');
    expect((await db.embedQueue.toArray())[0]).toMatchObject({ attempts: 1 });
  });

  it('re-embeds only the chunks whose text changed, and reuses a vector for text seen anywhere', async () => {
    const text = 'Alpha one here. Beta two here. Gamma three here.';
    await putRecords('pages', [page('https://example.com/a', text)], db);
    const d = deps();
    const queue = new IndexingQueue(d, db);
    await drain(queue);
    // The title rides on the text (sourceText), so the first chunk is "A page\n\nAlpha one here."
    expect(d.calls.flat()).toHaveLength(3);
    const before = new Map((await db.chunks.toArray()).map((c) => [c.text, c]));

    // Recaptured with one sentence changed: only that sentence goes to the model.
    await putRecords('pages', [page('https://example.com/a', 'Alpha one here. Beta two CHANGED. Gamma three here.')], db);
    await drain(queue);
    expect(d.calls.slice(1).flat()).toEqual(['Beta two CHANGED.']);
    const after = await db.chunks.orderBy('id').toArray();
    expect(after.map((c) => c.text)).toEqual(['A page\n\nAlpha one here.', 'Beta two CHANGED.', 'Gamma three here.']);
    expect(after[2]!.vector).toEqual(before.get('Gamma three here.')!.vector);

    // A highlight quoting a sentence already embedded: no model call at all.
    await putRecords('highlights', [highlight('hl-quote000', 'Gamma three here.')], db);
    await drain(queue);
    expect(d.calls.slice(2)).toEqual([]);
    expect((await db.chunks.get('highlight:hl-quote000#0'))?.vector).toEqual(before.get('Gamma three here.')!.vector);
  });

  it('skips text repeated on enough pages of one site (a footer), never a page\'s first chunk', async () => {
    const footer = 'Subscribe to our newsletter. Cookie settings. Privacy policy. All rights reserved.';
    const pageOn = (site: string, n: number) =>
      pageRecord(`https://${site}/p${n}`, `Story ${n}`, `Story ${n} tells of topic number ${n} in detail.\n\n${footer}`, { site });
    const paragraphs = (text: string) => text.split(/\n\n/).map((t) => ({ text: t }));
    const d = deps({ chunk: paragraphs });
    const queue = new IndexingQueue(d, db);
    for (let n = 1; n <= 5; n++) {
      await putRecords('pages', [pageOn('news.example', n)], db);
      await drain(queue);
    }
    const footerChunks = (await db.chunks.toArray()).filter((c) => c.text === footer);
    // Embedded once (then reused) for the first BOILERPLATE_PAGES pages, skipped from then on.
    expect(footerChunks.map((c) => c.sourceId).sort()).toEqual(['https://news.example/p1', 'https://news.example/p2', 'https://news.example/p3']);
    expect(d.calls.flat().filter((t) => t === footer)).toHaveLength(1);
    expect((await db.chunkHashes.toArray()).filter((r) => r.boilerplate).map((r) => r.id).sort()).toEqual(['page:https://news.example/p4#2', 'page:https://news.example/p5#2']);
    // Every page still has its own story embedded.
    for (let n = 1; n <= 5; n++) expect(await db.chunks.where('[sourceKind+sourceId]').equals(['page', `https://news.example/p${n}`]).count()).toBeGreaterThanOrEqual(2);

    // Another site's pages don't count towards this one: its first page embeds (here: reuses) the footer.
    await putRecords('pages', [pageOn('blog.example', 1)], db);
    await drain(queue);
    expect((await db.chunks.toArray()).filter((c) => c.text === footer && c.site === 'blog.example')).toHaveLength(1);

    // Deleting a page removes its hashes too.
    await deleteRecords('pages', ['https://news.example/p5'], db);
    await drain(queue);
    expect(await db.chunkHashes.where('sourceKey').equals('page:https://news.example/p5').count()).toBe(0);
  });
});
