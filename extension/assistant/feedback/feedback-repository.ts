import { Feedback } from '@shared/schemas/assistant';
import { getDb, type CalicoDb } from '@/db/database';
import { putRecords, updateRecord } from '@/db/change-log';

/**
 * Feedback on answers and rewrites. Every surface (popup and side panel chat, the answer bubble via the
 * background) records through these functions, so each record is validated and change-logged (and so
 * synced and exported) in one place. A record is written when the output is shown, with no rating yet:
 * the data loop needs the prompt/output pair even when nobody rates it.
 */

/** The feedback record of a conversation message (or of a bubble answer, whose id is its subject's):
 * derived, so a surface showing the message finds its record without a lookup table. */
export function feedbackIdOf(subjectId: string): string {
  return `fb_${subjectId}`.slice(0, 64);
}

export type NewFeedback = Omit<Feedback, 'createdAt' | 'updatedAt' | 'rating' | 'correction'> &
  Partial<Pick<Feedback, 'rating' | 'correction'>>;

export async function saveFeedback(input: NewFeedback, db: CalicoDb = getDb()): Promise<Feedback> {
  const now = Date.now();
  const record = Feedback.parse({ ...input, createdAt: now, updatedAt: now });
  await putRecords('feedback', [record], db);
  return record;
}

/** Sets the rating and/or correction; `null` clears a rating (a second click on the same thumb). */
export async function rateFeedback(
  id: string,
  patch: { rating?: Feedback['rating']; correction?: string },
  db: CalicoDb = getDb(),
): Promise<Feedback> {
  const updated = await updateRecord<Feedback>(
    'feedback',
    id,
    (row) =>
      Feedback.parse({
        ...row,
        ...(patch.rating !== undefined ? { rating: patch.rating } : {}),
        ...(patch.correction !== undefined ? { correction: patch.correction } : {}),
        updatedAt: Date.now(),
      }),
    db,
  );
  if (!updated) throw Object.assign(new Error(`no feedback ${id}`), { code: 'not-found' });
  return updated;
}

export async function getFeedback(id: string, db: CalicoDb = getDb()): Promise<Feedback | undefined> {
  return db.feedback.get(id);
}

/** Newest first, for the review queue and the options page. */
export async function listFeedback(limit = 500, db: CalicoDb = getDb()): Promise<Feedback[]> {
  return db.feedback.orderBy('createdAt').reverse().limit(limit).toArray();
}
