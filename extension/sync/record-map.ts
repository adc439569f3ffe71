import { KEY_FIELD, KIND_OF_TABLE, RECORD_SCHEMAS, TABLE_OF_KIND, type RecordKind } from '@shared/schemas/sync';
import type { RecordTable } from '@/db/database';

/** Local tables ↔ the protocol's record kinds: the one map lives in shared/schemas/sync.ts. */
export const TABLE_KIND: Record<RecordTable, RecordKind> = KIND_OF_TABLE;
export const KIND_TABLE: Record<RecordKind, RecordTable> = TABLE_OF_KIND;

export type Data = Record<string, unknown>;

/** Structural equality of JSON-like values; key order doesn't matter (a row read back from IndexedDB
 * and the same record parsed by zod may list their keys differently). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => sameValue(v, bb[i]));
  }
  const ao = a as Data;
  const bo = b as Data;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const key of keys) if (!sameValue(ao[key], bo[key])) return false;
  return true;
}

/** The schema fields of `kind` whose values differ between `base` and `next` — what a put says it
 * changed, so only those compete on the server (the key field never changes). */
export function changedFields(kind: RecordKind, base: Data, next: Data): string[] {
  const shape = RECORD_SCHEMAS[kind].shape as Record<string, unknown>;
  return Object.keys(shape).filter((field) => field !== KEY_FIELD[kind] && !sameValue(base[field], next[field]));
}

/** Validates a local row as its kind's record (zod fills defaults); null when it isn't one. */
export function parseLocal(kind: RecordKind, row: unknown): Data | null {
  const parsed = RECORD_SCHEMAS[kind].safeParse(row);
  return parsed.success ? (parsed.data as Data) : null;
}
