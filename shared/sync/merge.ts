import type { Change, ChangeOutcome, DeleteChange, PutChange, RecordKind, ServerRecord } from '../schemas/sync';
import { compareHlc, HLC_ZERO, maxHlc, parseHlc } from './hlc';

/**
 * The conflict rules of sync as one pure function: (stored state, incoming change) → new state.
 * The worker applies every pushed change through it; the extension's in-memory test double does too.
 *
 * It is a state-based CRDT: every change is folded in as a join, so the state after any set of changes
 * is the same whatever order they arrive in and however often each one arrives (commutative,
 * associative, idempotent — proved by the property test in merge.property.test.ts). The state:
 *
 * - **One LWW register per field**: (value, HLC). A put's listed `fields` compete with the put's HLC;
 *   the other fields of its full copy compete with HLC_ZERO (they are what the device happened to
 *   hold, not an edit), so they fill a field nobody has stamped and lose to any real edit. Equal HLCs
 *   with different values (two zero-stamped copies) are ordered by the value's canonical JSON.
 * - **A delete clock** (`deletedHlc`, the greatest delete HLC seen). The record is visible while any
 *   field's HLC is newer than it; a delete newer than every field hides it. The field registers are
 *   kept while hidden (in `ghost`), so an edit concurrent with a delete brings back the same record
 *   in every order, with each field at its newest value — never a stale full copy.
 * - **The note of a highlight** is a multi-value register (NoteRegister): every note version not yet
 *   written over survives, and the visible note keeps all their texts (mergeNoteText, folded in HLC
 *   order). A version is written over when a later put names it in `noteBase`/`noteBases` (the note
 *   versions the device saw when it edited) or when the same device wrote a newer version (a device's
 *   own edits are sequential).
 * - **Vectors**: the HLC of the newest put with vectors that is newer than the delete clock.
 */

export interface NoteVersion {
  text: string;
  hlc: string;
}

export interface NoteRegister {
  /** Versions not written over, sorted by HLC; at most one per device (its latest). */
  heads: NoteVersion[];
  /** Versions a later edit named as its base; only each device's latest is kept (older ones are
   * written over by `latest` anyway), so this stays one entry per device at most. */
  buried: string[];
  /** The newest note HLC seen from each device (node id → HLC). */
  latest: Record<string, string>;
}

export interface RecordState {
  kind: RecordKind;
  key: string;
  /** The visible record; null while deleted (or before any put). */
  data: Record<string, unknown> | null;
  /** The field values kept while the record is deleted (see the module comment). */
  ghost?: Record<string, unknown>;
  /** HLC of each field's current value. */
  fieldHlcs: Record<string, string>;
  deletedHlc: string | null;
  /** Highlights: the note's versions. */
  note?: NoteRegister;
  /** HLC of the put whose vectors are stored, null when none are. */
  vectorsHlc: string | null;
  /** Newest HLC in this state. */
  hlc: string;
}

/** Most note heads a pull lists (one per device that edited the note concurrently). */
export const MAX_NOTE_HEADS = 64;

/** What a pull sends of a stored state (vectors, when asked for, are added by the store). */
export function serverRecordOf(state: RecordState): ServerRecord {
  const deleted = state.data === null;
  const record: ServerRecord = { kind: state.kind, key: state.key, hlc: state.hlc, deleted, data: state.data, fieldHlcs: deleted ? {} : state.fieldHlcs };
  const heads = state.note?.heads.filter((h) => h.hlc !== HLC_ZERO).map((h) => h.hlc) ?? [];
  if (!deleted && heads.length > 1) record.noteHeads = heads.slice(-MAX_NOTE_HEADS);
  return record;
}

export type VectorAction = 'keep' | 'replace' | 'drop';

export interface ApplyResult {
  state: RecordState;
  /** 'stale': what a pull publishes didn't change; 'merged': the note now keeps concurrent texts. */
  outcome: ChangeOutcome;
  /** What the caller must do with its stored vectors of this record. */
  vectors: VectorAction;
  /** False when the state is exactly what it was (nothing to store, no cursor bump). */
  changed: boolean;
}

const NOTE = 'note';

export function applyChange(state: RecordState | undefined, change: Change): ApplyResult {
  const before = state ? upgradeState(state) : undefined;
  const next = change.op === 'delete' ? joinDelete(before, change) : joinPut(before, change);
  let vectors: VectorAction = 'keep';
  if (change.op === 'put' && change.vectors && next.vectorsHlc === change.hlc && before?.vectorsHlc !== change.hlc) vectors = 'replace';
  else if (before?.vectorsHlc && next.vectorsHlc === null) vectors = 'drop';
  const changed = JSON.stringify(next) !== JSON.stringify(state ?? null);
  const published = (s: RecordState | undefined) => (s ? JSON.stringify(canonical(serverRecordOf(s))) : '');
  let outcome: ChangeOutcome = 'stale';
  if (published(next) !== published(before) || vectors === 'replace') outcome = 'applied';
  if (outcome === 'applied' && change.op === 'put' && change.kind === 'highlight' && realHeads(next.note).length > 1 && realHeads(next.note).some((h) => h.hlc === change.hlc)) {
    outcome = 'merged';
  }
  return { state: next, outcome, vectors, changed };
}

/** States stored before the merge became a CRDT carried `noteBase` and no note register. */
function upgradeState(state: RecordState): RecordState {
  const legacy = state as RecordState & { noteBase?: unknown };
  if (!('noteBase' in legacy) && (state.kind !== 'highlight' || state.note || state.data === null)) return state;
  const { noteBase: _dropped, ...rest } = legacy;
  const upgraded: RecordState = { ...rest };
  if (state.kind === 'highlight' && state.data && !state.note) {
    const hlc = state.fieldHlcs[NOTE] ?? HLC_ZERO;
    upgraded.note = { heads: [{ text: String(state.data[NOTE] ?? ''), hlc }], buried: [], latest: { [nodeOf(hlc)]: hlc } };
  }
  return upgraded;
}

function emptyState(kind: RecordKind, key: string): RecordState {
  return { kind, key, data: null, fieldHlcs: {}, deletedHlc: null, vectorsHlc: null, hlc: HLC_ZERO };
}

function joinDelete(state: RecordState | undefined, change: DeleteChange): RecordState {
  const s = state ?? emptyState(change.kind, change.key);
  return settle({ ...s, fieldHlcs: { ...s.fieldHlcs }, deletedHlc: s.deletedHlc === null ? change.hlc : maxHlc(s.deletedHlc, change.hlc) }, valuesOf(s));
}

function joinPut(state: RecordState | undefined, change: PutChange): RecordState {
  const s = state ?? emptyState(change.kind, change.key);
  const values = { ...valuesOf(s) };
  const fieldHlcs = { ...s.fieldHlcs };
  const incoming = change.data as Record<string, unknown>;
  const listed = change.fields ? new Set<string>(change.fields) : null;
  let note = s.note;
  for (const field of Object.keys(incoming)) {
    if (incoming[field] === undefined) continue;
    const stamp = !listed || listed.has(field) ? change.hlc : HLC_ZERO;
    if (change.kind === 'highlight' && field === NOTE) {
      const bases = stamp === HLC_ZERO ? [] : [change.noteBase, ...(change.noteBases ?? [])].filter((b): b is string => typeof b === 'string');
      note = joinNote(note, { text: String(incoming[NOTE] ?? ''), hlc: stamp }, bases);
      continue;
    }
    if (registerWins(stamp, incoming[field], fieldHlcs[field], values[field])) {
      values[field] = incoming[field];
      fieldHlcs[field] = stamp;
    }
  }
  if (note) {
    values[NOTE] = noteText(note);
    fieldHlcs[NOTE] = note.heads.at(-1)?.hlc ?? HLC_ZERO;
  }
  let vectorsHlc = s.vectorsHlc;
  if (change.vectors && (s.deletedHlc === null || compareHlc(change.hlc, s.deletedHlc) > 0) && (vectorsHlc === null || compareHlc(change.hlc, vectorsHlc) > 0)) {
    vectorsHlc = change.hlc;
  }
  return settle({ ...s, fieldHlcs, vectorsHlc, ...(note ? { note } : {}) }, values);
}

/** Derives the visible record, the ghost, the vector clock and `hlc` from the registers. */
function settle(s: RecordState, values: Record<string, unknown>): RecordState {
  let newestField: string | null = null;
  for (const h of Object.values(s.fieldHlcs)) newestField = newestField === null ? h : maxHlc(newestField, h);
  const visible = newestField !== null && (s.deletedHlc === null || compareHlc(newestField, s.deletedHlc) > 0);
  let vectorsHlc = s.vectorsHlc;
  if (!visible || (vectorsHlc !== null && s.deletedHlc !== null && compareHlc(vectorsHlc, s.deletedHlc) <= 0)) vectorsHlc = null;
  const next: RecordState = { kind: s.kind, key: s.key, data: visible ? values : null, fieldHlcs: s.fieldHlcs, deletedHlc: s.deletedHlc, vectorsHlc, hlc: HLC_ZERO };
  if (!visible && Object.keys(values).length > 0) next.ghost = values;
  if (s.note) next.note = s.note;
  next.hlc = maxHlc(newestField ?? HLC_ZERO, s.deletedHlc ?? HLC_ZERO);
  return next;
}

function valuesOf(s: RecordState): Record<string, unknown> {
  return s.data ?? s.ghost ?? {};
}

/** LWW with a deterministic tie-break, so two zero-stamped copies settle the same way in any order. */
function registerWins(stamp: string, value: unknown, currentStamp: string | undefined, currentValue: unknown): boolean {
  if (currentStamp === undefined) return true;
  const order = compareHlc(stamp, currentStamp);
  if (order !== 0) return order > 0;
  return canonicalJson(value) > canonicalJson(currentValue);
}

// --- Notes ---------------------------------------------------------------------------------------

function nodeOf(hlc: string): string {
  return parseHlc(hlc).node;
}

function realHeads(note: NoteRegister | undefined): NoteVersion[] {
  return note?.heads.filter((h) => h.hlc !== HLC_ZERO) ?? [];
}

/** Joins one note version (and the versions it was written on top of) into the register. */
export function joinNote(register: NoteRegister | undefined, version: NoteVersion, bases: string[]): NoteRegister {
  const latest = { ...(register?.latest ?? {}) };
  const bump = (hlc: string) => {
    const node = nodeOf(hlc);
    latest[node] = latest[node] === undefined ? hlc : maxHlc(latest[node]!, hlc);
  };
  bump(version.hlc);
  for (const b of bases) bump(b);
  const buried = new Set([...(register?.buried ?? []), ...bases]);
  const byNode = new Map<string, NoteVersion>();
  for (const head of [...(register?.heads ?? []), version]) {
    if (buried.has(head.hlc) || latest[nodeOf(head.hlc)] !== head.hlc) continue;
    const node = nodeOf(head.hlc);
    const other = byNode.get(node);
    // Same HLC, different text: only zero-stamped copies (or a misbehaving client); keep one, by text.
    if (!other || head.text > other.text) byNode.set(node, head);
  }
  return {
    heads: [...byNode.values()].sort((a, b) => compareHlc(a.hlc, b.hlc)),
    buried: [...buried].filter((b) => latest[nodeOf(b)] === b).sort(),
    latest: Object.fromEntries(Object.entries(latest).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
  };
}

/** The visible note: every live version's text, oldest first (a zero-stamped copy only when nothing
 * real was written). */
export function noteText(register: NoteRegister): string {
  const real = realHeads(register);
  if (real.length === 0) return register.heads[0]?.text ?? '';
  let text = real[0]!.text;
  for (const head of real.slice(1)) text = capNote(mergeNoteText(text, head.text), head.text);
  return text;
}

/** The Highlight schema's note limit (shared/schemas/records.ts). */
export const MAX_NOTE_CHARS = 50_000;

/** A merge must stay a valid highlight. Past the limit, the newer text is kept whole and the older
 * text's differing part is cut at the end, marked — the only case where a merge shortens anything. */
function capNote(merged: string, newer: string): string {
  if (merged.length <= MAX_NOTE_CHARS) return merged;
  if (newer.length >= MAX_NOTE_CHARS) return newer.slice(0, MAX_NOTE_CHARS);
  const marker = '\n[…merged note cut at the size limit]\n';
  const room = MAX_NOTE_CHARS - newer.length - marker.length;
  return room > 0 ? `${merged.slice(0, room)}${marker}${newer}`.slice(0, MAX_NOTE_CHARS) : newer;
}

/**
 * Keeps both texts of a concurrent note edit, without a common ancestor (the server keeps no history).
 * If one text contains the other, the longer one already holds both. Otherwise the lines both share
 * at the start and at the end are kept once (usually the ancestor's text that both sides kept) and the
 * differing middles follow each other, older first. Every line of each side survives in order.
 */
export function mergeNoteText(older: string, newer: string): string {
  if (newer.includes(older)) return newer;
  if (older.includes(newer)) return older;
  const a = older.split('\n');
  const b = newer.split('\n');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  return [...a.slice(0, prefix), ...a.slice(prefix, a.length - suffix), ...b.slice(prefix, b.length - suffix), ...a.slice(a.length - suffix)].join('\n');
}

// --- Canonical form --------------------------------------------------------------------------------

/** The same JSON value with object keys sorted: equal values give equal strings. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value)) ?? 'undefined';
}
