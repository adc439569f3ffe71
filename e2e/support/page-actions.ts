import type { Page } from 'puppeteer-core';
import { waitFor } from './wait';

/**
 * Selects `text` in the page the way a reader's drag would end: a DOM Range over the first occurrence
 * (whitespace-insensitive, across element boundaries), the document selection set to it, then a
 * `mouseup` where the drag would have stopped. Mouse drags select different text with different fonts,
 * so the Range API is the stable way to pick exact words.
 */
export async function selectText(page: Page, text: string): Promise<void> {
  const found = await page.evaluate((wanted: string) => {
    const squash = (s: string) => s.replace(/\s+/g, ' ');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const parent = n.parentElement;
      if (!parent || parent.closest('script, style, noscript, calico-overlay')) continue;
      nodes.push(n as Text);
    }
    // Map every character of the squashed text back to (node, offset).
    let flat = '';
    const map: Array<[Text, number]> = [];
    let lastSpace = false;
    for (const node of nodes) {
      const s = node.data;
      for (let i = 0; i < s.length; i++) {
        const space = /\s/.test(s[i]!);
        if (space && lastSpace) continue;
        flat += space ? ' ' : s[i];
        map.push([node, i]);
        lastSpace = space;
      }
    }
    const at = flat.indexOf(squash(wanted));
    if (at < 0) return false;
    const end = at + squash(wanted).length - 1;
    const [startNode, startOffset] = map[at]!;
    const [endNode, endOffset] = map[end]!;
    startNode.parentElement!.scrollIntoView({ block: 'center' });
    const range = document.createRange();
    range.setStart(startNode, startOffset);
    range.setEnd(endNode, endOffset + 1);
    const selection = window.getSelection()!;
    selection.removeAllRanges();
    selection.addRange(range);
    const rect = range.getBoundingClientRect();
    const init = { bubbles: true, cancelable: true, composed: true, clientX: rect.right, clientY: rect.bottom, button: 0 };
    const target = endNode.parentElement!;
    target.dispatchEvent(new MouseEvent('mouseup', init));
    document.dispatchEvent(new Event('selectionchange'));
    return true;
  }, text);
  if (!found) throw new Error(`text not found on the page: ${text.slice(0, 80)}`);
}

/** Clicks a control inside the overlay's (open) shadow root once it is visible — a real mouse click. */
export async function clickInOverlay(page: Page, testId: string): Promise<void> {
  await page.locator(`calico-overlay >>> [data-testid="${testId}"]`).setTimeout(60_000).click();
}

/** Types into a field inside the overlay's shadow root. */
export async function typeInOverlay(page: Page, testId: string, text: string): Promise<void> {
  await page.locator(`calico-overlay >>> [data-testid="${testId}"]`).setTimeout(60_000).fill(text);
}

export interface Painted {
  id: string;
  color: string;
  text: string;
}

/** The highlights painted on the page: text of every `<calico-highlight>` grouped by highlight id. */
export async function paintedHighlights(page: Page): Promise<Painted[]> {
  return page.evaluate(() => {
    const byId = new Map<string, { id: string; color: string; text: string }>();
    for (const el of document.querySelectorAll('calico-highlight[data-highlight-id]')) {
      const id = el.getAttribute('data-highlight-id')!;
      const entry = byId.get(id) ?? { id, color: el.getAttribute('data-color') ?? '', text: '' };
      entry.text += el.textContent ?? '';
      byId.set(id, entry);
    }
    return [...byId.values()].map((p) => ({ ...p, text: p.text.replace(/\s+/g, ' ').trim() }));
  });
}

/** Waits until a highlight with `id` is painted and returns its (whitespace-squashed) text. */
export async function waitForPainted(page: Page, id: string, timeout = 60_000): Promise<Painted> {
  const all = await waitFor(() => paintedHighlights(page), (list) => list.some((p) => p.id === id), {
    timeout,
    message: `highlight ${id} to be painted`,
  });
  return all.find((p) => p.id === id)!;
}

export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/**
 * Selects `text` and waits for the overlay's toolbar. The content script may still be starting when a
 * test first selects, so the selection is repeated (bounded) until the toolbar shows.
 */
export async function selectUntilOverlay(page: Page, text: string): Promise<void> {
  await waitFor(
    async () => {
      await selectText(page, text);
      return page.waitForSelector('calico-overlay >>> [data-testid="overlay"]', { visible: true, timeout: 2_000 }).then(
        () => true,
        () => false,
      );
    },
    Boolean,
    { timeout: 60_000, interval: 300, message: 'the highlight overlay to appear after selecting text' },
  );
}
