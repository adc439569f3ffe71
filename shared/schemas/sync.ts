import { z } from 'zod';
import { Highlight, Page, Search, Visit } from './records';
import { Conversation, Feedback } from './assistant';
import { Review, SyntheticPair } from './curation';
import { PriceObservation, ProductRecord } from './products';
import { ImageRecord } from './images';
import { HLC_PATTERN } from '../sync/hlc';
import { boundedJson, maxJsonBytes, type JsonLimits } from './bounded-json';

/**
 * The sync protocol between a device and the worker (`POST /v1/sync/push`, `GET /v1/sync/pull`).
 *
 * Model: state-based, per-field last-writer-wins by hybrid logical clock (shared/sync/hlc.ts), applied
 * by the pure function in shared/sync/merge.ts (the worker uses it; a client may use it too to fold a
 * pulled record into a local one that has unpushed edits).
 *
 * - Every change names a record by (kind, key): `id` for visits, searches and highlights, the normalised
 *   `url` for pages, the setting's `key` for settings. Keys are generated on the device, so a record
 *   made offline keeps its identity everywhere.
 * - Every change carries the HLC the device stamped when it made the edit. A put carries the whole
 *   record (validated with the same schema the extension uses) plus, optionally, `fields`: the fields
 *   this edit actually changed. Only those fields compete, each against the HLC of the field's current
 *   value, so device A changing a highlight's colour and device B its note both survive. Without
 *   `fields` every field competes (record-level LWW).
 * - A delete sets the record's delete clock: the record is hidden while the delete is newer than every
 *   field, and comes back (each field at its newest value) as soon as an edit newer than the delete
 *   arrives, in whatever order. The merge is a state-based CRDT (shared/sync/merge.ts).
 * - A highlight's `note` is not plain LWW: losing someone's words is worse than a duplicate line. A
 *   highlight put that changes `note` says which note versions it started from (`noteBase`,
 *   `noteBases`); versions not written over by a later edit are all kept and the visible note holds
 *   their texts (see NoteRegister and mergeNoteText in shared/sync/merge.ts).
 * - Every record kind is bounded (fields, counts, and MAX_RECORD_BYTES of JSON) so whatever a schema
 *   accepts fits the worker's row; a setting's value is bounded JSON (bounded-json.ts).
 *
 * Guarantees of push: a batch is bounded (MAX_PUSH_CHANGES changes, MAX_PUSH_BYTES bytes), validated
 * whole before anything is applied (one bad change → 400, nothing applied), applied in one storage
 * transaction (all or nothing), idempotent (the same `pushId` returns the first answer; and re-applying
 * any change is a no-op by construction), and order-independent (the result depends on HLCs, not
 * arrival order).
 *
 * Pull returns the *current state* of every record changed after a cursor (deduplicated: a record
 * edited 50 times appears once), oldest change first, in pages. The cursor is opaque and only means
 * something to the account it came from.
 */

export const MAX_PUSH_CHANGES = 500;
/** Whole push body, vectors included. */
export const MAX_PUSH_BYTES = 8 * 1024 * 1024;
export const MAX_PULL_LIMIT = 1000;
export const DEFAULT_PULL_LIMIT = 500;

export const HlcString = z.string().regex(HLC_PATTERN, 'an HLC like 001764072000000-00000-device1');
export type HlcString = z.infer<typeof HlcString>;

export const RECORD_KINDS = ['visit', 'page', 'search', 'highlight', 'setting', 'conversation', 'feedback', 'review', 'product', 'price-observation', 'image', 'synthetic'] as const;
export const RecordKind = z.enum(RECORD_KINDS);
export type RecordKind = z.infer<typeof RecordKind>;

/**
 * Most UTF-8 bytes of one record's JSON. The worker stores a record's merged state in one SQLite row
 * (about 2 MiB at most, SQLITE_TOOBIG past it) next to its field clocks, so a record must stay well
 * under that; every kind's schema below carries this check, and the extension refuses to create a
 * record past it (the same schemas validate its writes).
 */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** A setting's value: any JSON, within these bounds (no unbounded z.json(): a value nested thousands of
 * levels deep overflowed the parser's stack). */
export const SETTING_VALUE_LIMITS: JsonLimits = { depth: 16, stringChars: 16_384, items: 2_000, bytes: 256 * 1024 };

/** The Dexie `settings` table row (extension/db/database.ts SettingRow): one entry per setting key. */
export const SettingEntry = z.object({
  key: z.string().min(1).max(128),
  value: boundedJson(SETTING_VALUE_LIMITS),
  updatedAt: z.number().int().nonnegative(),
});
export type SettingEntry = z.infer<typeof SettingEntry>;

/** A record schema that also refuses a record too big for the worker's row (MAX_RECORD_BYTES). */
function fitsRow<T extends z.ZodObject>(schema: T, kind: string): T {
  return schema.superRefine(maxJsonBytes(MAX_RECORD_BYTES, `this ${kind}`)) as T;
}

/** Record schema per kind: what a put's `data` must be. */
export const RECORD_SCHEMAS = {
  visit: fitsRow(Visit, 'visit'),
  page: fitsRow(Page, 'page'),
  search: fitsRow(Search, 'search'),
  highlight: fitsRow(Highlight, 'highlight'),
  setting: fitsRow(SettingEntry, 'setting'),
  conversation: fitsRow(Conversation, 'conversation'),
  feedback: fitsRow(Feedback, 'feedback'),
  review: fitsRow(Review, 'review'),
  product: fitsRow(ProductRecord, 'product'),
  'price-observation': fitsRow(PriceObservation, 'price-observation'),
  image: fitsRow(ImageRecord, 'image'),
  synthetic: fitsRow(SyntheticPair, 'synthetic'),
} as const;

export type RecordOf<K extends RecordKind> = z.infer<(typeof RECORD_SCHEMAS)[K]>;
export type AnyRecord = RecordOf<RecordKind>;

/** The extension's Dexie table (extension/db/database.ts RECORD_TABLES) each kind lives in. */
export const TABLE_OF_KIND = {
  visit: 'visits',
  page: 'pages',
  search: 'searches',
  highlight: 'highlights',
  setting: 'settings',
  conversation: 'conversations',
  feedback: 'feedback',
  review: 'reviews',
  product: 'products',
  'price-observation': 'priceObservations',
  image: 'images',
  synthetic: 'syntheticPairs',
} as const;
export const KIND_OF_TABLE = {
  visits: 'visit',
  pages: 'page',
  searches: 'search',
  highlights: 'highlight',
  settings: 'setting',
  conversations: 'conversation',
  feedback: 'feedback',
  reviews: 'review',
  products: 'product',
  priceObservations: 'price-observation',
  images: 'image',
  syntheticPairs: 'synthetic',
} as const;

/** The field of each kind's record that is its sync key. */
export const KEY_FIELD = { visit: 'id', page: 'url', search: 'id', highlight: 'id', setting: 'key', conversation: 'id', feedback: 'id', review: 'id', product: 'id', 'price-observation': 'id', image: 'id', synthetic: 'id' } as const;

export const RecordKey = z.string().min(1).max(8192);

export function recordKeyOf(kind: RecordKind, data: Record<string, unknown>): string {
  const key = data[KEY_FIELD[kind]];
  return typeof key === 'string' ? key : '';
}

// --- Vectors -------------------------------------------------------------------------------------

/**
 * Embeddings travel with the record they were computed from, so a record synced to another device is
 * searchable by meaning there without re-embedding. One vector per chunk of the record's text.
 * `f32`: base64 of little-endian float32 values. `i8`: base64 of int8 values, value ≈ q × scale (the
 * per-vector symmetric quantisation of extension/ai/quantize.ts).
 */
export const EncodedVector = z.discriminatedUnion('encoding', [
  z.object({ encoding: z.literal('f32'), data: z.base64().max(4 * 4096 * 2) }),
  z.object({ encoding: z.literal('i8'), scale: z.number().nonnegative().finite(), data: z.base64().max(4096 * 2) }),
]);
export type EncodedVector = z.infer<typeof EncodedVector>;

export const VectorSet = z.object({
  /** The embedding model's name; vectors of different models are never compared. */
  model: z.string().min(1).max(128),
  dims: z.number().int().min(1).max(4096),
  chunks: z.array(EncodedVector).min(1).max(64),
});
export type VectorSet = z.infer<typeof VectorSet>;

// --- Changes (push) ------------------------------------------------------------------------------

const ChangeHead = {
  key: RecordKey,
  hlc: HlcString,
};

/** Field names a put says it changed; checked against the kind's schema. */
const Fields = z.array(z.string().min(1).max(64)).min(1).max(32).optional();

function putOf<K extends RecordKind>(kind: K) {
  return z.object({
    op: z.literal('put'),
    kind: z.literal(kind),
    ...ChangeHead,
    data: RECORD_SCHEMAS[kind],
    fields: Fields,
    vectors: VectorSet.optional(),
  });
}

export const HighlightPut = putOf('highlight').extend({
  /**
   * The HLC of the note this edit started from: the `fieldHlcs.note` of the highlight as last pulled,
   * or the `hlc` of this device's own previous put that changed the note. null when the device never
   * had a note version for this highlight (a new highlight). Only consulted when the note changed.
   */
  noteBase: HlcString.nullable().default(null),
  /**
   * Every note version the edit was written on top of, when the pulled note kept several concurrent
   * versions (`ServerRecord.noteHeads`). Each one named here is written over by this edit.
   */
  noteBases: z.array(HlcString).max(64).optional(),
});

export const PutChange = z.discriminatedUnion('kind', [
  putOf('visit'),
  putOf('page'),
  putOf('search'),
  HighlightPut,
  putOf('setting'),
  putOf('conversation'),
  putOf('feedback'),
  putOf('review'),
  putOf('product'),
  putOf('price-observation'),
  putOf('image'),
  putOf('synthetic'),
]);
export type PutChange = z.infer<typeof PutChange>;

export const DeleteChange = z.object({
  op: z.literal('delete'),
  kind: RecordKind,
  ...ChangeHead,
});
export type DeleteChange = z.infer<typeof DeleteChange>;

export const Change = z
  .union([PutChange, DeleteChange])
  .superRefine((change, ctx) => {
    if (change.op !== 'put') return;
    if (recordKeyOf(change.kind, change.data as Record<string, unknown>) !== change.key) {
      ctx.addIssue({ code: 'custom', path: ['key'], message: `key must equal data.${KEY_FIELD[change.kind]}` });
    }
    const shape = RECORD_SCHEMAS[change.kind].shape as Record<string, unknown>;
    for (const field of change.fields ?? []) {
      if (!(field in shape)) ctx.addIssue({ code: 'custom', path: ['fields'], message: `${change.kind} has no field ${field}` });
      if (field === KEY_FIELD[change.kind]) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'the key field never changes' });
    }
  });
export type Change = z.infer<typeof Change>;

export const PushRequest = z.object({
  /** Client-generated id of this batch; resending the same batch (e.g. after a lost response) with the
   * same id returns the first answer and applies nothing twice. */
  pushId: z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/),
  changes: z.array(Change).min(1).max(MAX_PUSH_CHANGES),
});
export type PushRequest = z.infer<typeof PushRequest>;
/** What a client builds (defaults such as `noteBase` or a highlight's `note` may be left out). Keep the
 * serialised body under MAX_PUSH_BYTES too: 500 full pages can exceed it, so size batches by bytes. */
export type PushRequestInput = z.input<typeof PushRequest>;
export type ChangeInput = z.input<typeof Change>;

/** What happened to each change, in request order. `merged`: a concurrent note edit kept both texts. */
export const ChangeOutcome = z.enum(['applied', 'merged', 'stale']);
export type ChangeOutcome = z.infer<typeof ChangeOutcome>;

export const PushResponse = z.object({
  pushId: z.string(),
  /** True when this pushId had already been applied (the stored first answer is returned). */
  duplicate: z.boolean(),
  outcomes: z.array(ChangeOutcome),
  /** The account's cursor after this push; a client that pulls from its previous cursor still sees its
   * own changes echoed back (with any merge applied), which is how it learns merged note text. */
  cursor: z.string(),
  /** The server's clock: devices fold it into theirs (HlcClock.receive). */
  serverHlc: HlcString,
});
export type PushResponse = z.infer<typeof PushResponse>;

// --- Pull ----------------------------------------------------------------------------------------

/** Opaque to clients; '' is the beginning. */
export const Cursor = z.string().max(32).regex(/^(c\d{1,15})?$/, 'not a cursor from this server');

export const PullQuery = z.object({
  cursor: Cursor.default(''),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(DEFAULT_PULL_LIMIT),
  /** '1' to include each record's vectors (bigger pages; a device that re-embeds can leave it off). */
  vectors: z.enum(['0', '1']).default('0'),
});
export type PullQuery = z.infer<typeof PullQuery>;

/** A record's current state on the server. `data` is null for a tombstone. */
export const ServerRecord = z.object({
  kind: RecordKind,
  key: RecordKey,
  /** The newest HLC of any field or the tombstone. */
  hlc: HlcString,
  deleted: z.boolean(),
  data: z.record(z.string().max(64), z.unknown()).nullable(),
  /** HLC of each field's current value: a client sends `fieldHlcs.note` back as `noteBase`. */
  fieldHlcs: z.record(z.string().max(64), HlcString).refine((hlcs) => Object.keys(hlcs).length <= 64, 'at most 64 fields'),
  vectors: VectorSet.optional(),
  /** Highlights whose note keeps concurrent versions: the HLC of each (the visible note holds all their
   * texts). An edit of that note sends them back as `noteBases`. */
  noteHeads: z.array(HlcString).max(64).optional(),
});
export type ServerRecord = z.infer<typeof ServerRecord>;

export const PullResponse = z.object({
  records: z.array(ServerRecord).max(MAX_PULL_LIMIT),
  cursor: z.string(),
  /** More records changed after `cursor`: pull again right away. */
  hasMore: z.boolean(),
  serverHlc: HlcString,
});
export type PullResponse = z.infer<typeof PullResponse>;

/** Parses a pulled record's data with its kind's schema (clients should, before writing it locally). */
export function parseRecordData<K extends RecordKind>(kind: K, data: unknown): RecordOf<K> {
  return RECORD_SCHEMAS[kind].parse(data) as RecordOf<K>;
}
