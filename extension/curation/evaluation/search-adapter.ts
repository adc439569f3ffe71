import { rankSources, runHybrid, type KeywordRank, type VectorSearch } from '@/search/retrieval';

/**
 * The personal evaluation's only contact with search: the three rankers over the user's own records,
 * each returning document ids (`highlight:<id>`, `page:<url>`) best first. Kept in this one file so a
 * change of the search modules' public functions is one edit here.
 */
export type Ranker = 'keyword' | 'vector' | 'hybrid';
export const RANKERS: readonly Ranker[] = ['keyword', 'vector', 'hybrid'];

export interface SearchDeps {
  rankKeywords: KeywordRank;
  searchVectors: VectorSearch;
}

const DEPTH = { keyword: 100, vector: 100 } as const;

/**
 * The rankers' lists for one query. When search by meaning fails (no embedding model on this device
 * yet, the offscreen document gone), keyword still runs and `failed` says why the other two did not:
 * a run measures what can run, never a stand-in for what could not.
 */
export async function rankAll(query: string, deps: SearchDeps): Promise<{ lists: Partial<Record<Ranker, string[]>>; failed: Partial<Record<Ranker, string>> }> {
  const keyword = deps.rankKeywords(query, {}, DEPTH.keyword).list.items.map((r) => r.id);
  try {
    const { hits } = await deps.searchVectors(query, DEPTH.vector, { kind: 'all' });
    const vector = rankSources(hits).ranked.map((r) => r.id);
    const hybrid = (await runHybrid(query, {}, deps.rankKeywords, deps.searchVectors, DEPTH)).fused.map((f) => f.id);
    return { lists: { keyword, vector, hybrid }, failed: {} };
  } catch (error) {
    const reason = `search by meaning failed: ${error instanceof Error ? error.message : String(error)}`;
    return { lists: { keyword }, failed: { vector: reason, hybrid: reason } };
  }
}

/** The extension's own search: the side panel's keyword index and the offscreen document's vectors. */
export async function extensionSearchDeps(): Promise<SearchDeps> {
  const [{ getKeywordIndex }, { vectorSearch }] = await Promise.all([import('@/search/keyword-index'), import('@/ai/offscreen-client')]);
  const index = await getKeywordIndex();
  return { rankKeywords: (q, f, limit) => index.rank(q, f, limit), searchVectors: (q, k, f, feedback) => vectorSearch(q, k, f, feedback) };
}
