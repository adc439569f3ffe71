import { describe, expect, it } from 'vitest';
import { buildSnippet, markTerms } from './snippet';

const joined = (parts: { text: string }[]) => parts.map((p) => p.text).join('');
const marked = (parts: { text: string; match: boolean }[]) => parts.filter((p) => p.match).map((p) => p.text);

describe('snippets', () => {
  it('marks whole-word matches case-insensitively', () => {
    const parts = markTerms('Lobster, lobsters and LOBSTER-pots', ['lobster']);
    expect(marked(parts)).toEqual(['Lobster', 'LOBSTER']);
    expect(joined(parts)).toBe('Lobster, lobsters and LOBSTER-pots');
  });

  it('picks the window holding the most distinct terms', () => {
    const text = `alpha ${'x '.repeat(200)} alpha beta gamma ${'y '.repeat(200)}`;
    const parts = buildSnippet(text, ['alpha', 'beta', 'gamma'], 60);
    expect(marked(parts)).toEqual(['alpha', 'beta', 'gamma']);
    expect(joined(parts).length).toBeLessThanOrEqual(64);
  });

  it('returns the head of the text when nothing matches', () => {
    const parts = buildSnippet('one two three four five six seven eight nine ten', [], 20);
    expect(parts).toEqual([{ text: 'one two three four …', match: false }]);
  });

  it('treats regex characters in terms literally', () => {
    expect(marked(markTerms('a (b) c.d', ['(b)', 'c.d']))).toEqual(['(b)', 'c.d']);
    expect(marked(markTerms('abcxd', ['c.d']))).toEqual([]);
  });

  it('marks every word form of stemmed index terms', () => {
    // The ranking index's terms are stems ("heat", "wing"): the text's own word forms are marked.
    const parts = markTerms('Heating the wings; heated wing-tips. Heath.', ['heat', 'wing'], { stemmed: true });
    expect(marked(parts)).toEqual(['Heating', 'wings', 'heated', 'wing']);
    const snippet = buildSnippet(`${'x '.repeat(200)}the lobsters molted ${'y '.repeat(200)}`, ['lobster', 'molt'], 60, { stemmed: true });
    expect(marked(snippet)).toEqual(['lobsters', 'molted']);
    expect(marked(markTerms('the lobsters', ['lobster']))).toEqual([]);
  });
});
