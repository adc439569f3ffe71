import { HlcClock, NODE_PATTERN } from '@shared/sync/hlc';

/**
 * This device's hybrid logical clock. A change is stamped with the time it was *made* (its change-log
 * entry's `at`), not the time it is pushed, so an edit made offline an hour ago doesn't beat an edit
 * another device made since; the HLC still never runs backwards and always sorts after every HLC this
 * device has seen.
 */
export class DeviceClock {
  private wall: number | null = null;
  private readonly clock: HlcClock;

  constructor(node: string, last?: string, private readonly now: () => number = Date.now) {
    this.clock = new HlcClock(nodeId(node), { now: () => this.wall ?? this.now() }, last);
  }

  get current(): string {
    return this.clock.current;
  }

  /** Stamps a change made at `at` (ms; clamped to now). */
  stampAt(at: number): string {
    this.wall = Number.isFinite(at) && at > 0 ? Math.min(at, this.now()) : this.now();
    try {
      return this.clock.now();
    } finally {
      this.wall = null;
    }
  }

  /** Folds in an HLC seen from the server; one far in the future is ignored rather than followed. */
  receive(remote: string): void {
    try {
      this.clock.receive(remote);
    } catch {
      // A remote clock more than an hour ahead: keep ours (HlcClock refuses to jump there).
    }
  }
}

/** The worker's device ids (`dev_…`) are valid HLC node ids already; anything else is made one. */
export function nodeId(deviceId: string): string {
  if (NODE_PATTERN.test(deviceId)) return deviceId;
  const cleaned = deviceId.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40);
  return cleaned || 'device';
}
