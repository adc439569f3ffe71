import { MAX_EMBED_TEXTS, MAX_EMBED_TEXT_CHARS } from '@shared/schemas/messages';

/**
 * The citation verifier's embedder in the extension: the offscreen document's on-device model
 * (`ai.embedTexts`), batched under the message's bounds and given one time budget for the whole answer.
 * A model still loading, an offscreen document that never answers, or an answer with too many claims
 * to embed in time rejects, and the verifier (shared/serving/verify.ts) keeps its lexical scores: the
 * answer is checked either way, only less well.
 */

export type Embed = (texts: string[]) => Promise<Float32Array[]>;

export interface VerifierEmbedOptions {
  /** Budget for all of one answer's texts; past it the check is lexical. */
  timeoutMs?: number;
  /** More texts than this are not worth the wait (about 60 cited sentences). */
  maxTexts?: number;
}

export const VERIFIER_EMBED_TIMEOUT_MS = 2500;
const MAX_TEXTS = 4 * MAX_EMBED_TEXTS;

export class EmbedUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbedUnavailable';
  }
}

export function verifierEmbed(embedBatch: Embed, options: VerifierEmbedOptions = {}): Embed {
  const timeoutMs = options.timeoutMs ?? VERIFIER_EMBED_TIMEOUT_MS;
  const maxTexts = options.maxTexts ?? MAX_TEXTS;
  return async (texts) => {
    if (texts.length > maxTexts) throw new EmbedUnavailable(`${texts.length} texts are more than the meaning check embeds (${maxTexts})`);
    // The schema refuses empty texts; a space embeds as (near) nothing, which is what an empty claim means.
    const bounded = texts.map((t) => t.slice(0, MAX_EMBED_TEXT_CHARS) || ' ');
    const batches: Promise<Float32Array[]>[] = [];
    for (let i = 0; i < bounded.length; i += MAX_EMBED_TEXTS) batches.push(embedBatch(bounded.slice(i, i + MAX_EMBED_TEXTS)));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EmbedUnavailable(`the on-device embedder did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const vectors = (await Promise.race([Promise.all(batches), late])).flat();
      if (vectors.length !== texts.length) throw new EmbedUnavailable(`the embedder returned ${vectors.length} vectors for ${texts.length} texts`);
      return vectors;
    } finally {
      clearTimeout(timer);
      // A batch that fails after the race was lost must not surface as an unhandled rejection.
      for (const b of batches) b.catch(() => undefined);
    }
  };
}
