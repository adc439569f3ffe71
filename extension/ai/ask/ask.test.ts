import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CalicoDb } from '@/db/database';
import { dropTestDb, openTestDb } from '@/test-support/test-db';
import { highlightRecord } from '@/test-support/records';
import { putRecords } from '@/db/change-log';
import type { VectorHitMessage } from '@shared/schemas/ai-messages';
import { answerParts, ask } from './ask';
import { retrieveSources, hybridSearch } from '@/search/retrieval';
import { keywordList } from '@/search/hybrid';
import { Bm25Index, RANKING_INDEX_OPTIONS } from '@/search/bm25-index';
import { ExtractiveEngine } from '../engines/extractive';
import { WorkerEngine } from '../engines/worker-sse';
import type { AskSource, Engine } from '../engines/types';

const source = (n: number, text: string): AskSource => ({ n, id: `highlight:h${n}#0`, kind: 'highlight', sourceId: `h${n}`, url: `https://e.com/${n}`, title: `T${n}`, site: 'e.com', text });
const SOURCES = [source(1, 'Octopuses have three hearts.'), source(2, 'An octopus squirts ink to escape.')];

function generator(id: Engine['id'], behaviour: (tokens: (t: string) => void) => Promise<string>): Engine {
  return { id, label: id, local: true, available: async () => ({ status: 'available' }), generate: (_input, o) => behaviour((t) => o?.onToken?.(t)) };
}

describe('ask', () => {
  it('streams the chosen engine’s answer and reports which sources it cites', async () => {
    const tokens: string[] = [];
    const engine = generator('built-in', async (emit) => {
      emit('Three [1]');
      emit(', and ink [2][7].');
      return 'Three [1], and ink [2][7].';
    });
    const result = await ask('octopus hearts?', { retrieve: async () => SOURCES, engines: [engine, new ExtractiveEngine()], preferences: async () => ({ privacy: 'local-only', engine: 'auto' }) }, { onToken: (t) => tokens.push(t) });
    expect(tokens.join('')).toBe(result.answer);
    expect(result).toMatchObject({ engine: 'built-in', cited: [1, 2], error: null });
  });

  it('answers extractively with citations when no generator is available', async () => {
    const result = await ask('octopus hearts?', { retrieve: async () => SOURCES, engines: [new ExtractiveEngine()], preferences: async () => ({ privacy: 'local-only', engine: 'auto' }) });
    expect(result.engine).toBe('extractive');
    expect(result.answer).toMatch(/extractive/);
    expect(result.cited).toEqual([1, 2]);
  });

  it('keeps a failed generator’s error in words and quotes the passages instead', async () => {
    let fellBack = false;
    const broken = generator('webllm', async () => Promise.reject(new Error('Device was lost: out of memory')));
    const result = await ask('octopus hearts?', { retrieve: async () => SOURCES, engines: [broken], preferences: async () => ({ privacy: 'local-only', engine: 'auto' }) }, { onFallback: () => (fellBack = true) });
    expect(fellBack).toBe(true);
    expect(result.engine).toBe('extractive');
    expect(result.error?.code).toBe('out-of-memory');
    expect(result.error?.message).toMatch(/ran out of memory/);
    expect(result.cited).toEqual([1, 2]);
  });

  it('under "local only" never sends sources to the worker, even when it is configured', async () => {
    let fetched = 0;
    const worker = new WorkerEngine({
      config: async () => ({ privacy: 'local-only', baseUrl: 'http://127.0.0.1:9', token: 't' }),
      fetch: (async () => {
        fetched++;
        throw new Error('must not be called');
      }) as typeof fetch,
    });
    const result = await ask('octopus hearts?', { retrieve: async () => SOURCES, engines: [worker, new ExtractiveEngine()], preferences: async () => ({ privacy: 'local-only', engine: 'worker' }) });
    expect(result.engine).toBe('extractive');
    expect(fetched).toBe(0);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const slow = generator('built-in', async (emit) => {
      emit('partial');
      controller.abort();
      throw Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    });
    await expect(ask('q', { retrieve: async () => SOURCES, engines: [slow], preferences: async () => ({ privacy: 'local-only', engine: 'auto' }) }, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });

  it('splits an answer into text and citations that exist', () => {
    expect(answerParts('A [1] b [3][2].', 2)).toEqual([{ text: 'A ' }, { cite: 1 }, { text: ' b [3]' }, { cite: 2 }, { text: '.' }]);
  });
});

describe('retrieval', () => {
  let db: CalicoDb;
  const now = Date.now();
  const TEXTS = ['Rates went up to cool prices.', 'Cats nap all afternoon.', 'Tides follow the moon.'];
  beforeEach(async () => {
    db = await openTestDb('ask');
    await putRecords(
      'highlights',
      ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((id, i) => highlightRecord(id, TEXTS[i]!, { createdAt: now })),
      db,
    );
    await db.chunks.bulkPut(
      ['aaaaaaaa', 'bbbbbbbb', 'cccccccc'].map((id, i) => ({
        id: `highlight:${id}#0`,
        sourceKind: 'highlight' as const,
        sourceId: id,
        model: 'm',
        ordinal: 0,
        text: TEXTS[i]!,
        vector: new Int8Array(4),
        scale: 1,
        url: `https://e.com/${id}`,
        site: 'e.com',
        title: `Page ${id}`,
        at: now,
      })),
    );
  });
  afterEach(async () => {
    await dropTestDb(db);
  });

  const hit = (id: string, score: number): VectorHitMessage => ({ id: `highlight:${id}#0`, sourceKind: 'highlight', sourceId: id, score, url: `https://e.com/${id}`, title: `Page ${id}`, site: 'e.com', at: now });

  it('numbers the fused sources and carries the highlight to reveal', async () => {
    const sources = await retrieveSources('monetary tightening', {
      db,
      searchVectors: async () => ({ hits: [hit('aaaaaaaa', 0.7), hit('cccccccc', 0.35), hit('bbbbbbbb', 0.05)] }),
    });
    expect(sources.map((s) => [s.n, s.sourceId, s.text])).toEqual([
      [1, 'aaaaaaaa', 'Rates went up to cool prices.'],
      [2, 'cccccccc', 'Tides follow the moon.'],
    ]);
    expect(sources[0]!.highlightId).toBe('aaaaaaaa');
  });

  it('gives the side panel vector-only documents shaped like keyword results', async () => {
    const results = await hybridSearch('monetary tightening', { kind: 'all' }, { rankKeywords: () => ({ list: keywordList(new Bm25Index(RANKING_INDEX_OPTIONS).search('', 0)), results: [] }), searchVectors: async () => ({ hits: [hit('aaaaaaaa', 0.7)] }), db });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ id: 'highlight:aaaaaaaa', kind: 'highlight', key: 'aaaaaaaa', title: 'Page aaaaaaaa', rank: 1 });
  });
});
