/**
 * The peers the benchmark page compares against, on the same corpus and queries as our indexes:
 * MiniSearch (BM25, the instant list's library), FlexSearch (its Index, contextual scoring) and Orama
 * (BM25 full-text, threshold 1 = any term; vector and hybrid search where memory allows). Each gets its documented default
 * way of doing an any-term keyword search; nothing is tuned for or against any of them.
 */
import MiniSearch from 'minisearch';
import FlexSearch from 'flexsearch';
import { create, insertMultiple, search as oramaSearch } from '@orama/orama';

export interface PeerIndex {
  name: string;
  /** Ids best first. */
  search(query: string, limit: number): Promise<string[]> | string[];
}

export function miniSearchPeer(docs: { id: string; title: string; text: string }[]): PeerIndex {
  const ms = new MiniSearch<{ id: string; title: string; text: string }>({ fields: ['title', 'text'], storeFields: [] });
  ms.addAll(docs);
  return { name: 'minisearch', search: (q, limit) => ms.search(q, { combineWith: 'OR', boost: { title: 2 } }).slice(0, limit).map((r) => String(r.id)) };
}

export function flexSearchPeer(docs: { id: string; title: string; text: string }[]): PeerIndex {
  const index = new FlexSearch.Index({ tokenize: 'strict', resolution: 9 });
  const ids: string[] = [];
  docs.forEach((d, i) => {
    ids.push(d.id);
    index.add(i, `${d.title} ${d.title} ${d.text}`);
  });
  // suggest: documents matching some of the terms count too (any-term, like the others).
  return { name: 'flexsearch', search: (q, limit) => (index.search(q, { limit, suggest: true }) as number[]).map((i) => ids[i]!) };
}

export async function oramaPeer(docs: { id: string; title: string; text: string }[], vectors?: { dims: number; of: (i: number) => Float32Array }) {
  const schema = vectors ? ({ title: 'string', text: 'string', embedding: `vector[${vectors.dims}]` } as const) : ({ title: 'string', text: 'string' } as const);
  const db = create({ schema: schema as never });
  const batch = docs.map((d, i) => ({ id: d.id, title: d.title, text: d.text, ...(vectors ? { embedding: Array.from(vectors.of(i)) } : {}) }));
  await insertMultiple(db as never, batch as never, 1000);
  const ids = (r: { hits: { id: string }[] }) => r.hits.map((h) => h.id);
  return {
    keyword: { name: 'orama', search: async (q: string, limit: number) => ids((await oramaSearch(db as never, { term: q, limit, boost: { title: 2 }, threshold: 1 } as never)) as never) } satisfies PeerIndex,
    vector: vectors
      ? async (v: Float32Array, limit: number) => ids((await oramaSearch(db as never, { mode: 'vector', vector: { value: Array.from(v), property: 'embedding' }, similarity: 0, limit } as never)) as never)
      : undefined,
    hybrid: vectors
      ? async (q: string, v: Float32Array, limit: number) => ids((await oramaSearch(db as never, { mode: 'hybrid', term: q, vector: { value: Array.from(v), property: 'embedding' }, similarity: 0, limit } as never)) as never)
      : undefined,
  };
}
