import { openHighlight, openUrl } from '@/panel/open-result';

/**
 * A citation opens its source where the cited words are: a highlight through the content script's
 * reveal; a page passage by finding the passage's opening words in the tab and scrolling them into the
 * middle of the view, selected, so the eye lands on them.
 */

/** Runs inside the page (chrome.scripting): finds `needle` across text nodes, scrolls to it, selects it. */
function scrollToText(needle: string): boolean {
  // One character for one character, so offsets in the joined text map back into each node.
  const norm = (s: string) => s.replace(/\s/g, ' ').toLowerCase();
  const target = needle.replace(/\s+/g, ' ').trim().toLowerCase();
  if (!target) return false;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const nodes: { node: Text; start: number }[] = [];
  let all = '';
  for (let n = walker.nextNode() as Text | null; n; n = walker.nextNode() as Text | null) {
    const piece = norm(n.data);
    // Keep a space between blocks so words from neighbouring elements do not run together.
    if (all && !all.endsWith(' ') && !piece.startsWith(' ')) all += ' ';
    nodes.push({ node: n, start: all.length });
    all += piece;
  }
  const pattern = new RegExp(target.split(' ').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(' +'));
  const match = pattern.exec(all);
  if (!match) return false;
  const at = match.index;
  const locate = (offset: number) => {
    let i = nodes.length - 1;
    while (i > 0 && nodes[i]!.start > offset) i--;
    const { node, start } = nodes[i]!;
    return { node, offset: Math.min(node.data.length, Math.max(0, offset - start)) };
  };
  const from = locate(at);
  const to = locate(at + match[0].length);
  const range = document.createRange();
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  (from.node.parentElement ?? document.body).scrollIntoView({ block: 'center' });
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
  const needle = passageNeedle(source.text);
  for (let i = 0; i < attempts; i++) {
    try {
      const current = await chrome.tabs.get(tab.id);
      if (current.status === 'complete') {
        const [result] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: scrollToText, args: [needle] });
        if (result?.result) return true;
      }
    } catch {
      // The tab is still navigating; try again.
    }
    await sleep(250);
  }
  return false;
}
