import { describe, expect, it } from 'vitest';
import { JsTopKKernel, WasmTopKKernel, createTopKKernel, wasmKernelAvailable, type TopKKernel } from './vector-index-kernel';
import { seededRandom } from '@/test-support/seeded-random';

const randInt8 = (rand: () => number, n: number, range = 255) => Int8Array.from({ length: n }, () => Math.floor(rand() * range) - (range >> 1));

function fill(kernels: TopKKernel[], rand: () => number, n: number, dims: number, range?: number) {
  for (const k of kernels) k.reserve(n);
  for (let row = 0; row < n; row++) {
    const q = randInt8(rand, dims, range);
    const scale = 0.001 + rand() * 0.01;
    for (const k of kernels) k.writeRow(row, q, scale);
  }
}

/** Brute force: sort every score, ties by row. The kernels must agree with this exactly. */
function reference(k: TopKKernel, n: number, query: Int8Array, kk: number, mask?: Uint8Array) {
  const all: [number, number][] = [];
  for (let row = 0; row < n; row++) {
    if (mask && !mask[row]) continue;
    const { q, scale } = k.readRow(row);
    let dot = 0;
    for (let i = 0; i < q.length; i++) dot += q[i]! * query[i]!;
    all.push([Math.fround(Math.fround(dot) * scale), row]);
  }
  all.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return all.slice(0, kk);
}

describe('top-k kernels', () => {
  it('the WASM SIMD kernel compiles here', () => {
    expect(wasmKernelAvailable()).toBe(true);
    expect(createTopKKernel(512).kind).toBe('wasm-simd');
    expect(createTopKKernel(512, 'js').kind).toBe('js');
  });

  for (const dims of [512, 384, 37, 16]) {
    it(`WASM and JS agree with brute force on random data (${dims} dims, masks, k > n)`, () => {
      const rand = seededRandom(dims);
      const wasm = createTopKKernel(dims, 'wasm-simd');
      const js = new JsTopKKernel(dims);
      expect(wasm).toBeInstanceOf(WasmTopKKernel);
      const n = 3000;
      fill([wasm, js], rand, n, dims);
      for (let t = 0; t < 10; t++) {
        const query = randInt8(rand, dims);
        const mask = t % 2 ? Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0)) : undefined;
        for (const kk of [1, 10, 100]) {
          const expected = reference(js, n, query, kk, mask);
          for (const kernel of [wasm, js]) {
            const got = kernel.topK(n, query, kk, mask);
            expect([...got.rows]).toEqual(expected.map((e) => e[1]));
            expect([...got.scores]).toEqual(expected.map((e) => e[0]));
          }
        }
      }
      const small = wasm.topK(5, randInt8(rand, dims), 50);
      expect(small.rows.length).toBe(5);
    });
  }

  it('breaks ties by the lower row in both kernels', () => {
    const dims = 32;
    const wasm = createTopKKernel(dims, 'wasm-simd');
    const js = new JsTopKKernel(dims);
    const rand = seededRandom(9);
    // A tiny value range forces many equal scores.
    fill([wasm, js], rand, 500, dims, 3);
    const query = randInt8(rand, dims, 3);
    expect([...wasm.topK(500, query, 40).rows]).toEqual([...js.topK(500, query, 40).rows]);
    expect([...wasm.topK(500, query, 40).rows]).toEqual(reference(js, 500, query, 40).map((e) => e[1]));
  });

  it('keeps rows across growth and moves rows on request', () => {
    for (const kernel of [createTopKKernel(64, 'wasm-simd'), new JsTopKKernel(64)]) {
      const rand = seededRandom(3);
      const rows = Array.from({ length: 10 }, () => randInt8(rand, 64));
      kernel.reserve(10);
      rows.forEach((q, i) => kernel.writeRow(i, q, i + 1));
      kernel.reserve(100_000);
      expect(kernel.capacity).toBeGreaterThanOrEqual(100_000);
      rows.forEach((q, i) => {
        expect([...kernel.readRow(i).q]).toEqual([...q]);
        expect(kernel.readRow(i).scale).toBe(i + 1);
      });
      kernel.moveRow(9, 2);
      expect([...kernel.readRow(2).q]).toEqual([...rows[9]!]);
      expect(kernel.readRow(2).scale).toBe(10);
    }
  });
});
