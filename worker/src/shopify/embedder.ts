import type { Env } from '../env';

/**
 * Sentence embeddings on the worker side, for the merchant catalogue's search by meaning. Two real
 * backends behind one small interface:
 * - Workers AI through its binding: `env.AI.run(model, { text: [...] })` → `{ shape, data }`
 *   (default `@cf/baai/bge-small-en-v1.5`, 384-d). Needs Cloudflare's cloud: `wrangler dev --local`
 *   and the tests cannot reach it.
 * - Any OpenAI-compatible `/embeddings` endpoint (OpenAI, Ollama, llama.cpp server, vLLM, TEI…):
 *   `POST {base}/embeddings { model, input: [...] }` → `{ data: [{ index, embedding }] }`, configured
 *   like the generation endpoint (base URL + model + a secret key). The tests run this one against a
 *   loopback test double.
 * With neither configured the merchant chat searches by keyword only, and the owner page says so.
 */
export interface TextEmbedder {
  /** Recorded with every stored vector: a change of model re-embeds the catalogue. */
  readonly model: string;
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export class EmbedderError extends Error {}

export const DEFAULT_WORKERS_AI_EMBEDDING_MODEL = '@cf/baai/bge-small-en-v1.5';
const TIMEOUT_MS = 15_000;
/** Inputs per request: Workers AI's bge models take up to 100; OpenAI's limit is far above this. */
export const EMBED_BATCH = 64;
/** Characters of one input: the models read ~512 tokens at most, and a bounded request is cheaper. */
const MAX_CHARS = 2000;

function checkShape(vectors: Float32Array[], expected: number): Float32Array[] {
  if (vectors.length !== expected) throw new EmbedderError(`the embedding model returned ${vectors.length} vectors for ${expected} texts`);
  const dims = vectors[0]?.length ?? 0;
  if (!dims || dims > 4096 || vectors.some((v) => v.length !== dims || v.some((x) => !Number.isFinite(x)))) {
    throw new EmbedderError('the embedding model returned malformed vectors');
  }
  return vectors;
}

export class OpenAiCompatibleEmbedder implements TextEmbedder {
  readonly model: string;

  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string | undefined,
    private readonly modelName: string,
    private readonly fetcher: typeof fetch = fetch,
  ) {
    this.model = `openai:${modelName}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    const url = `${this.baseUrl.replace(/\/+$/, '')}/embeddings`;
    let response: Response;
    try {
      response = await this.fetcher(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {}) },
        body: JSON.stringify({ model: this.modelName, input: texts.map((t) => t.slice(0, MAX_CHARS)) }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new EmbedderError(`the embedding endpoint could not be reached (${String(error)})`);
    }
    if (!response.ok) throw new EmbedderError(`the embedding endpoint answered HTTP ${response.status}: ${(await response.text().catch(() => '')).slice(0, 200)}`);
    const body = (await response.json().catch(() => null)) as { data?: { index?: number; embedding?: unknown }[] } | null;
    const rows = Array.isArray(body?.data) ? [...body.data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0)) : [];
    return checkShape(
      rows.map((r) => Float32Array.from(Array.isArray(r.embedding) ? (r.embedding as number[]) : [])),
      texts.length,
    );
  }
}

/** The slice of the Workers AI binding used here (lets a test pass a double of the binding). */
export type AiRunner = { run(model: string, inputs: { text: string[] }): Promise<unknown> };

export class WorkersAiEmbedder implements TextEmbedder {
  readonly model: string;

  constructor(
    private readonly ai: AiRunner,
    private readonly modelName: string,
  ) {
    this.model = `workers-ai:${modelName}`;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (!texts.length) return [];
    let out: unknown;
    try {
      out = await this.ai.run(this.modelName, { text: texts.map((t) => t.slice(0, MAX_CHARS)) });
    } catch (error) {
      throw new EmbedderError(`Workers AI refused the embedding request (${String(error)})`);
    }
    const data = (out as { data?: unknown } | null)?.data;
    return checkShape(Array.isArray(data) ? data.map((row) => Float32Array.from(Array.isArray(row) ? (row as number[]) : [])) : [], texts.length);
  }
}

/** Embeds in bounded batches. */
export async function embedAll(embedder: TextEmbedder, texts: readonly string[]): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += EMBED_BATCH) out.push(...(await embedder.embed(texts.slice(i, i + EMBED_BATCH))));
  return out;
}

/**
 * The configured embedder, or null (keyword search only). EMBEDDINGS_PROVIDER picks one explicitly;
 * unset: the OpenAI-compatible endpoint when EMBEDDINGS_BASE_URL is set, else Workers AI when bound.
 */
export function selectEmbedder(env: Env): TextEmbedder | null {
  const choice = env.EMBEDDINGS_PROVIDER?.trim() || (env.EMBEDDINGS_BASE_URL ? 'openai' : env.AI ? 'workers-ai' : 'none');
  if (choice === 'openai' && env.EMBEDDINGS_BASE_URL) {
    return new OpenAiCompatibleEmbedder(env.EMBEDDINGS_BASE_URL, env.EMBEDDINGS_API_KEY || env.OPENAI_API_KEY || undefined, env.EMBEDDINGS_MODEL || 'text-embedding-3-small');
  }
  if (choice === 'workers-ai' && env.AI) return new WorkersAiEmbedder(env.AI as unknown as AiRunner, env.WORKERS_AI_EMBEDDING_MODEL || DEFAULT_WORKERS_AI_EMBEDDING_MODEL);
  return null;
}
