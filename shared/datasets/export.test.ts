import { describe, expect, it } from 'vitest';
import { Feedback } from '../schemas/assistant';
import { decide, type ReviewDecision } from '../schemas/curation';
import { exportDataset, linesOf, splitOf, type CuratedItem } from './export';
import { DATASET_FORMATS, JsonlError, parseJsonl, type DatasetFormat } from './formats';

const SOURCE_TEXT = 'Lobsters grow by molting their hard shells, several times a year when young.';

function feedback(id: string, patch: Partial<Feedback> = {}): Feedback {
  return Feedback.parse({
    id,
    subjectKind: 'answer',
    subjectId: `msg_${id}`,
    action: 'ask',
    prompt: [
      { role: 'system', content: 'Answer only from the numbered sources.' },
      { role: 'user', content: `Sources:\n\n<source n="1">${SOURCE_TEXT}</source>\n\nQuestion: how do lobsters grow (${id})?` },
    ],
    output: 'They molt [1].',
    engine: 'openai-compatible',
    model: 'llama3.2',
    template: { id: 'ask', version: 3 },
    sources: [{ n: 1, kind: 'page', sourceId: 'https://example.com/lobsters', url: 'https://example.com/lobsters', title: 'Lobsters', text: SOURCE_TEXT }],
    createdAt: 1,
    updatedAt: 1,
    ...patch,
  });
}

function item(id: string, decision: ReviewDecision, patch: Partial<Feedback> = {}, editedOutput?: string): CuratedItem {
  return { feedback: feedback(id, patch), review: decide(undefined, { subjectKind: 'feedback', subjectId: `fb_${id}`, decision, editedOutput, tags: ['biology'], deviceId: 'dev_a', at: 5 }) };
}

const ITEMS: CuratedItem[] = [
  item('item_accept_plain', 'accept'),
  item('item_accept_corrected', 'accept', { correction: 'They shed their shells (molting) [1].' }),
  item('item_edited', 'edit', {}, 'Lobsters grow by molting [1].'),
  item('item_rejected', 'reject', { rating: 'down' }),
  item('item_rejected_corrected', 'reject', { correction: 'By molting [1].' }),
];
const FORMATS = Object.keys(DATASET_FORMATS) as DatasetFormat[];

describe('dataset export', () => {
  it('SFT: every item with a preferred output, the edit or correction replacing the output', () => {
    const all = ITEMS.flatMap((i) => linesOf('openai-sft', i));
    expect(all.map((l) => [l.metadata.id, l.messages.at(-1)!.content])).toEqual([
      ['item_accept_plain', 'They molt [1].'],
      ['item_accept_corrected', 'They shed their shells (molting) [1].'],
      ['item_edited', 'Lobsters grow by molting [1].'],
      ['item_rejected_corrected', 'By molting [1].'],
    ]);
    expect(all[0]!.metadata).toMatchObject({ template: 'ask', template_version: 3, engine: 'openai-compatible', model: 'llama3.2', action: 'ask', tags: ['biology'] });
  });

  it('preference pairs in the OpenAI and the TRL shape agree, rejected side = the engine output', () => {
    const openai = ITEMS.flatMap((i) => linesOf('openai-dpo', i));
    const trl = ITEMS.flatMap((i) => linesOf('trl-preference', i));
    expect(openai.map((l) => l.metadata.id)).toEqual(['item_accept_corrected', 'item_edited', 'item_rejected_corrected']);
    expect(trl.map((l) => [l.prompt, l.chosen, l.rejected])).toEqual(openai.map((l) => [l.input.messages, l.preferred_output, l.non_preferred_output]));
    expect(openai.every((l) => l.non_preferred_output[0]!.content === 'They molt [1].')).toBe(true);
  });

  it('unpaired: preferred outputs labelled true, rejected outputs false', () => {
    const lines = ITEMS.flatMap((i) => linesOf('trl-unpaired', i));
    expect(lines.map((l) => [l.metadata.id, l.label])).toEqual([
      ['item_accept_plain', true],
      ['item_accept_corrected', true],
      ['item_accept_corrected', false],
      ['item_edited', true],
      ['item_edited', false],
      ['item_rejected', false],
      ['item_rejected_corrected', true],
      ['item_rejected_corrected', false],
    ]);
  });

  it('the sources switch: kept in metadata and prompt, or stripped from both', () => {
    const kept = linesOf('openai-sft', ITEMS[0]!, { includeSources: true, validationShare: 0.1 })[0]!;
    const stripped = linesOf('openai-sft', ITEMS[0]!, { includeSources: false, validationShare: 0.1 })[0]!;
    expect(kept.metadata.sources).toEqual([{ n: 1, url: 'https://example.com/lobsters', title: 'Lobsters', text: SOURCE_TEXT }]);
    expect(JSON.stringify(kept.messages)).toContain(SOURCE_TEXT);
    expect(stripped.metadata.sources).toBeUndefined();
    expect(JSON.stringify(stripped)).not.toContain(SOURCE_TEXT);
    expect(stripped.messages[1]!.content).toContain('[source 1 omitted]');
    expect(stripped.metadata.split).toBe(kept.metadata.split);
  });

  it('round-trips: export → parse (validated against the schema) → the same examples, for every format', () => {
    for (const format of FORMATS) {
      for (const includeSources of [true, false]) {
        const options = { includeSources, validationShare: 0.4 };
        const out = exportDataset(format, [...ITEMS].reverse(), options);
        const parsed = [...parseJsonl(format, out.train), ...parseJsonl(format, out.validation)];
        const expected = ITEMS.flatMap((i) => linesOf(format, i, options));
        const byKey = (l: { metadata: { id: string } }) => `${l.metadata.id} ${JSON.stringify(l)}`;
        expect(parsed.map(byKey).sort()).toEqual(expected.map(byKey).sort());
        expect(out.counts.train + out.counts.validation).toBe(expected.length);
        expect(parseJsonl(format, out.train).every((l) => l.metadata.split === 'train')).toBe(true);
      }
    }
  });

  it('splits deterministically by a hash of the prompt, near the asked share', () => {
    const prompts = Array.from({ length: 2000 }, (_, i) => [{ role: 'user' as const, content: `question number ${i} about molting` }]);
    const validation = prompts.filter((p) => splitOf(p, 0.1) === 'validation').length;
    expect(validation).toBeGreaterThan(150);
    expect(validation).toBeLessThan(250);
    expect(prompts.map((p) => splitOf(p, 0.1))).toEqual(prompts.map((p) => splitOf(structuredClone(p), 0.1)));
    // The same prompt answered twice never lands on both sides.
    const twice = [item('twice_aaaa', 'accept', { prompt: [{ role: 'user', content: 'same prompt' }] }), item('twice_bbbb', 'accept', { prompt: [{ role: 'user', content: 'same prompt' }] })];
    expect(new Set(twice.flatMap((i) => linesOf('openai-sft', i, { includeSources: true, validationShare: 0.5 })).map((l) => l.metadata.split)).size).toBe(1);
  });

  it('parseJsonl names a bad line', () => {
    expect(() => parseJsonl('openai-sft', '{"messages":[]}\n')).toThrow(JsonlError);
    expect(() => parseJsonl('trl-unpaired', 'nope')).toThrow('line 1: not JSON');
  });
});
