/**
 * Measures of the clean text alone, so they apply to every page however it was collected (imports have
 * no document): reading time, keyword stuffing (one phrase or word repeated far past what prose does),
 * and shouting (capitals, runs of exclamation marks).
 */

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;
/** Scripts written without spaces between words: their reading time follows characters. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/gu;
const WORDS_PER_MINUTE = 230;
const CJK_CHARS_PER_MINUTE = 500;

export function readingMinutes(text: string): number {
  const cjk = text.match(CJK)?.length ?? 0;
  const words = text.replace(CJK, ' ').match(WORD)?.length ?? 0;
  return Math.round((words / WORDS_PER_MINUTE + cjk / CJK_CHARS_PER_MINUTE) * 10) / 10;
}

export interface Stuffing {
  /** Content words (4+ letters) counted. */
  words: number;
  /** The most repeated content word, its count and share of content words. */
  topWord: string;
  topWordCount: number;
  topWordShare: number;
  /** The most repeated pair of adjacent content words, its count and share of pairs. */
  topPair: string;
  topPairCount: number;
  topPairShare: number;
}

function top(counts: Map<string, number>): [string, number] {
  let best: [string, number] = ['', 0];
  for (const entry of counts) if (entry[1] > best[1]) best = entry;
  return best;
}

/** Words of three letters or fewer are mostly function words in the languages we see; skipping them
 * keeps "the"/"and" from looking like stuffing without a per-language stop list. */
export function stuffing(text: string): Stuffing {
  const tokens = (text.toLowerCase().match(WORD) ?? []).filter((w) => w.length >= 4 && !/^\d+$/.test(w));
  const words = new Map<string, number>();
  const pairs = new Map<string, number>();
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i]!;
    words.set(w, (words.get(w) ?? 0) + 1);
    if (i > 0) {
      const pair = `${tokens[i - 1]} ${w}`;
      if (tokens[i - 1] !== w) pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
  }
  const [topWord, topWordCount] = top(words);
  const [topPair, topPairCount] = top(pairs);
  return {
    words: tokens.length,
    topWord,
    topWordCount,
    topWordShare: tokens.length ? topWordCount / tokens.length : 0,
    topPair,
    topPairCount,
    topPairShare: tokens.length > 1 ? topPairCount / (tokens.length - 1) : 0,
  };
}

export interface Shouting {
  /** Share of words of 3+ letters written in capitals. */
  capsShare: number;
  /** Runs of two or more '!' (and '!!!'-style endings). */
  bangRuns: number;
}

export function shouting(text: string): Shouting {
  const words = text.match(/\p{L}{3,}/gu) ?? [];
  const caps = words.filter((w) => w === w.toUpperCase() && w !== w.toLowerCase()).length;
  return { capsShare: words.length ? caps / words.length : 0, bangRuns: text.match(/!{2,}/g)?.length ?? 0 };
}
