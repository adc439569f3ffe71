import { describe, expect, it } from 'vitest';
import { handleCommand } from './commands';
import type { SendCommand } from './context-menus';

describe('keyboard shortcuts', () => {
  it('highlight and ask go to the tab’s page as commands; unknown ones do nothing', async () => {
    const sent: unknown[] = [];
    const send: SendCommand = async (tabId, command) => {
      sent.push([tabId, command.action]);
      return { shown: true };
    };
    const tab = { id: 4 } as chrome.tabs.Tab;
    expect(await handleCommand('highlight-selection', tab, send)).toBe(true);
    expect(await handleCommand('ask-selection', tab, send)).toBe(true);
    expect(await handleCommand('something-else', tab, send)).toBe(false);
    expect(await handleCommand('ask-selection', undefined, send)).toBe(false);
    expect(sent).toEqual([
      [4, 'save-highlight'],
      [4, 'ask'],
    ]);
  });

  it('a page without the content script is a quiet no', async () => {
    const send: SendCommand = async () => {
      throw new Error('Receiving end does not exist.');
    };
    expect(await handleCommand('ask-selection', { id: 1 } as chrome.tabs.Tab, send)).toBe(false);
  });
});
