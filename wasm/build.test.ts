import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// @ts-expect-error plain ESM build script without types
import { compile, moduleSource } from './build.mjs';

describe('wasm build', () => {
  it('the committed topk kernel matches a fresh AssemblyScript build', async () => {
    const bytes: Buffer = await compile('assembly/topk.ts');
    expect(bytes.equals(readFileSync(resolve(import.meta.dirname, 'build/topk.wasm')))).toBe(true);
    expect(readFileSync(resolve(import.meta.dirname, 'build/topk-wasm.ts'), 'utf8')).toBe(moduleSource('topk', bytes));
    // Uses SIMD (the v128 type) — a build without --enable simd would not.
    expect(WebAssembly.validate(new Uint8Array(bytes))).toBe(true);
    const text = bytes.toString('latin1');
    expect(text).toContain('topK');
  });

  it('the committed binary-code kernel matches a fresh AssemblyScript build', async () => {
    const bytes: Buffer = await compile('assembly/binary.ts');
    expect(bytes.equals(readFileSync(resolve(import.meta.dirname, 'build/binary.wasm')))).toBe(true);
    expect(readFileSync(resolve(import.meta.dirname, 'build/binary-wasm.ts'), 'utf8')).toBe(moduleSource('binary', bytes));
    expect(WebAssembly.validate(new Uint8Array(bytes))).toBe(true);
    expect(bytes.toString('latin1')).toContain('scanCodes');
  });
});
