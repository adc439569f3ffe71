import { SyntheticPair } from '@shared/schemas/curation';
import { fnv1a } from '@shared/datasets/export';
import { buildSyntheticQaPrompt, parseSyntheticQa } from '@shared/prompts/synthetic-qa';
import { templateRef } from '@shared/prompts/templates';
import type { Engine } from '@/ai/engines/types';
import { clozePairs } from './cloze';

/**
 * Question/answer pairs from the user's own highlights and pages, as synthetic records for the review
 * queue. The extractive engine writes cloze questions from the source's own sentences; every engine
 * that generates is given the synthetic-qa prompt. Either way each pair says which generator, engine
 * and template version made it.
 */
export interface SyntheticSource {
  kind: 'highlight' | 'page';
  /** Highlight id or page URL. */
  id: string;
  title: string;
  url: string;
  text: string;
}

/** Longest source text one pair keeps (and a prompt gets): the bound of an exported source. */
export const MAX_PASSAGE = 4_000;

export const targetOf = (s: SyntheticSource) => (s.kind === 'highlight' ? `highlight:${s.id}` : `page:${s.id}`);

/** A url-safe id per source, generator and position: a page URL is not an id, its hash is. */
export function pairId(source: SyntheticSource, generator: SyntheticPair['generator'], n: number): string {
  const h = fnv1a(`${source.kind}:${source.id}`).toString(36).padStart(7, '0');
  const h2 = fnv1a(`${source.id}:${source.kind}`).toString(36).padStart(7, '0');
  return `syn_${h}${h2}_${generator === 'cloze' ? 'c' : 'm'}${n}`;
}

function passageOf(source: SyntheticSource): string {
  const text = source.text.replace(/\s+/g, ' ').trim();
  return text.length <= MAX_PASSAGE ? text : `${text.slice(0, text.lastIndexOf(' ', MAX_PASSAGE) > MAX_PASSAGE * 0.8 ? text.lastIndexOf(' ', MAX_PASSAGE) : MAX_PASSAGE)}…`;
}

function record(source: SyntheticSource, fields: Pick<SyntheticPair, 'id' | 'generator' | 'question' | 'answer' | 'query' | 'engine' | 'template'>, now: number): SyntheticPair {
  return SyntheticPair.parse({
    ...fields,
    synthetic: true,
    sourceKind: source.kind,
    sourceId: source.id,
    target: targetOf(source),
    title: source.title.slice(0, 2048),
    url: source.url.slice(0, 8192),
    passage: passageOf(source),
    model: '',
    createdAt: now,
    updatedAt: now,
  });
}

export function clozeRecords(source: SyntheticSource, now = Date.now()): SyntheticPair[] {
  return clozePairs({ id: source.id, target: targetOf(source), text: passageOf(source) }).map((p, i) =>
    record(source, { id: pairId(source, 'cloze', i), generator: 'cloze', question: p.question, answer: p.answer, query: p.query, engine: 'extractive', template: templateRef('synthetic-cloze') }, now),
  );
}

export async function modelRecords(source: SyntheticSource, engine: Engine, now = Date.now(), signal?: AbortSignal): Promise<SyntheticPair[]> {
  const passage = passageOf(source);
  const { messages, template } = buildSyntheticQaPrompt(passage, 3);
  const reply = await engine.generate({ question: '', sources: [], messages, template }, { signal });
  return parseSyntheticQa(reply).map((p, i) =>
    record(source, { id: pairId(source, 'model', i), generator: 'model', question: p.question, answer: p.answer, query: p.question, engine: engine.id, template }, now),
  );
}

export interface GenerationReport {
  pairs: SyntheticPair[];
  /** Sources that gave no pair, and why (too short for a cloze, an engine error, an unreadable reply). */
  skipped: { source: string; reason: string }[];
}

/** Pairs for each source with the given engine; the extractive engine (or none) makes cloze pairs. */
export async function generateSynthetic(sources: readonly SyntheticSource[], engine: Engine | null, now = Date.now(), signal?: AbortSignal): Promise<GenerationReport> {
  const report: GenerationReport = { pairs: [], skipped: [] };
  for (const source of sources) {
    if (signal?.aborted) break;
    try {
      const pairs = !engine || engine.id === 'extractive' ? clozeRecords(source, now) : await modelRecords(source, engine, now, signal);
      if (pairs.length === 0) report.skipped.push({ source: targetOf(source), reason: engine && engine.id !== 'extractive' ? 'the engine wrote no usable pair' : 'no sentence long enough for a question' });
      report.pairs.push(...pairs);
    } catch (error) {
      report.skipped.push({ source: targetOf(source), reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return report;
}
