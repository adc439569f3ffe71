import { describe, expect, it } from 'vitest';
import { repairAnswer } from './repair';
import { verifyAnswer } from './verify';
import { scriptedGenerator } from './test-support';
import type { NumberedPassage } from './types';

const sources: NumberedPassage[] = [
  { n: 1, origin: 'memory', kind: 'highlight', id: 'a', sourceId: 'a', url: 'https://e.com/a', title: 'A', text: 'Octopuses have three hearts and blue blood.', score: 1 },
  { n: 2, origin: 'web', kind: 'web', id: 'b', sourceId: 'b', url: 'https://e.com/b', title: 'B', text: 'Cuttlefish use chromatophores to change colour.', score: 1 },
];
const prompt = [{ role: 'user' as const, content: 'q' }];

describe('repairAnswer', () => {
  it('keeps a rewrite that fixes the citation', async () => {
    const answer = 'Cuttlefish change colour with chromatophores [1].';
    const first = await verifyAnswer(answer, sources);
    const gen = scriptedGenerator(['Cuttlefish change colour with chromatophores [2].']);
    const r = await repairAnswer(gen, prompt, answer, first, sources, {});
    expect(r).toMatchObject({ replaced: true, answer: 'Cuttlefish change colour with chromatophores [2].' });
    expect(r.verification).toMatchObject({ repaired: true, unsupported: 0 });
    expect(gen.calls[0]!.at(-1)!.content).toContain('"Cuttlefish change colour with chromatophores ." cites [1]');
  });

  it('keeps the first answer when the rewrite is no better', async () => {
    const answer = 'Cuttlefish change colour with chromatophores [1].';
    const first = await verifyAnswer(answer, sources);
    const r = await repairAnswer(scriptedGenerator(['Cuttlefish change colour with chromatophores [1].']), prompt, answer, first, sources, {});
    expect(r).toMatchObject({ replaced: false, answer });
    expect(r.verification.repaired).toBe(false);
  });
});
