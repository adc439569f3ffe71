import { describe, expect, it } from 'vitest';
import { menuItems } from '../actions/menu-items';
import { IMAGE_MENU_ITEM_ID, isImageMenuItem, openImageComposer } from './image-menu';

describe('“Generate image…” in the right-click menu', () => {
  it('is offered on editable areas only', () => {
    const item = menuItems().find((i) => i.id === IMAGE_MENU_ITEM_ID);
    expect(item).toMatchObject({ title: 'Generate image…', contexts: ['editable'] });
    expect(isImageMenuItem('calico:image')).toBe(true);
    expect(isImageMenuItem('calico:improve')).toBe(false);
  });

  it('asks the clicked tab to open the composer, and reports a tab without a content script', async () => {
    const sent: unknown[] = [];
    expect(await openImageComposer({ selectionText: 'tide pools', editable: true }, { id: 4 }, async (tabId, request) => {
      sent.push([tabId, request]);
      return { shown: true };
    })).toEqual({ shown: true });
    expect(sent).toEqual([[4, { text: 'tide pools', editable: true }]]);
    expect(await openImageComposer({}, { id: 5 }, async () => {
      throw new Error('Could not establish connection');
    })).toEqual({ shown: false });
    expect(await openImageComposer({}, undefined)).toEqual({ shown: false });
  });
});
