import { sendToTab } from '@/messaging/router';

/**
 * Opening what a result points at, from an extension page (side panel, popup). A tab already showing
 * the URL is reused; otherwise a new tab opens next to the current one, so the page the user was on is
 * never navigated away.
 */

function sameDocument(a: string | undefined, b: string): boolean {
  if (!a) return false;
  const strip = (u: string) => u.replace(/#.*$/, '').replace(/\/$/, '');
  return strip(a) === strip(b);
}

/** Imported books and documents are keyed `kindle://…`, `readwise://…`, `urn:…`: no tab can show them. */
export function isOpenableUrl(url: string): boolean {
  return /^(https?|file):\/\//i.test(url);
}

export async function openUrl(url: string): Promise<chrome.tabs.Tab> {
  if (!isOpenableUrl(url)) throw new Error(`This comes from an import (${url.split('/').slice(0, 3).join('/')}…) and has no web page to open.`);
  const tabs = await chrome.tabs.query({ currentWindow: true });
  const existing = tabs.find((t) => sameDocument(t.url, url));
  if (existing?.id !== undefined) {
    return chrome.tabs.update(existing.id, { active: true }) as Promise<chrome.tabs.Tab>;
  }
  const active = tabs.find((t) => t.active);
  return chrome.tabs.create({ url, active: true, ...(active ? { index: active.index + 1 } : {}) });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Asks the tab's content script to scroll to a highlight. The content script may not be there yet (the
 * page is loading) or not have painted the highlight yet, so this retries — a bounded number of times.
 */
export async function revealInTab(tabId: number, id: string, attempts = 24, delayMs = 500): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    try {
      const { found } = await sendToTab(tabId, 'highlight.reveal', { id });
      if (found) return true;
    } catch {
      // No receiver yet: the page is still loading.
    }
    await sleep(delayMs);
  }
  return false;
}

/** Opens the highlight's page and scrolls to it. */
export async function openHighlight(highlight: { id: string; url: string }): Promise<boolean> {
  const tab = await openUrl(highlight.url);
  if (tab.id === undefined) return false;
  return revealInTab(tab.id, highlight.id);
}
