import { describe, expect, it } from 'vitest';
import { compareHlc, formatHlc, HLC_ZERO, HlcClock, HlcError, MAX_COUNTER, parseHlc } from './hlc';

describe('HLC format', () => {
  it('round-trips and sorts as strings in time, counter, node order', () => {
    const a = formatHlc({ ms: 1_700_000_000_000, counter: 0, node: 'devA' });
    const b = formatHlc({ ms: 1_700_000_000_000, counter: 1, node: 'devA' });
    const c = formatHlc({ ms: 1_700_000_000_001, counter: 0, node: 'devA' });
    const d = formatHlc({ ms: 1_700_000_000_001, counter: 0, node: 'devB' });
    expect(parseHlc(a)).toEqual({ ms: 1_700_000_000_000, counter: 0, node: 'devA' });
    expect([d, c, b, a].sort()).toEqual([a, b, c, d]);
    expect(compareHlc(a, b)).toBe(-1);
    expect(compareHlc(HLC_ZERO, a)).toBe(-1);
  });

  it('rejects malformed input', () => {
    expect(() => parseHlc('12-3-x')).toThrow(HlcError);
    expect(() => formatHlc({ ms: 1, counter: 0, node: 'has-dash' })).toThrow(HlcError);
    expect(() => formatHlc({ ms: -1, counter: 0, node: 'a' })).toThrow(HlcError);
    expect(() => formatHlc({ ms: 1, counter: MAX_COUNTER + 1, node: 'a' })).toThrow(HlcError);
  });
});

describe('HlcClock', () => {
  it('follows wall time and stays strictly increasing when wall time stalls or goes back', () => {
    let wall = 1000;
    const clock = new HlcClock('dev1', { now: () => wall });
    const seen = [clock.now(), clock.now()];
    wall = 500; // the system clock was set back
    seen.push(clock.now());
    wall = 2000;
    seen.push(clock.now());
    for (let i = 1; i < seen.length; i++) expect(compareHlc(seen[i - 1]!, seen[i]!)).toBe(-1);
    expect(parseHlc(seen[3]!)).toEqual({ ms: 2000, counter: 0, node: 'dev1' });
  });

  it('orders a local event after any received remote one, even from a clock ahead of ours', () => {
    const clock = new HlcClock('local', { now: () => 1000 });
    const remote = formatHlc({ ms: 5000, counter: 7, node: 'remote' });
    clock.receive(remote);
    const next = clock.now();
    expect(compareHlc(next, remote)).toBe(1);
    expect(parseHlc(next)).toMatchObject({ ms: 5000, counter: 9 });
  });

  it('refuses a remote clock too far ahead', () => {
    const clock = new HlcClock('local', { now: () => 0, maxDriftMs: 1000 });
    expect(() => clock.receive(formatHlc({ ms: 5000, counter: 0, node: 'r' }))).toThrow(/ahead/);
  });

  it('rolls into the next millisecond when the counter is exhausted', () => {
    const clock = new HlcClock('n', { now: () => 10 }, formatHlc({ ms: 10, counter: MAX_COUNTER, node: 'n' }));
    expect(parseHlc(clock.now())).toEqual({ ms: 11, counter: 0, node: 'n' });
  });

  it('never reissues a stamp after a restart from the persisted value', () => {
    const first = new HlcClock('n', { now: () => 10 });
    first.now();
    const last = first.now();
    const restarted = new HlcClock('n', { now: () => 10 }, first.current);
    expect(compareHlc(restarted.now(), last)).toBe(1);
  });
});
