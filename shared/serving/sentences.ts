/**
 * Sentences of an answer or a passage, with their offsets, by the platform's own segmenter
 * (Intl.Segmenter 'sentence', in Node 20, workerd and Chromium): no dependency, and the same breaks on
 * both sides. Two corrections the UAX #29 rules leave to us:
 * - a break after a common abbreviation or an initial ("Dr. Smith", "J. Doe") is undone;
 * - citation markers that open a segment ("… arms. [2] Next") belong to the sentence before it, where
 *   a model put them.
 */

export interface Sentence {
  text: string;
  start: number;
  end: number;
}

const ABBREVIATIONS = /(?:^|[\s(])(?:mr|mrs|ms|dr|prof|sr|jr|st|vs|etc|e\.g|i\.e|cf|fig|no|vol|approx|inc|ltd|co|[A-Z])\.\s*$/i;
const LEADING_CITES = /^(?:\s*\[\d{1,3}(?:\s*,\s*\d{1,3})*\])+/;

let segmenter: Intl.Segmenter | null = null;
function sentenceSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter('en', { granularity: 'sentence' });
  return segmenter;
}

export function splitSentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const seg of sentenceSegmenter().segment(text)) {
    let start = seg.index;
    const end = seg.index + seg.segment.length;
    const prev = out.at(-1);
    if (prev) {
      const lead = LEADING_CITES.exec(seg.segment);
      if (lead) {
        // The markers go back to the sentence they follow; the rest starts a sentence of its own.
        prev.end = start + lead[0].length;
        prev.text = text.slice(prev.start, prev.end);
        start = prev.end;
      } else if (ABBREVIATIONS.test(prev.text) && !prev.text.endsWith('\n')) {
        prev.end = end;
        prev.text = text.slice(prev.start, prev.end);
        continue;
      }
    }
    if (start < end) out.push({ text: text.slice(start, end), start, end });
  }
  // Trailing whitespace stays out of a sentence's span, so a highlight in the UI ends at its last word.
  return out
    .map((s) => {
      const trimmed = s.text.replace(/\s+$/, '');
      const lead = trimmed.length - trimmed.trimStart().length;
      return { text: trimmed.trimStart(), start: s.start + lead, end: s.start + trimmed.length };
    })
    .filter((s) => s.text.length > 0);
}
