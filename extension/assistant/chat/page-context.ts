import { getDb, type CalicoDb } from '@/db/database';
import type { AskSource } from '@/ai/engines/types';
import { pagePassages } from '@/ai/page-passages';

export { pagePassages };

/**
 * "This page": the active tab's clean text, as numbered passages an answer can cite. The text comes
 * from the page record capture already made (Readability-clean); a page not captured (paused, excluded,
 * opened before the extension) is read from the tab on this explicit request, as visible text only.
 */

export interface PageContext {
  url: string;
  title: string;
  text: string;
}

const MAX_PAGE_TEXT = 400_000;

/** The tab's visible text; runs inside the page (chrome.scripting), so it must be self-contained. */
function readVisibleText(max: number): { title: string; text: string } {
  return { title: document.title, text: (document.body?.innerText ?? '').slice(0, max) };
}

export async function activeTab(): Promise<chrome.tabs.Tab | undefined> {
  const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
  return tab;
}

export async function pageContextOf(tab: { id?: number; url?: string; title?: string }, db: CalicoDb = getDb()): Promise<PageContext | null> {
  if (!tab.url || !/^https?:/.test(tab.url)) return null;
  const record = (await db.pages.get(tab.url)) ?? (await db.pages.where('url').equals(tab.url.replace(/#.*$/, '')).first());
  if (record?.text) return { url: record.url, title: record.title || tab.title || record.url, text: record.text };
  if (tab.id === undefined) return null;
  try {
    const [result] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: readVisibleText, args: [MAX_PAGE_TEXT] });
    const read = result?.result as { title: string; text: string } | undefined;
    return read?.text ? { url: tab.url, title: read.title || tab.title || tab.url, text: read.text } : null;
  } catch {
    return null;
  }
}

const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{3,}/gu) ?? []);

/**
 * The passages of the page a question is about: those sharing the most words with it, in page order,
 * up to `max`. A question sharing nothing with the page ("summarise this") gets the page's opening.
 */
export function pageSources(page: PageContext, question: string, max = 6): AskSource[] {
  const passages = pagePassages(page.text);
  const q = words(question);
  const scored = passages.map((p, i) => {
    let score = 0;
    for (const w of words(p)) if (q.has(w)) score++;
    return { i, score };
  });
  const anyMatch = scored.some((s) => s.score > 0);
  const chosen = (anyMatch ? [...scored].sort((a, b) => b.score - a.score || a.i - b.i).slice(0, max) : scored.slice(0, max)).sort((a, b) => a.i - b.i);
  let site = '';
  try {
    site = new URL(page.url).hostname;
  } catch {
    // A page URL that does not parse keeps an empty site.
  }
  return chosen.map((c, k) => ({
    n: k + 1,
    id: `page:${page.url}#p${c.i}`,
    kind: 'page' as const,
    sourceId: page.url,
    url: page.url,
    title: page.title,
    site,
    text: passages[c.i]!,
  }));
}
