import { describe, expect, it } from 'vitest';
import { QueryEmbeddingCache } from './query-embedding-cache';

function counting() {
  const calls: string[] = [];
  const embed = (text: string) => {
    calls.push(text);
    return Promise.resolve(Float32Array.from([text.length]));
  };
  return { calls, embed };
}

describe('QueryEmbeddingCache', () => {
  it('embeds a query once, whatever its case and spacing', async () => {
    const { calls, embed } = counting();
    const cache = new QueryEmbeddingCache(embed);
    const a = await cache.get('Solar  panels');
    const b = await cache.get('  solar panels ');
    expect(b).toBe(a);
    expect(calls).toEqual(['Solar  panels']);
  });

  it('shares one embedding between requests made while it runs', async () => {
    let release!: (v: Float32Array) => void;
    let calls = 0;
    const cache = new QueryEmbeddingCache(() => {
      calls++;
      return new Promise((resolve) => (release = resolve));
    });
    const first = cache.get('wind');
    const second = cache.get('wind');
    release(Float32Array.from([1]));
    expect(await second).toBe(await first);
    expect(calls).toBe(1);
  });

  it('keys by what the model reads when told how', async () => {
    const { calls, embed } = counting();
    const cache = new QueryEmbeddingCache(embed, 8, (t) => t.trim());
    await cache.get('US');
    await cache.get('us');
    expect(calls).toEqual(['US', 'us']);
  });

  it('drops the least recently used query past its capacity', async () => {
    const { calls, embed } = counting();
    const cache = new QueryEmbeddingCache(embed, 2);
    await cache.get('a');
    await cache.get('b');
    await cache.get('a'); // a is now the most recent
    await cache.get('c'); // evicts b
    expect(cache.size).toBe(2);
    expect(cache.has('a')).toBe(true);
    expect(cache.has('b')).toBe(false);
    await cache.get('b');
    expect(calls).toEqual(['a', 'b', 'c', 'b']);
  });

  it('forgets a failed embedding so the next request tries again', async () => {
    let fail = true;
    const cache = new QueryEmbeddingCache((text) => (fail ? Promise.reject(new Error('model not loaded')) : Promise.resolve(Float32Array.from([text.length]))));
    await expect(cache.get('x')).rejects.toThrow('model not loaded');
    expect(cache.has('x')).toBe(false);
    fail = false;
    expect(Array.from(await cache.get('x'))).toEqual([1]);
  });
});
