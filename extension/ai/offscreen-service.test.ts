import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord } from '@/test-support/records';
import { deleteRecords, putRecords } from '@/db/change-log';
import { readProgress } from './indexing-queue';
import { OffscreenService } from './offscreen-service';
import { Embedder } from './embedder';
import { clearHandlers, dispatch } from '@/messaging/router';
import { MAX_EMBED_TEXTS, MAX_EMBED_TEXT_CHARS, MESSAGES } from '@shared/schemas/messages';

// The offscreen document's service end to end in Node: the real bundled model, the real queue and
// vector index, a fake-indexeddb database. Only the browser around it is missing.
const MODELS = resolve(import.meta.dirname, '../../wasm/models');

const now = Date.now();
const highlight = (id: string, text: string, site = 'example.com') =>
  highlightRecord(id, text, { url: `https://${site}/${id}`, site, pageTitle: `Notes ${id}`, createdAt: now });

const HIGHLIGHTS = [
  highlight('hl-biology1', 'Mitochondria produce most of the chemical energy that powers a cell.'),
  highlight('hl-economy1', 'The central bank raised interest rates again in an effort at fighting inflation.', 'news.example'),
  highlight('hl-football', 'The striker scored twice in the final minutes of the match.'),
  highlight('hl-cooking1', 'Knead the dough for ten minutes, then let it rise overnight.'),
];

async function waitUntil(check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

let db: CalicoDb;
let service: OffscreenService | undefined;
beforeEach(async () => {
  clearHandlers();
  db = await openTestDb('offscreen');
});
afterEach(async () => {
  service?.stop();
  await dropTestDb(db);
});

describe('OffscreenService', () => {
  it('indexes highlights in the background and finds one by meaning with no shared words', async () => {
    await putRecords('highlights', HIGHLIGHTS, db);
    // The person is away: the service asks after each batch how hard it may work.
    const machineState = vi.fn(async () => 'idle' as const);
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100, machineState });
    void service.runQueue();
    await waitUntil(async () => (await readProgress(db)).indexed === HIGHLIGHTS.length);
    expect(service.status()).toMatchObject({ ready: true, model: 'use-lite', vectors: HIGHLIGHTS.length });
    expect(machineState).toHaveBeenCalled();

    const query = 'monetary authority tightening credit as prices climb';
    const shared = query.split(' ').filter((w) => HIGHLIGHTS[1]!.text.toLowerCase().includes(` ${w} `));
    expect(shared).toEqual([]);
    const hits = await service.search(query, 3, { kind: 'all' });
    expect(hits[0]?.sourceId).toBe('hl-economy1');

    // Filters apply to the vector side too.
    const filtered = await service.search(query, 3, { kind: 'all', site: 'example.com' });
    expect(filtered.map((h) => h.sourceId)).not.toContain('hl-economy1');
    expect(await service.search(query, 3, { kind: 'search' })).toEqual([]);
  }, 60_000);

  it('follows later writes and deletions while it runs', async () => {
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    void service.runQueue();
    await service.whenReady();
    await putRecords('highlights', HIGHLIGHTS.slice(0, 2), db);
    await waitUntil(async () => service!.status().vectors === 2);
    await deleteRecords('highlights', ['hl-biology1'], db);
    await waitUntil(async () => service!.status().vectors === 1);
    const hits = await service.search('energy inside living cells', 5, { kind: 'all' });
    expect(hits.map((h) => h.sourceId)).toEqual(['hl-economy1']);
  }, 60_000);

  it('a new document rebuilds its index from the stored chunks without re-embedding', async () => {
    await putRecords('highlights', HIGHLIGHTS, db);
    const first = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    void first.runQueue();
    await waitUntil(async () => (await readProgress(db)).indexed === HIGHLIGHTS.length);
    first.stop();
    clearHandlers();
    const before = await db.embeddedSources.toArray();
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    await service.whenReady();
    expect(service.status().vectors).toBe(HIGHLIGHTS.length);
    expect((await service.search('bread baking', 1, { kind: 'all' }))[0]?.sourceId).toBe('hl-cooking1');
    expect(await db.embeddedSources.toArray()).toEqual(before);
  }, 60_000);

  it('seeds the query vector with the keyword side’s best sources when asked (feedback)', async () => {
    await putRecords('highlights', HIGHLIGHTS, db);
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    void service.runQueue();
    await waitUntil(async () => (await readProgress(db)).indexed === HIGHLIGHTS.length);
    const plain = await service.search('bread baking', 4, { kind: 'all' });
    expect(plain[0]?.sourceId).toBe('hl-cooking1');
    // No say, or seeds the index doesn't hold (a saved search): the plain query.
    expect(await service.search('bread baking', 4, { kind: 'all' }, { seeds: ['highlight:hl-football'], weight: 0 })).toEqual(plain);
    expect(await service.search('bread baking', 4, { kind: 'all' }, { seeds: ['search:abcdefgh'], weight: 0.5 })).toEqual(plain);
    // Full say: the query is the seeds' centroid, so the seed itself comes first.
    const seeded = await service.search('bread baking', 4, { kind: 'all' }, { seeds: ['highlight:hl-football'], weight: 1 });
    expect(seeded[0]?.sourceId).toBe('hl-football');
    expect(seeded[0]!.score).toBeGreaterThan(0.9);
    // Half say moves the seed up from where the plain query put it.
    const half = await service.search('bread baking', 4, { kind: 'all' }, { seeds: ['highlight:hl-football'], weight: 0.5 });
    const place = (hits: { sourceId: string }[]) => hits.findIndex((h) => h.sourceId === 'hl-football');
    expect(place(half)).toBeLessThan(place(plain));
  }, 60_000);

  it('past holdInt8UpTo it keeps only the codes and rescores from the chunks table, answering the same', async () => {
    await putRecords('highlights', HIGHLIGHTS, db);
    const held = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    void held.runQueue();
    await waitUntil(async () => (await readProgress(db)).indexed === HIGHLIGHTS.length);
    const asks = [
      (s: OffscreenService) => s.search('monetary authority tightening credit as prices climb', 4, { kind: 'all' }),
      (s: OffscreenService) => s.search('bread baking', 4, { kind: 'all' }, { seeds: ['highlight:hl-football'], weight: 0.5 }),
    ];
    const before = [];
    for (const ask of asks) before.push(await ask(held));
    held.stop();
    clearHandlers();
    const bulkGet = vi.spyOn(db.chunks, 'bulkGet');
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100, holdInt8UpTo: 1 });
    await service.whenReady();
    for (const [i, ask] of asks.entries()) expect(await ask(service)).toEqual(before[i]);
    expect(bulkGet).toHaveBeenCalled();
  }, 60_000);

  it('embeds an announced query once: the search that follows and repeats of it read the cache', async () => {
    await putRecords('highlights', HIGHLIGHTS, db);
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    void service.runQueue();
    await waitUntil(async () => (await readProgress(db)).indexed === HIGHLIGHTS.length);
    // Query embeddings are single-text 'query' calls of the model.
    const model = vi.spyOn(Embedder.prototype, 'embed');
    const queryCalls = () => model.mock.calls.filter(([texts, purpose]) => purpose === 'query' && texts.length === 1).length;
    service.prepareQuery('bread  baking');
    const first = await service.search('Bread baking', 2, { kind: 'all' });
    const again = await service.search('bread baking ', 2, { kind: 'all' });
    expect(again).toEqual(first);
    expect(first[0]?.sourceId).toBe('hl-cooking1');
    expect(queryCalls()).toBe(1);
    await service.search('energy inside living cells', 2, { kind: 'all' });
    expect(queryCalls()).toBe(2);
    model.mockRestore();
    // Warming up (the side panel opening) embeds the probes, not a floor measured on whatever is indexed.
    const embed = vi.spyOn(Embedder.prototype, 'embed');
    service.prepareQuery();
    await waitUntil(async () => embed.mock.calls.length > 0);
    expect(embed.mock.calls[0]![1]).toBe('query');
    embed.mockRestore();
    expect(MESSAGES['ai.prepareQuery'].request.parse({})).toEqual({});
    expect(() => MESSAGES['ai.prepareQuery'].request.parse({ query: 'x'.repeat(4001) })).toThrow();
  }, 60_000);

  it('validates the feedback of a vector search request', () => {
    const request = MESSAGES['ai.vectorSearch'].request;
    expect(request.parse({ query: 'q', feedback: { seeds: ['page:https://a.test/'], weight: 0.4 } }).feedback).toEqual({ seeds: ['page:https://a.test/'], weight: 0.4 });
    expect(request.parse({ query: 'q' }).feedback).toBeUndefined();
    expect(() => request.parse({ query: 'q', feedback: { seeds: [], weight: 1.5 } })).toThrow();
    expect(() => request.parse({ query: 'q', feedback: { seeds: Array.from({ length: 21 }, (_, i) => `page:${i}`), weight: 0.5 } })).toThrow();
  });

  it('embeds texts for the citation verifier through ai.embedTexts: a paraphrase lands nearer than an unrelated sentence', async () => {
    service = await OffscreenService.start({ db, localModelPath: MODELS, pollMs: 100 });
    service.registerHandlers();
    const sender = { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/sidepanel.html' } as chrome.runtime.MessageSender;
    const texts = ['The central bank raised interest rates to fight inflation.', 'Monetary authorities tightened credit as prices climbed.', 'Knead the dough, then let it rise overnight.'];
    const reply = (await dispatch({ type: 'ai.embedTexts', payload: { texts } }, sender)) as { ok: true; data: { model: string; vectors: number[][] } };
    expect(reply.ok).toBe(true);
    expect(reply.data.model).toBe('use-lite');
    const [a, b, c] = reply.data.vectors.map((v) => Float32Array.from(v));
    const cos = (x: Float32Array, y: Float32Array) => x.reduce((s, v, i) => s + v * y[i]!, 0) / Math.sqrt(x.reduce((s, v) => s + v * v, 0) * y.reduce((s, v) => s + v * v, 0));
    expect(cos(a!, b!)).toBeGreaterThan(cos(a!, c!));
  }, 60_000);

  it('bounds an ai.embedTexts request: count and length', () => {
    const request = MESSAGES['ai.embedTexts'].request;
    expect(request.parse({ texts: ['a claim'] }).texts).toEqual(['a claim']);
    expect(() => request.parse({ texts: [] })).toThrow();
    expect(() => request.parse({ texts: Array.from({ length: MAX_EMBED_TEXTS + 1 }, () => 'x') })).toThrow();
    expect(() => request.parse({ texts: ['x'.repeat(MAX_EMBED_TEXT_CHARS + 1)] })).toThrow();
  });

  it('reports a model that fails to load in words, through the progress the side panel reads', async () => {
    service = await OffscreenService.start({ db, localModelPath: resolve(MODELS, 'missing-folder'), pollMs: 100 });
    await expect(service.whenReady()).rejects.toThrow(/embedding model failed to load/);
    const progress = await readProgress(db);
    expect(progress.state).toBe('error');
    expect(progress.error).toMatch(/embedding model failed to load/);
  }, 60_000);
});
