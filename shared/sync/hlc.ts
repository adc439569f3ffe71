/**
 * Hybrid logical clock (Kulkarni et al.): a timestamp that follows wall time when clocks behave, yet
 * never goes backwards and always orders a change after every change its device has already seen.
 * Sync uses it for last-writer-wins per field; wall time alone would let one skewed clock or two
 * writes in the same millisecond decide conflicts arbitrarily.
 *
 * Wire format: `<15-digit ms>-<5-digit counter>-<node id>`, e.g. `001764072000000-00000-devA1`.
 * Fixed widths make plain string comparison equal to causal-then-node order, so both sides (and SQL
 * `ORDER BY`) can compare HLCs without parsing them.
 */

export interface Hlc {
  /** Wall-clock component, ms since epoch. */
  readonly ms: number;
  /** Orders events within the same `ms`. */
  readonly counter: number;
  /** The device that made the change; breaks ties so no two devices ever produce equal HLCs. */
  readonly node: string;
}

const MS_DIGITS = 15;
const COUNTER_DIGITS = 5;
export const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
/** Node ids are url-safe tokens, short enough to keep every HLC under 64 characters. */
export const NODE_PATTERN = /^[A-Za-z0-9_]{1,40}$/;
export const HLC_PATTERN = /^\d{15}-\d{5}-[A-Za-z0-9_]{1,40}$/;
/** The smallest possible HLC: compares below every real one. */
export const HLC_ZERO = `${'0'.repeat(MS_DIGITS)}-${'0'.repeat(COUNTER_DIGITS)}-0`;

export class HlcError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HlcError';
  }
}

function checkNode(node: string): void {
  if (!NODE_PATTERN.test(node)) throw new HlcError(`invalid HLC node id ${JSON.stringify(node)}`);
}

export function formatHlc(hlc: Hlc): string {
  checkNode(hlc.node);
  if (!Number.isSafeInteger(hlc.ms) || hlc.ms < 0 || hlc.ms >= 10 ** MS_DIGITS) throw new HlcError('HLC time out of range');
  if (!Number.isInteger(hlc.counter) || hlc.counter < 0 || hlc.counter > MAX_COUNTER) throw new HlcError('HLC counter out of range');
  return `${String(hlc.ms).padStart(MS_DIGITS, '0')}-${String(hlc.counter).padStart(COUNTER_DIGITS, '0')}-${hlc.node}`;
}

export function parseHlc(text: string): Hlc {
  if (!HLC_PATTERN.test(text)) throw new HlcError(`not an HLC: ${JSON.stringify(text.slice(0, 80))}`);
  const [ms, counter, node] = text.split('-') as [string, string, string];
  return { ms: Number(ms), counter: Number(counter), node };
}

/** Total order: time, then counter, then node id. Works on the formatted strings directly. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxHlc(a: string, b: string): string {
  return compareHlc(a, b) >= 0 ? a : b;
}

export interface HlcClockOptions {
  /** Reads wall time; injectable for tests. */
  now?: () => number;
  /** A remote HLC further ahead of our wall clock than this is refused, so one device with a clock set
   * years ahead can't win every future conflict. Default one hour. */
  maxDriftMs?: number;
}

/**
 * A device's clock. `now()` stamps a local change; `receive()` folds in an HLC seen from elsewhere
 * (a pulled change, the server's clock) so the next local stamp sorts after it.
 */
export class HlcClock {
  private last: Hlc;
  private readonly wall: () => number;
  private readonly maxDriftMs: number;

  constructor(node: string, options: HlcClockOptions = {}, last?: string) {
    checkNode(node);
    this.wall = options.now ?? Date.now;
    this.maxDriftMs = options.maxDriftMs ?? 60 * 60 * 1000;
    const restored = last ? parseHlc(last) : undefined;
    // A restored clock keeps its node id but never moves below what it had already issued.
    this.last = { ms: restored?.ms ?? 0, counter: restored?.counter ?? 0, node };
  }

  get node(): string {
    return this.last.node;
  }

  /** The last HLC issued or received (persist it so a restarted device never reuses a stamp). */
  get current(): string {
    return formatHlc(this.last);
  }

  /** Stamps a local event. */
  now(): string {
    const wall = this.wall();
    if (wall > this.last.ms) this.last = { ms: wall, counter: 0, node: this.last.node };
    else this.last = this.bump(this.last.ms, this.last.counter);
    return formatHlc(this.last);
  }

  /** Merges a remote HLC into this clock; returns the clock's new value. */
  receive(remote: string): string {
    const r = parseHlc(remote);
    const wall = this.wall();
    if (r.ms - wall > this.maxDriftMs) throw new HlcError(`remote clock is ${r.ms - wall} ms ahead of ours`);
    const ms = Math.max(wall, this.last.ms, r.ms);
    if (ms === this.last.ms && ms === r.ms) this.last = this.bump(ms, Math.max(this.last.counter, r.counter));
    else if (ms === this.last.ms) this.last = this.bump(ms, this.last.counter);
    else if (ms === r.ms) this.last = this.bump(ms, r.counter);
    else this.last = { ms, counter: 0, node: this.last.node };
    return formatHlc(this.last);
  }

  private bump(ms: number, counter: number): Hlc {
    // Counter overflow within one millisecond borrows the next millisecond rather than failing: the
    // clock runs slightly ahead of wall time until wall time catches up.
    if (counter >= MAX_COUNTER) return { ms: ms + 1, counter: 0, node: this.last.node };
    return { ms, counter: counter + 1, node: this.last.node };
  }
}
