import { onMessage } from '@/messaging/router';
import { stashPendingQuery } from './pending-query';

export const SIDE_PANEL_PATH = 'sidepanel.html';

/** Start-up: one global side panel page, enabled everywhere. */
export async function configureSidePanel(): Promise<void> {
  await chrome.sidePanel.setOptions({ path: SIDE_PANEL_PATH, enabled: true });
}

/**
 * 'panel.open' from a content script (the overlay's Ask button). Chrome only lets sidePanel.open() run
 * while the user gesture that sent the message is still current — it travels with runtime.sendMessage
 * into this listener's first turn — so open() is called before anything is awaited. Where Chrome
 * refuses anyway (no gesture, an old Chrome), the panel page opens in a tab beside the sender, where it
 * reads the same pending query.
 */
export function registerPanelHandlers(): void {
  onMessage('panel.open', async ({ query }, { sender }) => {
    const tab = sender.tab;
    let opening: Promise<void>;
    try {
      opening =
        tab?.id !== undefined
          ? chrome.sidePanel.open({ tabId: tab.id })
          : tab?.windowId !== undefined
            ? chrome.sidePanel.open({ windowId: tab.windowId })
            : Promise.reject(new Error('no tab to open the side panel in'));
    } catch (error) {
      opening = Promise.reject(error);
    }
    if (query) await stashPendingQuery(query);
    try {
      await opening;
      return { opened: true };
    } catch (error) {
      console.warn('sidePanel.open refused; opening the panel in a tab', error);
      await chrome.tabs.create({
        url: chrome.runtime.getURL(`/${SIDE_PANEL_PATH}`),
        ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}),
        ...(tab?.windowId !== undefined ? { windowId: tab.windowId } : {}),
      });
      return { opened: true };
    }
  });
}
