import { TOPK_WASM_BASE64 } from '@wasm/build/topk-wasm';
import { PAGE, align16, bestK, compileKernel, grownCapacity, pickKernel, type KernelPreference } from './wasm-kernel-loader';

/**
 * Storage + top-k scan of int8 vectors, in WASM SIMD (wasm/assembly/topk.ts) or plain JS, behind one
 * interface. The matrix lives inside the kernel (for WASM: in its linear memory) so a query never copies
 * the 100k-row matrix; only the query and the optional filter mask are copied in.
 *
 * Score of a row = dot(qQuery, qRow) * rowScale, as float32. Ties keep the lower row, in both kernels,
 * so they return identical results.
 */
export interface TopKResult {
  rows: Int32Array;
  scores: Float32Array;
}

export interface TopKKernel {
  readonly kind: 'wasm-simd' | 'js';
  readonly dims: number;
  readonly capacity: number;
  /** Grows storage to hold at least `rows` rows, keeping contents. Invalidates earlier views. */
  reserve(rows: number): void;
  writeRow(row: number, q: Int8Array, scale: number): void;
  /** Copies row `from` over row `to` (used to fill holes on removal). */
  moveRow(from: number, to: number): void;
  readRow(row: number): { q: Int8Array; scale: number };
  /** Best k of rows [0, n), best first; `mask` (n bytes, 0 = skip) filters rows. */
  topK(n: number, query: Int8Array, k: number, mask?: Uint8Array): TopKResult;
  /** Each listed row's score (as topK computes it), without copying rows out: the rescore's inner loop. */
  scoreRows(rows: Int32Array, query: Int8Array): Float32Array;
}

function scoreRowsOf(matrix: Int8Array, base: number, scales: Float32Array, dims: number, rows: Int32Array, query: Int8Array): Float32Array {
  const out = new Float32Array(rows.length);
  for (let c = 0; c < rows.length; c++) {
    const at = base + rows[c]! * dims;
    let dot = 0;
    for (let i = 0; i < dims; i++) dot += matrix[at + i]! * query[i]!;
    out[c] = Math.fround(dot) * scales[rows[c]!]!;
  }
  return out;
}

// --- JS reference / fallback ----------------------------------------------------------------------

export class JsTopKKernel implements TopKKernel {
  readonly kind = 'js' as const;
  capacity = 0;
  private matrix = new Int8Array(0);
  private scales = new Float32Array(0);

  constructor(readonly dims: number) {}

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = grownCapacity(this.capacity, rows);
    const matrix = new Int8Array(cap * this.dims);
    matrix.set(this.matrix);
    const scales = new Float32Array(cap);
    scales.set(this.scales);
    this.matrix = matrix;
    this.scales = scales;
    this.capacity = cap;
  }

  writeRow(row: number, q: Int8Array, scale: number): void {
    this.matrix.set(q.subarray(0, this.dims), row * this.dims);
    this.scales[row] = scale;
  }

  moveRow(from: number, to: number): void {
    this.matrix.copyWithin(to * this.dims, from * this.dims, (from + 1) * this.dims);
    this.scales[to] = this.scales[from]!;
  }

  readRow(row: number): { q: Int8Array; scale: number } {
    return { q: this.matrix.slice(row * this.dims, (row + 1) * this.dims), scale: this.scales[row]! };
  }

  scoreRows(rows: Int32Array, query: Int8Array): Float32Array {
    return scoreRowsOf(this.matrix, 0, this.scales, this.dims, rows, query);
  }

  topK(n: number, query: Int8Array, k: number, mask?: Uint8Array): TopKResult {
    const { dims, matrix, scales } = this;
    const best = bestK(Math.min(k, n));
    if (k > 0) {
      for (let row = 0; row < n; row++) {
        if (mask && mask[row] === 0) continue;
        let dot = 0;
        const base = row * dims;
        for (let i = 0; i < dims; i++) dot += matrix[base + i]! * query[i]!;
        best.offer(Math.fround(Math.fround(dot) * scales[row]!), row);
      }
    }
    return best.result();
  }
}

// --- WASM SIMD ------------------------------------------------------------------------------------

interface TopKExports {
  memory: WebAssembly.Memory;
  topK(matrix: number, scales: number, mask: number, n: number, dims: number, query: number, k: number, outScores: number, outRows: number): number;
}

const kernelModule = () => compileKernel(TOPK_WASM_BASE64);

// Page 0 is left to the module itself (it has no data segments or stack today, but may one day).
const BASE = PAGE;

export class WasmTopKKernel implements TopKKernel {
  readonly kind = 'wasm-simd' as const;
  capacity = 0;
  private readonly exports: TopKExports;
  // Byte offsets of each region inside the module's memory, recomputed by reserve().
  private queryAt = BASE;
  private outScoresAt = 0;
  private outRowsAt = 0;
  private maskAt = 0;
  private scalesAt = 0;
  private matrixAt = 0;

  constructor(readonly dims: number, module: WebAssembly.Module) {
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as TopKExports;
    this.layout(0);
  }

  private layout(cap: number): void {
    this.queryAt = BASE;
    this.outScoresAt = align16(this.queryAt + this.dims);
    this.outRowsAt = align16(this.outScoresAt + cap * 4);
    this.maskAt = align16(this.outRowsAt + cap * 4);
    this.scalesAt = align16(this.maskAt + cap);
    this.matrixAt = align16(this.scalesAt + cap * 4);
    const end = this.matrixAt + cap * this.dims;
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
  }

  private bytes(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = grownCapacity(this.capacity, rows);
    const oldMatrix = this.bytes().slice(this.matrixAt, this.matrixAt + this.capacity * this.dims);
    const oldScales = this.bytes().slice(this.scalesAt, this.scalesAt + this.capacity * 4);
    this.layout(cap);
    const mem = this.bytes();
    mem.set(oldMatrix, this.matrixAt);
    mem.set(oldScales, this.scalesAt);
    this.capacity = cap;
  }

  writeRow(row: number, q: Int8Array, scale: number): void {
    const buf = this.exports.memory.buffer;
    new Int8Array(buf, this.matrixAt + row * this.dims, this.dims).set(q.subarray(0, this.dims));
    new Float32Array(buf, this.scalesAt, this.capacity)[row] = scale;
  }

  moveRow(from: number, to: number): void {
    const mem = this.bytes();
    mem.copyWithin(this.matrixAt + to * this.dims, this.matrixAt + from * this.dims, this.matrixAt + (from + 1) * this.dims);
    const scales = new Float32Array(this.exports.memory.buffer, this.scalesAt, this.capacity);
    scales[to] = scales[from]!;
  }

  readRow(row: number): { q: Int8Array; scale: number } {
    const buf = this.exports.memory.buffer;
    return {
      q: new Int8Array(buf, this.matrixAt + row * this.dims, this.dims).slice(),
      scale: new Float32Array(buf, this.scalesAt, this.capacity)[row]!,
    };
  }

  scoreRows(rows: Int32Array, query: Int8Array): Float32Array {
    const buf = this.exports.memory.buffer;
    return scoreRowsOf(new Int8Array(buf), this.matrixAt, new Float32Array(buf, this.scalesAt, this.capacity), this.dims, rows, query);
  }

  topK(n: number, query: Int8Array, k: number, mask?: Uint8Array): TopKResult {
    if (n > this.capacity) throw new RangeError(`topK over ${n} rows but only ${this.capacity} are stored`);
    const kk = Math.max(0, Math.min(k, n));
    const buf = this.exports.memory.buffer;
    new Int8Array(buf, this.queryAt, this.dims).set(query.subarray(0, this.dims));
    if (mask) new Uint8Array(buf, this.maskAt, n).set(mask.subarray(0, n));
    const count = this.exports.topK(this.matrixAt, this.scalesAt, mask ? this.maskAt : 0, n, this.dims, this.queryAt, kk, this.outScoresAt, this.outRowsAt);
    const after = this.exports.memory.buffer;
    return {
      rows: new Int32Array(after, this.outRowsAt, count).slice(),
      scores: new Float32Array(after, this.outScoresAt, count).slice(),
    };
  }
}

/** Whether this runtime can run the WASM SIMD kernel. */
export function wasmKernelAvailable(): boolean {
  return kernelModule() !== null;
}

/** The fastest kernel this runtime supports: WASM SIMD, else the JS fallback (or the one asked for). */
export function createTopKKernel(dims: number, prefer: KernelPreference = 'auto'): TopKKernel {
  return pickKernel<TopKKernel>(TOPK_WASM_BASE64, prefer, (module) => new WasmTopKKernel(dims, module), () => new JsTopKKernel(dims));
}
