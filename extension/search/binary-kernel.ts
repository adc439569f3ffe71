import { BINARY_WASM_BASE64 } from '@wasm/build/binary-wasm';
import type { QueryTables } from './binary-codes';
import type { TopKResult } from './vector-index-kernel';
import { PAGE, align16, bestK, grownCapacity, pickKernel, type KernelPreference } from './wasm-kernel-loader';

/**
 * Storage + first-pass scan of binary codes (extension/search/binary-codes.ts), in WASM SIMD
 * (wasm/assembly/binary.ts) or plain JS, behind one interface. Codes live inside the kernel (for WASM:
 * in its linear memory), so a query copies only its lookup tables and the optional filter mask in.
 * Both store rows in blocks of 16 (byte j of 16 rows side by side), the layout the SIMD lookup needs.
 *
 * Estimate of a row = (a·S + b)·factor + offset with S the sum of its table lookups, each step rounded
 * to float32 in both kernels, so they return identical lists (ties keep the lower row).
 */
export interface BinaryKernel {
  readonly kind: 'wasm-simd' | 'js';
  readonly rowBytes: number;
  readonly capacity: number;
  reserve(rows: number): void;
  writeRow(row: number, code: Uint8Array, factor: number): void;
  moveRow(from: number, to: number): void;
  readRow(row: number): { code: Uint8Array; factor: number };
  /** Best k estimates of rows [0, n), best first; `mask` (n bytes, 0 = skip) filters rows. */
  scan(n: number, query: QueryTables, k: number, mask?: Uint8Array): TopKResult;
  /** Bytes the codes and factors take (capacity rows). */
  readonly bytes: number;
}

/** Byte offset of byte j of `row` in the blocked layout. */
const at = (row: number, j: number, rowBytes: number) => (row >> 4) * rowBytes * 16 + j * 16 + (row & 15);

const f = Math.fround;

/** The estimate formula of wasm/assembly/binary.ts, step by step in float32. */
export function estimate(s: number, q: QueryTables, factor: number): number {
  return f(f(f(f(f(q.a) * s) + f(q.b)) * f(factor)) + f(q.offset));
}

// --- JS reference / fallback ----------------------------------------------------------------------

export class JsBinaryKernel implements BinaryKernel {
  readonly kind = 'js' as const;
  capacity = 0;
  private codes = new Uint8Array(0);
  private factors = new Float32Array(0);

  constructor(readonly rowBytes: number) {}

  get bytes(): number {
    return this.codes.byteLength + this.factors.byteLength;
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = grownCapacity(this.capacity, rows);
    const codes = new Uint8Array(cap * this.rowBytes);
    codes.set(this.codes);
    const factors = new Float32Array(cap);
    factors.set(this.factors);
    this.codes = codes;
    this.factors = factors;
    this.capacity = cap;
  }

  writeRow(row: number, code: Uint8Array, factor: number): void {
    for (let j = 0; j < this.rowBytes; j++) this.codes[at(row, j, this.rowBytes)] = code[j]!;
    this.factors[row] = factor;
  }

  moveRow(from: number, to: number): void {
    for (let j = 0; j < this.rowBytes; j++) this.codes[at(to, j, this.rowBytes)] = this.codes[at(from, j, this.rowBytes)]!;
    this.factors[to] = this.factors[from]!;
  }

  readRow(row: number): { code: Uint8Array; factor: number } {
    const code = new Uint8Array(this.rowBytes);
    for (let j = 0; j < this.rowBytes; j++) code[j] = this.codes[at(row, j, this.rowBytes)]!;
    return { code, factor: this.factors[row]! };
  }

  scan(n: number, query: QueryTables, k: number, mask?: Uint8Array): TopKResult {
    const { rowBytes, codes, factors } = this;
    const best = bestK(Math.min(k, n));
    const { tables } = query;
    for (let row = 0; row < n; row++) {
      if (mask && mask[row] === 0) continue;
      let s = 0;
      for (let j = 0; j < rowBytes; j++) {
        const c = codes[at(row, j, rowBytes)]!;
        s += tables[j * 32 + (c & 15)]! + tables[j * 32 + 16 + (c >> 4)]!;
      }
      best.offer(estimate(s, query, factors[row]!), row);
    }
    return best.result();
  }
}

// --- WASM SIMD ------------------------------------------------------------------------------------

interface BinaryExports {
  memory: WebAssembly.Memory;
  scanCodes(codes: number, factors: number, mask: number, n: number, rowBytes: number, tables: number, a: number, b: number, offset: number, k: number, scratch: number, outScores: number, outRows: number): number;
}

export class WasmBinaryKernel implements BinaryKernel {
  readonly kind = 'wasm-simd' as const;
  capacity = 0;
  private readonly exports: BinaryExports;
  private tablesAt = PAGE;
  private scratchAt = PAGE;
  private outScoresAt = 0;
  private outRowsAt = 0;
  private maskAt = 0;
  private factorsAt = 0;
  private codesAt = 0;
  private outCap = 0;

  constructor(readonly rowBytes: number, module: WebAssembly.Module) {
    if (rowBytes % 16 !== 0) throw new RangeError('binary codes are whole SIMD words (16 bytes)');
    this.exports = new WebAssembly.Instance(module, {}).exports as unknown as BinaryExports;
    this.layout(0);
  }

  get bytes(): number {
    return this.capacity * (this.rowBytes + 4);
  }

  /**
   * The regions in order: tables, scratch, mask, factors, codes, then the best-k output, sized for the
   * largest k asked so far (a few hundred candidates), not for every row: at 1M rows that saves 8 MiB,
   * and a larger k only grows the end.
   */
  private layout(cap: number): void {
    this.tablesAt = PAGE;
    this.scratchAt = align16(this.tablesAt + this.rowBytes * 32);
    this.maskAt = align16(this.scratchAt + 32);
    this.factorsAt = align16(this.maskAt + cap);
    this.codesAt = align16(this.factorsAt + cap * 4);
    this.outScoresAt = align16(this.codesAt + cap * this.rowBytes);
    this.outRowsAt = align16(this.outScoresAt + this.outCap * 4);
    const end = this.outRowsAt + this.outCap * 4;
    const memory = this.exports.memory;
    if (end > memory.buffer.byteLength) memory.grow(Math.ceil((end - memory.buffer.byteLength) / PAGE));
  }

  private mem(): Uint8Array {
    return new Uint8Array(this.exports.memory.buffer);
  }

  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = grownCapacity(this.capacity, rows);
    const oldCodes = this.mem().slice(this.codesAt, this.codesAt + this.capacity * this.rowBytes);
    const oldFactors = this.mem().slice(this.factorsAt, this.factorsAt + this.capacity * 4);
    this.layout(cap);
    const mem = this.mem();
    mem.set(oldCodes, this.codesAt);
    mem.set(oldFactors, this.factorsAt);
    this.capacity = cap;
  }

  writeRow(row: number, code: Uint8Array, factor: number): void {
    const mem = this.mem();
    for (let j = 0; j < this.rowBytes; j++) mem[this.codesAt + at(row, j, this.rowBytes)] = code[j]!;
    new Float32Array(mem.buffer, this.factorsAt, this.capacity)[row] = factor;
  }

  moveRow(from: number, to: number): void {
    const mem = this.mem();
    for (let j = 0; j < this.rowBytes; j++) mem[this.codesAt + at(to, j, this.rowBytes)] = mem[this.codesAt + at(from, j, this.rowBytes)]!;
    const factors = new Float32Array(mem.buffer, this.factorsAt, this.capacity);
    factors[to] = factors[from]!;
  }

  readRow(row: number): { code: Uint8Array; factor: number } {
    const mem = this.mem();
    const code = new Uint8Array(this.rowBytes);
    for (let j = 0; j < this.rowBytes; j++) code[j] = mem[this.codesAt + at(row, j, this.rowBytes)]!;
    return { code, factor: new Float32Array(mem.buffer, this.factorsAt, this.capacity)[row]! };
  }

  scan(n: number, query: QueryTables, k: number, mask?: Uint8Array): TopKResult {
    if (n > this.capacity) throw new RangeError(`scan over ${n} rows but only ${this.capacity} are stored`);
    if (query.tables.length < this.rowBytes * 32) throw new RangeError('query tables are shorter than a code');
    const kk = Math.max(0, Math.min(k, n));
    if (kk > this.outCap) {
      this.outCap = Math.max(kk, 512);
      this.layout(this.capacity);
    }
    const buf = this.exports.memory.buffer;
    new Uint8Array(buf, this.tablesAt, this.rowBytes * 32).set(query.tables.subarray(0, this.rowBytes * 32));
    if (mask) new Uint8Array(buf, this.maskAt, n).set(mask.subarray(0, n));
    const count = this.exports.scanCodes(this.codesAt, this.factorsAt, mask ? this.maskAt : 0, n, this.rowBytes, this.tablesAt, query.a, query.b, query.offset, kk, this.scratchAt, this.outScoresAt, this.outRowsAt);
    const after = this.exports.memory.buffer;
    return {
      rows: new Int32Array(after, this.outRowsAt, count).slice(),
      scores: new Float32Array(after, this.outScoresAt, count).slice(),
    };
  }
}

/** The fastest binary kernel this runtime supports: WASM SIMD, else the JS fallback (or the one asked for). */
export function createBinaryKernel(rowBytes: number, prefer: KernelPreference = 'auto'): BinaryKernel {
  return pickKernel<BinaryKernel>(BINARY_WASM_BASE64, prefer, (module) => new WasmBinaryKernel(rowBytes, module), () => new JsBinaryKernel(rowBytes));
}
