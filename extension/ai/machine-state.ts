import { onMessage } from '@/messaging/router';
import type { MachineState } from '@shared/schemas/ai-messages';

/**
 * Indexing runs in the background all day, so how hard it works follows whether the person is using
 * the machine: Chrome's idle state (no input for a minute, or the screen locked). Offscreen documents
 * can't read it (they only get chrome.runtime), so the background answers `ai.machineState`.
 */

/** No keyboard or mouse input for this long counts as idle (chrome.idle's minimum is 15 s). */
export const IDLE_AFTER_S = 60;

export interface DutyCycle {
  /** Rest after a batch, as a multiple of the time it took, while the person uses the machine. */
  active: number;
  /** ...and while they're away or the screen is locked. */
  away: number;
}

/** In use: a third of one core at most (rest twice the work). Away: nearly all of one core. */
export const DEFAULT_DUTY_CYCLE: DutyCycle = { active: 2, away: 0.1 };

/** How long to rest after a batch that took `batchMs`. Capped, so a slow batch never parks the queue. */
export function restAfterBatch(batchMs: number, state: MachineState, duty: DutyCycle = DEFAULT_DUTY_CYCLE): number {
  const factor = state === 'active' ? duty.active : duty.away;
  return Math.min(5_000, Math.max(0, batchMs) * factor);
}

/** Background: answers the offscreen document's question (needs the "idle" permission). */
export function registerMachineStateHandler(): void {
  onMessage('ai.machineState', async () => ({ state: (await chrome.idle.queryState(IDLE_AFTER_S)) as MachineState }));
}
