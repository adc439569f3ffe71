import { z } from 'zod';
import { Highlight, Page, Search, Visit } from '@shared/schemas/records';
import { EXPORT_FORMAT } from '@/export/export-json';
import { label } from './build-records';
import type { ParsedImport, Skipped } from './types';

/**
 * Our own JSON export (extension/export/export-json.ts), read row by row: one bad row is reported and
 * skipped instead of failing the whole file. Ids are kept, so export → import gives the same records.
 * Settings are not imported here (they belong to the device that exported them).
 */
const Envelope = z.object({ format: z.literal(EXPORT_FORMAT), schemaVersion: z.number().int() });

function rows<T>(data: Record<string, unknown>, key: string, schema: z.ZodType<T>, name: (row: Record<string, unknown>) => string, skipped: Skipped[]): T[] {
  const list = Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
  const out: T[] = [];
  list.forEach((raw, i) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
    else {
      const row = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
      skipped.push({ item: `${key} ${i + 1}: ${name(row)}`, reason: 'invalid record: ' + parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ') });
    }
  });
  return out;
}

export function parseCalicoLobster(text: string): ParsedImport {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    throw new Error(`Not a CalicoLobster export: the file is not JSON (${(error as Error).message}).`);
  }
  const env = Envelope.safeParse(data);
  if (!env.success) throw new Error(`Not a CalicoLobster export: expected "format": "${EXPORT_FORMAT}".`);
  if (env.data.schemaVersion > 1) throw new Error(`This export is from a newer CalicoLobster (schema ${env.data.schemaVersion}); update the extension first.`);
  const o = data as Record<string, unknown>;
  const skipped: Skipped[] = [];
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    highlights: rows(o, 'highlights', Highlight, (r) => label(str(r.text), str(r.id)), skipped),
    pages: rows(o, 'pages', Page, (r) => str(r.url), skipped),
    visits: rows(o, 'visits', Visit, (r) => str(r.url), skipped),
    searches: rows(o, 'searches', Search, (r) => str(r.query), skipped),
    skipped,
  };
}
