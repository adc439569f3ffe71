import { describe, expect, it } from 'vitest';
import { verifyAnswer } from './verify';
import { scriptedGenerator } from './test-support';
import type { NumberedPassage } from './types';
import { Verification } from './types';

function src(n: number, text: string): NumberedPassage {
  return { n, origin: 'memory', kind: 'highlight', id: `s${n}`, sourceId: `s${n}`, url: `https://e.com/${n}`, title: `S${n}`, text, score: 1 };
}

const sources = [
  src(1, 'Two thirds of an octopus’s neurons sit in its arms, so each arm can taste and touch without waiting for the central brain. Octopuses have three hearts.'),
  src(2, 'Cuttlefish change colour and skin texture within a fraction of a second using chromatophores controlled directly by nerves.'),
  src(3, 'The Great Barrier Reef stretches for 2,300 kilometres along the coast of Queensland, Australia.'),
];

describe('verifyAnswer (lexical)', () => {
  it('supports paraphrases of the cited passage and flags a wrong source', async () => {
    const answer = 'Most of an octopus’s neurons are located in its arms [1]. Cuttlefish change their skin colour in a fraction of a second with chromatophores [1].';
    const v = Verification.parse(await verifyAnswer(answer, sources));
    expect(v).toMatchObject({ checked: 2, supported: 1, unsupported: 1, uncited: 0 });
    expect(v.claims[0]).toMatchObject({ cites: [1], unsupported: [], method: 'lexical' });
    expect(v.claims[1]).toMatchObject({ cites: [1], unsupported: [1] });
    expect(answer.slice(v.claims[1]!.start, v.claims[1]!.end)).toBe('Cuttlefish change their skin colour in a fraction of a second with chromatophores [1].');
  });

  it('flags a changed number or name even when the words match', async () => {
    const v = await verifyAnswer('The Great Barrier Reef stretches for 3,400 kilometres along Queensland [3]. The Great Barrier Reef runs along the coast of Queensland, Australia [3]. Octopuses have three hearts, said Darwin [1].', sources);
    expect(v.claims.map((c) => c.unsupported)).toEqual([[3], [], [1]]);
  });

  it('counts a citation of a source that does not exist as unsupported', async () => {
    const v = await verifyAnswer('Octopuses have three hearts [7].', sources);
    expect(v.claims[0]).toMatchObject({ cites: [7], unsupported: [7], score: 0 });
    expect(v.unsupported).toBe(1);
  });

  it('accepts a sentence whose two citations together support it', async () => {
    const v = await verifyAnswer('Octopus arms taste without the central brain, while cuttlefish chromatophores are controlled directly by nerves [1][2].', sources);
    expect(v.claims[0]!.unsupported).toEqual([]);
  });

  it('counts uncited statements, not questions, headings or short phrases', async () => {
    const v = await verifyAnswer('## Summary\nOctopuses are remarkably intelligent animals overall. Want more?\nIn short: yes.', sources);
    expect(v).toMatchObject({ checked: 0, uncited: 1 });
  });
});

describe('verifyAnswer with an embedder and a helper', () => {
  it('lifts a paraphrase by meaning when the embedder says so', async () => {
    const claim = 'Octopus limbs hold most of the animal’s nerve cells [1].';
    const lexical = await verifyAnswer(claim, sources);
    // An embedder test double: every text maps to the same direction → cosine 1.
    const embed = async (texts: string[]) => texts.map(() => Float32Array.from([1, 0, 0]));
    const meaning = await verifyAnswer(claim, sources, { embed });
    expect(meaning.claims[0]!.method).toBe('embedding');
    expect(meaning.claims[0]!.score).toBeGreaterThan(lexical.claims[0]!.score);
  });

  it('asks the helper about doubtful claims only, and ignores bad output', async () => {
    const doubtful = 'Octopus arms decide simple movements by themselves [1].';
    const helper = scriptedGenerator(['{"verdicts": [{"claim": 1, "supported": true}]}']);
    const v = await verifyAnswer(`${doubtful} Octopuses have three hearts [1].`, sources, { helper });
    const asked = helper.calls[0]?.[1]?.content ?? '';
    if (helper.calls.length) {
      expect(asked).toContain('Claim 1');
      expect(asked).not.toContain('Claim 2');
      expect(v.claims[0]).toMatchObject({ method: 'model', unsupported: [] });
    }
    const bad = await verifyAnswer(doubtful, sources, { helper: scriptedGenerator(['I think so']) });
    expect(bad.claims[0]!.method).toBe('lexical');
  });
});
