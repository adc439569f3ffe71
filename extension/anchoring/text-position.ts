import type { TextPositionSelector } from '@shared/schemas/records';
import { rangeFromOffsets, textOffsetOf } from './text-offsets';

/**
 * TextPositionSelector: [start, end) character offsets into the root's textContent.
 *
 * Independent of the element structure (wrapping a paragraph in a new <div> doesn't move it), but any
 * text added or removed earlier in the page shifts it — including scripts and ads that inject text,
 * since textContent counts <script> bodies too. anchor.ts therefore only accepts it when the text at
 * those offsets is still the quote, and otherwise passes it on as a hint for the quote search.
 */

export function fromRange(root: Element, range: Range): TextPositionSelector {
  return {
    type: 'TextPositionSelector',
    start: textOffsetOf(root, range.startContainer, range.startOffset),
    end: textOffsetOf(root, range.endContainer, range.endOffset),
  };
}

export function toRange(root: Element, selector: TextPositionSelector): Range | null {
  return rangeFromOffsets(root, selector.start, selector.end);
}
