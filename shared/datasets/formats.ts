import { z } from 'zod';

/**
 * The JSONL line shapes of the dataset exports (docs/datasets.md), as zod schemas: the tests validate
 * every exported line against them, and a consumer can too.
 *
 * - OpenAI supervised fine-tuning: {"messages": [...]} (chat format).
 * - OpenAI preference fine-tuning (DPO): {"input": {"messages": [...]}, "preferred_output": [...],
 *   "non_preferred_output": [...]}.
 * - TRL preference (DPO/ORPO/reward modelling, conversational): {"prompt": [...], "chosen": [...],
 *   "rejected": [...]}.
 * - TRL unpaired preference (KTO, conversational): {"prompt": [...], "completion": [...], "label": bool}.
 *
 * Every line also has `metadata`: template id and version, engine, model, the record id, its split,
 * and (when exported with sources) the cited sources. OpenAI's and TRL's loaders read the fields they
 * know; `metadata` is for the person filtering a dataset (by template version, by engine) later.
 */
export const ChatTurn = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(64_000),
});
export type ChatTurn = z.infer<typeof ChatTurn>;

const AssistantTurn = ChatTurn.extend({ role: z.literal('assistant') });

export const ExportSource = z.object({
  n: z.number().int().min(1).max(99),
  url: z.string().max(8192),
  title: z.string().max(2048),
  text: z.string().max(4_000),
});

export const LineMetadata = z.object({
  id: z.string().min(1).max(64),
  template: z.string().min(1).max(64),
  template_version: z.number().int().min(1),
  engine: z.string().min(1).max(64),
  model: z.string().max(128),
  action: z.string().max(64),
  split: z.enum(['train', 'validation']),
  tags: z.array(z.string().max(40)).max(20),
  sources: z.array(ExportSource).max(20).optional(),
  /** Present (true) on generated question/answer pairs: a trainer can keep or drop synthetic data. */
  synthetic: z.literal(true).optional(),
});
export type LineMetadata = z.infer<typeof LineMetadata>;

const Prompt = z.array(ChatTurn).min(1).max(24);

export const OpenAiSftLine = z.object({ messages: z.array(ChatTurn).min(2).max(25), metadata: LineMetadata });
export const OpenAiDpoLine = z.object({
  input: z.object({ messages: Prompt }),
  preferred_output: z.array(AssistantTurn).length(1),
  non_preferred_output: z.array(AssistantTurn).length(1),
  metadata: LineMetadata,
});
export const TrlPreferenceLine = z.object({ prompt: Prompt, chosen: z.array(AssistantTurn).length(1), rejected: z.array(AssistantTurn).length(1), metadata: LineMetadata });
export const TrlUnpairedLine = z.object({ prompt: Prompt, completion: z.array(AssistantTurn).length(1), label: z.boolean(), metadata: LineMetadata });

export const DATASET_FORMATS = {
  'openai-sft': OpenAiSftLine,
  'openai-dpo': OpenAiDpoLine,
  'trl-preference': TrlPreferenceLine,
  'trl-unpaired': TrlUnpairedLine,
} as const;
export type DatasetFormat = keyof typeof DATASET_FORMATS;
export type DatasetLine<F extends DatasetFormat> = z.infer<(typeof DATASET_FORMATS)[F]>;

export class JsonlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonlError';
  }
}

/** Parses and validates a JSONL export; a bad line is an error naming it. */
export function parseJsonl<F extends DatasetFormat>(format: F, text: string): DatasetLine<F>[] {
  const schema = DATASET_FORMATS[format];
  const out: DatasetLine<F>[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new JsonlError(`line ${i + 1}: not JSON`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new JsonlError(`line ${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
    out.push(parsed.data as DatasetLine<F>);
  });
  return out;
}
