import { describe, expect, it } from 'vitest';
import { runPipeline } from './pipeline';
import { fixedRetriever, passage, scriptedGenerator, steppingClock } from './test-support';
import { AnswerTrace, Verification } from './types';

const octopusPage = 'Two thirds of an octopus’s neurons sit in its arms. Each arm can taste and touch without waiting for the central brain.';
const webCamouflage = 'Cuttlefish change colour within a fraction of a second using chromatophores controlled directly by nerves.';

describe('runPipeline', () => {
  it('plans, retrieves, dedupes, generates, verifies and traces an "everything" answer citing memory and the web', async () => {
    const memory = fixedRetriever('memory', [passage('memory', 'hl1', 'Two thirds of an octopus’s neurons sit in its arms.', { highlightId: 'hl_1', note: 'wow', url: 'https://example.com/octopus' })]);
    const web = fixedRetriever('web', [
      passage('web', 'w1', octopusPage, { url: 'https://www.example.com/octopus?utm_source=x' }),
      passage('web', 'w2', webCamouflage, { url: 'https://example.org/camouflage' }),
    ]);
    const generator = scriptedGenerator(['Most of an octopus’s neurons are in its arms [1]. Cuttlefish change colour using chromatophores [2]. Octopuses can fly [2].']);
    const tokens: string[] = [];
    const steps: string[] = [];
    const result = await runPipeline(
      { question: 'How do octopuses and cuttlefish use their nervous system?', scope: 'everything', history: [], contextChars: 6000 },
      { retrievers: [memory, web], generator, now: steppingClock() },
      { onToken: (t) => tokens.push(t), onStep: (s) => steps.push(s.step) },
    );
    // The highlight and the web copy of the same article are one source, keeping the highlight's id and note.
    expect(result.sources).toHaveLength(2);
    expect(result.sources[0]).toMatchObject({ n: 1, highlightId: 'hl_1', note: 'wow', origin: 'memory', alsoFrom: ['web'] });
    expect(result.sources[1]).toMatchObject({ n: 2, origin: 'web' });
    expect(tokens.join('')).toBe(result.answer);
    expect(steps).toEqual(['plan', 'retrieve', 'aggregate', 'generate', 'verify']);
    // The prompt labels the web result as the web and carries the user's note as theirs.
    const user = generator.calls[0]!.at(-1)!.content;
    expect(user).toContain('from="web search result"');
    expect(user).toContain('Note by the user');
    expect(Verification.parse(result.verification)).toMatchObject({ checked: 3, supported: 2, unsupported: 1 });
    const flagged = result.verification.claims.find((c) => c.unsupported.length)!;
    expect(result.answer.slice(flagged.start, flagged.end)).toBe('Octopuses can fly [2].');
    expect(AnswerTrace.parse(result.trace)).toMatchObject({ scope: 'everything', engine: 'test-double', model: 'double-1', template: { id: 'grounded-everything', version: 1 }, passages: { retrieved: 3, unique: 2, used: 2 } });
    expect(result.trace.steps.every((s) => s.ms >= 5 && s.ms % 5 === 0)).toBe(true);
    expect(result.trace.totalMs).toBeGreaterThanOrEqual(result.trace.steps.reduce((n, s) => n + s.ms, 0));
    expect(result.trace.retrievals.map((r) => r.status)).toEqual(['ok', 'ok']);
  });

  it('answers from memory when the web passes its budget, and says so in the trace', async () => {
    const memory = fixedRetriever('memory', [passage('memory', 'hl1', octopusPage)]);
    const web = fixedRetriever('web', [passage('web', 'w', webCamouflage)], { delayMs: 5_000, budgetMs: 50, ignoreSignal: true });
    const started = Date.now();
    const result = await runPipeline({ question: 'Where are octopus neurons?', scope: 'everything', history: [], contextChars: 4000 }, { retrievers: [memory, web], generator: scriptedGenerator(['In the arms [1].']) });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(result.trace.retrievals.find((r) => r.origin === 'web')).toMatchObject({ status: 'timeout' });
    expect(result.trace.retrievals.find((r) => r.origin === 'web')!.detail).toMatch(/50 ms/);
    expect(result.sources.map((s) => s.origin)).toEqual(['memory']);
  });

  it('repairs an unsupported citation in one pass and re-verifies', async () => {
    const memory = fixedRetriever('memory', [passage('memory', 'a', octopusPage), passage('memory', 'b', webCamouflage)]);
    const generator = scriptedGenerator(['Cuttlefish change colour using chromatophores controlled by nerves [1].', 'Cuttlefish change colour using chromatophores controlled by nerves [2].']);
    const result = await runPipeline({ question: 'How do cuttlefish change colour?', scope: 'memory', history: [], contextChars: 4000 }, { retrievers: [memory], generator, repair: true });
    expect(result.answer).toContain('[2]');
    expect(result.verification).toMatchObject({ repaired: true, unsupported: 0, supported: 1 });
    expect(result.trace.steps.map((s) => s.step)).toContain('repair');
    expect(generator.calls[1]!.at(-1)!.content).toContain('do not support them');
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    const memory = fixedRetriever('memory', [passage('memory', 'a', octopusPage)], { delayMs: 200 });
    const run = runPipeline({ question: 'q about octopus', scope: 'memory', history: [], contextChars: 1000 }, { retrievers: [memory], generator: scriptedGenerator(['x']) }, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('Stopped.')), 20);
    await expect(run).rejects.toThrow('Stopped.');
  });
});
