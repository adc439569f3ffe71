import type { Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import { readTable, waitForRows, type HighlightRow } from './support/database';
import { LITERALLY } from './support/fixtures';
import { clickInOverlay, inContentScript, overlayControl, overlayFieldValue, selectUntilOverlay, typeInOverlay, waitForOverlayControl, waitForPainted } from './support/page-actions';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';

// Issue 9, item 2: the page's own scripts must not be able to work the in-page overlay. A note made by
// the person stays out of the page's reach; the page can neither open the note editor and read it, nor
// delete the highlight, nor make one. The person's real mouse and keys still do all of it.

const PATH = '/2015/page-scripts';
const NOTE = 'private: my bank PIN hint is the lobster';
const FORGED = 'You either are';

/** What a hostile page script tries, in the page's own world (puppeteer's page.evaluate). */
async function pageScriptAttack(page: Page): Promise<Record<string, unknown>> {
  return page.evaluate(async (note: string, forged: string) => {
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const painted = document.querySelector('calico-highlight') as HTMLElement | null;
    const host = document.querySelector('calico-overlay') as HTMLElement | null;
    const report: Record<string, unknown> = {
      painted: painted !== null,
      paintedAttributes: painted ? [...painted.attributes].map((a) => a.name).sort() : [],
      paintedId: painted ? ((painted as unknown as { calicoHighlightId?: string }).calicoHighlightId ?? painted.dataset.highlightId ?? null) : null,
      noteInMarkup: document.documentElement.outerHTML.includes(note),
      shadowRootOpen: host?.shadowRoot != null,
    };
    // 1. Open the edit menu with a synthetic click on the highlight, then the note editor, and read it.
    painted?.click();
    painted?.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true, cancelable: true }));
    await wait(50);
    const root = host?.shadowRoot ?? null;
    (root?.querySelector('[data-testid="overlay-note"]') as HTMLElement | null)?.click();
    await wait(50);
    report.noteRead = (root?.querySelector('[data-testid="overlay-note-input"]') as HTMLTextAreaElement | null)?.value ?? null;
    report.noteInMarkupAfterClick = document.documentElement.outerHTML.includes(note);
    // 2. Delete it.
    painted?.click();
    await wait(50);
    (root?.querySelector('[data-testid="overlay-delete"]') as HTMLElement | null)?.click();
    // 3. Forge a highlight: select words, wait for the toolbar, press a colour — and, the root being
    //    closed, try the toolbar's host and the keyboard too.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const at = (n as Text).data.indexOf(forged);
      if (at < 0 || (n.parentElement && n.parentElement.closest('calico-highlight, script'))) continue;
      const range = document.createRange();
      range.setStart(n, at);
      range.setEnd(n, at + forged.length);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      document.dispatchEvent(new Event('selectionchange'));
      n.parentElement!.dispatchEvent(new MouseEvent('mouseup', { bubbles: true }));
      break;
    }
    await wait(400);
    (root?.querySelector('[data-testid="overlay-color-pink"]') as HTMLElement | null)?.click();
    host?.click();
    host?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, composed: true }));
    await wait(200);
    getSelection()!.removeAllRanges();
    return report;
  }, NOTE, FORGED);
}

describe('page scripts cannot reach into the overlay', () => {
  const s = useSuite();
  let page: Page;
  let highlight: HighlightRow;

  test('the person highlights a passage and writes a private note with the overlay', async () => {
    const { eb, web } = s;
    web.set(PATH, LITERALLY.source());
    page = await eb.open(web.origin + PATH);
    await selectUntilOverlay(page, LITERALLY.passage);
    await clickInOverlay(page, 'overlay-note');
    await typeInOverlay(page, 'overlay-note-input', NOTE);
    await clickInOverlay(page, 'overlay-note-save');
    const rows = await waitForRows<HighlightRow>(eb, 'highlights', (r) => r.length === 1 && r[0]!.note === NOTE);
    highlight = rows[0]!;
    await waitForPainted(page, highlight.id);
  });

  test('a page script can read neither the note nor the id, nor open, delete or forge anything', async () => {
    const report = await pageScriptAttack(page);
    expect(report.painted).toBe(true);
    expect(report.paintedAttributes).toEqual(['data-color', 'style']);
    expect(report.paintedId).toBeNull();
    expect(report.shadowRootOpen).toBe(false);
    expect(report.noteInMarkup).toBe(false);
    expect(report.noteRead).toBeNull();
    expect(report.noteInMarkupAfterClick).toBe(false);
    // Nothing the page did opened a menu or the note editor (seen through the content script's world).
    expect(await overlayControl(page, 'overlay-edit')).toBeNull();
    expect(await overlayFieldValue(page, 'overlay-note-input')).toBeNull();

    // The person highlights after the attack; once that is stored, everything the page sent earlier
    // would be too: the note's highlight is still there, unchanged, and no pink one was forged.
    await selectUntilOverlay(page, 'Which is terribly, horribly wrong.');
    await clickInOverlay(page, 'overlay-color-blue');
    const rows = await waitForRows<HighlightRow>(s.eb, 'highlights', (r) => r.length >= 2);
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.id === highlight.id)).toMatchObject({ note: NOTE, color: highlight.color });
    expect(rows.some((r) => r.color === 'pink' || r.text.includes(FORGED))).toBe(false);
  });

  test('the person’s own clicks still open the note and delete the highlight', async () => {
    // Where the note's highlight is painted (its id is only known in the content script's world).
    const at = await inContentScript(page, (id: string) => {
      const el = [...document.querySelectorAll('calico-highlight')].find((e) => (e as unknown as { calicoHighlightId?: string }).calicoHighlightId === id)!;
      el.scrollIntoView({ block: 'center' });
      const r = el.getBoundingClientRect();
      return { x: r.left + Math.min(r.width / 2, 20), y: r.top + r.height / 2 };
    }, highlight.id);
    await page.mouse.click(at.x, at.y);
    await waitForOverlayControl(page, 'overlay-edit');
    await clickInOverlay(page, 'overlay-note');
    expect(await waitFor(() => overlayFieldValue(page, 'overlay-note-input'), (v) => v !== null, { message: 'the note editor' })).toBe(NOTE);

    await page.mouse.click(at.x, at.y);
    await clickInOverlay(page, 'overlay-delete');
    await waitForRows<HighlightRow>(s.eb, 'highlights', (r) => !r.some((h) => h.id === highlight.id));
    expect((await readTable<HighlightRow>(s.eb, 'highlights')).map((h) => h.color)).toEqual(['blue']);
    await page.close();
  });
});
