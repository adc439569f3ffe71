// @vitest-environment happy-dom
import { beforeEach, describe as group, expect, it } from 'vitest';
import type { RangeSelector, Selector, TextPositionSelector, TextQuoteSelector } from '@shared/schemas/records';
import { adapters, anchor, describe } from './index';
import { rangeFromOffsets, textOf, textOffsetOf } from './text-offsets';
import { fixtureAnnotations, fixtureDocument, fixtureText, fragmentDocument, loadPage } from './fixtures';

function offsets(root: Element, range: Range): [number, number] {
  return [textOffsetOf(root, range.startContainer, range.startOffset), textOffsetOf(root, range.endContainer, range.endOffset)];
}

function rangeOf(root: Element, phrase: string, occurrence = 0): Range {
  const text = textOf(root);
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = text.indexOf(phrase, at + 1);
  if (at < 0) throw new Error(`fixture lacks ${phrase}`);
  return rangeFromOffsets(root, at, at + phrase.length)!;
}

function byType<T extends Selector['type']>(selectors: Selector[], type: T): Extract<Selector, { type: T }> {
  return selectors.find((s) => s.type === type) as Extract<Selector, { type: T }>;
}

group('Hypothesis baseline fixtures', () => {
  it('anchors the minimal document and describes it back to the same selectors', () => {
    const doc = fixtureDocument('hypothesis-client/minimal.html');
    const [ann] = fixtureAnnotations('hypothesis-client/minimal.json');
    const range = anchor(doc.body, ann!.selectors)!;
    expect(range.toString()).toBe('Two');
    expect(describe(doc.body, range)).toEqual(ann!.selectors);
  });

  it('anchors every Wikipedia annotation on the quoted text and reproduces its range and quote selectors', () => {
    const doc = fixtureDocument('hypothesis-client/wikipedia-regression-testing.html');
    const anns = fixtureAnnotations('hypothesis-client/wikipedia-regression-testing.json');
    expect(anns).toHaveLength(5);
    for (const ann of anns) {
      const quote = byType(ann.selectors, 'TextQuoteSelector');
      const range = anchor(doc.body, ann.selectors);
      expect(range, ann.id).not.toBeNull();
      expect(range!.toString()).toBe(quote.exact);
      const again = describe(doc.body, range!);
      expect(byType(again, 'RangeSelector')).toEqual({ ...byType(ann.selectors, 'RangeSelector'), type: 'RangeSelector' });
      expect(byType(again, 'TextQuoteSelector')).toEqual(quote);
    }
  });

  it('finds the footer annotation whose stored position is stale (the live page had more text)', () => {
    const doc = fixtureDocument('hypothesis-client/wikipedia-regression-testing.html');
    const footer = fixtureAnnotations('hypothesis-client/wikipedia-regression-testing.json').find((a) => a.id === 'LOCXbsOCEeaQl6f6fQh87Q')!;
    const position = byType(footer.selectors, 'TextPositionSelector');
    const quote = byType(footer.selectors, 'TextQuoteSelector');
    // The position alone points elsewhere…
    expect(textOf(doc.body).slice(position.start, position.end)).not.toBe(quote.exact);
    // …so only the quote (with the position as a hint) finds it.
    const range = anchor(doc.body, [position, quote])!;
    expect(range.toString()).toBe('11 November 2016');
  });
});

group('round trips on html-anchoring-fixture', () => {
  let doc: Document;
  let root: HTMLElement;
  beforeEach(() => {
    doc = fragmentDocument('hypothesis-client/html-anchoring-fixture.html');
    root = doc.body;
  });
  const phrases = [
    'Pellentesque habitant morbi tristique',
    'tristique senectus et netus', // crosses </strong>
    'commodo vitae', // inside <code>
    'vitae</code>'.replace('</code>', ''),
    'Donec non enim in turpis', // crosses </a>
    'Header Level 2',
    'Aliquam tincidunt mauris eu risus.',
    'Humani generisLorem sed do eiusmod tempor.', // across <br>s
    'Mauris lacinia ipsum nulla',
    'Test',
  ];

  for (const phrase of phrases) {
    it(`describes and re-anchors “${phrase}” with each selector alone`, () => {
      const range = rangeOf(root, phrase);
      const expected = offsets(root, range);
      const selectors = describe(root, range);
      expect(selectors.map((s) => s.type)).toEqual(['RangeSelector', 'TextPositionSelector', 'TextQuoteSelector']);
      for (const selector of selectors) {
        const back = anchor(root, [selector])!;
        expect(back.toString(), selector.type).toBe(phrase);
        expect(offsets(root, back), selector.type).toEqual(expected);
      }
    });
  }

  it('describes a range whose boundaries are element offsets (selectNodeContents)', () => {
    const code = root.querySelector('code')!;
    const range = doc.createRange();
    range.selectNodeContents(code);
    const selectors = describe(root, range);
    expect(byType(selectors, 'TextQuoteSelector').exact).toBe('commodo vitae');
    expect(byType(selectors, 'RangeSelector')).toMatchObject({ startContainer: '/p[1]/code[1]', startOffset: 0, endOffset: 13 });
    expect(anchor(root, selectors)!.toString()).toBe('commodo vitae');
  });

  it('adapters are symmetric: toRange(fromRange(r)) selects the same text', () => {
    const range = rangeOf(root, 'Lorem sed do eiusmod tempor.', 1);
    for (const [type, adapter] of Object.entries(adapters)) {
      const sel = adapter.fromRange(root, range) as never;
      const back = adapter.toRange(root, sel)!;
      expect(offsets(root, back), type).toEqual(offsets(root, range));
    }
  });
});

group('dom-anchor fixtures', () => {
  it('TextPosition: offsets are those of the page text (dom-anchor-text-position/test.html)', () => {
    const root = fragmentDocument('dom-anchor-text-position/test.html').body;
    const text = textOf(root);
    const range = rangeOf(root, 'commodo vitae');
    const sel = adapters.TextPositionSelector.fromRange(root, range);
    expect(sel).toEqual({ type: 'TextPositionSelector', start: text.indexOf('commodo vitae'), end: text.indexOf('commodo vitae') + 13 });
    expect(adapters.TextPositionSelector.toRange(root, { ...sel, end: text.length + 1 })).toBeNull();
  });

  it('TextQuote: context picks the right one of repeated phrases (dom-anchor-text-quote/test.html)', () => {
    const root = fragmentDocument('dom-anchor-text-quote/test.html').body;
    const text = textOf(root);
    // "sit amet" occurs several times; each occurrence's own context must lead back to it.
    const all: number[] = [];
    for (let at = text.indexOf('sit amet'); at !== -1; at = text.indexOf('sit amet', at + 1)) all.push(at);
    expect(all.length).toBeGreaterThan(2);
    all.forEach((at, i) => {
      const quote = adapters.TextQuoteSelector.fromRange(root, rangeOf(root, 'sit amet', i));
      const back = adapters.TextQuoteSelector.toRange(root, quote)!;
      expect(offsets(root, back)[0]).toBe(at);
    });
  });
});

group('anchoring a changed page (Wikipedia fixture)', () => {
  const PASSAGE = 'The purpose of regression testing is to ensure that changes such as those mentioned above have not introduced new faults';

  function selectorsOnOriginal(): Selector[] {
    const doc = fixtureDocument('hypothesis-client/wikipedia-regression-testing.html');
    return describe(doc.body, rangeOf(doc.body, PASSAGE));
  }

  function changedPage(edit: (html: string) => string): Document {
    return loadPage(edit(fixtureText('hypothesis-client/wikipedia-regression-testing.html')));
  }

  it('still anchors when text and elements were inserted before the passage', () => {
    const selectors = selectorsOnOriginal();
    const doc = changedPage((html) =>
      html
        .replace('<body', '<body><div>Breaking news banner inserted by the site</div><x')
        .replace('<x', '<div')
        .replace(/<p><b>Regression testing<\/b>/, '<p>A brand new opening paragraph, pushing everything down.</p>$&'),
    );
    const root = doc.body;
    // The range and position selectors are now wrong…
    expect(anchor(root, [byType(selectors, 'RangeSelector'), byType(selectors, 'TextQuoteSelector')])!.toString()).toBe(PASSAGE);
    const stale = byType(selectors, 'TextPositionSelector');
    expect(textOf(root).slice(stale.start, stale.end)).not.toBe(PASSAGE);
    // …and the full set still lands on the passage itself.
    const range = anchor(root, selectors)!;
    expect(range.toString()).toBe(PASSAGE);
    expect(offsets(root, range)[0]).toBe(textOf(root).indexOf(PASSAGE));
  });

  it('still anchors when the whitespace inside and around the passage changed', () => {
    const selectors = selectorsOnOriginal();
    const reflowed = PASSAGE.replace(/ /g, (_, i: number) => (i % 3 === 0 ? '\n      ' : '  '));
    const doc = changedPage((html) => html.replace(PASSAGE, `\n   ${reflowed}\n`));
    const range = anchor(doc.body, selectors)!;
    expect(range).not.toBeNull();
    expect(range.toString()).toBe(reflowed);
  });

  it('still anchors on the right text when a word inside the passage changed', () => {
    const selectors = selectorsOnOriginal();
    const edited = PASSAGE.replace('ensure', 'make certain');
    const doc = changedPage((html) => html.replace(PASSAGE, edited));
    const range = anchor(doc.body, selectors)!;
    expect(range).not.toBeNull();
    const text = textOf(doc.body);
    const [start, end] = offsets(doc.body, range);
    // Fuzzy matches may be off by a character or two at the edges; it must cover the edited passage.
    expect(Math.abs(start - text.indexOf(edited))).toBeLessThanOrEqual(2);
    expect(Math.abs(end - (text.indexOf(edited) + edited.length))).toBeLessThanOrEqual(2);
    expect(range.toString()).toContain('make certain');
  });

  it('returns null when the passage was removed', () => {
    const selectors = selectorsOnOriginal();
    const doc = changedPage((html) => html.replace(PASSAGE, ''));
    expect(anchor(doc.body, selectors)).toBeNull();
  });

  it('ignores copies of the passage inside scripts (hydration state) and finds the edited visible one', () => {
    const original = 'hearing the word used incorrectly causes a little piece of your soul to whither and die';
    loadPage(`<html><body><p>Intro text.</p><p>You know that ${original}, right?</p></body></html>`);
    const selectors = describe(document.body, rangeOf(document.body, original));
    const edited = original.replace('whither', 'wither');
    loadPage(`<html><body><script>window.__STATE__ = {"body": "You know that ${original}, right?"}</script><p>Intro text.</p><p>You know that ${edited}, right?</p></body></html>`);
    const range = anchor(document.body, selectors)!;
    expect(range).not.toBeNull();
    expect(range.startContainer.parentElement!.localName).toBe('p');
    expect(range.toString()).toBe(edited);
  });

  it('returns null for a short quote that only matches approximately', () => {
    const root = fragmentDocument('hypothesis-client/html-anchoring-fixture.html').body;
    const quote: TextQuoteSelector = { type: 'TextQuoteSelector', exact: 'Tost', prefix: '', suffix: '' };
    expect(anchor(root, [quote])).toBeNull();
  });

  it('rejects a range selector whose elements no longer exist and falls back to the quote', () => {
    const root = fragmentDocument('hypothesis-client/html-anchoring-fixture.html').body;
    const bogus: RangeSelector = { type: 'RangeSelector', startContainer: '/article[9]', startOffset: 0, endContainer: '/article[9]', endOffset: 4 };
    const position: TextPositionSelector = { type: 'TextPositionSelector', start: 10_000_000, end: 10_000_004 };
    const quote: TextQuoteSelector = { type: 'TextQuoteSelector', exact: 'Mortalium animos', prefix: '', suffix: '' };
    expect(anchor(root, [bogus, position, quote])!.toString()).toBe('Mortalium animos');
    expect(anchor(root, [bogus, position])).toBeNull();
  });
});
