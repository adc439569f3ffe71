import { z } from 'zod';
import { Id } from './records';
import { AssistantScope, CitedSource, EngineName, Millis, PromptMessage, TemplateRef, Url } from './assistant-base';
import { AnswerTrace, Verification } from '../serving/types';
import { ServingOutcome } from '../serving/outcome';

export { ASSISTANT_SCOPES, AssistantScope, CitedSource, EngineName, PromptMessage, TemplateRef } from './assistant-base';

/**
 * The assistant's records: conversations (popup / side panel / answer bubble chats) and feedback on
 * every answer and rewrite. Both sync through the change log like every other record.
 *
 * A feedback record keeps everything a trainer needs, so the data loop can turn it into a supervised
 * example (prompt + preferred output), a preference pair (the correction is preferred over the output,
 * or a thumbs-down output is the rejected side) or an unpaired label (thumbs up/down) without going back
 * to anything else: the exact messages sent, the output, the template id and version, the engine and
 * model, and the sources the answer could cite.
 *
 * Bounds keep one record well under the worker's row limit (~2 MiB): at most 24 prompt messages of
 * 16k characters, 64k of output and of correction, 20 sources of 4k.
 */

export const ConversationMessage = z.object({
  id: Id,
  role: z.enum(['user', 'assistant']),
  content: z.string().max(64_000),
  at: Millis,
  /** Assistant messages: who answered and with which template. */
  engine: EngineName.optional(),
  model: z.string().max(128).optional(),
  template: TemplateRef.optional(),
  sources: z.array(CitedSource).max(20).optional(),
  /** What a memory answer searched, in words ("hybrid search of 1,204 items for …"). */
  searched: z.string().max(1_000).optional(),
  /** Set when the person pressed Stop or the engine failed part way. */
  stopped: z.boolean().optional(),
  /** How the answer was made (shared/serving): plan, sources per origin, timings; shown behind "How this was answered". */
  trace: AnswerTrace.optional(),
  /** The verifier's check of each cited sentence; unsupported citations are flagged in the answer. */
  verification: Verification.optional(),
});
export type ConversationMessage = z.infer<typeof ConversationMessage>;

export const Conversation = z.object({
  id: Id,
  title: z.string().max(200),
  scope: AssistantScope,
  /** The page a "This page" conversation was about. */
  pageUrl: Url.nullable().default(null),
  messages: z.array(ConversationMessage).max(200),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Conversation = z.infer<typeof Conversation>;

/** Every action the assistant runs; chat answers are 'ask'. */
export const ASSISTANT_ACTIONS = [
  'ask',
  'explain',
  'summarize',
  'summarize-page',
  'improve',
  'proofread',
  'tone',
  'translate',
  'find-references',
  'outline-to-prose',
] as const;
export const AssistantAction = z.enum(ASSISTANT_ACTIONS);
export type AssistantAction = z.infer<typeof AssistantAction>;

export const Feedback = z.object({
  id: Id,
  /** 'answer': a chat/ask answer; 'rewrite': a writing action's output. */
  subjectKind: z.enum(['answer', 'rewrite']),
  /** The conversation message id, or the rewrite's own id. */
  subjectId: Id,
  conversationId: Id.nullable().default(null),
  action: AssistantAction,
  /** The action's option, e.g. the tone ('formal') or the target language ('de'). */
  option: z.string().max(64).default(''),
  rating: z.enum(['up', 'down']).nullable().default(null),
  /** The person's corrected output; when set it is the preferred output and `output` the rejected one. */
  correction: z.string().max(64_000).default(''),
  /** The exact messages sent to the engine (system prompt included). */
  prompt: z.array(PromptMessage).min(1).max(24),
  output: z.string().max(64_000),
  engine: EngineName,
  model: z.string().max(128).default(''),
  template: TemplateRef,
  sources: z.array(CitedSource).max(20).default([]),
  pageUrl: Url.nullable().default(null),
  createdAt: Millis,
  updatedAt: Millis,
  /**
   * The person pressed Stop (or the run was cut off) before the engine finished: `output` is what had
   * streamed by then, a partial answer. Kept, since stopping is itself a signal; a trainer that wants
   * only whole outputs leaves these out (`!f.stopped`). Absent on finished outputs.
   */
  stopped: z.boolean().optional(),
  /** What the serving pipeline did for this answer (stages, sources, verifier counts; where a stopped one
   * was cut off), so the review queue can tell which stage failed. Absent on rewrites and older records. */
  serving: ServingOutcome.optional(),
});
export type Feedback = z.infer<typeof Feedback>;
