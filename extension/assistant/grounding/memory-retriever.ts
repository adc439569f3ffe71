import type { AskSource } from '@/ai/engines/types';
import type { Retriever } from '@shared/serving/types';
import { mergeRanked, passageOf } from './passage-of';

/** "My memory": the hybrid retrieval (extension/search/retrieve.ts) for each query, merged. */
export function memoryRetriever(retrieveMemory: (query: string) => Promise<AskSource[]>, options: { budgetMs?: number; max?: number } = {}): Retriever {
  const max = options.max ?? 8;
  return {
    origin: 'memory',
    label: 'hybrid search (keywords + meaning) of your memory',
    budgetMs: options.budgetMs ?? 15_000,
    async retrieve(queries, signal) {
      const lists: ReturnType<typeof passageOf>[][] = [];
      // One query at a time: they share the offscreen document's vector index, and a stopped answer
      // should not start the next one.
      for (const q of queries) {
        if (signal.aborted) break;
        const found = await retrieveMemory(q);
        lists.push(found.map((s, i) => passageOf(s, 'memory', i, found.length)));
      }
      return mergeRanked(lists).slice(0, max);
    },
  };
}
