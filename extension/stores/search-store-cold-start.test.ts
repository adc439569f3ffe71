import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useStoreTestDb } from '@/test-support/store-test-db';
import { putRecords } from '@/db/change-log';
import { KeywordIndex } from '@/search/keyword-index';
import { pageRecord } from '@/test-support/records';

// Cold start (issue 15): the side panel shows its keyword results before it asks the offscreen
// document to warm up, since in Chromium every extension page shares one main thread.
const calls: string[] = [];
vi.mock('@/ai/offscreen-client', () => ({
  warmUpAi: () => void calls.push('warm-up'),
  prepareQuery: () => undefined,
  vectorSearch: () => Promise.reject(new Error('no offscreen document in this test')),
}));
const { useSearchStore } = await import('./search-store');

const db = useStoreTestDb('store-cold', () => useSearchStore().close());
beforeEach(() => {
  calls.length = 0;
});

describe('search store on open', () => {
  it('lists results from the loaded index first, and only then warms the AI up', async () => {
    await putRecords('pages', [pageRecord('https://a.example/lobster', 'Lobster traps', 'how lobster traps are built')], db());
    const store = useSearchStore();
    store.query = 'lobster';
    await store.init(async () => {
      calls.push('index-open');
      return KeywordIndex.open(db());
    });
    calls.push(`results ${store.results.length}`);
    expect(store.results.map((r) => r.key)).toEqual(['https://a.example/lobster']);
    await new Promise((r) => setTimeout(r, 10));
    expect(calls).toEqual(['index-open', 'results 1', 'warm-up']);
  });
});
