import type { Feedback } from '../schemas/assistant';
import type { Review } from '../schemas/curation';
import { DATASET_FORMATS, type ChatTurn, type DatasetFormat, type DatasetLine, type LineMetadata } from './formats';

/**
 * Reviewed feedback → training lines. What each decision means:
 *   accept — the preferred output is the person's correction when the feedback has one, else the
 *            engine's output; a correction makes the output the rejected side of a pair.
 *   edit   — the reviewer's edited text is preferred; the engine's output is rejected.
 *   reject — the engine's output is rejected; a correction, if any, is preferred.
 * SFT takes every item with a preferred output, preference pairs every item with both sides (and
 * different texts), unpaired feedback every output with its label (preferred: true, rejected: false).
 */
export interface CuratedItem {
  feedback: Feedback;
  review: Review;
  /** A generated pair (shared/datasets/synthetic.ts): its lines say so in their metadata. */
  synthetic?: boolean;
}

export interface ExportOptions {
  /** Keep the cited sources (in metadata, and their text in the prompt); false strips both. */
  includeSources: boolean;
  /** Share of prompts in the validation split (by a hash of the prompt, so stable across exports). */
  validationShare: number;
}

export const DEFAULT_EXPORT: ExportOptions = { includeSources: true, validationShare: 0.1 };

/** FNV-1a (32-bit) of a string's UTF-16 units: tiny, stable, and spreads similar prompts evenly. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The split of a prompt: the hash of its exact messages, so every export (and every device) puts the
 * same prompt on the same side — a prompt in train never leaks into validation, even when it was
 * answered twice. Hashed before sources are stripped, so the switch does not move items. */
export function splitOf(prompt: readonly ChatTurn[], validationShare: number): 'train' | 'validation' {
  const canonical = JSON.stringify(prompt.map((m) => [m.role, m.content]));
  return fnv1a(canonical) / 2 ** 32 < validationShare ? 'validation' : 'train';
}

/** Source text quoted in a prompt, replaced by a marker (only passages long enough to be unambiguous). */
function stripSources(prompt: readonly ChatTurn[], feedback: Feedback): ChatTurn[] {
  const quoted = feedback.sources.filter((s) => s.text.trim().length >= 20);
  return prompt.map((m) => ({ role: m.role, content: quoted.reduce((text, s) => text.split(s.text).join(`[source ${s.n} omitted]`), m.content) }));
}

interface Sides {
  preferred: string | null;
  rejected: string | null;
}

export function sidesOf({ feedback, review }: CuratedItem): Sides {
  const correction = feedback.correction.trim() ? feedback.correction : null;
  switch (review.decision) {
    case 'edit':
      return { preferred: review.editedOutput, rejected: feedback.output };
    case 'accept':
      return { preferred: correction ?? feedback.output, rejected: correction ? feedback.output : null };
    case 'reject':
      return { preferred: correction, rejected: feedback.output };
  }
}

function metadataOf({ feedback, review, synthetic }: CuratedItem, split: LineMetadata['split'], options: ExportOptions): LineMetadata {
  return {
    id: feedback.id,
    template: feedback.template.id,
    template_version: feedback.template.version,
    engine: feedback.engine,
    model: feedback.model,
    action: feedback.action,
    split,
    tags: review.tags,
    ...(options.includeSources ? { sources: feedback.sources.map((s) => ({ n: s.n, url: s.url, title: s.title, text: s.text })) } : {}),
    ...(synthetic ? { synthetic: true as const } : {}),
  };
}

const assistant = (content: string): { role: 'assistant'; content: string } => ({ role: 'assistant', content });

/** The lines one item contributes to a format (zero, one, or — unpaired — two). */
export function linesOf<F extends DatasetFormat>(format: F, item: CuratedItem, options: ExportOptions = DEFAULT_EXPORT): DatasetLine<F>[] {
  const original: ChatTurn[] = item.feedback.prompt.map((m) => ({ role: m.role, content: m.content }));
  const split = splitOf(original, options.validationShare);
  const prompt = options.includeSources ? original : stripSources(original, item.feedback);
  const metadata = metadataOf(item, split, options);
  const { preferred, rejected } = sidesOf(item);
  const paired = preferred !== null && rejected !== null && preferred !== rejected;
  const lines: unknown[] = [];
  switch (format) {
    case 'openai-sft':
      if (preferred !== null) lines.push({ messages: [...prompt, assistant(preferred)], metadata });
      break;
    case 'openai-dpo':
      if (paired) lines.push({ input: { messages: prompt }, preferred_output: [assistant(preferred)], non_preferred_output: [assistant(rejected)], metadata });
      break;
    case 'trl-preference':
      if (paired) lines.push({ prompt, chosen: [assistant(preferred)], rejected: [assistant(rejected)], metadata });
      break;
    case 'trl-unpaired':
      if (preferred !== null) lines.push({ prompt, completion: [assistant(preferred)], label: true, metadata });
      if (rejected !== null && rejected !== preferred) lines.push({ prompt, completion: [assistant(rejected)], label: false, metadata });
      break;
  }
  // Validated on the way out: an export that a trainer would refuse is an error here, not there.
  return lines.map((l) => DATASET_FORMATS[format].parse(l) as DatasetLine<F>);
}

export interface DatasetExport {
  format: DatasetFormat;
  train: string;
  validation: string;
  counts: { train: number; validation: number; items: number };
}

/** JSONL for one format, split in two files. Items are taken in id order, so the files are stable. */
export function exportDataset(format: DatasetFormat, items: readonly CuratedItem[], options: ExportOptions = DEFAULT_EXPORT): DatasetExport {
  const train: string[] = [];
  const validation: string[] = [];
  const sorted = [...items].sort((a, b) => (a.feedback.id < b.feedback.id ? -1 : a.feedback.id > b.feedback.id ? 1 : 0));
  for (const item of sorted) {
    for (const line of linesOf(format, item, options)) (line.metadata.split === 'train' ? train : validation).push(JSON.stringify(line));
  }
  const jsonl = (lines: string[]) => (lines.length ? `${lines.join('\n')}\n` : '');
  return { format, train: jsonl(train), validation: jsonl(validation), counts: { train: train.length, validation: validation.length, items: items.length } };
}
