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

const MARKS = /\[\d{1,3}(?:\s*,\s*\d{1,3})*\]/g;

export function splitSentences(text: string): Sentence[] {
  // The segmenter's ends, moved out of citation markers and past markers that follow the break.
  const marks = [...text.matchAll(MARKS)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const ends: number[] = [];
  for (const seg of sentenceSegmenter().segment(text)) {
    let end = seg.index + seg.segment.length;
    const inside = marks.find(([a, b]) => a < end && end < b);
    if (inside) end = inside[1];
    for (;;) {
      const lead = LEADING_CITES.exec(text.slice(end));
      if (!lead || lead[0].length === 0 || /\n/.test(lead[0])) break;
      end += lead[0].length;
    }
    const last = ends.at(-1) ?? 0;
    if (end <= last) continue;
    const prevText = text.slice(ends.at(-2) ?? 0, last);
    if (ends.length && ABBREVIATIONS.test(prevText) && !prevText.endsWith('\n')) ends[ends.length - 1] = end;
    else ends.push(end);
  }
  const out: Sentence[] = [];
  let start = 0;
  for (const end of ends) {
    const raw = text.slice(start, end);
    const lead = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    // Trailing whitespace stays out of a sentence's span, so a mark in the UI ends at its last character.
    if (trimmed) out.push({ text: trimmed, start: start + lead, end: start + lead + trimmed.length });
    start = end;
  }
  return out;
}
