/**
 * Embeddings on disk for bench reruns: bench/.cache/<model>.bin holds records of
 * [32-byte sha256 of the prepared text][dims float32], appended as new texts are embedded.
 * Keyed by model + text hash, so a changed chunker or model simply misses the cache.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Embedder } from '../extension/ai/embedder';

const CACHE_DIR = resolve(import.meta.dirname, '.cache');

export class EmbeddingCache {
  private readonly map = new Map<string, Float32Array>();
  private readonly file: string;

  constructor(private readonly embedder: Embedder) {
    mkdirSync(CACHE_DIR, { recursive: true });
    this.file = resolve(CACHE_DIR, `${embedder.modelId.replace(/[^A-Za-z0-9_.-]/g, '_')}-${embedder.dims}.bin`);
    if (existsSync(this.file)) {
      const buf = readFileSync(this.file);
      const rec = 32 + embedder.dims * 4;
      for (let off = 0; off + rec <= buf.length; off += rec) {
        const key = buf.subarray(off, off + 32).toString('hex');
        const bytes = buf.subarray(off + 32, off + rec);
        this.map.set(key, new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)));
      }
    }
  }

  private key(text: string, purpose: string): string {
    return createHash('sha256').update(`${purpose}\u0000${text}`).digest('hex');
  }

  async embed(texts: string[], purpose: 'passage' | 'query' = 'passage', onProgress?: (done: number, total: number) => void): Promise<Float32Array[]> {
    const keys = texts.map((t) => this.key(t, purpose));
    const missing = [...new Set(keys.map((k, i) => (this.map.has(k) ? -1 : i)).filter((i) => i >= 0))];
    const step = 256;
    for (let s = 0; s < missing.length; s += step) {
      const idx = missing.slice(s, s + step).filter((i) => !this.map.has(keys[i]!));
      const vectors = await this.embedder.embed(idx.map((i) => texts[i]!), purpose);
      const parts: Buffer[] = [];
      idx.forEach((i, j) => {
        this.map.set(keys[i]!, vectors[j]!);
        parts.push(Buffer.from(keys[i]!, 'hex'), Buffer.from(vectors[j]!.buffer, vectors[j]!.byteOffset, vectors[j]!.byteLength));
      });
      appendFileSync(this.file, Buffer.concat(parts));
      onProgress?.(Math.min(s + step, missing.length), missing.length);
    }
    return keys.map((k) => this.map.get(k)!);
  }
}
