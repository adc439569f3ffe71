import { sendMessage } from '@/messaging/router';
import type { AiStatus, VectorFeedback, VectorFilters, VectorHitMessage } from '@shared/schemas/ai-messages';

/**
 * How extension pages (the side panel) reach the offscreen document. The document may not exist yet
 * (first use, or Chrome closed it), so a failed call asks the background to create it and tries again.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function withDocument<T>(call: () => Promise<T>, attempts = 4): Promise<T> {
  let last: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      return await call();
    } catch (error) {
      last = error;
      const code = (error as { code?: string }).code;
      // A handler that ran and failed is a real answer; only a missing receiver is worth a retry.
      if (code && code !== 'no-receiver') throw error;
      await sendMessage('ai.ensure', {}).catch(() => undefined);
      await sleep(150 * (i + 1));
    }
  }
  throw last;
}

/** `feedback` seeds the query vector with the keyword side's best sources (search/hybrid.ts feedbackFor). */
export async function vectorSearch(
  query: string,
  k = 50,
  filters: VectorFilters = { kind: 'all' },
  feedback?: VectorFeedback,
): Promise<{ model: string; hits: VectorHitMessage[]; floor?: number }> {
  return withDocument(() => sendMessage('ai.vectorSearch', { query, k, filters, ...(feedback ? { feedback } : {}) }));
}

/** The on-device model's vectors for a few texts (at most MAX_EMBED_TEXTS per call). */
export async function embedTexts(texts: string[]): Promise<Float32Array[]> {
  const { vectors } = await withDocument(() => sendMessage('ai.embedTexts', { texts }));
  return vectors.map((v) => Float32Array.from(v));
}

export async function aiStatus(): Promise<AiStatus> {
  return withDocument(() => sendMessage('ai.status', {}));
}

export async function ensureAi(): Promise<void> {
  await sendMessage('ai.ensure', {});
}

/**
 * Tells the offscreen document a query is coming, so it embeds it while this page ranks keywords; the
 * vector search that follows finds the embedding cached. Fire and forget: search never waits on it.
 */
export function prepareQuery(query: string): void {
  if (!inExtension() || !query.trim()) return;
  void sendMessage('ai.prepareQuery', { query }).catch(() => undefined);
}

/** Brings the offscreen document up and warms its model (the side panel opening): the first query
 * then doesn't pay for starting onnxruntime or embedding the noise floor's probes. */
export function warmUpAi(): void {
  if (!inExtension()) return;
  void withDocument(() => sendMessage('ai.prepareQuery', {})).catch(() => undefined);
}

function inExtension(): boolean {
  return typeof chrome !== 'undefined' && Boolean(chrome.runtime?.id);
}
