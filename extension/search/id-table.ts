/**
 * Document ids ↔ dense slot numbers without a string object or a Map entry per document: every id's
 * UTF-8 bytes in one buffer (`ends[s]` is where slot s's end), and an open-addressing hash table of
 * slots (linear probing) keyed by those bytes. At a million chunks a `string[]` plus a `Map<string,
 * number>` held ~100 MiB of heap objects; this holds the bytes of the ids plus 4–12 bytes a slot, and
 * its buffers are what a snapshot stores and a load wraps (no id is decoded until a result shows it).
 *
 * Slots are handed out in order and never reused; a removed slot is marked dead until `compacted`.
 */

const EMPTY = 0;
/** A removed entry: probing goes on past it; an insert may reuse it. */
const GONE = -1;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class IdTable {
  private text: Uint8Array;
  private ends: Uint32Array;
  private count = 0;
  private liveCount = 0;
  /** 1 for a removed slot. */
  private deadMark: Uint8Array;
  /** slot + 1, EMPTY or GONE; capacity a power of two, at most half full (tombstones included). */
  private table: Int32Array;
  private filled = 0;
  /** Scratch for encoding a looked-up id. */
  private probeBytes = new Uint8Array(256);

  constructor(capacity = 64) {
    this.text = new Uint8Array(Math.max(64, capacity * 16));
    this.ends = new Uint32Array(Math.max(8, capacity));
    this.deadMark = new Uint8Array(this.ends.length);
    this.table = new Int32Array(tableSizeFor(capacity));
  }

  /** Slots handed out, dead ones included. */
  get slots(): number {
    return this.count;
  }

  /** Live ids. */
  get size(): number {
    return this.liveCount;
  }

  /** Bytes of the buffers (what the table costs in memory). */
  get byteLength(): number {
    return this.text.byteLength + this.ends.byteLength + this.deadMark.byteLength + this.table.byteLength;
  }

  isDead(slot: number): boolean {
    return this.deadMark[slot] === 1;
  }

  /** Any slot ever removed (and not yet compacted away)? Lets hot loops skip the dead check. */
  get hasDead(): boolean {
    return this.liveCount < this.count;
  }

  private start(slot: number): number {
    return slot > 0 ? this.ends[slot - 1]! : 0;
  }

  /** The id of a slot (live or dead). */
  idAt(slot: number): string {
    const from = this.start(slot);
    const to = this.ends[slot]!;
    const t = this.text;
    // Ids are mostly ASCII (URLs, uuids): build those without the decoder's call overhead.
    if (to - from <= 128) {
      let ascii = true;
      for (let i = from; i < to; i++) if (t[i]! >= 128) (ascii = false), (i = to);
      if (ascii) return String.fromCharCode.apply(null, t.subarray(from, to) as unknown as number[]);
    }
    return decoder.decode(t.subarray(from, to));
  }

  /**
   * The order of two slots' ids as JavaScript compares the strings (UTF-16 code units). UTF-8 bytes
   * sort in code point order, which agrees with it except between a character above U+FFFF and one in
   * U+E000–U+FFFF: when the first differing byte could start either, the strings decide.
   */
  compare(a: number, b: number): number {
    if (a === b) return 0;
    const t = this.text;
    let i = this.start(a);
    let j = this.start(b);
    const ea = this.ends[a]!;
    const eb = this.ends[b]!;
    while (i < ea && j < eb) {
      const x = t[i]!;
      const y = t[j]!;
      if (x !== y) {
        if (x >= 0xee && y >= 0xee) {
          const p = this.idAt(a);
          const q = this.idAt(b);
          return p < q ? -1 : p > q ? 1 : 0;
        }
        // Bytes at the same position after an equal prefix: a lead byte against a continuation byte
        // can't happen, so the byte order is the code point order here.
        return x < y ? -1 : 1;
      }
      i++;
      j++;
    }
    return ea - i - (eb - j) < 0 ? -1 : ea - i === eb - j ? 0 : 1;
  }

  /** The live slot of an id, or −1. */
  slotOf(id: string): number {
    const len = this.encode(id);
    const bytes = this.probeBytes;
    const mask = this.table.length - 1;
    for (let h = hashBytes(bytes, 0, len) & mask; ; h = (h + 1) & mask) {
      const e = this.table[h]!;
      if (e === EMPTY) return -1;
      if (e !== GONE && this.equals(e - 1, bytes, len)) return e - 1;
    }
  }

  has(id: string): boolean {
    return this.slotOf(id) >= 0;
  }

  /** Gives a new id the next slot. The caller makes sure it isn't live already. */
  add(id: string): number {
    const len = this.encode(id);
    const slot = this.count;
    if (this.ends.length <= slot) {
      this.ends = grown(this.ends, slot + 1);
      this.deadMark = grown(this.deadMark, this.ends.length);
    }
    const from = this.start(slot);
    if (this.text.length < from + len) this.text = grown(this.text, from + len);
    this.text.set(this.probeBytes.subarray(0, len), from);
    this.ends[slot] = from + len;
    // Before the slot counts: a rehash inside insert re-adds every counted slot.
    this.insert(slot, hashBytes(this.probeBytes, 0, len));
    this.count++;
    this.liveCount++;
    return slot;
  }

  /** Marks a live slot dead and forgets its id. */
  remove(slot: number): void {
    if (this.deadMark[slot]) return;
    const from = this.start(slot);
    const mask = this.table.length - 1;
    for (let h = hashBytes(this.text, from, this.ends[slot]!) & mask; ; h = (h + 1) & mask) {
      const e = this.table[h]!;
      if (e === EMPTY) break;
      if (e === slot + 1) {
        this.table[h] = GONE;
        break;
      }
    }
    this.deadMark[slot] = 1;
    this.liveCount--;
  }

  /** The live ids, renumbered densely in slot order (`remap[old]` = new slot, −1 for a dead one). */
  compacted(remap: Int32Array): IdTable {
    const out = new IdTable(this.liveCount);
    for (let s = 0; s < this.count; s++) {
      if (this.deadMark[s]) {
        remap[s] = -1;
        continue;
      }
      remap[s] = out.count;
      out.appendBytes(this.text, this.start(s), this.ends[s]!);
    }
    return out;
  }

  /** The ids of every slot as one UTF-8 buffer and where each ends (bytes): what a snapshot stores. */
  toBlob(): { text: Uint8Array; ends: Uint32Array } {
    const n = this.count;
    return { text: this.text.slice(0, n > 0 ? this.ends[n - 1]! : 0), ends: this.ends.slice(0, n) };
  }

  /** A table over a snapshot's buffers (kept as they are, not copied); null when the ends don't fit
   * the text or an id comes twice. */
  static fromBlob(text: Uint8Array, ends: Uint32Array): IdTable | null {
    const out = new IdTable(0);
    let at = 0;
    for (let s = 0; s < ends.length; s++) {
      if (ends[s]! < at || ends[s]! > text.length) return null;
      at = ends[s]!;
    }
    if (at !== text.length) return null;
    out.text = text;
    out.ends = ends;
    out.count = ends.length;
    out.liveCount = ends.length;
    out.deadMark = new Uint8Array(ends.length);
    out.table = new Int32Array(tableSizeFor(ends.length));
    for (let s = 0; s < ends.length; s++) {
      const from = out.start(s);
      if (!out.insertUnique(s, hashBytes(text, from, ends[s]!))) return null;
    }
    return out;
  }

  private appendBytes(src: Uint8Array, from: number, to: number): void {
    const len = to - from;
    const slot = this.count;
    if (this.ends.length <= slot) {
      this.ends = grown(this.ends, slot + 1);
      this.deadMark = grown(this.deadMark, this.ends.length);
    }
    const at = this.start(slot);
    if (this.text.length < at + len) this.text = grown(this.text, at + len);
    this.text.set(src.subarray(from, to), at);
    this.ends[slot] = at + len;
    this.insert(slot, hashBytes(this.text, at, at + len));
    this.count++;
    this.liveCount++;
  }

  /** Encodes an id into the scratch buffer; returns its length in bytes. */
  private encode(id: string): number {
    if (this.probeBytes.length < id.length * 3) this.probeBytes = new Uint8Array(id.length * 3 + 64);
    return encoder.encodeInto(id, this.probeBytes).written;
  }

  private equals(slot: number, bytes: Uint8Array, len: number): boolean {
    const from = this.start(slot);
    if (this.ends[slot]! - from !== len) return false;
    const t = this.text;
    for (let i = 0; i < len; i++) if (t[from + i] !== bytes[i]) return false;
    return true;
  }

  private insert(slot: number, hash: number): void {
    if ((this.filled + 1) * 2 > this.table.length) this.rehash((this.liveCount + 1) * 4 > this.table.length ? this.table.length * 2 : this.table.length);
    const mask = this.table.length - 1;
    let h = hash & mask;
    while (this.table[h]! > 0) h = (h + 1) & mask;
    if (this.table[h] === EMPTY) this.filled++;
    this.table[h] = slot + 1;
  }

  /** Inserts unless an equal id is already there (loading a snapshot). */
  private insertUnique(slot: number, hash: number): boolean {
    const mask = this.table.length - 1;
    const from = this.start(slot);
    const len = this.ends[slot]! - from;
    let h = hash & mask;
    for (; this.table[h] !== EMPTY; h = (h + 1) & mask) {
      const other = this.table[h]! - 1;
      const at = this.start(other);
      if (this.ends[other]! - at !== len) continue;
      let same = true;
      for (let i = 0; i < len && same; i++) same = this.text[at + i] === this.text[from + i];
      if (same) return false;
    }
    this.table[h] = slot + 1;
    this.filled++;
    return true;
  }

  /** A fresh table of `size` entries holding the live slots (tombstones dropped). */
  private rehash(size: number): void {
    this.table = new Int32Array(size);
    this.filled = 0;
    const mask = size - 1;
    for (let s = 0; s < this.count; s++) {
      if (this.deadMark[s]) continue;
      let h = hashBytes(this.text, this.start(s), this.ends[s]!) & mask;
      while (this.table[h] !== EMPTY) h = (h + 1) & mask;
      this.table[h] = s + 1;
      this.filled++;
    }
  }
}

/** FNV-1a over bytes [from, to), with a final mix so linear probing sees well-spread low bits. */
function hashBytes(b: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

function tableSizeFor(entries: number): number {
  let size = 16;
  while (size < entries * 2 + 2) size *= 2;
  return size;
}

function grown<T extends Uint8Array | Uint32Array>(a: T, min: number): T {
  const next = new (a.constructor as new (n: number) => T)(Math.max(min, a.length + (a.length >> 1), 8));
  next.set(a);
  return next;
}
