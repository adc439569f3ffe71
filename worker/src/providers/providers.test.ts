import { describe, expect, it } from 'vitest';
import type { Env } from '../env';
import { selectProvider } from './select';
import type { StreamPart } from './types';
import { WorkersAiProvider } from './workers-ai';

function sseStream(lines: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const line of lines) controller.enqueue(enc.encode(line));
      controller.close();
    },
  });
}

async function collect(parts: AsyncIterable<StreamPart>): Promise<StreamPart[]> {
  const out: StreamPart[] = [];
  for await (const p of parts) out.push(p);
  return out;
}

describe('WorkersAiProvider (against a double of the AI binding)', () => {
  it('reads Workers AI’s SSE, split across chunk boundaries', async () => {
    let seen: unknown;
    const ai = {
      run: async (model: string, inputs: unknown) => {
        seen = { model, inputs };
        return sseStream(['data: {"response":"Hel', 'lo"}\n\ndata: {"response":" there"}\n\n', 'data: [DONE]\n\n']);
      },
    } as unknown as Ai;
    const provider = new WorkersAiProvider(ai, '@cf/test/model');
    const parts = await collect(await provider.open({ messages: [{ role: 'user', content: 'hi' }], maxTokens: 10, signal: new AbortController().signal }));
    expect(parts).toEqual([
      { type: 'delta', text: 'Hello' },
      { type: 'delta', text: ' there' },
      { type: 'finish', reason: 'stop' },
    ]);
    expect(seen).toEqual({ model: '@cf/test/model', inputs: { messages: [{ role: 'user', content: 'hi' }], stream: true, max_tokens: 10 } });
  });
});

describe('selectProvider', () => {
  const base = {} as Env;
  it('prefers a configured OpenAI-compatible endpoint, then Workers AI, else none', () => {
    expect(selectProvider(base)).toBeNull();
    expect(selectProvider({ ...base, AI: {} as Ai })!.name).toBe('workers-ai');
    expect(selectProvider({ ...base, AI: {} as Ai, OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' })!.name).toBe('openai-compatible');
    expect(selectProvider({ ...base, AI: {} as Ai, OPENAI_BASE_URL: 'http://x/v1', AI_PROVIDER: 'workers-ai' })!.name).toBe('workers-ai');
    expect(selectProvider({ ...base, AI_PROVIDER: 'workers-ai' })).toBeNull();
  });
});
