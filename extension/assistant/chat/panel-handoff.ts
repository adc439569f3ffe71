import { getDb, type CalicoDb } from '@/db/database';
import { sessionMailbox } from '@/panel/session-mailbox';

/**
 * "Continue in side panel": the popup leaves a short-lived mark before opening the panel; the panel
 * takes it when it starts and opens on the assistant (which resumes the newest conversation).
 */

const KEY = 'assistant.open-in-panel';
const FRESH_MS = 15_000;

export async function markOpenAssistantInPanel(db: CalicoDb = getDb()): Promise<void> {
  await db.state.put({ key: KEY, value: Date.now() });
}

export async function takeOpenAssistantInPanel(db: CalicoDb = getDb()): Promise<boolean> {
  const row = await db.state.get(KEY);
  if (!row) return false;
  await db.state.delete(KEY);
  return typeof row.value === 'number' && Date.now() - row.value < FRESH_MS;
}

/**
 * "Open in side panel" from the answer bubble: the background leaves the id of the conversation it
 * made of the bubble's answers in the panel's session mailbox (the panel may already be open, or not yet).
 */
export const HANDED_OVER_KEY = 'assistant.handedOverConversation';
const handedOver = sessionMailbox(HANDED_OVER_KEY);

export const stashHandedOverConversation = (id: string): Promise<void> => handedOver.put(id);

export async function takeHandedOverConversation(): Promise<string | null> {
  return (await handedOver.take()) ?? null;
}

/** Calls `listener` with each conversation handed over while the panel is open. Returns an unsubscribe. */
export const onHandedOverConversation = (listener: (id: string) => void): (() => void) => handedOver.listen(listener);
