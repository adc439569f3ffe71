import { describe, expect, it } from 'vitest';
import { BubbleCommand } from '@shared/schemas/assistant-page';
import { handleContextMenuClick, type SendCommand } from './context-menus';
import { commandOf, menuItems } from './menu-items';

describe('right-click menu', () => {
  it('has unique ids, every leaf maps to a valid command, and parents exist', () => {
    const items = menuItems();
    const ids = items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
    const parents = new Set(items.filter((i) => i.parentId).map((i) => i.parentId));
    for (const parent of parents) expect(ids).toContain(parent);
    for (const item of items) {
      // "Generate image…" opens the image composer, not the bubble (extension/assistant/images/image-menu.ts).
      if (item.id === 'calico:image') continue;
      if (parents.has(item.id)) {
        expect(commandOf(item.id)).toBeNull();
        continue;
      }
      const command = commandOf(item.id);
      expect(command, item.id).not.toBeNull();
      expect(BubbleCommand.safeParse({ ...command, text: 'x' }).success).toBe(true);
    }
  });

  it('offers the issue’s actions on a selection, the page and an editable field', () => {
    const byContext = (c: string) => menuItems().filter((i) => i.contexts.includes(c as never) && !i.parentId).map((i) => i.title);
    expect(byContext('selection')).toEqual(expect.arrayContaining(['Save highlight', 'Ask about this…', 'Explain', 'Summarize', 'Improve writing', 'Proofread', 'Change tone', 'Translate', 'Find references in my memory', 'Outline → prose (from my highlights)']));
    expect(byContext('page')).toEqual(['Summarize this page', 'Ask about this page…']);
    expect(byContext('editable')).toEqual(expect.arrayContaining(['Improve writing', 'Proofread', 'Change tone', 'Translate']));
    const tones = menuItems().filter((i) => i.parentId === 'calico:tone').map((i) => i.title);
    expect(tones).toEqual(['More formal', 'Friendlier', 'More concise', 'More confident']);
  });

  it('the click handler sends the item’s command to the tab it was clicked in', async () => {
    const sent: [number, unknown][] = [];
    const send: SendCommand = async (tabId, command) => {
      sent.push([tabId, command]);
      return { shown: true };
    };
    expect(await handleContextMenuClick({ menuItemId: 'calico:tone:concise', selectionText: 'Hello there', editable: true }, { id: 7 }, send)).toEqual({ shown: true });
    expect(sent).toEqual([[7, { action: 'tone', option: 'concise', text: 'Hello there', editable: true }]]);
  });

  it('ignores ids that are not ours, clicks without a tab, and survives a page without a content script', async () => {
    const send: SendCommand = async () => {
      throw new Error('Could not establish connection. Receiving end does not exist.');
    };
    expect(await handleContextMenuClick({ menuItemId: 'someone-else' }, { id: 1 }, send)).toEqual({ shown: false });
    expect(await handleContextMenuClick({ menuItemId: 'calico:explain' }, undefined, send)).toEqual({ shown: false });
    expect(await handleContextMenuClick({ menuItemId: 'calico:explain', selectionText: 'x' }, { id: 3 }, send)).toEqual({ shown: false });
  });
});
