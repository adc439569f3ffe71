import type { Passage, Retriever } from '../../../shared/serving/types';
import type { Env } from '../env';
import { userStore } from '../store/stub';

/** Passages per query asked of the user's store. */
const PER_QUERY = 8;

/**
 * The user's synced records (their Durable Object's hybrid search) as a retriever. Each query is asked
 * once; a record found by several queries counts once, at its best rank.
 */
export function recordsRetriever(env: Env, userId: string, budgetMs: number): Retriever {
  return {
    origin: 'records',
    label: 'your synced records (worker search)',
    budgetMs,
    async retrieve(queries) {
      const store = userStore(env, userId);
      const lists = await Promise.all(queries.map((q) => store.sourcesFor(userId, q, PER_QUERY)));
      const best = new Map<string, Passage>();
      for (const list of lists) {
        list.forEach((s, rank) => {
          const id = `${s.kind}:${s.key}`;
          const score = 1 / (rank + 1);
          const seen = best.get(id);
          if (seen && seen.score >= score) return;
          best.set(id, {
            origin: 'records',
            kind: s.kind === 'highlight' ? 'highlight' : s.kind === 'product' ? 'product' : s.kind === 'page' ? 'page' : 'record',
            id,
            sourceId: s.kind === 'highlight' ? s.key : s.url || id,
            url: s.url,
            title: s.title,
            text: s.text,
            score,
            ...(s.kind === 'highlight' ? { highlightId: s.key } : {}),
          });
        });
      }
      return [...best.values()];
    },
  };
}
