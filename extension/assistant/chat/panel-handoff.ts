import { getDb, type CalicoDb } from '@/db/database';

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
 * made of the bubble's answers. In chrome.storage.session, like the panel's pending query, because the
 * panel may already be open (it hears the change) or not yet (it takes the id when it starts).
 */
export const HANDED_OVER_KEY = 'assistant.handedOverConversation';

export async function stashHandedOverConversation(id: string): Promise<void> {
  await chrome.storage.session.set({ [HANDED_OVER_KEY]: id });
}

export async function takeHandedOverConversation(): Promise<string | null> {
  const value = (await chrome.storage.session.get(HANDED_OVER_KEY))[HANDED_OVER_KEY];
  if (typeof value !== 'string') return null;
  await chrome.storage.session.remove(HANDED_OVER_KEY);
  return value;
}

/** Calls `listener` with each conversation handed over while the panel is open. Returns an unsubscribe. */
export function onHandedOverConversation(listener: (id: string) => void): () => void {
  const handle = (changes: Record<string, chrome.storage.StorageChange>, area: string) => {
    const value = changes[HANDED_OVER_KEY]?.newValue;
    if (area !== 'session' || typeof value !== 'string') return;
    void chrome.storage.session.remove(HANDED_OVER_KEY);
    listener(value);
  };
  chrome.storage.onChanged.addListener(handle);
  return () => chrome.storage.onChanged.removeListener(handle);
}
