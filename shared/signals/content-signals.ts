import { franc } from 'franc-min';
import { ContentSignals, SIGNALS_VERSION } from '../schemas/signals';
import type { DomMeasures } from './dom-measures';
import { findSpamPatterns } from './spam-patterns';
import { readingMinutes, shouting, stuffing } from './text-measures';

/**
 * Content signals of one collected page (capture, crawl, import, connectors all call this): language,
 * reading time, boilerplate share and a spam score with its reasons. Heuristics, not a model: each
 * reason adds to the score (combined as independent pieces of evidence, 1 − Π(1 − wᵢ)), so one weak
 * hint never makes a page spam but two strong ones do. Thresholds were set on the `fit` half of
 * bench/collections/spam-signals and checked on its held-out half (`npm run bench -- signals`).
 */

export interface SignalInput {
  text: string;
  title?: string;
  /** The page's own `lang`, used when the text is too short to tell. */
  declaredLang?: string;
  /** From the document, when there was one (capture, crawl). */
  dom?: DomMeasures;
}

/** At or above: spam (ranked down and hidden by the filter). */
export const SPAM_THRESHOLD = 0.5;
/** Characters of text the language detector reads: more costs time and changes nothing. */
const LANG_SAMPLE = 2000;

export const TUNING = {
  /** A content word repeated this often (count and share of content words) is stuffing. */
  wordCount: 10,
  wordShare: 0.1,
  pairCount: 5,
  pairShare: 0.06,
  /** Hidden text this long and this share of all text. */
  hiddenChars: 100,
  hiddenShare: 0.15,
  /** Link farm: this share of visible text in links, pointing at this many sites. */
  linkShare: 0.6,
  linkHosts: 20,
  capsShare: 0.2,
} as const;

function detectLanguage(text: string, declared: string | undefined): string {
  const code = franc(text.slice(0, LANG_SAMPLE), { minLength: 20 });
  if (code !== 'und') return code;
  return (declared ?? '').trim().slice(0, 16) || 'und';
}

const ratio = (a: number, b: number) => (b > 0 ? Math.min(1, Math.max(0, a / b)) : 0);
const pct = (x: number) => `${Math.round(x * 100)}%`;

export function computeSignals(input: SignalInput): ContentSignals {
  const text = input.text ?? '';
  const title = input.title ?? '';
  const dom = input.dom;
  const reasons: Array<{ weight: number; why: string }> = [];

  // One repeated word alone stays under the threshold (a glossary repeats its subject); a repeated
  // phrase is what stuffing for a search query looks like.
  const checkStuffing = (body: string, where: string, strength: number) => {
    const s = stuffing(body);
    if (s.topPairCount >= TUNING.pairCount && s.topPairShare >= TUNING.pairShare)
      reasons.push({ weight: Math.min(0.7, 0.45 + s.topPairShare) * strength, why: `keyword stuffing${where}: "${s.topPair}" ×${s.topPairCount} (${pct(s.topPairShare)} of word pairs)` });
    else if (s.topWordCount >= TUNING.wordCount && s.topWordShare >= TUNING.wordShare)
      reasons.push({ weight: Math.min(0.45, 0.25 + s.topWordShare) * strength, why: `keyword stuffing${where}: "${s.topWord}" ×${s.topWordCount} (${pct(s.topWordShare)} of words)` });
  };

  for (const hit of findSpamPatterns(`${title}\n${text}`)) reasons.push({ weight: hit.weight, why: `${hit.kind} spam phrase: "${hit.match}"` });
  checkStuffing(text, '', 1);
  const titleWords = stuffing(title);
  if (titleWords.topWordCount >= 3) reasons.push({ weight: 0.25, why: `title repeats "${titleWords.topWord}" ×${titleWords.topWordCount}` });
  const shout = shouting(`${title}\n${text}`);
  if (shout.capsShare >= TUNING.capsShare) reasons.push({ weight: 0.15, why: `${pct(shout.capsShare)} of words in capitals` });
  if (shout.bangRuns > 0) reasons.push({ weight: Math.min(0.3, 0.1 * shout.bangRuns), why: `"!!" ×${shout.bangRuns}` });

  let boilerplateRatio: number | null = null;
  let linkDensity: number | null = null;
  let hiddenTextRatio: number | null = null;
  if (dom) {
    const kept = text.replace(/\s+/g, ' ').trim().length;
    boilerplateRatio = dom.textChars > 0 ? 1 - ratio(kept, dom.textChars) : 0;
    linkDensity = ratio(dom.linkChars, dom.textChars);
    hiddenTextRatio = ratio(dom.hiddenChars, dom.textChars + dom.hiddenChars);
    if (dom.hiddenChars >= TUNING.hiddenChars && hiddenTextRatio >= TUNING.hiddenShare) {
      reasons.push({ weight: 0.3, why: `hidden text: ${dom.hiddenChars} characters (${pct(hiddenTextRatio)} of the page)` });
      // What a page hides is judged harder: stuffing or spam phrases there are meant for crawlers only.
      checkStuffing(dom.hiddenSample, ' in hidden text', 1);
      for (const hit of findSpamPatterns(dom.hiddenSample)) reasons.push({ weight: hit.weight, why: `hidden ${hit.kind} spam phrase: "${hit.match}"` });
    }
    if (linkDensity >= TUNING.linkShare && dom.linkHosts >= TUNING.linkHosts)
      reasons.push({ weight: 0.55, why: `link farm: ${pct(linkDensity)} of the text is links to ${dom.linkHosts} sites` });
  }

  reasons.sort((a, b) => b.weight - a.weight);
  const spamScore = Math.round((1 - reasons.reduce((keep, r) => keep * (1 - Math.min(0.95, r.weight)), 1)) * 1000) / 1000;
  return ContentSignals.parse({
    v: SIGNALS_VERSION,
    lang: detectLanguage(text, input.declaredLang),
    readingMinutes: Math.min(100_000, readingMinutes(text)),
    boilerplateRatio: boilerplateRatio === null ? null : Math.round(boilerplateRatio * 1000) / 1000,
    linkDensity: linkDensity === null ? null : Math.round(linkDensity * 1000) / 1000,
    hiddenTextRatio: hiddenTextRatio === null ? null : Math.round(hiddenTextRatio * 1000) / 1000,
    spamScore,
    spam: spamScore >= SPAM_THRESHOLD,
    reasons: reasons.slice(0, 8).map((r) => r.why.slice(0, 160)),
  });
}
