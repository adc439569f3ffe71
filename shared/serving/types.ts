import { z } from 'zod';
import { AssistantScope, CitedSource, PromptMessage, TemplateRef } from '../schemas/assistant-base';

/**
 * The contract of the serving pipeline (plan → retrieve → aggregate → generate → verify), which the
 * extension (on-device engines, local memory, the open page) and the worker (the user's records, the web,
 * the worker's model) both run. Stages are plain async functions over these types; what differs between
 * the two sides is only the retrievers and the generator they plug in.
 *
 * The zod schemas are what is stored with an answer (ConversationMessage.trace / .verification) and what
 * the worker streams back (the `trace` SSE event), so they carry bounds like every synced field.
 */

/** Where a passage came from: the open page, the on-device memory, the user's records in the worker, the web. */
export const SOURCE_ORIGINS = ['page', 'memory', 'records', 'web', 'products'] as const;
export const SourceOrigin = z.enum(SOURCE_ORIGINS);
export type SourceOrigin = z.infer<typeof SourceOrigin>;

/** One retrieved passage, before numbering. `score` is only comparable within one origin's list. */
export interface Passage {
  origin: SourceOrigin;
  kind: CitedSource['kind'];
  /** Stable within its origin (chunk id, record key, web URL). */
  id: string;
  /** Highlight id, page URL, web URL, product id … (as CitedSource.sourceId). */
  sourceId: string;
  url: string;
  title: string;
  text: string;
  score: number;
  highlightId?: string;
  /** The user's own note on a highlight, never quoted as the page's words. */
  note?: string;
  /** A short line shown beside the title (CitedSource.detail): a product's best price and store. */
  detail?: string;
  /** Other origins the aggregate stage folded into this passage (the same article as page, highlight and web result). */
  alsoFrom?: SourceOrigin[];
}

/** A passage as the answer cites it: `[n]`. */
export interface NumberedPassage extends Passage {
  n: number;
}

// ---------------------------------------------------------------- plan

export interface PlanInput {
  question: string;
  scope: AssistantScope;
  /** Earlier turns, for rewriting a follow-up ("and the second one?") into a standalone query. */
  history: readonly { role: 'user' | 'assistant'; content: string }[];
  /** The origins this side can reach right now (e.g. no 'web' without a paired worker with a provider). */
  available: readonly SourceOrigin[];
}

export const Plan = z.object({
  origins: z.array(SourceOrigin).max(SOURCE_ORIGINS.length),
  queries: z.array(z.string().min(1).max(400)).min(1).max(4),
  /** 'model' when a generator rewrote the question, 'rules' otherwise. */
  by: z.enum(['rules', 'model']),
  /** In words, for the trace ("the web is not configured on this worker, so memory only"). */
  reason: z.string().max(1000),
});
export type Plan = z.infer<typeof Plan>;

// ---------------------------------------------------------------- retrieve

/** One source of passages. A retriever that passes its budget is abandoned (its signal aborts) and
 * reported as 'timeout'; the others' passages are used. */
export interface Retriever {
  origin: SourceOrigin;
  /** In words, for the trace: "hybrid search of your memory", "web search (SearXNG)". */
  label: string;
  /** Milliseconds this retriever may take. */
  budgetMs: number;
  retrieve(queries: readonly string[], signal: AbortSignal): Promise<Passage[]>;
}

export const RetrievalOutcome = z.object({
  origin: SourceOrigin,
  label: z.string().max(200),
  status: z.enum(['ok', 'timeout', 'error', 'skipped']),
  count: z.number().int().nonnegative().max(10_000),
  ms: z.number().nonnegative().max(3_600_000),
  /** The error or the reason it was skipped, in words. */
  detail: z.string().max(500).optional(),
});
export type RetrievalOutcome = z.infer<typeof RetrievalOutcome>;

// ---------------------------------------------------------------- generate

/** What the pipeline needs of a generator: the extension adapts its Engine, the worker its provider. */
export interface Generator {
  id: string;
  label: string;
  model: string;
  generate(messages: PromptMessage[], options: { signal?: AbortSignal; onToken?: (text: string) => void }): Promise<string>;
}

// ---------------------------------------------------------------- verify

export const VERIFY_METHODS = ['lexical', 'embedding', 'model'] as const;

/** One cited sentence of the answer, checked against the passages it cites. Offsets index the answer text. */
export const ClaimCheck = z.object({
  start: z.number().int().nonnegative().max(1_000_000),
  end: z.number().int().nonnegative().max(1_000_000),
  cites: z.array(z.number().int().min(1).max(99)).max(20),
  /** The cited numbers whose passage does not support the sentence (empty when all support it). */
  unsupported: z.array(z.number().int().min(1).max(99)).max(20),
  /** Best support found among the cited passages, 0..1. */
  score: z.number().min(0).max(1),
  method: z.enum(VERIFY_METHODS),
});
export type ClaimCheck = z.infer<typeof ClaimCheck>;

export const Verification = z.object({
  claims: z.array(ClaimCheck).max(200),
  /** Sentences with at least one citation that could be checked. */
  checked: z.number().int().nonnegative().max(10_000),
  supported: z.number().int().nonnegative().max(10_000),
  /** Cited numbers that do not exist among the sources are counted here too. */
  unsupported: z.number().int().nonnegative().max(10_000),
  /** Sentences that state something without citing anything. */
  uncited: z.number().int().nonnegative().max(10_000),
  /** True when a repair pass rewrote the answer after the first verification. */
  repaired: z.boolean().default(false),
});
export type Verification = z.infer<typeof Verification>;

// ---------------------------------------------------------------- trace

export const STEP_NAMES = ['plan', 'retrieve', 'aggregate', 'generate', 'verify', 'repair'] as const;

export const TraceStep = z.object({
  step: z.enum(STEP_NAMES),
  /** Milliseconds since the pipeline started, and how long the step took. */
  at: z.number().nonnegative().max(3_600_000),
  ms: z.number().nonnegative().max(3_600_000),
  /** In words, for "How this was answered". */
  detail: z.string().max(1000),
});
export type TraceStep = z.infer<typeof TraceStep>;

/** Everything "How this was answered" shows, stored with the answer and fed to monitoring. */
export const AnswerTrace = z.object({
  scope: AssistantScope,
  plan: Plan,
  steps: z.array(TraceStep).max(16),
  retrievals: z.array(RetrievalOutcome).max(SOURCE_ORIGINS.length * 2),
  /** How many passages came in, after dedupe, and were put into the prompt. */
  passages: z.object({
    retrieved: z.number().int().nonnegative().max(100_000),
    unique: z.number().int().nonnegative().max(100_000),
    used: z.number().int().nonnegative().max(99),
  }),
  engine: z.string().min(1).max(64),
  model: z.string().max(128),
  template: TemplateRef,
  totalMs: z.number().nonnegative().max(3_600_000),
});
export type AnswerTrace = z.infer<typeof AnswerTrace>;

// ---------------------------------------------------------------- the whole run

export interface PipelineInput extends Omit<PlanInput, 'available'> {
  /** The model's context budget for sources, in characters (the aggregate stage cuts to it). */
  contextChars: number;
}

export interface PipelineDeps {
  retrievers: readonly Retriever[];
  generator: Generator;
  /** A generator the planner and the verifier may use for a model pass; null → rules / lexical only. */
  helper?: Generator | null;
  /** The local embedder, when there is one: the verifier compares sentence and passage by meaning too. */
  embed?: (texts: string[]) => Promise<Float32Array[]>;
  /** Whether an unsupported citation triggers one repair pass. @default false */
  repair?: boolean;
  /** @default Date.now (tests pass a clock) */
  now?: () => number;
}

export interface PipelineCallbacks {
  signal?: AbortSignal;
  onPlan?: (plan: Plan) => void;
  onSources?: (sources: NumberedPassage[], retrievals: RetrievalOutcome[]) => void;
  onToken?: (text: string) => void;
  onStep?: (step: TraceStep) => void;
}

export interface PipelineResult {
  answer: string;
  sources: NumberedPassage[];
  verification: Verification;
  trace: AnswerTrace;
  /** The exact messages the generator got (for feedback records). */
  prompt: PromptMessage[];
}

export type RunPipeline = (input: PipelineInput, deps: PipelineDeps, callbacks?: PipelineCallbacks) => Promise<PipelineResult>;
