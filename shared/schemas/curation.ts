import { z } from 'zod';
import { Id } from './records';

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
