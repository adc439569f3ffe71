import type { BubbleCommand } from '@shared/schemas/assistant-page';
import type { MessageRequest, MessageResponse } from '@shared/schemas/messages';
import { sendToTab } from '@/messaging/router';
import { commandOf, menuItems } from './menu-items';
import { isImageMenuItem, openImageComposer } from '../images/image-menu';

/**
 * The right-click menu in the background. Chrome calls `contextMenus.onClicked` with the item and the
 * tab; that listener is `handleContextMenuClick` and nothing else, so tests drive the very code Chrome
 * runs (native menus can't be clicked by automation): in the service worker,
 * `globalThis.calicoAssistant.contextMenuClick(info, tab)` (see docs/testing.md).
 */

export type SendCommand = (tabId: number, command: MessageRequest<'assistant.command'>) => Promise<MessageResponse<'assistant.command'>>;

export interface MenuClick {
  menuItemId: string | number;
  selectionText?: string;
  editable?: boolean;
}

const defaultSend: SendCommand = (tabId, command) => sendToTab(tabId, 'assistant.command', command);

/** Sends the clicked item's command to the page's content script, which shows the bubble. */
export async function handleContextMenuClick(info: MenuClick, tab: { id?: number } | undefined, send: SendCommand = defaultSend): Promise<{ shown: boolean }> {
  if (isImageMenuItem(info.menuItemId)) return openImageComposer(info, tab);
  const command = commandOf(info.menuItemId);
  if (!command || tab?.id === undefined || tab.id < 0) return { shown: false };
  const message: BubbleCommand = {
    ...command,
    // Chrome collapses the selection's whitespace; the content script prefers the live selection.
    text: (info.selectionText ?? '').slice(0, 20_000),
    editable: info.editable === true,
  };
  try {
    return await send(tab.id, message);
  } catch (error) {
    // No content script here (a browser page, the Web Store, a tab opened before the extension loaded).
    console.warn('CalicoLobster: this page has no assistant', error);
    return { shown: false };
  }
}

function create(item: chrome.contextMenus.CreateProperties): Promise<void> {
  return new Promise((resolve) => {
    chrome.contextMenus.create(item, () => {
      // A duplicate id after a quick restart is harmless; read lastError so Chrome doesn't log it.
      void chrome.runtime.lastError;
      resolve();
    });
  });
}

export async function createContextMenus(): Promise<void> {
  await new Promise<void>((resolve) => chrome.contextMenus.removeAll(() => resolve()));
  for (const item of menuItems()) {
    await create({ id: item.id, title: item.title, contexts: item.contexts as [chrome.contextMenus.ContextType, ...chrome.contextMenus.ContextType[]], ...(item.parentId ? { parentId: item.parentId } : {}) });
  }
}

/** Menus persist across service-worker restarts; they are (re)made when the extension is installed or
 * updated and when the browser starts. The click listener is registered on every start. */
export function registerContextMenus(): void {
  chrome.runtime.onInstalled.addListener(() => void createContextMenus());
  chrome.runtime.onStartup.addListener(() => void createContextMenus());
  chrome.contextMenus.onClicked.addListener((info, tab) => void handleContextMenuClick(info, tab));
}
