/**
 * Reciprocal rank fusion (Cormack et al. 2009): score = Σ 1 / (k + rank) over the lists a document
 * appears in. It needs no calibration between bm25 and cosine scores, which live on unrelated scales;
 * k = 60 is the paper's value and the one the extension uses, so both rank alike.
 */
export const RRF_K = 60;

export interface Fused<T> {
  id: T;
  score: number;
  ranks: (number | null)[];
}

export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[], k = RRF_K): Fused<T>[] {
  const byId = new Map<T, Fused<T>>();
  lists.forEach((list, which) => {
    list.forEach((id, index) => {
      let entry = byId.get(id);
      if (!entry) {
        entry = { id, score: 0, ranks: lists.map(() => null) };
        byId.set(id, entry);
      }
      if (entry.ranks[which] !== null) return; // a list naming an id twice counts its best rank only
      entry.ranks[which] = index + 1;
      entry.score += 1 / (k + index + 1);
    });
  });
  return [...byId.values()].sort((a, b) => b.score - a.score);
}
