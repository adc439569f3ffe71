import type { Retriever } from '@shared/serving/types';
import { pageSources, type PageContext } from '../chat/page-context';
import { mergeRanked, passageOf } from './passage-of';

/** "This page": the open page's passages sharing the most words with each query (page-context.ts). */
export function pageRetriever(page: PageContext, options: { budgetMs?: number; max?: number } = {}): Retriever {
  const max = options.max ?? 6;
  return {
    origin: 'page',
    label: `passages of this page (${page.title.slice(0, 120)})`,
    budgetMs: options.budgetMs ?? 2_000,
    async retrieve(queries) {
      const lists = queries.map((q) => {
        const found = pageSources(page, q, max);
        return found.map((s, i) => passageOf(s, 'page', i, found.length));
      });
      return mergeRanked(lists).slice(0, max);
    },
  };
}
