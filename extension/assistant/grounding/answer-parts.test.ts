import { describe, expect, it } from 'vitest';
import type { Verification } from '@shared/serving/types';
import { answerParts } from './answer-parts';

describe('answerParts', () => {
  it('splits an answer into text and citations that exist', () => {
    expect(answerParts('A [1] b [3][2].', 2)).toEqual([{ text: 'A ' }, { cite: 1, supported: true }, { text: ' b [3]' }, { cite: 2, supported: true }, { text: '.' }]);
  });

  it('marks the exact citation the verifier found unsupported', () => {
    const answer = 'Octopuses have three hearts [1]. They squirt ink [1].';
    const verification: Verification = {
      claims: [
        { start: 0, end: 32, cites: [1], unsupported: [], score: 0.9, method: 'lexical' },
        { start: 33, end: answer.length, cites: [1], unsupported: [1], score: 0.1, method: 'lexical' },
      ],
      checked: 2,
      supported: 1,
      unsupported: 1,
      uncited: 0,
      repaired: false,
    };
    const cites = answerParts(answer, 1, verification).filter((p) => 'cite' in p);
    expect(cites).toEqual([{ cite: 1, supported: true }, { cite: 1, supported: false }]);
  });
});
