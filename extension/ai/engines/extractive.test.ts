import { describe, expect, it } from 'vitest';
import { EXTRACTIVE_NOTICE, ExtractiveEngine, bestExcerpt } from './extractive';
import type { AskSource, GenerationInput } from './types';

const source = (n: number, text: string): AskSource => ({
  n,
  id: `highlight:h${n}#0`,
  kind: 'highlight',
  sourceId: `h${n}`,
  url: `https://example.com/${n}`,
  title: `Page ${n}`,
  site: 'example.com',
  text,
});

describe('ExtractiveEngine', () => {
  it('quotes the best passages with their citations, says it is extractive, and streams', async () => {
    const input: GenerationInput = {
      question: 'Why do octopuses change colour?',
      sources: [
        source(1, 'Octopuses change colour to hide from predators. Their skin holds chromatophores.'),
        source(2, 'Bread rises because yeast makes gas.'),
        source(3, 'The tide comes in twice a day.'),
        source(4, 'A fourth passage that should not be quoted.'),
      ],
      messages: [],
    };
    const tokens: string[] = [];
    const answer = await new ExtractiveEngine().generate(input, { onToken: (t) => tokens.push(t) });
    expect(answer.startsWith(EXTRACTIVE_NOTICE)).toBe(true);
    expect(answer).toContain('“Octopuses change colour to hide from predators. Their skin holds chromatophores.” [1]');
    expect(answer).toContain('[2]');
    expect(answer).toContain('[3]');
    expect(answer).not.toContain('[4]');
    expect(tokens.join('')).toBe(answer);
    expect(tokens.length).toBeGreaterThan(1);
  });

  it('says so when there is nothing to quote', async () => {
    const answer = await new ExtractiveEngine().generate({ question: 'anything', sources: [], messages: [] });
    expect(answer).toMatch(/Nothing you saved/);
  });

  it('trims a long passage to the sentences that answer the question', () => {
    const filler = 'This sentence talks about unrelated matters at some length. '.repeat(8);
    const text = `${filler}Glaciers carve valleys slowly over thousands of years. ${filler}`;
    expect(bestExcerpt(text, 'how do glaciers carve valleys')).toContain('Glaciers carve valleys');
    expect(bestExcerpt(text, 'how do glaciers carve valleys').length).toBeLessThanOrEqual(400);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(new ExtractiveEngine().generate({ question: 'q', sources: [source(1, 'x.')], messages: [] }, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });
});
