import type { MessageRequest, MessageResponse } from '@shared/schemas/messages';
import { sendToTab } from '@/messaging/router';

/**
 * The right-click "Generate image…" on an editable area. Chrome's onClicked goes through the one
 * exported `handleContextMenuClick` (context-menus.ts), which hands this item here: the page's content
 * script opens the image composer at the caret. Nothing is generated until the person presses Generate.
 */

export const IMAGE_MENU_ITEM_ID = 'calico:image';

export type SendCompose = (tabId: number, request: MessageRequest<'image.compose'>) => Promise<MessageResponse<'image.compose'>>;

const defaultSend: SendCompose = (tabId, request) => sendToTab(tabId, 'image.compose', request);

export function isImageMenuItem(menuItemId: string | number): boolean {
  return String(menuItemId) === IMAGE_MENU_ITEM_ID;
}

export async function openImageComposer(
  info: { selectionText?: string; editable?: boolean },
  tab: { id?: number } | undefined,
  send: SendCompose = defaultSend,
): Promise<{ shown: boolean }> {
  if (tab?.id === undefined || tab.id < 0) return { shown: false };
  try {
    return await send(tab.id, { text: (info.selectionText ?? '').slice(0, 20_000), editable: info.editable === true });
  } catch (error) {
    // No content script in this tab (a browser page, a tab opened before the extension loaded).
    console.warn('CalicoLobster: this page has no image composer', error);
    return { shown: false };
  }
}
