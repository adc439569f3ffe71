import { describe, expect, it } from 'vitest';
import { NoiseFloor, RECALIBRATE_ALL } from './noise-floor';
import { VectorIndex } from './vector-index';
import { seededRandom, unitVector } from '@/test-support/seeded-random';

describe('NoiseFloor', () => {
  const dims = 16;
  const rand = seededRandom(21);
  const probes = Array.from({ length: 4 }, () => unitVector(rand, dims));

  it('recalibrates on every change while the index is small, then only after a tenth', async () => {
    const index = new VectorIndex({ dims, model: 'm' });
    let measured = 0;
    const floor = new NoiseFloor(index, async () => (measured++, probes));
    const add = (from: number, count: number) => {
      for (let i = from; i < from + count; i++) index.upsert({ id: `page:s${i}#0`, sourceKind: 'page', sourceId: `s${i}` }, unitVector(rand, dims));
    };
    add(0, 3);
    const tiny = await floor.get();
    expect(measured).toBe(1);
    await floor.get();
    expect(measured).toBe(1);
    // A chunk near a probe arrives: the floor follows at once, not 50 rows later.
    index.upsert({ id: 'page:near#0', sourceKind: 'page', sourceId: 'near' }, probes[0]!);
    expect(await floor.get()).toBeGreaterThan(tiny);
    expect(measured).toBe(2);
    add(3, RECALIBRATE_ALL);
    await floor.get();
    expect(measured).toBe(3);
    add(10_000, 50);
    await floor.get();
    expect(measured).toBe(3);
    add(20_000, 60);
    await floor.get();
    expect(measured).toBe(4);
  });
});
