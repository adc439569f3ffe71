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
    // Sources that share nothing with the question are not quoted as if they answered it.
    expect(answer).not.toContain('[2]');
    expect(answer).not.toContain('[4]');
    expect(tokens.join('')).toBe(answer);
    expect(tokens.length).toBeGreaterThan(1);
  });

  it('lists each page once and keeps the user’s note out of the quotation', async () => {
    const note = 'I think this explains the camouflage.';
    const input: GenerationInput = {
      question: 'octopus colour camouflage',
      sources: [
        { ...source(1, 'Octopus skin changes colour for camouflage.'), note },
        { ...source(2, 'Octopus colour changes are fast.'), url: 'https://example.com/1' },
        source(3, 'Cuttlefish colour camouflage is similar.'),
      ],
      messages: [],
    };
    const answer = await new ExtractiveEngine().generate(input);
    expect(answer.match(/https|\[1\]/g)).toHaveLength(1);
    expect(answer).not.toContain('[2]');
    expect(answer).toContain('[3]');
    const quotes = [...answer.matchAll(/“([^”]*)”/g)].map((m) => m[1]);
    expect(quotes.some((q) => q!.includes('camouflage'))).toBe(true);
    expect(quotes.every((q) => !q!.includes('I think'))).toBe(true);
    expect(answer).toContain(`Your note: ${note}`);
  });

  it('summarises a text extractively for the summarize actions and refuses to rewrite without a model', async () => {
    const text = [
      'Glaciers are large masses of ice that move slowly over land.',
      'My aunt visited Norway in the summer and liked the food.',
      'Glaciers carve valleys as the ice moves and grinds rock.',
      'The ice of glaciers forms from snow compressed over many years.',
      'Parking near the viewpoint costs ten crowns per hour today.',
      'When glaciers melt the ice leaves behind moraines and lakes.',
    ].join(' ');
    const engine = new ExtractiveEngine();
    const summary = await engine.generate({ question: '', sources: [], messages: [], task: { action: 'summarize', text } });
    expect(summary).toContain('Glaciers carve valleys');
    expect(summary).not.toContain('Parking');
    expect(await engine.available({ action: 'improve', text })).toMatchObject({ status: 'unavailable' });
    await expect(engine.generate({ question: '', sources: [], messages: [], task: { action: 'improve', text } })).rejects.toMatchObject({ code: 'unavailable' });
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
