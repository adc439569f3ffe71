import { describe, expect, it } from 'vitest';
import { Change, type Change as ChangeT } from '../schemas/sync';
import { formatHlc } from './hlc';
import { applyChange, joinNote, mergeNoteText, noteText, type RecordState } from './merge';

const h = (ms: number, node: string, counter = 0) => formatHlc({ ms, counter, node });

function highlight(patch: Record<string, unknown> = {}) {
  return {
    id: 'hl_00000001',
    url: 'https://example.com/a',
    site: 'example.com',
    pageTitle: 'A',
    text: 'quoted text',
    color: 'yellow',
    note: '',
    selectors: [{ type: 'TextQuoteSelector', exact: 'quoted text' }],
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  };
}

function put(hlc: string, patch: Record<string, unknown>, extra: Record<string, unknown> = {}): ChangeT {
  return Change.parse({ op: 'put', kind: 'highlight', key: 'hl_00000001', hlc, data: highlight(patch), ...extra });
}
const del = (hlc: string): ChangeT => Change.parse({ op: 'delete', kind: 'highlight', key: 'hl_00000001', hlc });

function run(changes: ChangeT[], start?: RecordState): RecordState | undefined {
  let state = start;
  for (const change of changes) state = applyChange(state, change).state;
  return state;
}

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

describe('applyChange', () => {
  const base = put(h(100, 'devA'), { note: 'shared start' });

  it('keeps each device’s field edit (per-field LWW) and merges concurrent notes, in any order', () => {
    const origin = run([base])!;
    const noteBase = origin.fieldHlcs.note!;
    const a = put(h(200, 'devA'), { color: 'green', note: 'shared start\nA adds this' }, { fields: ['color', 'note'], noteBase });
    const b = put(h(210, 'devB'), { note: 'shared start\nB adds that' }, { fields: ['note'], noteBase });
    const results = permutations([a, b]).map((order) => run(order, origin)!);
    for (const state of results) {
      expect(state.data!.color).toBe('green');
      expect(state.data!.note).toBe('shared start\nA adds this\nB adds that');
    }
    expect(results[0]).toEqual(results[1]);
  });

  it('fast-forwards an edit made on top of the stored note', () => {
    const s1 = run([base])!;
    const edit = put(h(300, 'devB'), { note: 'rewritten entirely' }, { fields: ['note'], noteBase: s1.fieldHlcs.note });
    const r = applyChange(s1, edit);
    expect(r.outcome).toBe('applied');
    expect(r.state.data!.note).toBe('rewritten entirely');
  });

  it('a merged note is not overwritten by an edit based on a pre-merge version', () => {
    const origin = run([base])!;
    const noteBase = origin.fieldHlcs.note!;
    const a = put(h(200, 'devA'), { note: 'from A' }, { fields: ['note'], noteBase });
    const b = put(h(210, 'devB'), { note: 'from B' }, { fields: ['note'], noteBase });
    const merged = run([a, b], origin)!;
    expect(merged.data!.note).toBe('from A\nfrom B');
    // B edits again on top of its own version, not having pulled the merge yet.
    const b2 = put(h(220, 'devB'), { note: 'from B, edited' }, { fields: ['note'], noteBase: b.hlc });
    const after = applyChange(merged, b2);
    expect(after.outcome).toBe('merged');
    expect(after.state.data!.note).toContain('from A');
    expect(after.state.data!.note).toContain('from B, edited');
  });

  it('treats a device’s own edits as sequential even when its batches arrive reversed', () => {
    const origin = run([base])!;
    const first = put(h(200, 'devA'), { note: 'draft' }, { fields: ['note'], noteBase: origin.fieldHlcs.note });
    const second = put(h(201, 'devA'), { note: 'final' }, { fields: ['note'], noteBase: first.hlc });
    for (const order of permutations([first, second])) expect(run(order, origin)!.data!.note).toBe('final');
  });

  it('is idempotent: the same change twice changes nothing', () => {
    const s1 = applyChange(undefined, base).state;
    const again = applyChange(s1, base);
    expect(again.changed).toBe(false);
    expect(again.outcome).toBe('stale');
  });

  it('tombstones beat older puts in any order, and newer puts resurrect', () => {
    const old = put(h(100, 'devA'), { color: 'blue' });
    const tomb = del(h(150, 'devB'));
    for (const order of permutations([old, tomb])) {
      const s = run(order)!;
      expect(s.data).toBeNull();
      expect(s.deletedHlc).toBe(tomb.hlc);
    }
    const newer = put(h(200, 'devA'), { color: 'pink' });
    const states = permutations([old, tomb, newer]).map((order) => run(order)!);
    for (const s of states) expect(s.data!.color).toBe('pink');
  });

  it('an older delete does not remove a record edited after it', () => {
    const s = run([base, put(h(300, 'devA'), { color: 'blue' }, { fields: ['color'] })])!;
    const r = applyChange(s, del(h(200, 'devB')));
    expect(r.outcome).toBe('stale');
    expect(r.state.data!.color).toBe('blue');
  });

  it('converges for every order of a mixed set of changes', () => {
    const origin = run([base])!;
    const nb = origin.fieldHlcs.note!;
    const changes = [
      put(h(200, 'devA'), { color: 'green' }, { fields: ['color'] }),
      put(h(205, 'devB'), { color: 'blue' }, { fields: ['color'] }),
      put(h(210, 'devA'), { note: 'shared start\nA' }, { fields: ['note'], noteBase: nb }),
      put(h(220, 'devB'), { note: 'shared start\nB' }, { fields: ['note'], noteBase: nb }),
      put(h(230, 'devB'), { anchorStatus: 'orphan' }, { fields: ['anchorStatus'] }),
    ];
    const states = permutations(changes).map((order) => JSON.stringify(run(order, origin)));
    expect(new Set(states).size).toBe(1);
    const s = JSON.parse(states[0]!) as RecordState;
    expect(s.data).toMatchObject({ color: 'blue', anchorStatus: 'orphan', note: 'shared start\nA\nB' });
  });
});

describe('note merge helpers', () => {
  it('keeps the superset when one side only added', () => {
    expect(mergeNoteText('abc', 'abc and more')).toBe('abc and more');
    expect(mergeNoteText('', 'x')).toBe('x');
  });
  it('keeps shared lines once and both middles in order', () => {
    expect(mergeNoteText('head\nmine\ntail', 'head\ntheirs\ntail')).toBe('head\nmine\ntheirs\ntail');
  });
  it('keeps a merged note within the highlight schema’s limit, the newer text whole', () => {
    const older = 'a'.repeat(40_000);
    const newer = 'b'.repeat(20_000);
    const register = joinNote(joinNote(undefined, { text: older, hlc: h(1, 'x') }, []), { text: newer, hlc: h(2, 'y') }, []);
    const text = noteText(register);
    expect(text.length).toBeLessThanOrEqual(50_000);
    expect(text.endsWith(newer)).toBe(true);
    expect(text.startsWith('aaaa')).toBe(true);
  });
  it('a version written on top of another replaces it, in either order', () => {
    const old = { text: 'old', hlc: h(10, 'a') };
    const edit = { text: 'new', hlc: h(20, 'b') };
    const one = joinNote(joinNote(undefined, old, []), edit, [old.hlc]);
    const two = joinNote(joinNote(undefined, edit, [old.hlc]), old, []);
    expect(noteText(one)).toBe('new');
    expect(two).toEqual(one);
  });
  it('an edit of a note that kept several versions names them all and replaces them', () => {
    const a = { text: 'from A', hlc: h(10, 'a') };
    const b = { text: 'from B', hlc: h(11, 'b') };
    const both = joinNote(joinNote(undefined, a, []), b, []);
    expect(noteText(both)).toBe('from A\nfrom B');
    const edited = joinNote(both, { text: 'tidied', hlc: h(30, 'c') }, [a.hlc, b.hlc]);
    expect(noteText(edited)).toBe('tidied');
  });
});
