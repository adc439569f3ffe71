import type { Change, ChangeOutcome, DeleteChange, PutChange, RecordKind, ServerRecord } from '../schemas/sync';
import { compareHlc, formatHlc, maxHlc, MAX_COUNTER, parseHlc } from './hlc';

/**
 * The conflict rules of sync as one pure function: (stored state, incoming change) → new state.
 * The worker applies every pushed change through it; a client can use it to fold a pulled record into
 * a local copy with unpushed edits and get what the server will get.
 *
 * Why these rules converge whatever order changes arrive in:
 * - Each field keeps the value of the put with the greatest HLC that set it (`>` against the field's
 *   HLC; an equal HLC is the same change again, so re-applying is a no-op).
 * - A tombstone wins over a record whose every field is older, and a put only resurrects a record
 *   when it is newer than the tombstone, taking its whole record; older puts after a tombstone are
 *   no-ops. Invariant: a live record's fields are all newer than its tombstone, if any.
 * - A highlight's note is a special register, see resolveNote.
 */

export interface RecordState {
  kind: RecordKind;
  key: string;
  /** Current record; null for a tombstone. */
  data: Record<string, unknown> | null;
  /** HLC of each field's current value (empty for a tombstone). */
  fieldHlcs: Record<string, string>;
  deletedHlc: string | null;
  /** The `noteBase` of the put that wrote the current note (null after a merge or when unknown). */
  noteBase: string | null;
  /** HLC of the put whose vectors are stored, null when none are. */
  vectorsHlc: string | null;
  /** Newest HLC in this state. */
  hlc: string;
}

/** What a pull sends of a stored state (vectors, when asked for, are added by the store). */
export function serverRecordOf(state: RecordState): ServerRecord {
  return { kind: state.kind, key: state.key, hlc: state.hlc, deleted: state.data === null, data: state.data, fieldHlcs: state.fieldHlcs };
}

export type VectorAction = 'keep' | 'replace' | 'drop';

export interface ApplyResult {
  state: RecordState;
  outcome: ChangeOutcome;
  /** What the caller must do with its stored vectors of this record. */
  vectors: VectorAction;
  /** False when the state is exactly what it was (nothing to store, no cursor bump). */
  changed: boolean;
}

const NOTE = 'note';

export function applyChange(state: RecordState | undefined, change: Change): ApplyResult {
  const before = state ? JSON.stringify(state) : '';
  const result = change.op === 'delete' ? applyDelete(state, change) : applyPut(state, change);
  result.changed = JSON.stringify(result.state) !== before;
  return result;
}

function newestOf(state: RecordState): string {
  let hlc = state.deletedHlc ?? '';
  for (const h of Object.values(state.fieldHlcs)) hlc = maxHlc(hlc, h);
  return hlc;
}

function freshState(change: PutChange, deletedHlc: string | null): RecordState {
  const data = { ...(change.data as Record<string, unknown>) };
  const fieldHlcs: Record<string, string> = {};
  for (const field of Object.keys(data)) fieldHlcs[field] = change.hlc;
  return {
    kind: change.kind,
    key: change.key,
    data,
    fieldHlcs,
    deletedHlc,
    noteBase: change.kind === 'highlight' ? change.noteBase : null,
    vectorsHlc: change.vectors ? change.hlc : null,
    hlc: change.hlc,
  };
}

function applyPut(state: RecordState | undefined, change: PutChange): ApplyResult {
  if (!state) return { state: freshState(change, null), outcome: 'applied', vectors: change.vectors ? 'replace' : 'keep', changed: true };
  if (state.data === null) {
    if (state.deletedHlc !== null && compareHlc(change.hlc, state.deletedHlc) <= 0) {
      return { state, outcome: 'stale', vectors: 'keep', changed: false };
    }
    return { state: freshState(change, state.deletedHlc), outcome: 'applied', vectors: change.vectors ? 'replace' : 'drop', changed: true };
  }

  const next: RecordState = { ...state, data: { ...state.data }, fieldHlcs: { ...state.fieldHlcs } };
  const incoming = change.data as Record<string, unknown>;
  const fields = change.fields ?? Object.keys(incoming);
  let outcome: ChangeOutcome = 'stale';
  for (const field of fields) {
    if (!(field in incoming)) continue;
    const current = next.fieldHlcs[field];
    if (change.kind === 'highlight' && field === NOTE && current !== undefined) {
      const note = resolveNote(
        { text: String(next.data![NOTE] ?? ''), hlc: current, base: next.noteBase },
        { text: String(incoming[NOTE] ?? ''), hlc: change.hlc, base: change.noteBase },
      );
      next.data![NOTE] = note.text;
      next.fieldHlcs[NOTE] = note.hlc;
      next.noteBase = note.base;
      if (note.outcome === 'merged') outcome = 'merged';
      else if (note.outcome === 'applied' && outcome === 'stale') outcome = 'applied';
      continue;
    }
    if (current === undefined || compareHlc(change.hlc, current) > 0) {
      next.data![field] = incoming[field];
      next.fieldHlcs[field] = change.hlc;
      if (outcome === 'stale') outcome = 'applied';
    }
  }
  let vectors: VectorAction = 'keep';
  if (change.vectors && (next.vectorsHlc === null || compareHlc(change.hlc, next.vectorsHlc) > 0)) {
    next.vectorsHlc = change.hlc;
    vectors = 'replace';
    if (outcome === 'stale') outcome = 'applied';
  }
  next.hlc = newestOf(next);
  return { state: next, outcome, vectors, changed: true };
}

function applyDelete(state: RecordState | undefined, change: DeleteChange): ApplyResult {
  const tombstone = (deletedHlc: string): RecordState => ({
    kind: change.kind,
    key: change.key,
    data: null,
    fieldHlcs: {},
    deletedHlc,
    noteBase: null,
    vectorsHlc: null,
    hlc: deletedHlc,
  });
  if (!state) return { state: tombstone(change.hlc), outcome: 'applied', vectors: 'drop', changed: true };
  if (state.data === null) {
    if (state.deletedHlc !== null && compareHlc(change.hlc, state.deletedHlc) <= 0) return { state, outcome: 'stale', vectors: 'keep', changed: false };
    return { state: tombstone(change.hlc), outcome: 'applied', vectors: 'drop', changed: true };
  }
  // A delete only wins over edits it is newer than: an edit made after (or concurrently but stamped
  // later than) the delete keeps the record.
  if (compareHlc(change.hlc, newestOf(state)) <= 0) return { state, outcome: 'stale', vectors: 'keep', changed: false };
  return { state: tombstone(change.hlc), outcome: 'applied', vectors: 'drop', changed: true };
}

// --- Notes ---------------------------------------------------------------------------------------

export interface NoteVersion {
  text: string;
  hlc: string;
  /** The note version this one was written on top of (null: unknown). */
  base: string | null;
}

export interface NoteResolution extends NoteVersion {
  outcome: ChangeOutcome;
}

/**
 * Decides between the stored note and an incoming one.
 *
 * Plain LWW would silently drop the words of whichever device stamped earlier. Instead we ask whether
 * one version was written knowing the other:
 * - incoming.base === stored.hlc: the device edited exactly the stored version → take it (fast-forward).
 * - stored.base === incoming.hlc: the stored version was written on top of this one → it's stale.
 * - both from the same device: a device's own edits are sequential, the later HLC is the later edit
 *   (this covers a device's batches arriving out of order).
 * Otherwise the edits were concurrent and both texts are kept (mergeNoteText). The merged note gets a
 * new HLC that no device has seen (mergeStamp), so a device that pushes another edit on top of its
 * own pre-merge version is again recognised as concurrent and merged, not fast-forwarded over the
 * other device's words. The stamp depends only on the two input HLCs, so arrival order doesn't matter.
 *
 * Known limit: for two concurrent edits the result is the same in either order. With three or more
 * edits that are mutually concurrent (or one device's chain of edits interleaved with another
 * device's), the merged text can list the pieces in a different order, or keep a superseded draft,
 * depending on arrival order. No text is lost, and every device still converges, because all of them
 * pull the one merged state from the server.
 */
export function resolveNote(stored: NoteVersion, incoming: NoteVersion): NoteResolution {
  const order = compareHlc(incoming.hlc, stored.hlc);
  if (order === 0) return { ...stored, outcome: 'stale' };
  if (incoming.text === stored.text) {
    return order > 0 ? { ...incoming, outcome: 'applied' } : { ...stored, outcome: 'stale' };
  }
  if (incoming.base === stored.hlc && order > 0) return { ...incoming, outcome: 'applied' };
  if (stored.base === incoming.hlc) return { ...stored, outcome: 'stale' };
  if (parseHlc(incoming.hlc).node === parseHlc(stored.hlc).node) {
    return order > 0 ? { ...incoming, outcome: 'applied' } : { ...stored, outcome: 'stale' };
  }
  const [older, newer] = order > 0 ? [stored, incoming] : [incoming, stored];
  return { text: capNote(mergeNoteText(older.text, newer.text), newer.text), hlc: mergeStamp(older.hlc, newer.hlc), base: null, outcome: 'merged' };
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

/** The node id merged notes are stamped with. */
export const MERGE_NODE = 'merge';

/** An HLC greater than both inputs, determined by them alone. */
export function mergeStamp(a: string, b: string): string {
  const top = parseHlc(maxHlc(a, b));
  return top.counter >= MAX_COUNTER
    ? formatHlc({ ms: top.ms + 1, counter: 0, node: MERGE_NODE })
    : formatHlc({ ms: top.ms, counter: top.counter + 1, node: MERGE_NODE });
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
