import type { ExtensionBrowser } from './browser';
import { waitForRows } from './database';
import { click, openSurface, tid, typeInto } from './surfaces';

/**
 * Set-up the in-page assistant's e2e files share: clicking a right-click item the way Chrome does,
 * and letting the assistant use a local worker.
 */

/** What Chrome does on a right-click item: calls the background's onClicked handler with the item and
 * the tab showing `pageUrl` (native menus can't be clicked by automation). */
export async function contextMenuClick(eb: ExtensionBrowser, pageUrl: string, menuItemId: string, info: { selectionText?: string; editable?: boolean } = {}): Promise<{ shown: boolean }> {
  const target = await eb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().includes(eb.extensionId), { timeout: 30_000 });
  const sw = await target.worker();
  if (!sw) throw new Error('no service worker');
  return sw.evaluate(
    async (id: string, url: string, extra: { selectionText?: string; editable?: boolean }) => {
      const tab = (await chrome.tabs.query({})).find((t) => t.url === url);
      const hook = (globalThis as unknown as { calicoAssistant: { contextMenuClick: (info: unknown, tab: unknown) => Promise<{ shown: boolean }> } }).calicoAssistant;
      return hook.contextMenuClick({ menuItemId: id, ...extra }, tab);
    },
    menuItemId,
    pageUrl,
    info,
  );
}

/** Creates an account on the local worker from the options page and sets privacy to "allow my worker". */
export async function allowWorker(eb: ExtensionBrowser, workerUrl: string, deviceName: string): Promise<void> {
  const options = await openSurface(eb, 'options.html');
  await typeInto(options, 'sync-worker-url', workerUrl);
  await typeInto(options, 'sync-device-name', deviceName);
  await click(options, 'sync-create-account');
  await options.waitForSelector(tid('sync-account'), { timeout: 60_000 });
  await click(options, 'ai-privacy-allow-worker');
  await waitForRows<{ key: string; value: unknown }>(eb, 'settings', (rows) => rows.some((r) => r.key === 'ai.privacy' && r.value === 'allow-worker'));
  await options.close();
}
