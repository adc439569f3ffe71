import type { Page } from 'puppeteer-core';
import type { ExtensionBrowser } from './browser';
import { waitFor } from './wait';

/** `[data-testid="…"]` */
export const tid = (id: string) => `[data-testid="${id}"]`;

/**
 * Opens an extension surface (sidepanel.html, popup.html, options.html) in a tab of its own. The side
 * panel and the popup are the same pages Chrome shows in its panel and bubble, so a tab drives exactly
 * their code; only the frame around them differs.
 */
export async function openSurface(eb: ExtensionBrowser, page: 'sidepanel.html' | 'popup.html' | 'options.html'): Promise<Page> {
  const tab = await eb.browser.newPage();
  await tab.goto(eb.extensionUrl(page), { waitUntil: 'load', timeout: 90_000 });
  return tab;
}

/** Clicks into a field, clears it and types like a person. */
export async function typeInto(page: Page, testId: string, text: string): Promise<void> {
  const field = await page.waitForSelector(tid(testId), { visible: true, timeout: 60_000 });
  await field!.click();
  // Select what is there (like Ctrl+A) so typing replaces it.
  await field!.evaluate((el) => (el as HTMLInputElement).select?.());
  await page.keyboard.press('Backspace');
  if (text) await page.keyboard.type(text);
}

/** Waits for a control to be visible, then clicks it with the mouse. (Not a Locator: its "stable"
 * check waits on animation frames, which a tab in the background doesn't get.) */
export async function click(page: Page, testId: string): Promise<void> {
  const control = await page.waitForSelector(tid(testId), { visible: true, timeout: 60_000 });
  await control!.click();
}

export interface ResultItem {
  kind: string;
  id: string;
  title: string;
  snippet: string;
}

/** The side panel's results as a reader sees them. */
export async function readResults(page: Page): Promise<ResultItem[]> {
  return page.$$eval(tid('result-item'), (items) =>
    items.map((item) => ({
      kind: item.getAttribute('data-kind') ?? '',
      id: item.getAttribute('data-id') ?? '',
      title: item.querySelector('[data-testid="result-title"]')?.textContent?.trim() ?? '',
      snippet: item.querySelector('[data-testid="result-snippet"]')?.textContent?.trim() ?? '',
    })),
  );
}

/** Types a query in the side panel's search box and waits until the results satisfy `accept`. */
export async function searchSidePanel(
  page: Page,
  query: string,
  accept: (results: ResultItem[]) => boolean,
  timeout = 60_000,
): Promise<ResultItem[]> {
  await typeInto(page, 'search-input', query);
  return waitFor(() => readResults(page), accept, { timeout, message: `side-panel results for "${query}"` });
}

/** Whether a checkbox (found by test id; the id may sit on the input or on a wrapper) is checked. */
export async function isChecked(page: Page, testId: string): Promise<boolean> {
  return page.$eval(tid(testId), (el) => {
    const input = el instanceof HTMLInputElement ? el : el.querySelector('input');
    return Boolean(input?.checked ?? el.getAttribute('aria-checked') === 'true');
  });
}

/**
 * Opens the real popup (Chrome's bubble, bound to the active tab of the window) over `tab`: the tab is
 * brought to the front, then the service worker calls `chrome.action.openPopup()`. Unlike popup.html
 * opened as a tab, the popup's "current tab" is then the page under test.
 */
export async function openPopupOver(eb: ExtensionBrowser, tab: Page): Promise<Page> {
  await tab.bringToFront();
  const worker = await eb.browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${eb.extensionId}/`), { timeout: 30_000 });
  const sw = await worker.worker();
  await sw!.evaluate(() => (globalThis as unknown as { chrome: { action: { openPopup(): Promise<void> } } }).chrome.action.openPopup());
  const target = await eb.browser.waitForTarget((t) => t.url() === eb.extensionUrl('popup.html'), { timeout: 30_000 });
  const popup = await target.asPage();
  await popup.waitForSelector('body', { timeout: 30_000 });
  return popup;
}
