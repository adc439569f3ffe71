import { floorFromProbeScores, NOISE_MARGIN } from '../../shared/search/noise-floor';
import type { VectorIndex, VectorMeta } from './vector-index';

/**
 * The noise floor of user memory: the pure part (probes, margin, floor from probe scores, and why)
 * lives in shared/search/noise-floor.ts, shared with the worker's merchant catalogue search.
 */
export { NOISE_MARGIN, NOISE_PROBES } from '../../shared/search/noise-floor';

export function noiseFloor<M extends VectorMeta>(index: VectorIndex<M>, probeVectors: readonly ArrayLike<number>[], margin = NOISE_MARGIN): number {
  return floorFromProbeScores(probeVectors.map((probe) => index.topK(probe, 1)[0]?.score), margin);
}

/** noiseFloor for an index whose int8 vectors are read back from IndexedDB (VectorIndex.search). */
export async function noiseFloorAsync<M extends VectorMeta>(index: VectorIndex<M>, probeVectors: readonly ArrayLike<number>[], margin = NOISE_MARGIN): Promise<number> {
  const tops = [];
  for (const probe of probeVectors) tops.push((await index.search(probe, 1))[0]);
  return floorFromProbeScores(tops.map((top) => top?.score), margin);
}

/**
 * The floor kept up to date as the index changes: recalibrated when the index has grown or shrunk by
 * a tenth since the last time, so a query costs at most one set of probe scans; below RECALIBRATE_ALL
 * rows on every change, as a floor measured on the first few chunks (probes near nothing) sat too low
 * and let nonsense queries through until 50 more rows arrived.
 */
export const RECALIBRATE_ALL = 1000;

export class NoiseFloor<M extends VectorMeta> {
  private value = 0;
  private atSize = -1;

  constructor(
    private readonly index: VectorIndex<M>,
    private readonly probes: () => Promise<readonly ArrayLike<number>[]>,
  ) {}

  async get(): Promise<number> {
    const size = this.index.size;
    const changed = Math.abs(size - this.atSize);
    if (this.atSize < 0 || (changed > 0 && (this.atSize < RECALIBRATE_ALL || changed > this.atSize / 10))) {
      this.value = await noiseFloorAsync(this.index, await this.probes());
      this.atSize = size;
    }
    return this.value;
  }
}
