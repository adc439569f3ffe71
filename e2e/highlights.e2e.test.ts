import type { Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import { waitForRows, type HighlightRow } from './support/database';
import { LITERALLY, literallyVariants } from './support/fixtures';
import { clickInOverlay, paintedHighlights, selectUntilOverlay, squash, waitForPainted } from './support/page-actions';
import { openSurface, tid } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';

const PATH = '/2015/on-behalf-of-literally';

// Issue 2: highlight a passage with the overlay; it is repainted after a reload and on changed
// versions of the page; when the passage is gone it is listed as an orphan in the side panel.
describe('highlights on a real page', () => {
  const s = useSuite();
  let page: Page;
  let highlight: HighlightRow;

  test('selecting a passage and choosing a colour in the overlay stores and paints a highlight', async () => {
    const { eb, web } = s;
    web.set(PATH, LITERALLY.source());
    page = await eb.open(web.origin + PATH);
    await selectUntilOverlay(page, LITERALLY.passage);
    await clickInOverlay(page, 'overlay-color-green');

    const rows = await waitForRows<HighlightRow>(eb, 'highlights', (r) => r.length === 1);
    highlight = rows[0]!;
    expect(squash(highlight.text)).toBe(LITERALLY.passage);
    expect(highlight.color).toBe('green');

    const painted = await waitForPainted(page, highlight.id);
    expect(painted.text).toBe(LITERALLY.passage);
    expect(painted.color).toBe('green');
  });

  test('after a reload the highlight is painted again', async () => {
    await page.reload({ waitUntil: 'load', timeout: 90_000 });
    const painted = await waitForPainted(page, highlight.id);
    expect(painted.text).toBe(LITERALLY.passage);
  });

  test.each([
    ['text inserted before it', literallyVariants.textInsertedBefore, LITERALLY.passage],
    ['its whitespace changed', literallyVariants.whitespaceChanged, LITERALLY.passage],
    ['a word in it changed', literallyVariants.wordChanged, LITERALLY.fixedPassage],
  ])('on a changed version of the page (%s) it is painted on the right text', async (_name, variant, expected) => {
    s.web.set(PATH, variant());
    await page.reload({ waitUntil: 'load', timeout: 90_000 });
    const painted = await waitForPainted(page, highlight.id);
    expect(painted.text).toBe(expected);
  });

  test('when the passage is removed the highlight is listed as an orphan in the side panel', async () => {
    const { eb, web } = s;
    web.set(PATH, literallyVariants.passageRemoved());
    await page.reload({ waitUntil: 'load', timeout: 90_000 });
    await waitForRows<HighlightRow>(eb, 'highlights', (r) => r.some((h) => h.id === highlight.id && h.anchorStatus === 'orphan'));
    expect((await paintedHighlights(page)).map((p) => p.id)).not.toContain(highlight.id);

    const panel = await openSurface(eb, 'sidepanel.html');
    const orphans = await waitFor(
      () => panel.$$eval(`${tid('orphans-list')} ${tid('orphan-item')}`, (items) => items.map((i) => i.textContent ?? '')),
      (texts) => texts.length > 0,
      { message: 'orphan items in the side panel' },
    );
    expect(orphans).toHaveLength(1);
    expect(squash(orphans[0]!)).toContain('causes a little piece of your soul');
    await panel.close();
    await page.close();
  });
});
