import { Highlight, Page, Search, Visit } from '@shared/schemas/records';
import type { z } from 'zod';
import { computeSignals } from '@shared/signals/content-signals';
import { getDb, type CalicoDb, type RecordTable } from '@/db/database';
import { putRecords } from '@/db/change-log';
import type { ParsedImport, Skipped } from './types';

export interface ImportSummary {
  highlights: number;
  pages: number;
  visits: number;
  searches: number;
  /** Records whose key was already in the database (a re-import): left as they are. */
  alreadyPresent: number;
  skipped: Skipped[];
}

const BATCH = 500;

/**
 * Writes parsed records through the change log, so imports are indexed and synced like everything else.
 * Every row is validated again here (the parsers are not trusted to be right). Rows whose key already
 * exists are left alone: a re-import adds nothing, and an imported page never replaces the text of a page
 * the user captured by visiting it.
 */
export async function importRecords(parsed: ParsedImport, db: CalicoDb = getDb()): Promise<ImportSummary> {
  const summary: ImportSummary = { highlights: 0, pages: 0, visits: 0, searches: 0, alreadyPresent: 0, skipped: [...parsed.skipped] };

  async function write<T extends Record<string, unknown>>(table: RecordTable, schema: z.ZodType<T>, list: readonly unknown[], key: (r: T) => string): Promise<number> {
    const valid: T[] = [];
    for (const raw of list) {
      const r = schema.safeParse(raw);
      if (r.success) valid.push(r.data);
      else summary.skipped.push({ item: table, reason: 'invalid record: ' + r.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    }
    // Duplicates inside one file: the last one wins, counted once.
    const byKey = new Map(valid.map((r) => [key(r), r]));
    const keys = [...byKey.keys()];
    let added = 0;
    for (let i = 0; i < keys.length; i += BATCH) {
      const batch = keys.slice(i, i + BATCH);
      const existing = await db.table(table).bulkGet(batch);
      const fresh = batch.filter((_, j) => !existing[j]).map((k) => byKey.get(k)!);
      summary.alreadyPresent += batch.length - fresh.length;
      await putRecords(table, fresh, db);
      added += fresh.length;
    }
    return added;
  }

  // Every imported page gets its content signals (no document here, so text measures only), unless
  // it brought them (our own export).
  const pages = parsed.pages.map((p) => (p.signals ? p : { ...p, signals: computeSignals({ text: p.text, title: p.title, declaredLang: p.lang }) }));
  summary.pages = await write('pages', Page, pages, (p) => p.url);
  summary.highlights = await write('highlights', Highlight, parsed.highlights, (h) => h.id);
  summary.visits = await write('visits', Visit, parsed.visits ?? [], (v) => v.id);
  summary.searches = await write('searches', Search, parsed.searches ?? [], (s) => s.id);
  return summary;
}
