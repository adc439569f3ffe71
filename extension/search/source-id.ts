/**
 * The one join key of retrieval: a whole source (a page by URL, a highlight by id, a saved search) as
 * `kind:key`. The keyword index's document ids, the vector side's sources (search/hybrid.ts
 * sourceRanking), the indexing queue's source keys and fusion all use it, so it is built here only.
 * Keys may contain colons (URLs): the kind ends at the first one.
 */
export const sourceId = (kind: string, key: string): string => `${kind}:${key}`;

export function parseSourceId<K extends string = string>(id: string): { kind: K; key: string } {
  const colon = id.indexOf(':');
  return { kind: id.slice(0, colon) as K, key: id.slice(colon + 1) };
}
