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
