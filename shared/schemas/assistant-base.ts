import { z } from 'zod';
import { Id } from './records';

/**
 * The assistant's basic shapes (scopes, prompt messages, cited sources, template refs), apart from the
 * records in assistant.ts so the serving pipeline's contract (shared/serving/types.ts) can use them and
 * the records can carry its trace without an import cycle.
 */

export const Millis = z.number().int().nonnegative();
export const Url = z.string().min(1).max(8192);

/** Where an answer looks: the current page, the user's memory, memory + worker + web, product memory. */
export const ASSISTANT_SCOPES = ['page', 'memory', 'everything', 'shopping'] as const;
export const AssistantScope = z.enum(ASSISTANT_SCOPES);
export type AssistantScope = z.infer<typeof AssistantScope>;

/** Generators (extension/ai/engines): a short stable id, e.g. 'built-in', 'openai-compatible', 'worker', 'extractive'. */
export const EngineName = z.string().min(1).max(64);

export const PromptMessage = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().max(16_000),
});
export type PromptMessage = z.infer<typeof PromptMessage>;

/** A numbered source an answer could cite as [n]. */
export const CitedSource = z.object({
  n: z.number().int().min(1).max(99),
  kind: z.enum(['page', 'highlight', 'web', 'product', 'record']),
  /** Highlight id, page URL, web URL, product id … */
  sourceId: z.string().min(1).max(8192),
  url: Url,
  title: z.string().max(2048).default(''),
  text: z.string().max(4_000).default(''),
  highlightId: Id.optional(),
  /** A short line shown beside the title: for a product, its best price and store ("€39.99 at shop.example · 2 stores"). */
  detail: z.string().max(300).optional(),
});
export type CitedSource = z.infer<typeof CitedSource>;

/** Which template built the prompt: `shared/prompts` exports each with an id and a version. */
export const TemplateRef = z.object({
  id: z.string().min(1).max(64),
  version: z.number().int().min(1).max(100_000),
});
export type TemplateRef = z.infer<typeof TemplateRef>;

