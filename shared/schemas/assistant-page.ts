import { z } from 'zod';
import { AssistantAction, CitedSource, TemplateRef } from './assistant';
import { Id } from './records';
import { AnswerTrace, Verification } from '../serving/types';

/**
 * The in-page assistant's contracts: the background ⇄ content-script messages of the right-click
 * actions, keyboard shortcuts and the answer bubble (spread into MESSAGES in messages.ts), and the
 * events of the streaming Port a run travels on (`ACTION_PORT`). The content script is page-adjacent
 * and can be fought by the page, so every field is bounded and both ends validate.
 */

const Url = z.string().min(1).max(8192);

/** Longest selection / field text an action takes (the highlight cap, and enough for a long email). */
export const MAX_ACTION_TEXT = 20_000;
/** "Summarize this page" sends the page's clean text, cut to this. */
export const MAX_PAGE_TEXT = 60_000;

/** Where the text came from: a selection in the page, an editable field (rewrites can go back), the page. */
export const ActionTarget = z.enum(['selection', 'editable', 'page']);
export type ActionTarget = z.infer<typeof ActionTarget>;

/** What a right-click item, a shortcut or the toolbar's Ask asks the page to do. */
export const BubbleCommand = z.object({
  /** 'save-highlight' highlights the selection; 'ask' opens the question box; the rest run an action. */
  action: z.union([AssistantAction, z.literal('save-highlight')]),
  option: z.string().max(64).default(''),
  /** Chrome's `selectionText` (the content script prefers its live selection, which keeps line breaks). */
  text: z.string().max(MAX_ACTION_TEXT).default(''),
  /** The click was in an editable field. */
  editable: z.boolean().default(false),
});
export type BubbleCommand = z.infer<typeof BubbleCommand>;

export const FollowUp = z.object({ role: z.enum(['user', 'assistant']), content: z.string().max(MAX_ACTION_TEXT) });

/** Content script → background, first message on the Port: run one action. */
export const ActionRequest = z.object({
  action: AssistantAction,
  option: z.string().max(64).default(''),
  text: z.string().max(MAX_PAGE_TEXT),
  target: ActionTarget,
  /** Ask: the question about the text; empty for the other actions. */
  question: z.string().max(2048).default(''),
  /** Earlier turns of this bubble's conversation, oldest first. */
  history: z.array(FollowUp).max(20).default([]),
  pageUrl: Url.nullable().default(null),
  pageTitle: z.string().max(2048).default(''),
});
export type ActionRequest = z.infer<typeof ActionRequest>;

/** The name of the runtime Port a run travels on. Closing it (Stop) aborts the run. */
export const ACTION_PORT = 'assistant.action';

/** Background → content script, on the Port, in order: engine, sources?, web?, token*, then done or error. */
export const RunnerEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('engine'), engine: z.string().max(64), label: z.string().max(200), reason: z.string().max(500) }),
  z.object({ type: z.literal('sources'), sources: z.array(CitedSource).max(20) }),
  z.object({ type: z.literal('token'), text: z.string().max(200_000) }),
  /** The engine failed; what streamed so far is thrown away and the answer starts again (extractive). */
  z.object({ type: z.literal('restart'), notice: z.string().max(1000) }),
  z.object({
    type: z.literal('done'),
    engine: z.string().max(64),
    template: TemplateRef,
    /** The feedback record written for this output (null when it could not be stored). */
    feedbackId: Id.nullable(),
    /** The output is a rewrite of the text that may replace it. */
    rewrite: z.boolean(),
    /** An answer through the serving pipeline (Ask): its citations checked, and how it was answered. */
    verification: Verification.optional(),
    trace: AnswerTrace.optional(),
  }),
  z.object({ type: z.literal('error'), code: z.string().max(64), message: z.string().max(2000) }),
  /** Find references: whether the web was searched too (`found`) or why not, in a sentence. */
  z.object({ type: z.literal('web'), status: z.enum(['found', 'local-only', 'unpaired', 'no-provider', 'failed']), message: z.string().max(1000) }),
]);
export type RunnerEvent = z.infer<typeof RunnerEvent>;

export const ASSISTANT_PAGE_MESSAGES = {
  /** Background → content script: a right-click item or a shortcut was used on this page. */
  'assistant.command': {
    request: BubbleCommand,
    response: z.object({ shown: z.boolean() }),
  },
  /** Content script → background: the bubble's thumbs and correction on a feedback record. */
  'assistant.rate': {
    request: z.object({
      id: Id,
      rating: z.enum(['up', 'down']).nullable().optional(),
      correction: z.string().max(64_000).optional(),
    }),
    response: z.object({ rating: z.enum(['up', 'down']).nullable(), correction: z.string() }),
    from: ['content'],
  },
  /**
   * Content script → background: "Open in side panel" from the bubble. Names the bubble's answers by
   * their feedback records (written by the background, so the page can't put words in an answer) with
   * the question line each answered; the background turns them into a conversation the side panel opens.
   */
  'assistant.handoff': {
    request: z.object({
      turns: z.array(z.object({ question: z.string().max(2048), feedbackId: Id })).min(1).max(20),
    }),
    response: z.object({ conversationId: Id.nullable() }),
    from: ['content'],
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType; from?: readonly ('extension' | 'content')[] }>;
