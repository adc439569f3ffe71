import type { RangeSelector, Selector, TextPositionSelector, TextQuoteSelector } from '@shared/schemas/records';
import * as rangeSel from './range';
import * as positionSel from './text-position';
import * as quoteSel from './text-quote';
import { rangeFromOffsets, textOf, textOffsetOf } from './text-offsets';

/**
 * Describing a selection with W3C selectors, and finding it again.
 *
 * `describe` records all three selectors at once; `anchor` tries them from the cheapest and most
 * precise to the most robust:
 *   1. RangeSelector (XPath + offsets) — accepted only if it still selects the quote;
 *   2. TextPositionSelector — accepted only if the text at those offsets is still the quote;
 *   3. TextQuoteSelector — exact, then whitespace-insensitive, then fuzzy, with the old position as a
 *      hint so the nearest of several candidates wins.
 * Without a quote to verify against, the first two are trusted as they are (nothing better exists).
 */

export type { QuoteMatch } from './match-quote';

/** Each selector type as a pair of symmetric adapters. */
export const adapters = {
  RangeSelector: { fromRange: rangeSel.fromRange, toRange: rangeSel.toRange },
  TextPositionSelector: { fromRange: positionSel.fromRange, toRange: positionSel.toRange },
  TextQuoteSelector: { fromRange: quoteSel.fromRange, toRange: quoteSel.toRange },
} as const;

export function describe(root: Element, range: Range): Selector[] {
  return [rangeSel.fromRange(root, range), positionSel.fromRange(root, range), quoteSel.fromRange(root, range)];
}

function pick<T extends Selector['type']>(selectors: readonly Selector[], type: T): Extract<Selector, { type: T }> | undefined {
  return selectors.find((s): s is Extract<Selector, { type: T }> => s.type === type);
}

/** The text a range covers, in the same coordinates the selectors use. */
function textIn(root: Element, range: Range): string {
  const start = textOffsetOf(root, range.startContainer, range.startOffset);
  const end = textOffsetOf(root, range.endContainer, range.endOffset);
  return textOf(root).slice(start, end);
}

function tryRange(root: Element, selector: RangeSelector | undefined, quote: TextQuoteSelector | undefined): Range | null {
  if (!selector) return null;
  const range = rangeSel.toRange(root, selector);
  if (!range) return null;
  return !quote || textIn(root, range) === quote.exact ? range : null;
}

function tryPosition(root: Element, selector: TextPositionSelector | undefined, quote: TextQuoteSelector | undefined): Range | null {
  if (!selector) return null;
  if (quote && textOf(root).slice(selector.start, selector.end) !== quote.exact) return null;
  return rangeFromOffsets(root, selector.start, selector.end);
}

export function anchor(root: Element, selectors: readonly Selector[]): Range | null {
  const quote = pick(selectors, 'TextQuoteSelector');
  const position = pick(selectors, 'TextPositionSelector');
  try {
    const found = tryRange(root, pick(selectors, 'RangeSelector'), quote) ?? tryPosition(root, position, quote);
    if (found) return found;
  } catch {
    // A selector that no longer fits the DOM is not an error: fall through to the quote.
  }
  return quote ? quoteSel.toRange(root, quote, { hint: position?.start }) : null;
}
