import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { ContentSignals } from '../schemas/signals';
import { computeSignals, SPAM_THRESHOLD } from './content-signals';
import { measureDom } from './dom-measures';
import { applyRankPrior, rankPrior } from './rank-prior';
import { readingMinutes } from './text-measures';

const pages = resolve(import.meta.dirname, '../../bench/collections/spam-signals/pages');
const docOf = (html: string) => parseHTML(html).document as unknown as Document;

const PROSE =
  'Tomatoes are one of the easiest crops to grow in containers. Pick a pot of at least twenty litres, a sunny spot that gets six hours of light, and a compact variety. ' +
  'Water in the morning so the leaves dry during the day, and feed every two weeks once the first flowers open.';

describe('computeSignals', () => {
  it('finds a clean article clean, with its language and reading time', () => {
    const s = computeSignals({ text: PROSE.repeat(4), title: 'Growing tomatoes' });
    expect(s.spam).toBe(false);
    expect(s.spamScore).toBeLessThan(0.2);
    expect(s.lang).toBe('eng');
    expect(s.readingMinutes).toBeGreaterThan(0.5);
    expect(s.boilerplateRatio).toBeNull(); // no document (an import)
    expect(() => ContentSignals.parse(s)).not.toThrow();
  });

  it('detects the language of the text, and falls back to the declared one on short text', () => {
    expect(computeSignals({ text: 'Le gouvernement a annoncé mardi une nouvelle loi sur le logement social dans les grandes villes du pays.' }).lang).toBe('fra');
    expect(computeSignals({ text: 'Hola', declaredLang: 'es' }).lang).toBe('es');
    expect(computeSignals({ text: 'ok' }).lang).toBe('und');
  });

  it('scores keyword stuffing and spam phrases with readable reasons', () => {
    const text = 'Best online casino bonus. Online casino free spins, online casino no deposit bonus, real money online casino. Claim your bonus now! Online casino online casino.';
    const s = computeSignals({ text, title: 'Online casino' });
    expect(s.spam).toBe(true);
    expect(s.spamScore).toBeGreaterThanOrEqual(SPAM_THRESHOLD);
    expect(s.reasons.some((r) => r.startsWith('keyword stuffing: "online casino"'))).toBe(true);
    expect(s.reasons.some((r) => r.includes('gambling spam phrase'))).toBe(true);
  });

  it('keeps one repeated word under the threshold (a glossary is not spam)', () => {
    const text = 'A function takes arguments. A pure function has no effects. A recursive function calls itself. A method is a function on an object. A callback function runs later. Every function returns. '.repeat(2);
    const s = computeSignals({ text });
    expect(s.reasons.some((r) => r.includes('"function"'))).toBe(true);
    expect(s.spam).toBe(false);
  });

  it('reads hidden text and link density from the document', () => {
    const doc = docOf(readFileSync(resolve(pages, 'gardening-hidden-keywords.html'), 'utf8'));
    const dom = measureDom(doc);
    expect(dom.hiddenChars).toBeGreaterThan(200);
    expect(dom.hiddenSample).toContain('replica watches');
    const text = doc.querySelector('article')!.textContent!;
    const s = computeSignals({ text, dom });
    expect(s.spam).toBe(true);
    expect(s.reasons.some((r) => r.startsWith('hidden text'))).toBe(true);
    expect(s.boilerplateRatio).toBeGreaterThanOrEqual(0);
    expect(s.hiddenTextRatio).toBeGreaterThan(0.2);
  });

  it('sees a link farm by its share of link text and the number of sites it points at', () => {
    const links = Array.from({ length: 30 }, (_, i) => `<a href="http://site${i}.example/">partner number ${i}</a>`).join(' ');
    const doc = docOf(`<html><body><p>Friends:</p>${links}</body></html>`);
    const dom = measureDom(doc);
    expect(dom.links).toBe(30);
    expect(dom.linkHosts).toBe(30);
    const s = computeSignals({ text: 'Friends:', dom });
    expect(s.linkDensity).toBeGreaterThan(0.9);
    expect(s.reasons.some((r) => r.startsWith('link farm'))).toBe(true);
  });

  it('ignores scripts and styles, and counts CJK reading time by characters', () => {
    const dom = measureDom(docOf('<html><body><script>var x = "hidden?"</script><style>p{}</style><p>Visible</p></body></html>'));
    expect(dom).toMatchObject({ textChars: 7, hiddenChars: 0 });
    expect(readingMinutes('漢'.repeat(1000))).toBe(2);
  });
});

describe('rank prior', () => {
  it('ranks spam down without dropping it, and hides it on request', () => {
    expect(rankPrior(undefined)).toBe(1);
    expect(rankPrior({ spamScore: 1 })).toBeCloseTo(0.35);
    const results = [
      { id: 'spam', score: 1, prior: rankPrior({ spamScore: 0.9 }), spam: true },
      { id: 'clean', score: 0.8, prior: 1, spam: false },
      { id: 'old', score: 0.5 },
    ];
    expect(applyRankPrior(results).map((r) => r.id)).toEqual(['clean', 'old', 'spam']);
    expect(applyRankPrior(results, true).map((r) => r.id)).toEqual(['clean', 'old']);
  });
});
