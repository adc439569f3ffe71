import { splitSentences } from './sentences';
import { contentWords, namesIn, numbersIn } from './words';
import { LEXICAL } from './verifier-params';

/**
 * Lexical entailment: how much of a claim a passage states, 0..1. The verifier's own scoring (the
 * product's edge), measured by `npm run bench -- grounding`.
 *
 * - Coverage: the claim's content words (stemmed) found in the best window of one to three consecutive
 *   sentences of the passage, each word weighted by how rare it is among the answer's sources (a word
 *   every source shares says little about which one supports the claim). A word matching only by its
 *   first five letters counts partly ("neurons" ~ "neuronal").
 * - Hard facts: a number in the claim that the passage does not contain halves the score; a name
 *   (capitalised word) it does not contain takes 40% off. A wrong figure or a wrong person is
 *   the mistake a paraphrase most often hides.
 */

const { prefixLength: PREFIX, prefixCredit: PREFIX_CREDIT, window: WINDOW, numberPenalty: NUMBER_PENALTY, namePenalty: NAME_PENALTY, wholePassageCredit: WHOLE_PASSAGE_CREDIT } = LEXICAL;

export interface PassageIndex {
  windows: Set<string>[];
  whole: Set<string>;
  prefixes: Set<string>;
  windowPrefixes: Set<string>[];
  numbers: Set<string>;
  names: Set<string>;
}

const prefixOf = (w: string) => (w.length > PREFIX ? w.slice(0, PREFIX) : w);

export function indexPassage(text: string): PassageIndex {
  const sentences = splitSentences(text).map((s) => contentWords(s.text));
  const windows: Set<string>[] = [];
  for (let i = 0; i < sentences.length; i++) {
    for (let size = 1; size <= WINDOW && i + size <= sentences.length; size++) windows.push(new Set(sentences.slice(i, i + size).flat()));
  }
  const whole = new Set(sentences.flat());
  return {
    windows,
    whole,
    prefixes: new Set([...whole].map(prefixOf)),
    windowPrefixes: windows.map((w) => new Set([...w].map(prefixOf))),
    numbers: new Set(numbersIn(text)),
    names: new Set(namesIn(text).concat(contentWords(text))),
  };
}

/** Weight of a word by how few of the sources hold it (1 when none does, lower the more do). */
export function rarityWeights(claimWords: readonly string[], sources: readonly PassageIndex[]): Map<string, number> {
  const n = sources.length;
  const weights = new Map<string, number>();
  for (const w of claimWords) {
    const df = sources.reduce((k, s) => k + (s.whole.has(w) ? 1 : 0), 0);
    weights.set(w, n <= 1 ? 1 : 0.5 + 0.5 * Math.log((n + 1) / (df + 0.5)) / Math.log((n + 1) / 0.5));
  }
  return weights;
}

function coverage(words: readonly string[], weights: Map<string, number>, set: Set<string>, prefixes: Set<string>): number {
  let total = 0;
  let got = 0;
  for (const w of words) {
    const weight = weights.get(w) ?? 1;
    total += weight;
    if (set.has(w)) got += weight;
    else if (prefixes.has(prefixOf(w))) got += weight * PREFIX_CREDIT;
  }
  return total ? got / total : 0;
}

export interface SupportDetail {
  score: number;
  coverage: number;
  missingNumbers: string[];
  missingNames: string[];
}

export function lexicalSupport(claim: string, passage: PassageIndex, weights: Map<string, number>): SupportDetail {
  const words = [...new Set(contentWords(claim))];
  if (!words.length) return { score: 0, coverage: 0, missingNumbers: [], missingNames: [] };
  let best = coverage(words, weights, passage.whole, passage.prefixes) * WHOLE_PASSAGE_CREDIT;
  passage.windows.forEach((w, i) => {
    best = Math.max(best, coverage(words, weights, w, passage.windowPrefixes[i]!));
  });
  const missingNumbers = [...new Set(numbersIn(claim))].filter((x) => !passage.numbers.has(x));
  const missingNames = [...new Set(namesIn(claim))].filter((x) => !passage.names.has(x));
  const score = best * NUMBER_PENALTY ** missingNumbers.length * NAME_PENALTY ** missingNames.length;
  return { score: Math.max(0, Math.min(1, score)), coverage: best, missingNumbers, missingNames };
}
