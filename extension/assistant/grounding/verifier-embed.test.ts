import { describe, expect, it, vi } from 'vitest';
import { verifyAnswer } from '@shared/serving/verify';
import type { NumberedPassage } from '@shared/serving/types';
import { MAX_EMBED_TEXTS, MAX_EMBED_TEXT_CHARS } from '@shared/schemas/messages';
import { EmbedUnavailable, verifierEmbed } from './verifier-embed';

const SOURCES: NumberedPassage[] = [{ n: 1, origin: 'memory', kind: 'highlight', id: 'p1', sourceId: 'p1', url: 'https://reef.example/', title: 'Reef notes', text: 'Cuttlefish hunt shrimp by shooting out two long feeding tentacles.', score: 1 }];
const ANSWER = 'Cuttlefish catch shrimp by firing two long tentacles [1].';

/** A stand-in embedder: every text gets the same direction, so any claim means what its passage means. */
const sameVectors = async (texts: string[]) => texts.map(() => Float32Array.from([1, 0, 0]));

describe('verifierEmbed (the on-device embedder behind the citation verifier)', () => {
  it('batches under the message bounds and cuts each text to the length the message allows', async () => {
    const batch = vi.fn(sameVectors);
    const embed = verifierEmbed(batch);
    const texts = Array.from({ length: MAX_EMBED_TEXTS + 5 }, (_, i) => (i === 0 ? 'y'.repeat(MAX_EMBED_TEXT_CHARS + 50) : `text ${i}`));
    const vectors = await embed(texts);
    expect(vectors).toHaveLength(texts.length);
    expect(batch.mock.calls.map(([t]) => t.length)).toEqual([MAX_EMBED_TEXTS, 5]);
    expect(batch.mock.calls[0]![0][0]).toHaveLength(MAX_EMBED_TEXT_CHARS);
  });

  it('gives up past its time budget, and the verifier then checks by words alone', async () => {
    const never = () => new Promise<Float32Array[]>(() => undefined);
    const embed = verifierEmbed(never, { timeoutMs: 20 });
    await expect(embed(['a claim'])).rejects.toBeInstanceOf(EmbedUnavailable);
    const lexical = await verifyAnswer(ANSWER, SOURCES);
    const slow = await verifyAnswer(ANSWER, SOURCES, { embed });
    expect(slow.claims.map((c) => c.method)).toEqual(['lexical']);
    expect(slow).toEqual(lexical);
  });

  it('an embedder that answers in time takes part in the check', async () => {
    const checked = await verifyAnswer(ANSWER, SOURCES, { embed: verifierEmbed(sameVectors) });
    expect(checked.claims.map((c) => c.method)).toEqual(['embedding']);
  });

  it('refuses more texts than are worth the wait, and a wrong number of vectors', async () => {
    await expect(verifierEmbed(sameVectors, { maxTexts: 3 })(['a', 'b', 'c', 'd'])).rejects.toThrow(/more than/);
    await expect(verifierEmbed(async () => [])(['a'])).rejects.toThrow(/0 vectors for 1/);
  });
});
