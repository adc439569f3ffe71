import type { TextQuoteSelector } from '@shared/schemas/records';
import { rangeFromOffsets, textOf } from './text-offsets';
import { fromRange as positionFromRange } from './text-position';
import { matchQuote, type QuoteMatch } from './match-quote';

/**
 * TextQuoteSelector: the selected text plus up to 32 characters on each side.
 *
 * The most robust selector — it survives any change elsewhere in the page — and the slowest to
 * resolve (a search over the whole text). The context disambiguates repeated phrases; 32 characters
 * is what the W3C examples and Hypothesis use: enough to tell "the" from "the", short enough that an
 * edit next to the passage rarely spoils it.
 */

export const CONTEXT_LENGTH = 32;

export function fromRange(root: Element, range: Range): TextQuoteSelector {
  const text = textOf(root);
  const { start, end } = positionFromRange(root, range);
  return {
    type: 'TextQuoteSelector',
    exact: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - CONTEXT_LENGTH), start),
    suffix: text.slice(end, end + CONTEXT_LENGTH),
  };
}

/** Where the quote is in root's text now, or null when it can't be found within the error budget. */
export function locate(root: Element, selector: TextQuoteSelector, hint?: number): QuoteMatch | null {
  return matchQuote(textOf(root), selector.exact, { prefix: selector.prefix, suffix: selector.suffix, hint });
}

export function toRange(root: Element, selector: TextQuoteSelector, options: { hint?: number } = {}): Range | null {
  const match = locate(root, selector, options.hint);
  return match ? rangeFromOffsets(root, match.start, match.end) : null;
}
