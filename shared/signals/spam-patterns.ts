/**
 * Phrases that mark abuse pages: the calls to action and promises of the usual kinds of web spam
 * (pharmacy, gambling, loans, scams, counterfeit goods, warez, fake health cures, paid essays). Each is a
 * whole phrase a clean page rarely uses as is; a page that merely discusses the topic ("online casino",
 * "payday loan") matches none, or only the weak ones. `weight` is how much one match adds to the score.
 */
export interface SpamPattern {
  kind: string;
  re: RegExp;
  weight: number;
}

const STRONG = 0.45;
const MEDIUM = 0.2;
const WEAK = 0.1;

export const SPAM_PATTERNS: readonly SpamPattern[] = [
  { kind: 'pharmacy', re: /\b(?:buy|order|cheap|cheapest|discount|generic)\s+(?:viagra|cialis|levitra|tramadol|xanax|valium|phentermine|oxycodone)\b/i, weight: STRONG },
  { kind: 'pharmacy', re: /\b(?:no|without(?: a)?)\s+prescription(?:\s+(?:needed|required))?\b/i, weight: MEDIUM },
  { kind: 'gambling', re: /\bno[- ]deposit\s+(?:casino|bonus)\b|\bcasino\s+(?:bonus|free spins|jackpot)\b/i, weight: MEDIUM },
  { kind: 'gambling', re: /\bclaim\s+(?:your|the)?\s*(?:\d+%\s*)?(?:casino\s+)?(?:bonus|prize|reward|free spins)\b/i, weight: STRONG },
  { kind: 'gambling', re: /\bbono\s+(?:gratis|sin\s+dep[oó]sito)|\btiradas\s+gratis\b|\breclama\s+tu\s+bono\b/i, weight: STRONG },
  { kind: 'loans', re: /\b(?:guaranteed|instant)\s+approval\b|\bno\s+faxing\b|\bcash\s+fast\b/i, weight: MEDIUM },
  { kind: 'scam', re: /\byou(?:\s+have|'ve)\s+(?:been\s+(?:randomly\s+)?selected|won)\b|\blucky\s+winner\b/i, weight: STRONG },
  { kind: 'scam', re: /\bsend\s+(?:any amount|[\d.]+\s*(?:btc|eth|bitcoin))\b|\bget\s+[\d.]+\s*(?:btc|eth)\s+back\b|\bdouble\s+(?:the|your)\s+(?:amount|coins|bitcoin)\b/i, weight: STRONG },
  { kind: 'scam', re: /\byour\s+(?:computer|pc|device)\s+(?:is|has\s+been)\s+(?:infected|blocked|locked)|\bcall\s+(?:microsoft|apple|windows)\s+support\b/i, weight: STRONG },
  { kind: 'money', re: /\b(?:earn|make)\s+\$?[\d,]+\s+(?:a|per|every)\s+(?:day|week|month)\b|\bfinancial\s+freedom\b|\bbe\s+your\s+own\s+boss\b/i, weight: MEDIUM },
  { kind: 'health', re: /\bone\s+weird\s+trick\b|\bdoctors\s+hate\b|\blose\s+\d+\s+(?:pounds|lbs|kilos?|kg)\s+in\s+\d+\s+days\b|\bmiracle\s+(?:pill|cure)\b|\bfree\s+trial\s+bottle\b/i, weight: STRONG },
  { kind: 'dating', re: /\b(?:hot|lonely)\s+singles\b|\bsingles\s+(?:in|near)\s+your\s+area\b/i, weight: STRONG },
  { kind: 'counterfeit', re: /\breplica\s+(?:watches|handbags|rolex|bags|louis)|\bfake\s+(?:rolex|louis\s+vuitton|handbags)\b|\boutlet\s+online\b.{0,40}\b\d{2}%\s+off\b/i, weight: STRONG },
  { kind: 'warez', re: /\b(?:crack|keygen|serial\s+key|license\s+key)\b.{0,60}\bfree\s+download\b|\bfull\s+version\s+(?:free|with\s+crack)\b/i, weight: STRONG },
  { kind: 'essays', re: /\bwrite\s+my\s+essay\b|\bpay\s+someone\s+to\s+write\b/i, weight: STRONG },
  { kind: 'urgency', re: /\b(?:act\s+now|order\s+now|buy\s+now|sign\s+up\s+now|apply\s+now|limited\s+time(?:\s+only)?|hurry|don't\s+miss\s+out)\b/i, weight: WEAK },
  { kind: 'urgency', re: /\b100%\s+(?:free|guaranteed|safe|virus\s+free|satisfaction)|\brisk[- ]free\b|\bmoney[- ]back\s+guarantee\b|\bguaranteed\s+returns\b/i, weight: WEAK },
];

export interface PatternHit {
  kind: string;
  match: string;
  weight: number;
}

/** Each pattern counts once, however often it matches: repetition is the stuffing measure's job. */
export function findSpamPatterns(text: string): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const p of SPAM_PATTERNS) {
    const m = p.re.exec(text);
    if (m) hits.push({ kind: p.kind, match: m[0].replace(/\s+/g, ' ').slice(0, 60), weight: p.weight });
  }
  return hits;
}
