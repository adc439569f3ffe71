// Entry bundled by bench/cold-start/cold-start.ts (esbuild) and evaluated in an extension page of the
// built extension (same origin as its IndexedDB): writes a memory of N chunks the way the product stores
// one — pages through the change log (extension/db/change-log.ts putRecords, the capture path's write),
// and each page's embedded chunks in `chunks` / `embeddedSources` as the indexing queue commits them.
import { getDb, type ChunkRow, type EmbeddedSourceRow } from '@/db/database';
import { putRecords } from '@/db/change-log';
import { EMBEDDER_CURSOR, sourceKey, sourceText } from '@/ai/indexing-queue';
import type { Page } from '@shared/schemas/records';
import { syntheticCorpus } from '../latency';
import { seededRandom } from '../../extension/test-support/seeded-random';

export interface SeedOptions {
  chunks: number;
  chunksPerPage: number;
  /** The bundled embedder's id and width (read in Node from extension/ai/embedder.ts). */
  model: string;
  dims: number;
  queries: number;
}

async function hashOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

interface Prepared {
  o: SeedOptions;
  texts: string[];
  rand: () => number;
  pages: number;
  started: number;
}
let prepared: Prepared | undefined;

/** Step 1: the corpus (the latency bench's generator) and the embedder's cursor, set before any write
 * so the offscreen document's queue never starts embedding what is already "embedded" here. Returns
 * the page count and the queries to type. */
async function prepareMemory(o: SeedOptions): Promise<{ pages: number; queries: string[] }> {
  const started = performance.now();
  await getDb().cursors.put({ name: EMBEDDER_CURSOR, seq: Number.MAX_SAFE_INTEGER });
  const { texts, queries } = syntheticCorpus(o.chunks, 11);
  prepared = { o, texts, rand: seededRandom(23), pages: Math.ceil(o.chunks / o.chunksPerPage), started };
  return { pages: prepared.pages, queries: queries(o.queries) };
}

/** Step 2 (called for successive ranges, each short enough for one DevTools call): pages [from, to). */
async function seedPages(from: number, to: number): Promise<void> {
  const { o, texts, rand, pages } = prepared!;
  const db = getDb();
  const start = Date.UTC(2024, 0, 1);
  const BATCH = 250;
  for (let first = from; first < Math.min(to, pages); first += BATCH) {
    const rows: Page[] = [];
    const chunkRows: ChunkRow[] = [];
    const sources: EmbeddedSourceRow[] = [];
    for (let p = first; p < Math.min(pages, to, first + BATCH); p++) {
      const parts = texts.slice(p * o.chunksPerPage, (p + 1) * o.chunksPerPage);
      const at = start + p * 3_600_000;
      const title = parts[0]!.split(' ').slice(0, 6).join(' ');
      const text = parts.join('\n\n');
      const site = `site${p % 400}.example`;
      const page: Page = {
        url: `https://${site}/articles/${p}`,
        site,
        title,
        text,
        excerpt: parts[0]!.slice(0, 200),
        byline: '',
        siteName: '',
        lang: 'en',
        wordCount: text.split(' ').length,
        truncated: false,
        capturedAt: at,
        updatedAt: at,
      };
      rows.push(page);
      const key = sourceKey('page', page.url);
      parts.forEach((chunk, ordinal) => {
        const vector = new Int8Array(o.dims);
        for (let i = 0; i < o.dims; i++) vector[i] = Math.round((rand() * 2 - 1) * 127);
        chunkRows.push({ id: `${key}#${ordinal}`, sourceKind: 'page' as const, sourceId: page.url, model: o.model, ordinal, text: chunk, vector, scale: 1 / 127 / Math.sqrt(o.dims / 3), url: page.url, site, title, at });
      });
      sources.push({ key, sourceKind: 'page' as const, sourceId: page.url, model: o.model, hash: await hashOf(`${o.model}\n${title}\n${at}\n${sourceText('page', page)}`), chunkCount: parts.length, embeddedAt: at });
    }
    await putRecords('pages', rows, db);
    await db.transaction('rw', db.chunks, db.embeddedSources, async () => {
      await db.chunks.bulkPut(chunkRows);
      await db.embeddedSources.bulkPut(sources);
    });
  }
}

/** Step 3: the embedder's cursor at the log's head (everything written is embedded); what was written. */
async function finishMemory(): Promise<{ pages: number; chunks: number; seedMs: number }> {
  const db = getDb();
  const last = await db.changes.orderBy('seq').last();
  await db.cursors.put({ name: EMBEDDER_CURSOR, seq: last?.seq ?? 0 });
  return { pages: await db.pages.count(), chunks: await db.chunks.count(), seedMs: performance.now() - prepared!.started };
}

Object.assign(globalThis, { prepareMemory, seedPages, finishMemory });
