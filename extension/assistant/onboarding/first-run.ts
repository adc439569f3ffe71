/**
 * Whether the first-run card was dismissed on this device. Kept in chrome.storage.local (not the
 * synced settings): a new device is a new first run.
 */

export const FIRST_RUN_KEY = 'assistant.firstRunDismissed';

export async function isFirstRunDismissed(): Promise<boolean> {
  const stored = await chrome.storage.local.get(FIRST_RUN_KEY);
  return stored[FIRST_RUN_KEY] === true;
}

export async function dismissFirstRun(): Promise<void> {
  await chrome.storage.local.set({ [FIRST_RUN_KEY]: true });
}

export interface Shortcut {
  name: string;
  description: string;
  shortcut: string;
}

/** The keyboard shortcuts as the person has set them (chrome://extensions/shortcuts). */
export async function readShortcuts(): Promise<Shortcut[]> {
  if (!chrome.commands?.getAll) return [];
  const commands = await chrome.commands.getAll();
  return commands.map((c) => ({ name: c.name ?? '', description: c.description || (c.name === '_execute_action' ? 'Open the assistant' : c.name ?? ''), shortcut: c.shortcut ?? '' }));
}
