import type { VectorIndex, VectorMeta } from './vector-index';

/**
 * The cosine a query with no meaning reaches against this index: the floor a result found only by
 * meaning must clear when no word of the query is in the keyword index.
 *
 * Why calibrated per index and not one constant: sentence encoders give every text a share of one
 * common direction, and how large that share is depends on the text indexed. With the bundled encoder,
 * made-up words reach cosine ≈ 0.3 against short highlights but ≈ 0.55 against medical abstracts,
 * while real queries' best matches sit at ≈ 0.45 and ≈ 0.7 (bench/README.md, "nonsense"). So the index
 * is asked with a fixed set of made-up strings, and the best cosine any of them reaches (plus a small
 * margin) is the floor. Recomputed as the index grows; the probes are embedded once per model.
 */
export const NOISE_PROBES: readonly string[] = [
  'qwvbnt zorplex',
  'frimble gonkish wat',
  'zzkv mrrpt',
  'blorvish quantaplex snerd',
  'asdkj qpwoe',
  'vuxel trompity',
  'glimbo fnord wuzzle',
  'kkjhg yytre',
];

/**
 * Added to the probes' best cosine: other made-up queries land a little above the probes' best. With
 * 0.08, none of 12 other nonsense queries cleared the floor on any of six collections, while 10 of 421
 * real queries fell below it (those lose their vector-only results only when no word matched either).
 */
export const NOISE_MARGIN = 0.08;

function floorOf(tops: readonly ({ score: number } | undefined)[], margin: number): number {
  let best = -1;
  for (const top of tops) if (top && top.score > best) best = top.score;
  return best < 0 ? 0 : best + margin;
}

export function noiseFloor<M extends VectorMeta>(index: VectorIndex<M>, probeVectors: readonly ArrayLike<number>[], margin = NOISE_MARGIN): number {
  return floorOf(probeVectors.map((probe) => index.topK(probe, 1)[0]), margin);
}

/** noiseFloor for an index whose int8 vectors are read back from IndexedDB (VectorIndex.search). */
export async function noiseFloorAsync<M extends VectorMeta>(index: VectorIndex<M>, probeVectors: readonly ArrayLike<number>[], margin = NOISE_MARGIN): Promise<number> {
  const tops = [];
  for (const probe of probeVectors) tops.push((await index.search(probe, 1))[0]);
  return floorOf(tops, margin);
}

/**
 * The floor kept up to date as the index changes: recalibrated when the index has grown or shrunk by
 * a tenth (or 50 rows) since the last time, so a query costs at most one set of probe scans.
 */
export class NoiseFloor<M extends VectorMeta> {
  private value = 0;
  private atSize = -1;

  constructor(
    private readonly index: VectorIndex<M>,
    private readonly probes: () => Promise<readonly ArrayLike<number>[]>,
  ) {}

  async get(): Promise<number> {
    const size = this.index.size;
    if (this.atSize < 0 || Math.abs(size - this.atSize) > Math.max(50, this.atSize / 10)) {
      this.value = await noiseFloorAsync(this.index, await this.probes());
      this.atSize = size;
    }
    return this.value;
  }
}
