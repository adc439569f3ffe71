import { decide, Review, reviewIdOf, type ReviewDecision } from '@shared/schemas/curation';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords } from '@/db/change-log';

/**
 * Review decisions, through the change log (so they sync, and every device's queue and exports agree).
 * One record per item (`rev_<subjectId>`); a new decision on the same item moves the previous one into
 * the record's history.
 */
export interface DecisionInput {
  subjectKind: Review['subjectKind'];
  subjectId: string;
  decision: ReviewDecision;
  tags?: string[];
  editedOutput?: string;
  /** Who decided: this device's id (the sync account's device, or 'local' before sign-in). */
  deviceId: string;
}

export async function recordDecision(input: DecisionInput, db: CalicoDb = getDb(), now = Date.now()): Promise<Review> {
  const previous = await db.reviews.get(reviewIdOf(input.subjectId));
  const record = decide(previous, { ...input, at: now });
  await putRecords('reviews', [record], db);
  return record;
}

/** Changes only the tags, keeping the decision (a tag is a decision too: it is in the history). */
export async function retag(subjectId: string, tags: string[], deviceId: string, db: CalicoDb = getDb(), now = Date.now()): Promise<Review | undefined> {
  const previous = await db.reviews.get(reviewIdOf(subjectId));
  if (!previous) return undefined;
  return recordDecision({ subjectKind: previous.subjectKind, subjectId, decision: previous.decision, editedOutput: previous.editedOutput, tags, deviceId }, db, now);
}

export async function listReviews(db: CalicoDb = getDb()): Promise<Review[]> {
  return db.reviews.toArray();
}
