import { grownCapacity } from './wasm-kernel-loader';
import type { VectorMeta } from './vector-index';

/**
 * Who each dense row of a VectorIndex is: its chunk id, its source and its meta, held compactly
 * enough for a million rows. A Map of a million string ids and a meta object per row took ~190 MiB
 * at 1M chunks; here a row costs four int32s:
 * - its source (a number): the chunks of one source share one meta object (url, site, title, at are
 *   the source's), and the source's rows are a doubly linked list through the rows, in insertion order;
 * - its ordinal: a chunk id of the form `kind:sourceId#n` (how the indexing queue names chunks) is
 *   kept as n alone and rebuilt on demand; any other id is kept as a string in a side map.
 * A row whose meta differs from its source's (other than the id) keeps its own meta in a side map.
 * Removal fills the hole with the last row, as the kernels do.
 */

const NONE = -1;
const ORDINAL = /^(0|[1-9]\d{0,8})$/;

interface Source<M> {
  key: string;
  /** The meta of the source's first row (its id is that row's): what filters and hits read. */
  meta: M;
  head: number;
  tail: number;
  count: number;
  /** No row of this source has a larger ordinal (bounds a lookup that would not find the id). */
  maxOrdinal: number;
}

/** `kind:id` (the `${kind}:${id}` source ids the rest of the search uses), or an unambiguous form for kinds with ':'. */
export const sourceKeyOf = (kind: string, id: string): string => (kind.includes(':') ? `\u0000${kind}\u0000${id}` : `${kind}:${id}`);

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
  private sources: (Source<M> | undefined)[] = [];
  private freeSources: number[] = [];
  private sourceOf = new Map<string, number>();
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
    const tail = id.slice(hash + 1);
    if (!ORDINAL.test(tail)) return undefined;
    const src = this.sourceOf.get(id.slice(0, hash));
    if (src === undefined) return undefined;
    const source = this.sources[src]!;
    const ordinal = Number(tail);
    if (ordinal > source.maxOrdinal) return undefined;
    for (let row = source.head; row !== NONE; row = this.rowNext[row]!) if (this.rowOrdinal[row] === ordinal) return row;
    return undefined;
  }

  idOf(row: number): string {
    const ordinal = this.rowOrdinal[row]!;
    return ordinal >= 0 ? `${this.sources[this.rowSource[row]!]!.key}#${ordinal}` : this.otherIdOf.get(row)!;
  }

  /** The row's meta (a new object unless the row keeps its own). */
  metaOf(row: number): M {
    const own = this.ownMeta.get(row);
    if (own) return own;
    const meta = this.sources[this.rowSource[row]!]!.meta;
    const id = this.idOf(row);
    return meta.id === id ? meta : { ...meta, id };
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
    const source = this.sources[src]!;
    if (prev === NONE) source.head = row;
    else this.rowNext[prev] = row;
    if (next === NONE) source.tail = row;
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

  /** Rows of the source with this key (sourceKeyOf), in insertion order. */
  rowsOfSource(key: string): number[] {
    const src = this.sourceOf.get(key);
    const out: number[] = [];
    if (src === undefined) return out;
    for (let row = this.sources[src]!.head; row !== NONE; row = this.rowNext[row]!) out.push(row);
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
      if (pass < 0) memo[src] = pass = filter(this.sources[src]!.meta) ? 1 : 0;
      mask[row] = pass;
    }
  }

  private grow(rows: number): void {
    const cap = grownCapacity(this.capacity, rows);
    const grow = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.rowSource = grow(this.rowSource);
    this.rowOrdinal = grow(this.rowOrdinal);
    this.rowPrev = grow(this.rowPrev);
    this.rowNext = grow(this.rowNext);
    this.capacity = cap;
  }

  private link(row: number, meta: M): void {
    const key = sourceKeyOf(meta.sourceKind, meta.sourceId);
    let src = this.sourceOf.get(key);
    let source: Source<M>;
    if (src === undefined) {
      src = this.freeSources.pop() ?? this.sources.length;
      source = { key, meta, head: NONE, tail: NONE, count: 0, maxOrdinal: -1 };
      this.sources[src] = source;
      this.sourceOf.set(key, src);
    } else {
      source = this.sources[src]!;
      if (!sameExceptId(source.meta, meta)) this.ownMeta.set(row, meta);
    }
    this.rowSource[row] = src;
    const id = meta.id;
    const tail = id.startsWith(key) && id.charCodeAt(key.length) === 35 /* # */ ? id.slice(key.length + 1) : '';
    if (key.charCodeAt(0) !== 0 && ORDINAL.test(tail)) {
      const ordinal = Number(tail);
      this.rowOrdinal[row] = ordinal;
      if (ordinal > source.maxOrdinal) source.maxOrdinal = ordinal;
    } else {
      this.rowOrdinal[row] = NONE;
      this.otherRowOf.set(id, row);
      this.otherIdOf.set(row, id);
    }
    this.rowPrev[row] = source.tail;
    this.rowNext[row] = NONE;
    if (source.tail === NONE) source.head = row;
    else this.rowNext[source.tail] = row;
    source.tail = row;
    source.count++;
  }

  private unlink(row: number): void {
    const src = this.rowSource[row]!;
    const source = this.sources[src]!;
    const prev = this.rowPrev[row]!;
    const next = this.rowNext[row]!;
    if (prev === NONE) source.head = next;
    else this.rowNext[prev] = next;
    if (next === NONE) source.tail = prev;
    else this.rowPrev[next] = prev;
    if (--source.count === 0) {
      this.sourceOf.delete(source.key);
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
