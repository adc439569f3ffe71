import type { TopKResult } from './vector-index-kernel';

/**
 * What the search's kernels (vector-index-kernel.ts: int8 rows; binary-kernel.ts: sign codes) share:
 * compiling their embedded WASM module once, their linear-memory layout helpers, the choice between
 * the WASM SIMD kernel and its plain-JS fallback, and the fallbacks' best-k list.
 */

/** WebAssembly page size. Page 0 of each kernel is left to the module itself (no data or stack today). */
export const PAGE = 65536;

export const align16 = (n: number) => (n + 15) & ~15;

/** Row capacity after growing from `current` to hold `wanted` rows (doubling, from 64). */
export function grownCapacity(current: number, wanted: number): number {
  let cap = Math.max(current, 64);
  while (cap < wanted) cap *= 2;
  return cap;
}

const compiled = new Map<string, WebAssembly.Module | null>();

function decodeBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A kernel's compiled module, or null where WASM or SIMD is unavailable (compiled once, synchronously: each is ~1 KB). */
export function compileKernel(base64: string): WebAssembly.Module | null {
  let module = compiled.get(base64);
  if (module !== undefined) return module;
  try {
    const bytes = decodeBase64(base64);
    module = typeof WebAssembly !== 'undefined' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    module = null;
  }
  compiled.set(base64, module);
  return module;
}

export type KernelPreference = 'wasm-simd' | 'js' | 'auto';

/**
 * The fastest kernel this runtime supports: the WASM SIMD one built from `base64`, else the JS fallback
 * ('auto'), or the one asked for ('wasm-simd' throws where it cannot run).
 */
export function pickKernel<K>(base64: string, prefer: KernelPreference, wasm: (module: WebAssembly.Module) => K, js: () => K): K {
  const module = prefer === 'js' ? null : compileKernel(base64);
  if (module) return wasm(module);
  if (prefer === 'wasm-simd') throw new Error('WebAssembly SIMD is not available in this runtime');
  return js();
}

/** A bounded best-k list with the kernels' order (higher score first; equal scores: lower row first). */
export function bestK(k: number) {
  const heapS = new Float32Array(Math.max(0, k));
  const heapR = new Int32Array(heapS.length);
  let size = 0;
  const worse = (sa: number, ra: number, sb: number, rb: number) => sa < sb || (sa === sb && ra > rb);
  const swap = (i: number, j: number) => {
    const s = heapS[i]!, r = heapR[i]!;
    heapS[i] = heapS[j]!; heapR[i] = heapR[j]!;
    heapS[j] = s; heapR[j] = r;
  };
  const siftDown = (limit: number) => {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= limit) return;
      let m = l;
      if (l + 1 < limit && worse(heapS[l + 1]!, heapR[l + 1]!, heapS[l]!, heapR[l]!)) m = l + 1;
      if (!worse(heapS[m]!, heapR[m]!, heapS[i]!, heapR[i]!)) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    offer(score: number, row: number): void {
      if (size < heapS.length) {
        heapS[size] = score;
        heapR[size] = row;
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (!worse(heapS[i]!, heapR[i]!, heapS[p]!, heapR[p]!)) break;
          swap(i, p);
          i = p;
        }
      } else if (size > 0 && worse(heapS[0]!, heapR[0]!, score, row)) {
        heapS[0] = score;
        heapR[0] = row;
        siftDown(size);
      }
    },
    result(): TopKResult {
      for (let end = size - 1; end > 0; end--) {
        swap(0, end);
        siftDown(end);
      }
      return { rows: heapR.slice(0, size), scores: heapS.slice(0, size) };
    },
  };
}
