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

/**
 * Runs `fn` in the content script's isolated world of `page` (the extension's own JavaScript world in
 * that tab), through the DevTools protocol. This is how the suite reaches what the page may not: the
 * overlay's closed shadow root (`chrome.dom.openOrClosedShadowRoot`, a content-script API) and the
 * highlight ids the painter keeps in that world only. A page has no such path.
 */
export async function inContentScript<R, A extends unknown[]>(page: Page, fn: (...args: A) => R, ...args: A): Promise<Awaited<R>> {
  const cdp = await page.createCDPSession();
  try {
    const contexts: Array<{ id: number; origin: string; auxData?: { frameId?: string; type?: string; isDefault?: boolean } }> = [];
    cdp.on('Runtime.executionContextCreated', (e) => contexts.push(e.context as (typeof contexts)[number]));
    await cdp.send('Runtime.enable');
    const { frameTree } = await cdp.send('Page.getFrameTree');
    const world = [...contexts].reverse().find(
      (c) => c.auxData?.frameId === frameTree.frame.id && c.auxData?.type === 'isolated' && c.origin.startsWith('chrome-extension://'),
    );
    if (!world) throw new Error('the content script is not running in this page (yet)');
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression: `(${fn.toString()})(...${JSON.stringify(args)})`,
      contextId: world.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`in the content script: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as Awaited<R>;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** Centre of a visible overlay control (null when it isn't shown), read in the content script's world. */
export async function overlayControl(page: Page, testId: string): Promise<{ x: number; y: number } | null> {
  return inContentScript(
    page,
    (id: string) => {
      const host = document.querySelector('calico-overlay');
      const root = host && (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } } }).chrome.dom.openOrClosedShadowRoot(host);
      const el = root?.querySelector(`[data-testid="${id}"]`) as HTMLElement | null | undefined;
      if (!el || el.closest('[hidden]')) return null;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return null;
      return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
    },
    testId,
  ).catch(() => null);
}

/** Waits until an overlay control is visible and returns where it is. */
export async function waitForOverlayControl(page: Page, testId: string, timeout = 60_000): Promise<{ x: number; y: number }> {
  return (await waitFor(() => overlayControl(page, testId), Boolean, { timeout, interval: 100, message: `overlay control ${testId}` }))!;
}

/** Clicks a control inside the overlay's closed shadow root once it is visible: a real (trusted) mouse click. */
export async function clickInOverlay(page: Page, testId: string): Promise<void> {
  const at = await waitForOverlayControl(page, testId);
  await page.mouse.click(at.x, at.y);
}

/** Types into a field inside the overlay: clicks it, selects what is there and types, with real keys. */
export async function typeInOverlay(page: Page, testId: string, text: string): Promise<void> {
  await clickInOverlay(page, testId);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.type(text);
}

/** The value of a field in the overlay (the note editor), or null when it isn't shown. */
export async function overlayFieldValue(page: Page, testId: string): Promise<string | null> {
  return inContentScript(
    page,
    (id: string) => {
      const host = document.querySelector('calico-overlay');
      const root = host && (globalThis as unknown as { chrome: { dom: { openOrClosedShadowRoot(e: Element): ShadowRoot | null } } }).chrome.dom.openOrClosedShadowRoot(host);
      const el = root?.querySelector(`[data-testid="${id}"]`) as HTMLTextAreaElement | null | undefined;
      return el ? el.value : null;
    },
    testId,
  );
}

export interface Painted {
  id: string;
  color: string;
  text: string;
}

/**
 * The highlights painted on the page: text of every `<calico-highlight>` grouped by highlight id. The id
 * is not in the page's DOM (issue 9): it is the `calicoHighlightId` property the painter sets in the
 * content script's world, so this reads it there.
 */
export async function paintedHighlights(page: Page): Promise<Painted[]> {
  return inContentScript(page, () => {
    const byId = new Map<string, { id: string; color: string; text: string }>();
    for (const el of document.querySelectorAll('calico-highlight')) {
      const id = (el as unknown as { calicoHighlightId?: string }).calicoHighlightId;
      if (!id) continue;
      const entry = byId.get(id) ?? { id, color: el.getAttribute('data-color') ?? '', text: '' };
      entry.text += el.textContent ?? '';
      byId.set(id, entry);
    }
    return [...byId.values()].map((p) => ({ ...p, text: p.text.replace(/\s+/g, ' ').trim() }));
  }).catch(() => [] as Painted[]);
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
      return waitFor(() => overlayControl(page, 'overlay'), Boolean, { timeout: 2_000, interval: 100 }).then(
        () => true,
        () => false,
      );
    },
    Boolean,
    { timeout: 60_000, interval: 300, message: 'the highlight overlay to appear after selecting text' },
  );
}
