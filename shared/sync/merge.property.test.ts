import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Change, type Change as ChangeT, type ServerRecord } from '../schemas/sync';
import { HlcClock } from './hlc';
import { applyChange, canonicalJson, serverRecordOf, type RecordState } from './merge';

/**
 * Property: the merge is a state-based CRDT. Three devices edit one highlight (fields, note, deletes),
 * each from what it last pulled, with one device's clock ten minutes fast; the changes they made are
 * then delivered to replicas in arbitrary orders, each change any number of times. Every replica must
 * end in exactly the state of the replica that received them in the order they were made.
 */

const KEY = 'hl_property1';
const COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;

function baseHighlight(): Record<string, unknown> {
  return {
    id: KEY,
    url: 'https://example.com/a',
    site: 'example.com',
    pageTitle: 'A page',
    text: 'quoted text',
    color: 'yellow',
    note: '',
    selectors: [{ type: 'TextQuoteSelector', exact: 'quoted text', prefix: '', suffix: '' }],
    anchorStatus: 'pending',
    createdAt: 1,
    updatedAt: 1,
  };
}

type Action =
  | { device: number; op: 'field'; field: 'color' | 'pageTitle' | 'anchorStatus'; n: number }
  | { device: number; op: 'note'; replace: boolean; n: number }
  | { device: number; op: 'delete' }
  | { device: number; op: 'create' }
  | { device: number; op: 'pull' }
  | { device: number; op: 'tick'; ms: number };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.record({ device: fc.nat(2), op: fc.constant('field' as const), field: fc.constantFrom('color' as const, 'pageTitle' as const, 'anchorStatus' as const), n: fc.nat(4) }),
  fc.record({ device: fc.nat(2), op: fc.constant('note' as const), replace: fc.boolean(), n: fc.nat(99) }),
  fc.record({ device: fc.nat(2), op: fc.constant('delete' as const) }),
  fc.record({ device: fc.nat(2), op: fc.constant('create' as const) }),
  fc.record({ device: fc.nat(2), op: fc.constant('pull' as const) }),
  fc.record({ device: fc.nat(2), op: fc.constant('tick' as const), ms: fc.integer({ min: 0, max: 5 }) }),
);

interface Device {
  clock: HlcClock;
  /** What the device holds: the last pulled record with its own edits on top. */
  data: Record<string, unknown> | null;
  noteSeen: string[];
}

/** Runs the devices' script against one replica (the server, in the order changes were made) and
 * returns every change they made. */
function simulate(actions: Action[]): { changes: ChangeT[]; reference: RecordState | undefined } {
  let wall = 1_764_000_000_000;
  const skew = [0, 0, 10 * 60_000];
  const devices: Device[] = ['devA', 'devB', 'devC'].map((node, i) => ({
    clock: new HlcClock(node, { now: () => wall + skew[i]!, maxDriftMs: Number.MAX_SAFE_INTEGER }),
    data: null,
    noteSeen: [],
  }));
  const changes: ChangeT[] = [];
  let reference: RecordState | undefined;
  const push = (change: ChangeT) => {
    changes.push(change);
    reference = applyChange(reference, change).state;
  };
  for (const a of actions) {
    const d = devices[a.device]!;
    if (a.op === 'tick') {
      wall += a.ms;
      continue;
    }
    if (a.op === 'pull') {
      const record: ServerRecord | null = reference ? serverRecordOf(reference) : null;
      if (record) d.clock.receive(record.hlc);
      d.data = record?.data ? { ...record.data } : null;
      d.noteSeen = record?.noteHeads ?? (record?.fieldHlcs.note ? [record.fieldHlcs.note] : []);
      continue;
    }
    const hlc = d.clock.now();
    if (a.op === 'delete') {
      push(Change.parse({ op: 'delete', kind: 'highlight', key: KEY, hlc }));
      d.data = null;
      continue;
    }
    if (a.op === 'create' || !d.data) {
      d.data = { ...baseHighlight(), note: d.data ? d.data.note : '' };
      push(Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc, data: d.data, noteBase: d.noteSeen.at(-1) ?? null, noteBases: d.noteSeen }));
      d.noteSeen = [hlc];
      continue;
    }
    if (a.op === 'field') {
      const value = a.field === 'color' ? COLORS[a.n] : a.field === 'anchorStatus' ? (['pending', 'anchored', 'orphan'] as const)[a.n % 3] : `Title ${a.n}`;
      d.data = { ...d.data, [a.field]: value };
      push(Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc, data: d.data, fields: [a.field] }));
      continue;
    }
    const line = `${hlc.slice(-4)} wrote ${a.n}`;
    d.data = { ...d.data, note: a.replace ? line : `${String(d.data.note ?? '')}\n${line}` };
    push(Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc, data: d.data, fields: ['note'], noteBase: d.noteSeen.at(-1) ?? null, noteBases: d.noteSeen }));
    d.noteSeen = [hlc];
  }
  return { changes, reference };
}

function fold(changes: ChangeT[]): RecordState | undefined {
  let state: RecordState | undefined;
  for (const change of changes) state = applyChange(state, change).state;
  return state;
}

/** Any order of the changes, each delivered once or more. */
function deliveries(n: number): fc.Arbitrary<number[]> {
  const indices = Array.from({ length: n }, (_, i) => i);
  return fc.tuple(fc.shuffledSubarray(indices, { minLength: n, maxLength: n }), fc.array(fc.nat(Math.max(0, n - 1)), { maxLength: n })).chain(([order, extra]) =>
    fc.shuffledSubarray([...order, ...(n > 0 ? extra : [])], { minLength: order.length + (n > 0 ? extra.length : 0), maxLength: order.length + (n > 0 ? extra.length : 0) }),
  );
}

describe('merge is a CRDT', () => {
  it('every delivery order, with duplicates, ends in the same state', () => {
    fc.assert(
      fc.property(
        fc.array(action, { minLength: 1, maxLength: 40 }).chain((actions) => {
          const run = simulate(actions);
          return fc.tuple(fc.constant(run), deliveries(run.changes.length), deliveries(run.changes.length));
        }),
        ([run, order1, order2]) => {
          const expected = canonicalJson(run.reference ?? null);
          for (const order of [order1, order2]) {
            const state = fold(order.map((i) => run.changes[i]!));
            expect(canonicalJson(state ?? null)).toBe(expected);
          }
        },
      ),
      { numRuns: 400, seed: 20_261_203 },
    );
  });

  it('merging two replicas’ states change by change is idempotent: re-delivering everything changes nothing', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 30 }), (actions) => {
        const { changes, reference } = simulate(actions);
        let state = reference;
        for (const change of changes) {
          const r = applyChange(state, change);
          expect(r.changed).toBe(false);
          state = r.state;
        }
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('the issue’s case: a delete concurrent with edits from two other devices ends the same in every order', () => {
    const clock = (node: string, ms: number) => new HlcClock(node, { now: () => ms });
    const create = Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc: clock('devA', 100).now(), data: baseHighlight() });
    const titled = Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc: clock('devB', 300).now(), data: { ...baseHighlight(), pageTitle: 'Renamed' }, fields: ['pageTitle'] });
    const deleted = Change.parse({ op: 'delete', kind: 'highlight', key: KEY, hlc: clock('devC', 200).now() });
    const colored = Change.parse({ op: 'put', kind: 'highlight', key: KEY, hlc: clock('devA', 150).now(), data: { ...baseHighlight(), color: 'blue' }, fields: ['color'] });
    const orders = [
      [create, titled, deleted, colored],
      [create, colored, deleted, titled],
      [create, deleted, colored, titled],
      [titled, deleted, create, colored],
    ];
    const states = orders.map((o) => canonicalJson(fold(o)));
    expect(new Set(states).size).toBe(1);
    const state = fold(orders[0]!)!;
    expect(state.data).toMatchObject({ pageTitle: 'Renamed', color: 'blue' });
  });
});
