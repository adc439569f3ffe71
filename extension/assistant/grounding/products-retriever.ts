import type { AskSource } from '@/ai/engines/types';
import type { Retriever } from '@shared/serving/types';
import { mergeRanked, passageOf } from './passage-of';

export type RetrieveProducts = (question: string) => Promise<{ sources: AskSource[]; products: number; passages: number }>;

/** "Shopping": product memory first (products grouped across stores, with prices and specs), then the
 * person's reading (extension/shopping/memory/shopping-sources.ts), for each query, merged. */
export function productsRetriever(retrieveProducts: RetrieveProducts, options: { budgetMs?: number; max?: number } = {}): Retriever {
  const max = options.max ?? 12;
  return {
    origin: 'products',
    label: 'your product memory, then your reading',
    budgetMs: options.budgetMs ?? 15_000,
    async retrieve(queries, signal) {
      const lists: ReturnType<typeof passageOf>[][] = [];
      for (const q of queries) {
        if (signal.aborted) break;
        const found = await retrieveProducts(q);
        lists.push(found.sources.map((s, i) => passageOf(s, 'products', i, found.sources.length)));
      }
      return mergeRanked(lists).slice(0, max);
    },
  };
}
