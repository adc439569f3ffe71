import { grownCapacity } from './wasm-kernel-loader';
import type { VectorMeta } from './vector-index';

/**
 * Who each dense row of a VectorIndex is: its chunk id, its source and its meta, held compactly
 * enough for a million rows. A Map of a million string ids and a meta object per row took ~190 MiB
 * at 1M chunks; here a row costs four int32s:
 * - its source (a number): the chunks of one source share one meta object (url, site, title, at are
 *   the source's; strings equal to the source id are that one string), found by kind then source id
 *   (no joined key string), and the source's rows are a doubly linked list through the rows, in
 *   insertion order;
 * - its ordinal: a chunk id of the form `kind:sourceId#n` (how the indexing queue names chunks) is
 *   kept as n alone and rebuilt on demand; any other id is kept as a string in a side map.
 * A row whose meta differs from its source's (other than the id) keeps its own meta in a side map.
 * Removal fills the hole with the last row, as the kernels do.
 */

const NONE = -1;
const ORDINAL = /^(0|[1-9]\d{0,8})$/;

/**
 * The meta a source's rows share: the first row's, with strings equal to the source id made that one
 * string and the id that row's (a joined string V8 keeps as a pair of references).
 */
function sharedMeta<M extends VectorMeta>(meta: M, kind: string, ordinal: number): M {
  const shared = { ...meta } as Record<string, unknown>;
  const sourceId = meta.sourceId;
  for (const key in shared) if (key !== 'sourceId' && shared[key] === sourceId) shared[key] = sourceId;
  shared.sourceKind = kind;
  if (ordinal >= 0) shared.id = kind + ':' + sourceId + '#' + ordinal;
  return shared as M;
}

/** A copy of `a` with room for `length` entries. */
function resized(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

function sameExceptId(a: VectorMeta, b: VectorMeta): boolean {
  let keys = 0;
  for (const key in a) {
    if (key === 'id') continue;
    if (a[key] !== b[key]) return false;
    keys++;
  }
  for (const key in b) if (key !== 'id') keys--;
  return keys === 0;
}

export class VectorRows<M extends VectorMeta> {
  private n = 0;
  private capacity = 0;
  private rowSource = new Int32Array(0);
  private rowOrdinal = new Int32Array(0);
  private rowPrev = new Int32Array(0);
  private rowNext = new Int32Array(0);
  /** Per source: its shared meta, and its rows' list ends, count and largest ordinal (which bounds a lookup). */
  private sources: (M | undefined)[] = [];
  private sourceCapacity = 0;
  private srcHead = new Int32Array(0);
  private srcTail = new Int32Array(0);
  private srcCount = new Int32Array(0);
  private srcMaxOrdinal = new Int32Array(0);
  private freeSources: number[] = [];
  /** kind → source id → source number. */
  private sourceOf = new Map<string, Map<string, number>>();
  /** Ids not of the `kind:sourceId#n` form, both ways. */
  private otherRowOf = new Map<string, number>();
  private otherIdOf = new Map<number, string>();
  /** Rows whose meta differs from their source's beyond the id. */
  private ownMeta = new Map<number, M>();
  private memo = new Int8Array(0);

  get size(): number {
    return this.n;
  }

  /** Bytes of the per-row arrays (capacity rows); the per-source objects and side maps come on top. */
  get rowBytes(): number {
    return this.capacity * 16;
  }

  rowOf(id: string): number | undefined {
    const other = this.otherRowOf.get(id);
    if (other !== undefined) return other;
    const hash = id.lastIndexOf('#');
    if (hash < 0) return undefined;
    const colon = id.indexOf(':');
    const tail = id.slice(hash + 1);
    if (colon < 0 || colon > hash || !ORDINAL.test(tail)) return undefined;
    const src = this.sourceOf.get(id.slice(0, colon))?.get(id.slice(colon + 1, hash));
    if (src === undefined) return undefined;
    const ordinal = Number(tail);
    if (ordinal > this.srcMaxOrdinal[src]!) return undefined;
    for (let row = this.srcHead[src]!; row !== NONE; row = this.rowNext[row]!) if (this.rowOrdinal[row] === ordinal) return row;
    return undefined;
  }

  idOf(row: number): string {
    const ordinal = this.rowOrdinal[row]!;
    if (ordinal < 0) return this.otherIdOf.get(row)!;
    const meta = this.sources[this.rowSource[row]!]!;
    return `${meta.sourceKind}:${meta.sourceId}#${ordinal}`;
  }

  /** The row's meta (a new object unless the row keeps its own). */
  metaOf(row: number): M {
    return this.ownMeta.get(row) ?? { ...this.sources[this.rowSource[row]!]!, id: this.idOf(row) };
  }

  /** Appends a row for `meta` (whose id is not in the table) and returns it. */
  append(meta: M): number {
    const row = this.n;
    if (row + 1 > this.capacity) this.grow(row + 1);
    this.n++;
    this.link(row, meta);
    return row;
  }

  /** Gives an existing row a new meta (same id): it moves to the end of its (new) source's rows. */
  replace(row: number, meta: M): void {
    this.unlink(row);
    this.link(row, meta);
  }

  /**
   * Removes `row`; the last row moves into its place (as the kernels' moveRow(last, row) does).
   * Returns the row that moved, or -1 when `row` was the last.
   */
  remove(row: number): number {
    this.unlink(row);
    const last = --this.n;
    if (row === last) return NONE;
    const src = this.rowSource[last]!;
    this.rowSource[row] = src;
    this.rowOrdinal[row] = this.rowOrdinal[last]!;
    const prev = this.rowPrev[last]!;
    const next = this.rowNext[last]!;
    this.rowPrev[row] = prev;
    this.rowNext[row] = next;
    if (prev === NONE) this.srcHead[src] = row;
    else this.rowNext[prev] = row;
    if (next === NONE) this.srcTail[src] = row;
    else this.rowPrev[next] = row;
    const own = this.ownMeta.get(last);
    if (own) {
      this.ownMeta.delete(last);
      this.ownMeta.set(row, own);
    }
    const other = this.otherIdOf.get(last);
    if (other !== undefined) {
      this.otherIdOf.delete(last);
      this.otherIdOf.set(row, other);
      this.otherRowOf.set(other, row);
    }
    return last;
  }

  /** Rows of one source, in insertion order. */
  rowsOfSource(kind: string, sourceId: string): number[] {
    const src = this.sourceOf.get(kind)?.get(sourceId);
    const out: number[] = [];
    if (src === undefined) return out;
    for (let row = this.srcHead[src]!; row !== NONE; row = this.rowNext[row]!) out.push(row);
    return out;
  }

  /**
   * mask[row] = filter(meta) for rows [0, size). A filter decides on the source's fields (kind, site,
   * date …): it is called once per source, on its shared meta, and once per row that keeps its own meta.
   */
  fillMask(filter: (meta: M) => boolean, mask: Uint8Array): void {
    if (this.memo.length < this.sources.length) this.memo = new Int8Array(this.sources.length * 2);
    const memo = this.memo;
    memo.fill(-1, 0, this.sources.length);
    const own = this.ownMeta;
    for (let row = 0; row < this.n; row++) {
      if (own.size && own.has(row)) {
        mask[row] = filter(own.get(row)!) ? 1 : 0;
        continue;
      }
      const src = this.rowSource[row]!;
      let pass = memo[src]!;
      if (pass < 0) memo[src] = pass = filter(this.sources[src]!) ? 1 : 0;
      mask[row] = pass;
    }
  }

  private grow(rows: number): void {
    const cap = grownCapacity(this.capacity, rows);
    this.rowSource = resized(this.rowSource, cap);
    this.rowOrdinal = resized(this.rowOrdinal, cap);
    this.rowPrev = resized(this.rowPrev, cap);
    this.rowNext = resized(this.rowNext, cap);
    this.capacity = cap;
  }

  /** The n of an id `kind:sourceId#n` (n canonical), else -1. */
  private static ordinalOf(meta: VectorMeta): number {
    const { id, sourceKind: kind, sourceId } = meta;
    const at = kind.length + 1 + sourceId.length;
    if (kind.includes(':') || id.charCodeAt(kind.length) !== 58 /* : */ || id.charCodeAt(at) !== 35 /* # */) return NONE;
    if (!id.startsWith(kind) || id.slice(kind.length + 1, at) !== sourceId) return NONE;
    const tail = id.slice(at + 1);
    return ORDINAL.test(tail) ? Number(tail) : NONE;
  }

  private link(row: number, meta: M): void {
    const ordinal = VectorRows.ordinalOf(meta);
    let byId = this.sourceOf.get(meta.sourceKind);
    if (!byId) this.sourceOf.set(meta.sourceKind, (byId = new Map()));
    let src = byId.get(meta.sourceId);
    if (src === undefined) {
      src = this.freeSources.pop() ?? this.sources.length;
      if (src >= this.sourceCapacity) this.growSources(src + 1);
      // The kind string the outer map holds, so a million rows' copies of 'page' are one.
      const shared = sharedMeta(meta, this.kindString(meta.sourceKind), ordinal);
      this.sources[src] = shared;
      byId.set(shared.sourceId, src);
      this.srcHead[src] = NONE;
      this.srcTail[src] = NONE;
      this.srcCount[src] = 0;
      this.srcMaxOrdinal[src] = NONE;
    } else if (!sameExceptId(this.sources[src]!, meta)) {
      this.ownMeta.set(row, meta);
    }
    this.rowSource[row] = src;
    const id = meta.id;
    if (ordinal >= 0) {
      this.rowOrdinal[row] = ordinal;
      if (ordinal > this.srcMaxOrdinal[src]!) this.srcMaxOrdinal[src] = ordinal;
    } else {
      this.rowOrdinal[row] = NONE;
      this.otherRowOf.set(id, row);
      this.otherIdOf.set(row, id);
    }
    const tail = this.srcTail[src]!;
    this.rowPrev[row] = tail;
    this.rowNext[row] = NONE;
    if (tail === NONE) this.srcHead[src] = row;
    else this.rowNext[tail] = row;
    this.srcTail[src] = row;
    this.srcCount[src]!++;
  }

  private kindString(kind: string): string {
    for (const key of this.sourceOf.keys()) if (key === kind) return key;
    return kind;
  }

  private growSources(sources: number): void {
    const cap = grownCapacity(this.sourceCapacity, sources);
    this.srcHead = resized(this.srcHead, cap);
    this.srcTail = resized(this.srcTail, cap);
    this.srcCount = resized(this.srcCount, cap);
    this.srcMaxOrdinal = resized(this.srcMaxOrdinal, cap);
    this.sourceCapacity = cap;
  }

  private unlink(row: number): void {
    const src = this.rowSource[row]!;
    const prev = this.rowPrev[row]!;
    const next = this.rowNext[row]!;
    if (prev === NONE) this.srcHead[src] = next;
    else this.rowNext[prev] = next;
    if (next === NONE) this.srcTail[src] = prev;
    else this.rowPrev[next] = prev;
    if (--this.srcCount[src]! === 0) {
      const meta = this.sources[src]!;
      const byId = this.sourceOf.get(meta.sourceKind)!;
      byId.delete(meta.sourceId);
      if (byId.size === 0) this.sourceOf.delete(meta.sourceKind);
      this.sources[src] = undefined;
      this.freeSources.push(src);
    }
    this.ownMeta.delete(row);
    const other = this.otherIdOf.get(row);
    if (other !== undefined) {
      this.otherIdOf.delete(row);
      this.otherRowOf.delete(other);
    }
  }
}
