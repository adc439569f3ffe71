import type { SendCommand } from './context-menus';
import { sendToTab } from '@/messaging/router';

/**
 * Keyboard shortcuts (the manifest's `commands`; people change the keys at chrome://extensions/shortcuts).
 * "Open the assistant" is `_execute_action`, which Chrome handles by opening the popup itself.
 */

export const COMMANDS = {
  openSidePanel: 'open-side-panel',
  highlightSelection: 'highlight-selection',
  askSelection: 'ask-selection',
} as const;

const defaultSend: SendCommand = (tabId, command) => sendToTab(tabId, 'assistant.command', command);

export async function handleCommand(command: string, tab: chrome.tabs.Tab | undefined, send: SendCommand = defaultSend): Promise<boolean> {
  if (command === COMMANDS.openSidePanel) {
    // Called in the shortcut's own turn: Chrome lets sidePanel.open() run only inside a user gesture.
    if (tab?.id !== undefined) await chrome.sidePanel.open({ tabId: tab.id });
    else if (tab?.windowId !== undefined) await chrome.sidePanel.open({ windowId: tab.windowId });
    else return false;
    return true;
  }
  if (tab?.id === undefined) return false;
  const action = command === COMMANDS.highlightSelection ? 'save-highlight' : command === COMMANDS.askSelection ? 'ask' : null;
  if (!action) return false;
  try {
    return (await send(tab.id, { action, option: '', text: '', editable: false })).shown;
  } catch {
    return false;
  }
}

export function registerCommands(): void {
  chrome.commands.onCommand.addListener((command, tab) => void handleCommand(command, tab).catch((error) => console.warn('shortcut failed', command, error)));
}
