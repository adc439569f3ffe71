/**
 * The [n] markers of an answer: "[1]", "[2][3]", and the "[1, 2]" some models write. Offsets are in the
 * text given, so the UI can mark the exact marker.
 */

export interface CitationMark {
  n: number;
  start: number;
  end: number;
}

const MARK = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g;

export function citationMarks(text: string): CitationMark[] {
  const out: CitationMark[] = [];
  for (const m of text.matchAll(MARK)) {
    for (const n of m[1]!.split(',')) out.push({ n: Number(n.trim()), start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

/** The sentence as a claim: no markers, no Markdown emphasis, list bullets or heading marks. */
export function claimText(sentence: string): string {
  return sentence
    .replace(MARK, ' ')
    .replace(/^\s*(?:[-*+]|\d+[.)]|#{1,6})\s+/, '')
    .replace(/[*_`~]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
