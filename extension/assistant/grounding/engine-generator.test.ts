import { describe, expect, it } from 'vitest';
import { EngineError } from '@/ai/engines/errors';
import type { Engine, GenerationInput } from '@/ai/engines/types';
import type { NumberedPassage } from '@shared/serving/types';
import { engineGenerator } from './engine-generator';

const PASSAGES: NumberedPassage[] = [
  { n: 1, origin: 'memory', kind: 'highlight', id: 'highlight:h1#0', sourceId: 'h1', url: 'https://a.example/', title: 'Tides', text: 'The moon pulls the oceans toward it.', score: 1, highlightId: 'h1' },
  { n: 2, origin: 'web', kind: 'web', id: 'https://w.example/#p0', sourceId: 'https://w.example/', url: 'https://w.example/', title: 'Web', text: 'The sun adds a smaller pull.', score: 0.5 },
];

function engine(behaviour: (input: GenerationInput, signal?: AbortSignal, onToken?: (t: string) => void) => Promise<string>): Engine & { inputs: GenerationInput[] } {
  const inputs: GenerationInput[] = [];
  return {
    id: 'worker',
    label: 'Your worker',
    local: false,
    inputs,
    available: async () => ({ status: 'available' }),
    generate: async (input, o) => {
      inputs.push(input);
      return behaviour(input, o?.signal, o?.onToken);
    },
  };
}

const messages = [{ role: 'user' as const, content: 'Sources: … Question: why tides?' }];

describe('engine generator', () => {
  it('streams the chosen engine with the pipeline prompt and the numbered sources', async () => {
    const e = engine(async (_input, _s, onToken) => {
      onToken?.('The moon [1].');
      return 'The moon [1].';
    });
    const g = engineGenerator({ engine: e, question: 'why tides?', model: 'm1', allowWithoutSources: false });
    g.setSources(PASSAGES);
    const tokens: string[] = [];
    expect(await g.generate(messages, { onToken: (t) => tokens.push(t) })).toBe('The moon [1].');
    expect(tokens).toEqual(['The moon [1].']);
    expect(e.inputs[0]!.messages).toEqual(messages);
    expect(e.inputs[0]!.sources.map((s) => [s.n, s.kind, s.highlightId])).toEqual([
      [1, 'highlight', 'h1'],
      [2, 'page', undefined],
    ]);
    expect(g.used).toEqual({ id: 'worker', label: 'Your worker', model: 'm1' });
    expect(g.error).toBeNull();
  });

  it('falls back to quoting the passages when the engine fails part-way, with the reason in words', async () => {
    const e = engine(async (_i, _s, onToken) => {
      onToken?.('half an ans');
      throw new EngineError('generation-failed', 'The worker failed while answering (HTTP 500).');
    });
    const fallbacks: string[] = [];
    const g = engineGenerator({ engine: e, question: 'why do tides follow the moon?', model: 'm1', allowWithoutSources: false, onFallback: (err) => fallbacks.push(err.message) });
    g.setSources(PASSAGES);
    const answer = await g.generate(messages, {});
    expect(fallbacks).toEqual(['The worker failed while answering (HTTP 500).']);
    expect(answer).toContain('The moon pulls the oceans toward it');
    expect(answer).toContain('[1]');
    expect(g.used.id).toBe('extractive');
    expect(g.model).toBe('');
    expect(g.error?.code).toBe('generation-failed');
  });

  it('Stop aborts: no fallback, an aborted error', async () => {
    const controller = new AbortController();
    const e = engine(async (_i, signal) => {
      controller.abort();
      if (signal?.aborted) throw Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
      return 'never';
    });
    const fallbacks: unknown[] = [];
    const g = engineGenerator({ engine: e, question: 'q', model: '', allowWithoutSources: false, onFallback: (x) => fallbacks.push(x) });
    g.setSources(PASSAGES);
    await expect(g.generate(messages, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    expect(fallbacks).toEqual([]);
  });

  it('with nothing to cite, says so extractively unless the scope may answer from the model', async () => {
    const e = engine(async () => 'From general knowledge: tides.');
    const strict = engineGenerator({ engine: e, question: 'q', model: '', allowWithoutSources: false });
    strict.setSources([]);
    await strict.generate(messages, {});
    expect(strict.used.id).toBe('extractive');
    expect(e.inputs).toHaveLength(0);
    const open = engineGenerator({ engine: e, question: 'q', model: '', allowWithoutSources: true });
    open.setSources([]);
    expect(await open.generate(messages, {})).toBe('From general knowledge: tides.');
    expect(open.used.id).toBe('worker');
  });
});
