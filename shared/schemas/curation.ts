import { z } from 'zod';
import { Id } from './records';
import { TemplateRef } from './assistant';

/**
 * Curation: a person's decision on one item of the review queue — an answer or rewrite with its
 * feedback (subjectKind 'feedback'), or a generated question/answer pair ('synthetic'). A record kind
 * of its own ('review'), written through the change log and synced like every other record, so a
 * decision made on one device is in the queue and the exports of every other.
 *
 * Who, when and what changed: `deviceId` and `decidedAt` name the last decision, `history` keeps every
 * earlier one (bounded), each with the decision, tags and edited text it set.
 */
const Millis = z.number().int().nonnegative();

export const REVIEW_DECISIONS = ['accept', 'edit', 'reject'] as const;
export const ReviewDecision = z.enum(REVIEW_DECISIONS);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

export const ReviewTag = z.string().trim().min(1).max(40).regex(/^[^\n\r,]+$/, 'a tag is one line without commas');

export const ReviewChange = z.object({
  at: Millis,
  deviceId: z.string().min(1).max(64),
  decision: ReviewDecision,
  tags: z.array(ReviewTag).max(20),
  /** Set on 'edit': the text that became the preferred output. */
  editedOutput: z.string().max(64_000).default(''),
});
export type ReviewChange = z.infer<typeof ReviewChange>;

export const MAX_REVIEW_HISTORY = 50;

export const Review = z.object({
  /** `rev_<subjectId>`: one review per item, so two devices deciding the same item merge into one record. */
  id: Id,
  subjectKind: z.enum(['feedback', 'synthetic']),
  subjectId: Id,
  decision: ReviewDecision,
  tags: z.array(ReviewTag).max(20).default([]),
  /** The preferred output when decision is 'edit' (replaces the engine's output in exports). */
  editedOutput: z.string().max(64_000).default(''),
  deviceId: z.string().min(1).max(64),
  decidedAt: Millis,
  /** Earlier decisions, oldest first. */
  history: z.array(ReviewChange).max(MAX_REVIEW_HISTORY).default([]),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Review = z.infer<typeof Review>;

export const reviewIdOf = (subjectId: string) => `rev_${subjectId}`.slice(0, 64);

/** The record after one more decision: the previous state moves into history (oldest dropped first). */
export function decide(previous: Review | undefined, input: { subjectKind: Review['subjectKind']; subjectId: string; decision: ReviewDecision; tags?: string[]; editedOutput?: string; deviceId: string; at: number }): Review {
  const tags = [...new Set((input.tags ?? previous?.tags ?? []).map((t) => t.trim()).filter(Boolean))].slice(0, 20);
  const editedOutput = input.decision === 'edit' ? (input.editedOutput ?? previous?.editedOutput ?? '') : '';
  if (input.decision === 'edit' && !editedOutput.trim()) throw new Error('an edit needs the edited text');
  const history = previous
    ? [...previous.history, { at: previous.decidedAt, deviceId: previous.deviceId, decision: previous.decision, tags: previous.tags, editedOutput: previous.editedOutput }].slice(-MAX_REVIEW_HISTORY)
    : [];
  return Review.parse({
    id: reviewIdOf(input.subjectId),
    subjectKind: input.subjectKind,
    subjectId: input.subjectId,
    decision: input.decision,
    tags,
    editedOutput,
    deviceId: input.deviceId,
    decidedAt: input.at,
    history,
    createdAt: previous?.createdAt ?? input.at,
    updatedAt: input.at,
  });
}

/**
 * A generated question/answer pair from one of the user's own highlights or pages: labelled synthetic,
 * with the generator, engine and template version that made it. A record kind of its own ('synthetic'),
 * synced, so every device's review queue shows it; its review (subjectKind 'synthetic') decides whether
 * it joins the personal evaluation set and the exports.
 */
export const SYNTHETIC_GENERATORS = ['cloze', 'model'] as const;

export const SyntheticPair = z.object({
  /** `syn_<source>_<n>`: regenerating from the same source with the same generator never duplicates. */
  id: Id,
  /** Always true: the label every export and view keys on. */
  synthetic: z.literal(true),
  /** 'cloze': extractive blanks from the source's own sentences; 'model': written by a generative engine. */
  generator: z.enum(SYNTHETIC_GENERATORS),
  sourceKind: z.enum(['highlight', 'page']),
  /** The highlight id or page URL. */
  sourceId: z.string().min(1).max(8192),
  /** The search document the question should find: `highlight:<id>` or `page:<url>`. */
  target: z.string().min(1).max(8200),
  title: z.string().max(2048).default(''),
  url: z.string().max(8192).default(''),
  /** The source text the pair was generated from (the prompt's one source in exports). */
  passage: z.string().min(1).max(4_000),
  question: z.string().trim().min(1).max(1_000),
  answer: z.string().trim().min(1).max(4_000),
  /** What the personal evaluation searches for: the question, or a cloze sentence without its blank. */
  query: z.string().trim().min(1).max(1_000),
  engine: z.string().min(1).max(64),
  model: z.string().max(128).default(''),
  template: TemplateRef,
  createdAt: Millis,
  updatedAt: Millis,
});
export type SyntheticPair = z.infer<typeof SyntheticPair>;
