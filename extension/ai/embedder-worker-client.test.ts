import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Embedder, cosine } from './embedder';
import { EmbedderWorkerClient, type WorkerLike } from './embedder-worker-client';
import { serveEmbedder, type WorkerScope } from './embedder-worker-host';
import type { WorkerReply, WorkerRequest } from './embedder-worker-protocol';

// The offscreen document's side of the embedder worker, against test doubles of a Worker: one runs the
// real worker code (serveEmbedder, the bundled model) behind a MessageChannel, as a dedicated worker does
// behind postMessage; a scripted one can die on demand.
const MODELS = resolve(import.meta.dirname, '../../wasm/models');

/** Test double of a Worker running the real worker script's handler on the far end of a MessageChannel. */
function channelWorker(): WorkerLike & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  serveEmbedder({
    postMessage: (m: WorkerReply, transfer?: Transferable[]) => port2.postMessage(m, (transfer ?? []) as never),
    set onmessage(handler: WorkerScope['onmessage']) {
      port2.onmessage = handler as never;
    },
    get onmessage() {
      return null;
    },
  });
  const double = {
    terminated: false,
    postMessage: (m: WorkerRequest) => port1.postMessage(m),
    addEventListener: (type: string, listener: (e: never) => void) => {
      if (type === 'message') port1.addEventListener('message', listener as never);
    },
    terminate: () => {
      double.terminated = true;
      port1.close();
    },
  };
  port1.start();
  return double as WorkerLike & { terminated: boolean };
}

/** Test double of a Worker whose replies the test scripts: loads at once, holds embeds, can crash. */
class ScriptedWorker implements WorkerLike {
  static made: ScriptedWorker[] = [];
  readonly embeds: Extract<WorkerRequest, { kind: 'embed' }>[] = [];
  terminated = false;
  private readonly listeners: Record<string, ((e: never) => void)[]> = {};
  constructor() {
    ScriptedWorker.made.push(this);
  }
  addEventListener(type: string, listener: (e: never) => void): void {
    (this.listeners[type] ??= []).push(listener);
  }
  emit(type: string, event: unknown): void {
    for (const l of this.listeners[type] ?? []) l(event as never);
  }
  postMessage(m: WorkerRequest): void {
    if (m.kind === 'load') queueMicrotask(() => this.emit('message', { data: { kind: 'loaded', threads: 2, crossOriginIsolated: true } }));
    else this.embeds.push(m);
  }
  answer(id: number): void {
    const req = this.embeds.find((e) => e.id === id)!;
    this.emit('message', { data: { kind: 'embedded', id, vectors: req.texts.map(() => new Float32Array(512)) } });
  }
  terminate(): void {
    this.terminated = true;
  }
}

let client: EmbedderWorkerClient | undefined;
afterEach(async () => {
  await client?.dispose();
  client = undefined;
  ScriptedWorker.made = [];
});

describe('EmbedderWorkerClient', () => {
  it('embeds through the worker exactly as the model does in this thread', async () => {
    const texts = ['Mitochondria produce most of the energy of a cell.', '', 'The striker scored twice.'];
    client = await EmbedderWorkerClient.start({ localModelPath: MODELS }, channelWorker);
    const direct = await Embedder.load({ localModelPath: MODELS });
    try {
      const [viaWorker, here] = [await client.embed(texts), await direct.embed(texts)];
      expect(viaWorker).toHaveLength(3);
      expect(viaWorker[1]!.every((x) => x === 0)).toBe(true);
      for (const i of [0, 2]) expect(cosine(viaWorker[i]!, here[i]!)).toBeCloseTo(1, 5);
      const [query] = await client.embed(['cell energy'], 'query', 'urgent');
      expect(query).toHaveLength(512);
    } finally {
      await direct.dispose();
    }
  }, 60_000);

  it('answers a query sent behind queued indexing batches before those batches', async () => {
    client = await EmbedderWorkerClient.start({ localModelPath: MODELS }, channelWorker);
    const passages = Array.from({ length: 8 }, (_, i) => `Passage ${i} about rivers, bridges and the towns along them.`);
    const order: string[] = [];
    const track = (name: string, p: Promise<unknown>) => p.then(() => void order.push(name));
    await Promise.all([
      track('batch-1', client.embed(passages)),
      track('batch-2', client.embed(passages)),
      track('batch-3', client.embed(passages)),
      track('query', client.embed(['where do bridges cross rivers'], 'query', 'urgent')),
    ]);
    // At most the batch already running when the query came goes before it (here the worker was still
    // pausing for messages before its first batch, so the query went first).
    expect(order.indexOf('query')).toBeLessThanOrEqual(1);
    expect(order.filter((n) => n !== 'query')).toEqual(['batch-1', 'batch-2', 'batch-3']);
  }, 60_000);

  it('rejects with the worker\'s reason when the model fails to load', async () => {
    await expect(EmbedderWorkerClient.start({ localModelPath: resolve(MODELS, 'missing-folder') }, channelWorker)).rejects.toThrow();
  }, 60_000);

  it('rejects every waiting call when the worker dies, and starts a fresh worker for the next call', async () => {
    client = await EmbedderWorkerClient.start({ localModelPath: '/models/' }, () => new ScriptedWorker());
    expect(client.threads).toBe(2);
    const first = ScriptedWorker.made[0]!;
    const waiting = [client.embed(['a']), client.embed(['b'], 'query', 'urgent')];
    await new Promise((r) => setTimeout(r, 0));
    expect(first.embeds).toHaveLength(2);
    first.emit('error', { message: 'out of memory', preventDefault() {} });
    for (const p of waiting) await expect(p).rejects.toThrow('the embedding worker stopped: out of memory');
    expect(first.terminated).toBe(true);

    const next = client.embed(['c'], 'query', 'urgent');
    await new Promise((r) => setTimeout(r, 0));
    const second = ScriptedWorker.made[1]!;
    expect(second).toBeDefined();
    second.answer(second.embeds[0]!.id);
    expect(await next).toHaveLength(1);
  });

  it('dispose ends the worker and rejects what was waiting', async () => {
    client = await EmbedderWorkerClient.start({ localModelPath: '/models/' }, () => new ScriptedWorker());
    const waiting = client.embed(['a']);
    await new Promise((r) => setTimeout(r, 0));
    await client.dispose();
    await expect(waiting).rejects.toThrow('disposed');
    expect(ScriptedWorker.made[0]!.terminated).toBe(true);
    await expect(client.embed(['b'])).rejects.toThrow('disposed');
  });
});
