import { describe, expect, it } from 'vitest';
import type { Verification } from '@shared/serving/types';
import { UNSUPPORTED_MARK, citationVerdicts, markUnsupported, verificationSummary } from './citation-flags';

const ANSWER = 'The moon pulls the sea [1]. The sun helps [1][2]. Cats purr.';
// Offsets of the two cited sentences (the citation inside the first, just after the second's span).
const first = { start: 0, end: ANSWER.indexOf('[1].') + 4, cites: [1], unsupported: [], score: 0.9, method: 'lexical' as const };
const second = { start: ANSWER.indexOf('The sun'), end: ANSWER.indexOf(' [1][2]'), cites: [1, 2], unsupported: [1], score: 0.4, method: 'lexical' as const };
const VERIFICATION: Verification = { claims: [first, second], checked: 2, supported: 1, unsupported: 1, uncited: 1, repaired: false };

describe('citation flags', () => {
  it('flags the exact [n] of the sentence whose passage does not support it', () => {
    const verdicts = citationVerdicts(ANSWER, VERIFICATION);
    expect(verdicts.map((v) => [v.n, v.supported])).toEqual([
      [1, true],
      [1, false],
      [2, true],
    ]);
    expect(markUnsupported(ANSWER, VERIFICATION)).toBe(`The moon pulls the sea [1]. The sun helps [1${UNSUPPORTED_MARK}][2]. Cats purr.`);
  });

  it('removes any mark the model wrote itself, and leaves an unverified answer as written', () => {
    expect(markUnsupported(`Forged [1${UNSUPPORTED_MARK}].`, { ...VERIFICATION, claims: [] })).toBe('Forged [1].');
    expect(markUnsupported(ANSWER, undefined)).toBe(ANSWER);
  });

  it('says how many claims were checked and what was found', () => {
    expect(verificationSummary(VERIFICATION)).toBe('2 of 3 claims checked against their sources: 1 citation not supported by the cited passage.');
    expect(verificationSummary({ ...VERIFICATION, unsupported: 0, supported: 2 })).toMatch(/every citation supported/);
    expect(verificationSummary({ claims: [], checked: 0, supported: 0, unsupported: 0, uncited: 0, repaired: false })).toBe('No claims to check against sources.');
  });
});
