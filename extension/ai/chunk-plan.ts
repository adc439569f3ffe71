import type { CalicoDb, ChunkHashRow, ChunkSourceKind } from '@/db/database';

/**
 * Decides, chunk by chunk, what the embedder must really do for a source:
 * - **reuse** a vector already made by the same model for the same text (a recaptured page whose text
 *   changed in one paragraph, a quote saved as a highlight, an article saved under two URLs);
 * - **skip** a page chunk whose text already sits on `BOILERPLATE_PAGES` other pages of the same site:
 *   navigation, cookie banners, sign-up boxes and footers repeat across a site's pages and only crowd
 *   out real passages in a search by meaning. A page keeps at least its first chunk, so no page vanishes
 *   from the vector side;
 * - **embed** the rest.
 * Works from the `chunkHashes` table (one row per chunk passed, embedded or skipped), so no chunk text
 * is compared: only SHA-256 prefixes of the text as the model reads it.
 */

/** Other pages of one site holding the same chunk text before it counts as boilerplate. */
export const BOILERPLATE_PAGES = 3;

export type ChunkAction =
  | { kind: 'embed' }
  | { kind: 'reuse'; vector: Int8Array; scale: number }
  | { kind: 'skip' };

export async function textHash(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text.replace(/\s+/g, ' ').trim()));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export interface PlanInput {
  sourceKind: ChunkSourceKind;
  sourceKey: string;
  site: string;
  model: string;
  hashes: readonly string[];
}

export async function planChunks(db: CalicoDb, input: PlanInput): Promise<ChunkAction[]> {
  const actions: ChunkAction[] = [];
  for (const [i, hash] of input.hashes.entries()) {
    if (input.sourceKind === 'page' && i > 0 && input.site && (await otherPagesWith(db, input.site, hash, input.sourceKey)) >= BOILERPLATE_PAGES) {
      actions.push({ kind: 'skip' });
      continue;
    }
    const reused = await vectorFor(db, hash, input.model);
    actions.push(reused ? { kind: 'reuse', ...reused } : { kind: 'embed' });
  }
  return actions;
}

async function otherPagesWith(db: CalicoDb, site: string, hash: string, sourceKey: string): Promise<number> {
  const rows = await db.chunkHashes.where('[site+hash]').equals([site, hash]).toArray();
  return new Set(rows.filter((r) => r.sourceKey !== sourceKey && r.sourceKey.startsWith('page:')).map((r) => r.sourceKey)).size;
}

/** A stored vector of this text by this model (any source), if one exists. */
async function vectorFor(db: CalicoDb, hash: string, model: string): Promise<{ vector: Int8Array; scale: number } | undefined> {
  const rows: ChunkHashRow[] = await db.chunkHashes.where('hash').equals(hash).limit(8).toArray();
  const chunks = await db.chunks.bulkGet(rows.filter((r) => !r.boilerplate).map((r) => r.id));
  const found = chunks.find((c) => c && c.model === model);
  return found ? { vector: found.vector, scale: found.scale } : undefined;
}
