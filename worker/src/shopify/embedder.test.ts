import { describe, expect, inject, it } from 'vitest';
import { EmbedderError, OpenAiCompatibleEmbedder, selectEmbedder, WorkersAiEmbedder, type AiRunner } from './embedder';
import type { Env } from '../env';

describe('worker embedders', () => {
  it('reads vectors from an OpenAI-compatible /embeddings endpoint (the loopback test double), in input order', async () => {
    const embedder = new OpenAiCompatibleEmbedder(inject('embeddingsBaseUrl'), undefined, 'm');
    const [a, b, a2] = await embedder.embed(['coffee grinder', 'microwave oven', 'coffee grinder']);
    expect(a!.length).toBe(256);
    expect([...a!]).toEqual([...a2!]);
    expect([...a!]).not.toEqual([...b!]);
    expect(embedder.model).toBe('openai:m');
  });

  it('fails clearly on a down endpoint or malformed vectors', async () => {
    await expect(new OpenAiCompatibleEmbedder('http://127.0.0.1:9/v1', undefined, 'm').embed(['x'])).rejects.toThrow(EmbedderError);
    const bad = new OpenAiCompatibleEmbedder('http://x.test/v1', undefined, 'm', async () => Response.json({ data: [{ index: 0, embedding: [1, 'a'] }] }));
    await expect(bad.embed(['x'])).rejects.toThrow(/malformed/);
    const short = new OpenAiCompatibleEmbedder('http://x.test/v1', undefined, 'm', async () => Response.json({ data: [] }));
    await expect(short.embed(['x'])).rejects.toThrow(/0 vectors for 1/);
  });

  it('calls the Workers AI binding as documented ({ text } in, { shape, data } out), against a double of the binding', async () => {
    const calls: unknown[] = [];
    const ai: AiRunner = {
      async run(model, inputs) {
        calls.push({ model, inputs });
        return { shape: [inputs.text.length, 3], data: inputs.text.map((_, i) => [i, 1, 0]) };
      },
    };
    const embedder = new WorkersAiEmbedder(ai, '@cf/baai/bge-small-en-v1.5');
    const out = await embedder.embed(['a', 'b']);
    expect(out.map((v) => [...v])).toEqual([[0, 1, 0], [1, 1, 0]]);
    expect(calls).toEqual([{ model: '@cf/baai/bge-small-en-v1.5', inputs: { text: ['a', 'b'] } }]);
    const refusing = new WorkersAiEmbedder({ run: async () => { throw new Error('needs to be run remotely'); } }, 'm');
    await expect(refusing.embed(['a'])).rejects.toThrow(/Workers AI refused/);
  });

  it('is chosen from the configuration: endpoint first, then the AI binding, else none', () => {
    const base = {} as Env;
    expect(selectEmbedder(base)).toBeNull();
    expect(selectEmbedder({ ...base, EMBEDDINGS_BASE_URL: 'http://e.test/v1' })?.model).toBe('openai:text-embedding-3-small');
    const withAi = { ...base, AI: { run: async () => ({}) } as unknown as Ai };
    expect(selectEmbedder(withAi)?.model).toBe('workers-ai:@cf/baai/bge-small-en-v1.5');
    expect(selectEmbedder({ ...withAi, EMBEDDINGS_PROVIDER: 'none' })).toBeNull();
  });
});
