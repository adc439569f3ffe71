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
        // Products come first, then the person's reading; a reading passage of a product's own page is
        // left out, since the product source already cites that page with its specs and prices (folded
        // together, the page's prose would crowd the specs out of the quoted part).
        const productUrls = new Set(found.sources.slice(0, found.products).map((s) => s.url));
        const sources = found.sources.filter((s, i) => i < found.products || !productUrls.has(s.url));
        // Products are cited as products (kind 'product', their best price and store beside the name);
        // the engines still read them as page sources (askSourceOf).
        lists.push(
          sources.map((s, i) => {
            const passage = passageOf(s, 'products', i, sources.length);
            return i < found.products ? { ...passage, kind: 'product' as const, ...(s.detail ? { detail: s.detail } : {}) } : passage;
          }),
        );
      }
      return mergeRanked(lists).slice(0, max);
    },
  };
}
