import type { Env } from '../env';
import { embedAll, selectEmbedder } from './embedder';
import { FLOOR_PROBES } from './catalog-search';
import type { MerchantStore, VectorState } from './merchant-store';

/**
 * Between the configured embedder and a store's Durable Object: after a sync, embeds what changed
 * and recalibrates the store's floor; at ask time, embeds the shopper's question. The object itself
 * never calls out: it stores and searches what it is given, so its isolation stays physical.
 */

type StoreStub = DurableObjectStub<MerchantStore>;

/** Texts embedded per sync at most; the rest wait for the next (scheduled) sync. */
const MAX_EMBED_PER_SYNC = 2048;

export interface SearchStatus extends VectorState {
  mode: 'keyword' | 'keyword+vector';
  /** Why search is keyword only, or what went wrong embedding. */
  note: string | null;
  /** Catalogue texts embedded by this sync (unchanged ones keep their vectors). */
  embedded?: number;
}

function log(msg: string, error: unknown) {
  console.log(JSON.stringify({ level: 'warn', msg, error: String(error).slice(0, 300) }));
}

export async function indexVectors(env: Env, object: StoreStub): Promise<SearchStatus> {
  const embedder = selectEmbedder(env);
  if (!embedder) return { ...(await object.vectorState(null)), mode: 'keyword', note: 'no embedding model configured: keyword search only' };
  let note: string | null = null;
  let done = 0;
  try {
    while (done < MAX_EMBED_PER_SYNC) {
      const work = await object.vectorWork(embedder.model, 256);
      if (!work.length) break;
      const vectors = await embedAll(embedder, work.map((w) => w.text));
      await object.putVectors(embedder.model, work.map((w, i) => ({ key: w.key, values: vectors[i]! })));
      done += work.length;
      if (work.length < 256) break;
    }
    await object.calibrate(embedder.model, await embedAll(embedder, FLOOR_PROBES));
  } catch (error) {
    log('merchant vectors failed', error);
    note = `embedding failed, keyword search meanwhile: ${String(error).slice(0, 200)}`;
  }
  const state = await object.vectorState(embedder.model);
  return { ...state, mode: state.floor !== null ? 'keyword+vector' : 'keyword', note, embedded: done };
}

export async function searchMode(env: Env, object: StoreStub): Promise<SearchStatus> {
  const embedder = selectEmbedder(env);
  const state = await object.vectorState(embedder?.model ?? null);
  if (!embedder) return { ...state, mode: 'keyword', note: 'no embedding model configured: keyword search only' };
  return { ...state, mode: state.floor !== null ? 'keyword+vector' : 'keyword', note: state.floor !== null ? null : 'the catalogue has no vectors yet: re-sync the store' };
}

/** The question's vector, or null (keyword only) when no embedder is configured or it fails. */
export async function questionVector(env: Env, question: string): Promise<{ model: string; vector: Float32Array } | null> {
  const embedder = selectEmbedder(env);
  if (!embedder) return null;
  try {
    const [vector] = await embedder.embed([question]);
    return vector ? { model: embedder.model, vector } : null;
  } catch (error) {
    log('merchant question embedding failed', error);
    return null;
  }
}
