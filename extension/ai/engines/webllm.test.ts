import { describe, expect, it } from 'vitest';
import { WebLlmEngine, DEFAULT_WEBLLM_MODEL } from './webllm';
import { BuiltInEngine, type LanguageModelApi } from './built-in';

// Real WebGPU and real weights are not here; these tests fix the decisions the engines make around
// them (availability, errors in words). The e2e suite runs the WebGPU path in Chromium.
type Lib = typeof import('@mlc-ai/web-llm');
const lib = (cached: boolean, create?: () => Promise<never>) =>
  (async () => ({
    prebuiltAppConfig: { model_list: [{ model_id: DEFAULT_WEBLLM_MODEL }] },
    hasModelInCache: async () => cached,
    CreateMLCEngine: create ?? (async () => Promise.reject(new Error('unreachable'))),
  })) as unknown as () => Promise<Lib>;
const gpu = (adapter: boolean) => ({ requestAdapter: async () => (adapter ? { info: { vendor: 'google', architecture: 'swiftshader' } } : null) });

describe('WebLlmEngine', () => {
  it('is unavailable without WebGPU or without an adapter', async () => {
    expect(await new WebLlmEngine({ gpu: undefined, load: lib(false) }).available()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/no WebGPU/) });
    expect(await new WebLlmEngine({ gpu: gpu(false), load: lib(false) }).available()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/adapter/) });
  });

  it('is downloadable with an adapter and no cached weights, available once cached', async () => {
    expect((await new WebLlmEngine({ gpu: gpu(true), load: lib(false) }).available()).status).toBe('downloadable');
    expect((await new WebLlmEngine({ gpu: gpu(true), load: lib(true) }).available()).status).toBe('available');
  });

  it('reports a failed model download in words', async () => {
    const engine = new WebLlmEngine({ gpu: gpu(true), load: lib(false, () => Promise.reject(new TypeError('Failed to fetch'))) });
    await expect(engine.generate({ question: 'q', sources: [], messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({
      code: 'model-load-failed',
      message: expect.stringContaining('could not load its model'),
    });
  });

  it('reports running out of GPU memory in words', async () => {
    const engine = new WebLlmEngine({ gpu: gpu(true), load: lib(true, () => Promise.reject(new Error('Device was lost: out of memory'))) });
    await expect(engine.generate({ question: 'q', sources: [], messages: [{ role: 'user', content: 'q' }] })).rejects.toMatchObject({ code: 'out-of-memory' });
  });
});

describe('BuiltInEngine', () => {
  const api = (state: Awaited<ReturnType<LanguageModelApi['availability']>>, chunks: string[] = []): LanguageModelApi => ({
    availability: async () => state,
    create: async () => ({
      promptStreaming: () => new ReadableStream<string>({ start: (c) => (chunks.forEach((x) => c.enqueue(x)), c.close()) }),
      destroy: () => undefined,
    }),
  });

  it('maps the Prompt API availability states', async () => {
    expect((await new BuiltInEngine(undefined).available()).status).toBe('unavailable');
    expect((await new BuiltInEngine(api('downloadable')).available()).status).toBe('downloadable');
    expect((await new BuiltInEngine(api('available')).available()).status).toBe('available');
  });

  it('streams deltas (and copes with the older cumulative stream)', async () => {
    const tokens: string[] = [];
    const messages = [{ role: 'system' as const, content: 's' }, { role: 'user' as const, content: 'q' }];
    expect(await new BuiltInEngine(api('available', ['Cats ', 'sleep [1].'])).generate({ question: 'q', sources: [], messages }, { onToken: (t) => tokens.push(t) })).toBe('Cats sleep [1].');
    expect(tokens).toEqual(['Cats ', 'sleep [1].']);
    expect(await new BuiltInEngine(api('available', ['Cats', 'Cats sleep', 'Cats sleep [1].'])).generate({ question: 'q', sources: [], messages })).toBe('Cats sleep [1].');
  });
});
