import { runPipeline } from '@shared/serving/pipeline';
import { describe, expect, it } from 'vitest';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { Engine, GenerateOptions } from '@/ai/engines/types';
import { serveActionPort, type PortLike } from './runner-port';
import type { RunnerDeps } from './action-runner';

class FakePort implements PortLike {
  name = 'assistant.action';
  posted: { type: string }[] = [];
  disconnected = false;
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  onMessage = { addListener: (l: (m: unknown) => void) => void this.messageListeners.push(l) };
  onDisconnect = { addListener: (l: () => void) => void this.disconnectListeners.push(l) };
  postMessage(m: unknown) {
    this.posted.push(m as { type: string });
  }
  disconnect() {
    this.disconnected = true;
  }
  send(m: unknown) {
    for (const l of this.messageListeners) l(m);
  }
  /** The other side closed it (the bubble's Stop). */
  closeFromPage() {
    for (const l of this.disconnectListeners) l();
  }
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
};

function deps(engine: Engine): () => RunnerDeps {
  return () => ({ engines: [engine], preferences: async () => ({ privacy: 'local-only', engine: 'auto' }), retrieve: async () => [], runPipeline, saveFeedback: async (r) => ({ ...r, rating: null, correction: '', createdAt: 1, updatedAt: 1 }) as never });
}

describe('the runner Port', () => {
  it('answers a bad request with an error and closes', async () => {
    const port = new FakePort();
    serveActionPort(port, deps(new ExtractiveEngine()));
    port.send({ action: 'rm -rf', text: 1 });
    await until(() => port.disconnected);
    expect(port.posted).toEqual([{ type: 'error', code: 'invalid', message: 'The request was not understood.' }]);
  });

  it('streams a run and closes the Port after done', async () => {
    const port = new FakePort();
    serveActionPort(port, deps(new ExtractiveEngine()));
    port.send({ action: 'summarize', text: 'One sentence here. Another sentence there.', target: 'selection' });
    await until(() => port.disconnected);
    expect(port.posted.map((e) => e.type)).toEqual(['engine', 'token', 'token', 'done']);
  });

  it('closing the Port from the page aborts the engine', async () => {
    let signal: AbortSignal | undefined;
    const engine: Engine = {
      id: 'built-in',
      label: 'waits',
      local: true,
      available: async () => ({ status: 'available' }),
      generate: (_input, options: GenerateOptions = {}) =>
        new Promise((_, reject) => {
          signal = options.signal;
          options.signal?.addEventListener('abort', () => reject(Object.assign(new Error('Stopped.'), { name: 'AbortError' })));
        }),
    };
    const port = new FakePort();
    serveActionPort(port, deps(engine));
    port.send({ action: 'improve', text: 'teh text', target: 'editable' });
    await until(() => signal !== undefined);
    port.closeFromPage();
    expect(signal!.aborted).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    expect(port.posted.map((e) => e.type)).toEqual(['engine']);
  });
});
