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

/** Up to this many rows the floor is re-measured on any change: the eight probe scans of 1,000 rows
 * cost about a millisecond of CPU (0.6 ms p50, 1.5 ms p95 in Node, 512 dims), and a small index is
 * where one added row moves the floor most. */
export const REMEASURE_ANY_CHANGE_UP_TO = 1000;

/** Whether a floor measured at `atSize` rows is stale for an index of `size` rows: on any change while
 * either is small, past that when the index has grown or shrunk by more than a tenth. (It used to wait
 * for 50 rows as well, so a floor measured on an empty index, 0, stayed 0 until row 51 and let every
 * nonsense query's nearest row through: the sidepanel-search e2e failed that way when its first
 * search came before the page was embedded.) The best cosine of a made-up query grows with the log of the
 * row count, so a tenth more rows moves it by a small fraction of the margin. */
export function floorIsStale(atSize: number, size: number): boolean {
  if (atSize < 0) return true;
  if (size === atSize) return false;
  return Math.min(size, atSize) <= REMEASURE_ANY_CHANGE_UP_TO || Math.abs(size - atSize) > atSize / 10;
}

/**
 * The floor kept up to date as the index changes (floorIsStale), so a query costs at most one set of
 * probe scans, and only after the index changed.
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
    if (floorIsStale(this.atSize, size)) {
      this.value = await noiseFloorAsync(this.index, await this.probes());
      this.atSize = size;
    }
    return this.value;
  }
}
