/**
 * Extractive question generation for the personal evaluation set: cloze questions from a highlight's
 * own sentences (no model needed, so every user has one). The blanked word is the sentence's most
 * specific term — a number, a capitalised name inside the sentence, else its longest content word —
 * because that is what a person would search their memory for; the rest of the sentence is the query.
 */
export interface ClozePair {
  /** Stable id: source id + sentence index (re-generating never duplicates a pair). */
  id: string;
  question: string;
  answer: string;
  /** The search query the evaluation runs: the sentence without the blanked term. */
  query: string;
  /** The document the user's search should find (`highlight:<id>` / `page:<url>`). */
  target: string;
}

const STOP = new Set(
  'a an the and or but if then than that this these those with without from into onto over under for to of in on at by as is are was were be been being it its they them their there here which who whom whose what when where why how not no can could should would may might must will shall do does did done have has had also very more most such only other same so just about between through during before after above below again further once'.split(' '),
);

const MIN_WORDS = 6;
const MAX_SENTENCES = 3;

export function sentencesOf(text: string): string[] {
  return text
    .replace(/\s+/g, ' ')
    .split(/(?<=[.!?])\s+(?=[A-Z0-9"“(])/)
    .map((s) => s.trim())
    .filter((s) => s.split(' ').length >= MIN_WORDS);
}

function keyTerm(sentence: string): string | null {
  const words = sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu) ?? [];
  const number = words.find((w) => /^\d[\d.,]*$/.test(w) && w.length >= 2);
  if (number) return number;
  const name = words.slice(1).find((w) => /^\p{Lu}\p{Ll}+/u.test(w) && !STOP.has(w.toLowerCase()) && w.length >= 4);
  if (name) return name;
  const content = words.filter((w) => !STOP.has(w.toLowerCase()) && w.length >= 5);
  return content.sort((a, b) => b.length - a.length || a.localeCompare(b))[0] ?? null;
}

export function clozePairs(source: { id: string; target: string; text: string }): ClozePair[] {
  const pairs: ClozePair[] = [];
  sentencesOf(source.text)
    .slice(0, MAX_SENTENCES)
    .forEach((sentence, i) => {
      const term = keyTerm(sentence);
      if (!term) return;
      const at = sentence.indexOf(term);
      const blanked = `${sentence.slice(0, at)}_____${sentence.slice(at + term.length)}`;
      pairs.push({
        id: `syn_${source.id}_${i}`.slice(0, 64),
        question: `Fill in the blank: ${blanked}`,
        answer: term,
        query: `${sentence.slice(0, at)} ${sentence.slice(at + term.length)}`.replace(/\s+/g, ' ').trim(),
        target: source.target,
      });
    });
  return pairs;
}
