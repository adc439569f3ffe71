import type { Generator, Passage, Retriever, SourceOrigin } from './types';

/**
 * Test doubles for the pipeline's tests (unit tests and the grounding bench): retrievers over fixed
 * passages, with an optional delay, and a generator that answers from a script. Not used by the product.
 */

export function passage(origin: SourceOrigin, id: string, text: string, extra: Partial<Passage> = {}): Passage {
  return { origin, kind: origin === 'web' ? 'web' : origin === 'memory' ? 'highlight' : origin === 'products' ? 'product' : origin === 'records' ? 'record' : 'page', id, sourceId: extra.url ?? id, url: `https://example.com/${id}`, title: id, text, score: 1, ...extra };
}

/** A retriever test double: answers `passages` after `delayMs`, or fails with `fail`. Honours its signal. */
export function fixedRetriever(origin: SourceOrigin, passages: Passage[], opts: { delayMs?: number; budgetMs?: number; fail?: string; ignoreSignal?: boolean } = {}): Retriever & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    origin,
    label: `${origin} test double`,
    budgetMs: opts.budgetMs ?? 1_000,
    calls,
    retrieve(queries, signal) {
      calls.push([...queries]);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => (opts.fail ? reject(new Error(opts.fail)) : resolve(passages)), opts.delayMs ?? 0);
        if (!opts.ignoreSignal) signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      });
    },
  };
}

/** A generator test double: each call answers the next scripted reply (a function gets the messages), streamed in words. */
export function scriptedGenerator(replies: (string | ((messages: { role: string; content: string }[]) => string))[], id = 'test-double'): Generator & { calls: { role: string; content: string }[][] } {
  const calls: { role: string; content: string }[][] = [];
  return {
    id,
    label: 'Generator test double',
    model: 'double-1',
    calls,
    async generate(messages, options) {
      calls.push(messages.map((m) => ({ ...m })));
      const next = replies[Math.min(calls.length - 1, replies.length - 1)];
      const text = typeof next === 'function' ? next(messages) : (next ?? '');
      for (const piece of text.match(/\S+\s*/g) ?? []) {
        if (options.signal?.aborted) throw options.signal.reason;
        options.onToken?.(piece);
      }
      return text;
    },
  };
}

/** A clock test double that moves `step` ms each time it is read. */
export function steppingClock(step = 5, start = 1_000): () => number {
  let t = start - step;
  return () => (t += step);
}
