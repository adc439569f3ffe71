import { describe, expect, it } from 'vitest';
import { IdTable } from './id-table';

describe('IdTable', () => {
  it('hands out slots in order and finds each id again, through growth and removals', () => {
    const table = new IdTable(4);
    const ids = Array.from({ length: 5000 }, (_, i) => `page:https://example.com/${i}#${i % 7}`);
    ids.forEach((id, i) => expect(table.add(id)).toBe(i));
    for (let i = 0; i < ids.length; i += 3) table.remove(i);
    expect(table.size).toBe(ids.length - Math.ceil(ids.length / 3));
    expect(table.slots).toBe(ids.length);
    ids.forEach((id, i) => {
      expect(table.slotOf(id)).toBe(i % 3 === 0 ? -1 : i);
      expect(table.idAt(i)).toBe(id);
    });
    // A removed id comes back under a new slot.
    expect(table.add(ids[0]!)).toBe(ids.length);
    expect(table.slotOf(ids[0]!)).toBe(ids.length);
    expect(table.has('page:nowhere')).toBe(false);
  });

  it('keeps ids outside ASCII intact and compares them as JavaScript compares strings', () => {
    const ids = ['b', 'a', 'ab', 'é', 'ｚ', '😀', '\uE000', 'a😀', 'a\uFFFD', '', 'ä', 'Z'];
    const table = new IdTable();
    ids.forEach((id) => table.add(id));
    ids.forEach((id, i) => {
      expect(table.idAt(i)).toBe(id);
      expect(table.slotOf(id)).toBe(i);
    });
    for (let a = 0; a < ids.length; a++)
      for (let b = 0; b < ids.length; b++) {
        const want = ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0;
        expect(Math.sign(table.compare(a, b))).toBe(want);
      }
  });

  it('renumbers the live ids densely and round-trips through its buffers', () => {
    const table = new IdTable();
    ['x', 'y', 'z', 'w'].forEach((id) => table.add(id));
    table.remove(1);
    const remap = new Int32Array(4);
    const compact = table.compacted(remap);
    expect([...remap]).toEqual([0, -1, 1, 2]);
    expect([0, 1, 2].map((s) => compact.idAt(s))).toEqual(['x', 'z', 'w']);
    const blob = compact.toBlob();
    const loaded = IdTable.fromBlob(blob.text, blob.ends)!;
    expect(loaded.size).toBe(3);
    expect(loaded.slotOf('w')).toBe(2);
    expect(loaded.slotOf('y')).toBe(-1);
  });

  it('refuses buffers naming an id twice or ending past the text', () => {
    const text = new TextEncoder().encode('abab');
    expect(IdTable.fromBlob(text, Uint32Array.of(2, 4))).toBeNull();
    expect(IdTable.fromBlob(text, Uint32Array.of(2, 5))).toBeNull();
    expect(IdTable.fromBlob(text, Uint32Array.of(3, 2))).toBeNull();
    expect(IdTable.fromBlob(text, Uint32Array.of(1, 4))?.size).toBe(2);
  });
});
