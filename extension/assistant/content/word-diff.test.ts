import { describe, expect, it } from 'vitest';
import { changedWords, wordDiff } from './word-diff';

describe('word diff', () => {
  it('marks the words a rewrite changed and keeps the rest', () => {
    const parts = wordDiff('Their going too the store.', 'They are going to the store.')!;
    expect(parts.filter((p) => p.kind === 'removed').map((p) => p.text.trim())).toEqual(['Their', 'too']);
    expect(parts.filter((p) => p.kind === 'added').map((p) => p.text.trim())).toEqual(['They are', 'to']);
    // Reading the kept and added parts gives the new text; the kept and removed parts the old one.
    expect(parts.filter((p) => p.kind !== 'removed').map((p) => p.text).join('')).toBe('They are going to the store.');
    expect(parts.filter((p) => p.kind !== 'added').map((p) => p.text).join('')).toBe('Their going too the store.');
    expect(changedWords(parts)).toEqual({ added: 3, removed: 2 });
  });

  it('an unchanged text is one kept part', () => {
    expect(wordDiff('Same words.', 'Same words.')).toEqual([{ text: 'Same words.', kind: 'same' }]);
  });

  it('declines texts too long to diff quickly', () => {
    expect(wordDiff('a '.repeat(30_000), 'b '.repeat(30_000))).toBeNull();
  });
});
