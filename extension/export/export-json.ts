import { z } from 'zod';
import { Highlight, Page, Search, Visit } from '@shared/schemas/records';
import { Conversation, Feedback } from '@shared/schemas/assistant';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';

/** Everything the user has, as one versioned JSON document (their data, readable without us). */

export const EXPORT_FORMAT = 'calicolobster-export';
export const EXPORT_SCHEMA_VERSION = 1;

const SettingRow = z.object({ key: z.string().min(1), value: z.unknown(), updatedAt: z.number() });

export const ExportFile = z.object({
  format: z.literal(EXPORT_FORMAT),
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  exportedAt: z.number().int().nonnegative(),
  visits: z.array(Visit),
  pages: z.array(Page),
  searches: z.array(Search),
  highlights: z.array(Highlight),
  settings: z.array(SettingRow),
  /** Added after version 1 shipped: optional, so older exports still import. */
  conversations: z.array(Conversation).default([]),
  feedback: z.array(Feedback).default([]),
});
export type ExportFile = z.infer<typeof ExportFile>;

export async function exportAll(db: CalicoDb = getDb()): Promise<ExportFile> {
  return db.transaction('r', [db.visits, db.pages, db.searches, db.highlights, db.settings, db.conversations, db.feedback], async () => ({
    format: EXPORT_FORMAT,
    schemaVersion: EXPORT_SCHEMA_VERSION,
    exportedAt: Date.now(),
    visits: await db.visits.toArray(),
    pages: await db.pages.toArray(),
    searches: await db.searches.toArray(),
    highlights: await db.highlights.toArray(),
    settings: (await db.settings.toArray()) as z.infer<typeof SettingRow>[],
    conversations: await db.conversations.toArray(),
    feedback: await db.feedback.toArray(),
  }));
}

export function exportToJson(file: ExportFile): string {
  return JSON.stringify(file, null, 2);
}

/** Parses and validates an export; throws a ZodError naming what is wrong. */
export function parseExport(json: string): ExportFile {
  return ExportFile.parse(JSON.parse(json));
}

/** Writes an export back (through the change log, so indexes and sync see it). Rows with the same key
 * are replaced. */
export async function importAll(file: ExportFile, db: CalicoDb = getDb()): Promise<number> {
  let count = 0;
  for (const table of ['visits', 'pages', 'searches', 'highlights', 'settings', 'conversations', 'feedback'] as const) {
    const rows = file[table] as Record<string, unknown>[];
    for (let i = 0; i < rows.length; i += 500) {
      await putRecords(table, rows.slice(i, i + 500), db);
    }
    count += rows.length;
  }
  return count;
}
