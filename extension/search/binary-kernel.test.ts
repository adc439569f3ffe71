import { describe, expect, it } from 'vitest';
import { BinaryCoder } from './binary-codes';
import { JsBinaryKernel, WasmBinaryKernel, createBinaryKernel, estimate, type BinaryKernel } from './binary-kernel';
import type { QueryTables } from './binary-codes';
import { seededRandom } from '@/test-support/seeded-random';

const randBytes = (rand: () => number, n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));

function fill(kernels: BinaryKernel[], rand: () => number, n: number, rowBytes: number) {
  for (const k of kernels) k.reserve(n);
  for (let row = 0; row < n; row++) {
    const code = randBytes(rand, rowBytes);
    const factor = 0.01 + rand() * 0.05;
    for (const k of kernels) k.writeRow(row, code, factor);
  }
}

/** Brute force over readRow: every estimate sorted, ties by row. Both kernels must agree with it exactly. */
function reference(k: BinaryKernel, n: number, q: QueryTables, kk: number, mask?: Uint8Array) {
  const all: [number, number][] = [];
  for (let row = 0; row < n; row++) {
    if (mask && !mask[row]) continue;
    const { code, factor } = k.readRow(row);
    let s = 0;
    for (let j = 0; j < code.length; j++) s += q.tables[j * 32 + (code[j]! & 15)]! + q.tables[j * 32 + 16 + (code[j]! >> 4)]!;
    all.push([estimate(s, q, factor), row]);
  }
  all.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return all.slice(0, kk);
}

describe('binary-code kernels', () => {
  it('the WASM SIMD kernel compiles here', () => {
    expect(createBinaryKernel(64)).toBeInstanceOf(WasmBinaryKernel);
    expect(createBinaryKernel(64, 'js')).toBeInstanceOf(JsBinaryKernel);
  });

  for (const dims of [512, 384, 64]) {
    it(`WASM and JS agree with brute force (${dims} dims, masks, k > n, a part block)`, () => {
      const rand = seededRandom(dims);
      const coder = new BinaryCoder(dims);
      const wasm = createBinaryKernel(coder.rowBytes, 'wasm-simd');
      const js = createBinaryKernel(coder.rowBytes, 'js');
      const n = 1000 + 7; // not a whole number of 16-row blocks
      fill([wasm, js], rand, n, coder.rowBytes);
      for (let t = 0; t < 5; t++) {
        const q = coder.queryTables(Float32Array.from({ length: dims }, () => rand() - 0.5));
        const mask = t % 2 ? Uint8Array.from({ length: n }, () => (rand() < 0.3 ? 1 : 0)) : undefined;
        for (const kk of [1, 10, 300, n + 5]) {
          const want = reference(js, n, q, kk, mask);
          for (const kernel of [wasm, js]) {
            const got = kernel.scan(n, q, kk, mask);
            expect(Array.from(got.rows)).toEqual(want.map((w) => w[1]));
            expect(Array.from(got.scores)).toEqual(want.map((w) => w[0]));
          }
        }
      }
    });
  }

  it('keeps rows across growth and moves rows on request (blocked layout)', () => {
    const rand = seededRandom(3);
    for (const kernel of [createBinaryKernel(64, 'wasm-simd'), createBinaryKernel(64, 'js')]) {
      const codes = Array.from({ length: 200 }, () => randBytes(rand, 64));
      codes.forEach((c, row) => {
        kernel.reserve(row + 1);
        kernel.writeRow(row, c, row / 100);
      });
      expect(kernel.capacity).toBeGreaterThanOrEqual(200);
      expect(kernel.readRow(17)).toEqual({ code: codes[17], factor: Math.fround(0.17) });
      kernel.moveRow(199, 17);
      expect(kernel.readRow(17)).toEqual({ code: codes[199], factor: Math.fround(1.99) });
      expect(kernel.readRow(18).code).toEqual(codes[18]);
    }
  });
});

describe('BinaryCoder', () => {
  const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((s, x, i) => s + x * b[i]!, 0);

  it('rotates orthogonally (dot products kept) and the same way every time', () => {
    const rand = seededRandom(5);
    const coder = new BinaryCoder(384);
    const a = Float32Array.from({ length: 384 }, () => rand() - 0.5);
    const b = Float32Array.from({ length: 384 }, () => rand() - 0.5);
    const ra = coder.rotate(a).slice();
    const rb = coder.rotate(b).slice();
    expect(ra.length).toBe(512);
    expect(dot(ra, rb)).toBeCloseTo(dot(a, b), 3);
    expect(new BinaryCoder(384).rotate(a)).toEqual(ra);
  });

  it('estimates dot products from the codes (table entries fit a byte)', () => {
    const rand = seededRandom(6);
    const dims = 512;
    const coder = new BinaryCoder(dims);
    const kernel = createBinaryKernel(coder.rowBytes, 'js');
    const unit = () => {
      const v = Float32Array.from({ length: dims }, () => rand() - 0.5);
      const n = Math.sqrt(dot(v, v));
      return v.map((x) => x / n);
    };
    const q = unit();
    const rows = Array.from({ length: 300 }, () => unit());
    // Half the rows lean towards q, so true dots spread over [−0.1, 0.8].
    rows.forEach((r, i) => { if (i % 2) for (let j = 0; j < dims; j++) r[j] = r[j]! * 0.4 + q[j]! * (i / 300); });
    kernel.reserve(rows.length);
    const code = new Uint8Array(coder.rowBytes);
    rows.forEach((r, i) => kernel.writeRow(i, code, coder.encode(r, code)));
    const tables = coder.queryTables(q);
    expect(Math.max(...tables.tables)).toBeLessThanOrEqual(127);
    const got = kernel.scan(rows.length, tables, rows.length);
    let err = 0;
    got.rows.forEach((row, i) => { err += Math.abs(got.scores[i]! - dot(q, rows[row]!)) / Math.sqrt(dot(rows[row]!, rows[row]!)); });
    // The sign code's estimate of a cosine errs by ~0.03 on average at 512 dims.
    expect(err / rows.length).toBeLessThan(0.05);
    // …and with a centre the estimate still targets q·x (q·c is added back).
    const centre = rows.reduce((c, r) => c.map((x, j) => x + r[j]! / rows.length), new Float32Array(dims));
    const centred = new BinaryCoder(dims, centre);
    rows.forEach((r, i) => kernel.writeRow(i, code, centred.encode(r, code)));
    const again = kernel.scan(rows.length, centred.queryTables(q), rows.length);
    let err2 = 0;
    again.rows.forEach((row, i) => { err2 += Math.abs(again.scores[i]! - dot(q, rows[row]!)); });
    expect(err2 / rows.length).toBeLessThan(0.05);
  });
});
