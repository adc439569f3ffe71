/**
 * The words a claim is checked by: content words (no function words), lightly stemmed so "tastes",
 * "tasted" and "tasting" meet; the numbers in a text (a claim's "3.5" must be in its passage); and the
 * names (capitalised words inside a sentence). English-centred on purpose: other languages still get
 * exact-word overlap, just without stemming.
 */

const STOPWORDS = new Set(
  `a about above after again against all also although am an and any are aren't as at be because been before being below between both but by can
can't cannot could couldn't did didn't do does doesn't doing don't down during each either else even ever every few for from further had hadn't
has hasn't have haven't having he her here hers herself him himself his how however i if in into is isn't it it's its itself just let's many may
me might more most much must my myself neither no nor not now of off on once one only or other others our ours ourselves out over own per quite
rather same she should shouldn't so some such than that that's the their theirs them themselves then there these they this those though through
thus to too under until up upon us very was wasn't we were weren't what when where whether which while who whom whose why will with within without
would wouldn't yet you your yours yourself yourselves according says said say source sources page text article also often usually generally
well like known called`.split(/\s+/),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{N}'’-]*/gu;

const SUFFIXES: readonly (readonly [string, string])[] = [
  ['ies', 'y'],
  ['ied', 'y'],
  ['ying', 'y'],
  ['sses', 'ss'],
  ['ness', ''],
  ['ments', ''],
  ['ment', ''],
  ['ingly', ''],
  ['edly', ''],
  ['ing', ''],
  ['ers', ''],
  ['er', ''],
  ['ed', ''],
  ['es', ''],
  ['ly', ''],
  ['s', ''],
];

/** A small suffix stripper (not Porter): enough that inflections meet, never so much that words merge. */
export function stem(word: string): string {
  let w = word.toLowerCase().replace(/[’']s$/, '').replace(/[’']/g, '');
  if (w.length <= 3) return w;
  for (const [suffix, keep] of SUFFIXES) {
    if (w.endsWith(suffix) && w.length - suffix.length >= 3 && !(suffix === 's' && /(ss|us|is)$/.test(w))) {
      w = w.slice(0, -suffix.length) + keep;
      break;
    }
  }
  // "stopped" → "stopp" → "stop": a doubled final consonant left by -ed/-ing.
  if (/([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  return w.replace(/e$/, '');
}

export function words(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Stemmed content words, in order (repeats kept). */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    const lower = w.toLowerCase();
    if (STOPWORDS.has(lower) || STOPWORDS.has(lower.replace(/’/g, "'"))) continue;
    if (/^\d+$/.test(lower) && lower.length < 2) continue;
    out.push(stem(lower));
  }
  return out;
}

/** Numbers as written, normalised ("1,200" → "1200", "3.50" → "3.5"), years and percentages included. */
export function numbersIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\p{L}\d.])\d[\d,]*(?:\.\d+)?/gu)) {
    const raw = m[0].replace(/,(?=\d{3}\b)/g, '').replace(/[.,]$/, '');
    out.push(raw.includes('.') ? String(Number(raw)) : raw.replace(/^0+(?=\d)/, ''));
  }
  return out;
}

/** Capitalised words that are not a sentence's first word and not function words: names, places, products. */
export function namesIn(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?<=[\p{L}\p{N},;:)"”’]\s+)\p{Lu}[\p{L}\p{N}'’-]+/gu)) {
    const w = m[0];
    if (STOPWORDS.has(w.toLowerCase())) continue;
    out.push(stem(w));
  }
  return out;
}
