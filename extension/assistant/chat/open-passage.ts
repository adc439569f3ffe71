import { openHighlight, openUrl } from '@/panel/open-result';

/**
 * A citation opens its source where the cited words are: a highlight through the content script's
 * reveal; a page passage by finding the passage's opening words in the tab and scrolling them into the
 * middle of the view, selected, so the eye lands on them.
 */

/**
 * Runs inside the page (chrome.scripting): finds `needle` in the page's text, scrolls to it, selects it.
 * Compared on non-space characters only: stored page text may join blocks without a space ("window.Tides")
 * or keep spaces the DOM splits differently, and either way the words are the same.
 */
function scrollToText(needle: string): boolean {
  const target = needle.replace(/\s+/g, '').toLowerCase();
  if (!target) return false;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  const nodeOf: number[] = [];
  const offsetOf: number[] = [];
  let chars = '';
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const tag = n.parentElement?.tagName;
    if (tag === 'SCRIPT' || tag === 'STYLE' || tag === 'NOSCRIPT') continue;
    nodes.push(n);
    const data = n.data;
    for (let i = 0; i < data.length; i++) {
      if (/\s/.test(data[i]!)) continue;
      chars += data[i]!.toLowerCase();
      nodeOf.push(nodes.length - 1);
      offsetOf.push(i);
    }
  }
  const at = chars.indexOf(target);
  if (at < 0) return false;
  const end = at + target.length - 1;
  const range = document.createRange();
  range.setStart(nodes[nodeOf[at]!]!, offsetOf[at]!);
  range.setEnd(nodes[nodeOf[end]!]!, offsetOf[end]! + 1);
  (nodes[nodeOf[at]!]!.parentElement ?? document.body).scrollIntoView({ block: 'center' });
  const selection = window.getSelection();
  selection?.removeAllRanges();
  selection?.addRange(range);
  return true;
}

/** The passage's opening words: long enough to be unique on the page, short enough to sit in one block. */
export function passageNeedle(text: string, words = 8): string {
  return text.replace(/\s+/g, ' ').trim().split(' ').slice(0, words).join(' ');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function openPassage(source: { url: string; text: string; highlightId?: string }, attempts = 20): Promise<boolean> {
  if (source.highlightId) return openHighlight({ id: source.highlightId, url: source.url });
  const tab = await openUrl(source.url);
  if (tab.id === undefined) return false;
  // A source written as lines (a product from product memory: its name, then specs and prices) is not
  // page text past its first line: that line (the product's name) is the place to land.
  const needles = [...new Set([passageNeedle(source.text), passageNeedle((source.text.split('\n')[0] ?? '').replace(/[.!?]+$/, ''))])].filter(Boolean);
  let lastError: unknown;
  for (let i = 0; i < attempts; i++) {
    try {
      const current = await chrome.tabs.get(tab.id);
      if (current.status === 'complete') {
        for (const needle of needles) {
          const [result] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: scrollToText, args: [needle] });
          if (result?.result) return true;
        }
      }
    } catch (error) {
      // The tab is still navigating; try again (and say why, if it never works).
      lastError = error;
    }
    await sleep(250);
  }
  if (lastError) throw lastError;
  return false;
}
