/**
 * Recall of the two-pass vector search (one-bit codes scanned, the best candidates rescored with int8;
 * extension/search/vector-index.ts) against exact search, and what each design choice buys:
 *
 * - real embeddings: every chunk of the ir-eval collections (Cranfield, MED, CACM together) embedded by
 *   the bundled model, with their queries; truth = exact float cosine (and the exact int8 scan's own
 *   recall beside it, the ceiling a rescore with int8 can reach);
 * - random unit vectors as bench/latency.ts makes them, at 10k/100k/1M: no structure at all, the worst
 *   case for sign codes; truth = the exact int8 scan (float brute force at 1M would take minutes).
 *
 * For each coding (rotation, centring), recall@10 after the rescore at each
 * candidate depth, and the code scan's CPU time per query at that size.
 */
import { BinaryCoder } from '../extension/search/binary-codes';
import { createBinaryKernel } from '../extension/search/binary-kernel';
import { quantizeInt8 } from '../extension/search/quantize';
import { createTopKKernel } from '../extension/search/vector-index-kernel';
import { seededRandom, unitVector } from '../extension/test-support/seeded-random';

export const DEPTHS = [20, 50, 100, 200, 300, 400, 600, 1000, 2000];
const K = 10;

export interface RecallSet {
  name: string;
  dims: number;
  size: number;
  /** Row i's float vector (made on demand: 1M float vectors would hold 2 GiB). */
  vector(i: number): Float32Array;
  queries: Float32Array[];
  /** 'float': truth from float cosine (small sets); 'int8': from the exact int8 scan. */
  truth: 'float' | 'int8';
}

interface Variant {
  coding: string;
  rotate: boolean;
  centre: boolean;
}

const cpuMs = () => process.cpuUsage().user / 1000;

function topFloat(rows: Float32Array[], q: Float32Array, k: number): number[] {
  const scored = rows.map((v, i) => {
    let d = 0;
    for (let j = 0; j < q.length; j++) d += v[j]! * q[j]!;
    return { i, d };
  });
  scored.sort((a, b) => b.d - a.d || a.i - b.i);
  return scored.slice(0, k).map((s) => s.i);
}

const recall = (got: readonly number[], truth: readonly number[]) => {
  const t = new Set(truth);
  return got.filter((g) => t.has(g)).length / truth.length;
};

export function recallStudy(set: RecallSet, variants: Variant[], log: (s: string) => void = () => {}): Record<string, unknown>[] {
  const { dims, size } = set;
  // The int8 rows: the exact scan's matrix and the rescore's source.
  const int8 = createTopKKernel(dims, 'wasm-simd');
  int8.reserve(size);
  for (let i = 0; i < size; i++) {
    const { q, scale } = quantizeInt8(set.vector(i));
    int8.writeRow(i, q, scale);
  }
  const qq = set.queries.map((q) => quantizeInt8(q));
  const exactInt8 = qq.map(({ q }) => Array.from(int8.topK(size, q, K).rows));
  const lines: Record<string, unknown>[] = [];
  const base = { bench: 'vector-recall', set: set.name, chunks: size, dims, queries: set.queries.length };
  let truth = exactInt8;
  if (set.truth === 'float') {
    const rows = Array.from({ length: size }, (_, i) => set.vector(i));
    truth = set.queries.map((q) => topFloat(rows, q, K));
    const r = exactInt8.reduce((s, got, i) => s + recall(got, truth[i]!), 0) / truth.length;
    lines.push({ ...base, truth: 'float', coding: 'exact int8 scan', depth: size, recall_at_10: Math.round(r * 1000) / 1000 });
  }
  log(`${set.name}: ${size} rows, truth from ${set.truth}`);
  const depths = DEPTHS.filter((d) => d <= size);
  const maxDepth = depths[depths.length - 1]!;
  for (const variant of variants) {
    let centre: Float32Array | null = null;
    if (variant.centre) {
      centre = new Float32Array(dims);
      for (let i = 0; i < size; i++) {
        const v = set.vector(i);
        for (let j = 0; j < dims; j++) centre[j]! += v[j]! / size;
      }
    }
    const coder = new BinaryCoder(dims, centre, variant.rotate);
    const codes = createBinaryKernel(coder.rowBytes, 'wasm-simd');
    codes.reserve(size);
    const code = new Uint8Array(coder.rowBytes);
    for (let i = 0; i < size; i++) {
      const { q: vector, scale } = int8.readRow(i);
      codes.writeRow(i, code, coder.encode(vector, code, scale));
    }
    {
      const hits = new Array<number>(depths.length).fill(0);
      const scanCpu: number[] = [];
      set.queries.forEach((q, qi) => {
        const query = coder.queryTables(q);
        const c0 = cpuMs();
        const cand = codes.scan(size, query, Math.max(K, maxDepth)).rows;
        scanCpu.push(cpuMs() - c0);
        // Exact int8 scores of every candidate once; each depth's rescore is a prefix of them.
        const exact = Array.from(cand, (row) => {
          const { q: vector, scale } = int8.readRow(row);
          let d = 0;
          for (let j = 0; j < dims; j++) d += vector[j]! * qq[qi]!.q[j]!;
          return { row, s: Math.fround(Math.fround(d) * scale) };
        });
        depths.forEach((depth, di) => {
          const top = exact.slice(0, depth).sort((a, b) => b.s - a.s || a.row - b.row).slice(0, K).map((e) => e.row);
          hits[di]! += recall(top, truth[qi]!);
        });
      });
      scanCpu.sort((a, b) => a - b);
      const scanP50 = scanCpu[Math.floor(scanCpu.length / 2)]!;
      depths.forEach((depth, di) => {
        lines.push({ ...base, truth: set.truth, coding: variant.coding, depth, recall_at_10: Math.round((hits[di]! / set.queries.length) * 1000) / 1000, scan_cpu_p50_ms: Math.round(scanP50 * 100) / 100 });
      });
      const at = (d: number) => lines.find((l) => l.coding === variant.coding && l.depth === d && l.set === set.name)?.recall_at_10;
      log(`${set.name} ${variant.coding}: recall@10 at 100/400/1000 = ${at(100)}/${at(400)}/${at(1000)}; scan p50 ${scanP50.toFixed(2)} ms CPU`);
    }
  }
  return lines;
}

export const REAL_VARIANTS: Variant[] = [
  { coding: 'sign', rotate: false, centre: false },
  { coding: 'rotated sign', rotate: true, centre: false },
  { coding: 'centred rotated sign', rotate: true, centre: true },
];
// Random unit vectors are isotropic with mean ≈ 0: rotation and centring change nothing there.
export const RANDOM_VARIANTS: Variant[] = [{ coding: 'rotated sign', rotate: true, centre: false }];

/** bench/latency.ts's vectors: row i from seed 1_000_003 + i; queries from their own seed. */
export function randomSet(size: number, queries: number, dims = 512): RecallSet {
  const rand = seededRandom(99);
  return { name: 'random unit vectors', dims, size, vector: (i) => unitVector(seededRandom(1_000_003 + i), dims), queries: Array.from({ length: queries }, () => unitVector(rand, dims)), truth: size <= 20_000 ? 'float' : 'int8' };
}
