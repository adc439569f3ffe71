import { rankSources, runHybrid, type KeywordRank, type VectorSearch } from '@/ai/ask/retrieve';

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

export async function rankAll(query: string, deps: SearchDeps): Promise<Record<Ranker, string[]>> {
  const keyword = deps.rankKeywords(query, {}, DEPTH.keyword).list.items.map((r) => r.id);
  const { hits } = await deps.searchVectors(query, DEPTH.vector, { kind: 'all' });
  const vector = rankSources(hits).ranked.map((r) => r.id);
  const hybrid = (await runHybrid(query, {}, deps.rankKeywords, deps.searchVectors, DEPTH)).fused.map((f) => f.id);
  return { keyword, vector, hybrid };
}

/** The extension's own search: the side panel's keyword index and the offscreen document's vectors. */
export async function extensionSearchDeps(): Promise<SearchDeps> {
  const [{ getKeywordIndex }, { vectorSearch }] = await Promise.all([import('@/search/keyword-index'), import('@/ai/offscreen-client')]);
  const index = await getKeywordIndex();
  return { rankKeywords: (q, f, limit) => index.rank(q, f, limit), searchVectors: (q, k, f, feedback) => vectorSearch(q, k, f, feedback) };
}
