import type { Feedback } from '@shared/schemas/assistant';
import type { Review, SyntheticPair } from '@shared/schemas/curation';
import type { CuratedItem } from '@shared/datasets/export';
import { syntheticAsFeedback } from '@shared/datasets/synthetic';

/** One row of the review queue: an answer or rewrite with its feedback, or a generated pair shown in the
 * same shape (`pair` set, subjectKind 'synthetic'), and its review if decided. */
export interface QueueItem {
  subjectKind: Review['subjectKind'];
  feedback: Feedback;
  pair: SyntheticPair | null;
  review: Review | null;
}

export interface QueueFilters {
  /** 'pending' (not decided yet), a decision, or 'all'. */
  status: 'pending' | 'accept' | 'edit' | 'reject' | 'all';
  engine: string;
  /** "id@version" of the template, or '' for any. */
  template: string;
  action: string;
  /** 'up' | 'down' | 'none' (unrated) | '' (any). */
  rating: '' | 'up' | 'down' | 'none';
  /** Inclusive local dates, 'YYYY-MM-DD', or ''. */
  from: string;
  to: string;
  /** '' any, 'real' answers and rewrites, 'synthetic' generated pairs. */
  origin: '' | 'real' | 'synthetic';
}

export const DEFAULT_FILTERS: QueueFilters = { status: 'pending', engine: '', template: '', action: '', rating: '', from: '', to: '', origin: '' };

export const templateKey = (f: Feedback) => `${f.template.id}@${f.template.version}`;

function dayStart(date: string): number {
  return new Date(`${date}T00:00:00`).getTime();
}

/** Feedback joined with its reviews, filtered; newest first (what was just answered is reviewed first). */
export function buildQueue(feedback: readonly Feedback[], reviews: readonly Review[], filters: QueueFilters, pairs: readonly SyntheticPair[] = []): QueueItem[] {
  const key = (kind: Review['subjectKind'], id: string) => `${kind}:${id}`;
  const bySubject = new Map(reviews.map((r) => [key(r.subjectKind, r.subjectId), r]));
  const from = filters.from ? dayStart(filters.from) : -Infinity;
  const to = filters.to ? dayStart(filters.to) + 86_400_000 : Infinity;
  const items: QueueItem[] = [
    ...(filters.origin === 'synthetic' ? [] : feedback.map((f) => ({ subjectKind: 'feedback' as const, feedback: f, pair: null, review: bySubject.get(key('feedback', f.id)) ?? null }))),
    ...(filters.origin === 'real' ? [] : pairs.map((p) => ({ subjectKind: 'synthetic' as const, feedback: syntheticAsFeedback(p), pair: p, review: bySubject.get(key('synthetic', p.id)) ?? null }))),
  ];
  return items
    .filter(({ feedback: f, review }) => {
      if (filters.status === 'pending' ? review !== null : filters.status !== 'all' && review?.decision !== filters.status) return false;
      if (filters.engine && f.engine !== filters.engine) return false;
      if (filters.template && templateKey(f) !== filters.template) return false;
      if (filters.action && f.action !== filters.action) return false;
      if (filters.rating && (filters.rating === 'none' ? f.rating !== null : f.rating !== filters.rating)) return false;
      return f.createdAt >= from && f.createdAt < to;
    })
    .sort((a, b) => b.feedback.createdAt - a.feedback.createdAt);
}

/** The distinct values each filter can take, for its menu. */
export function filterOptions(feedback: readonly Feedback[], pairs: readonly SyntheticPair[] = []) {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  const all = [...feedback, ...pairs.map(syntheticAsFeedback)];
  return { engines: sorted(all.map((f) => f.engine)), templates: sorted(all.map(templateKey)), actions: sorted(all.map((f) => f.action)) };
}

/** Reviewed items for the dataset export: answers and rewrites, and generated pairs (marked synthetic). */
export function curatedItems(feedback: readonly Feedback[], reviews: readonly Review[], pairs: readonly SyntheticPair[] = []): CuratedItem[] {
  const byId = new Map(feedback.map((f) => [f.id, f]));
  const pairById = new Map(pairs.map((p) => [p.id, p]));
  return reviews.flatMap((review): CuratedItem[] => {
    if (review.subjectKind === 'feedback') return byId.has(review.subjectId) ? [{ feedback: byId.get(review.subjectId)!, review }] : [];
    const pair = pairById.get(review.subjectId);
    return pair ? [{ feedback: syntheticAsFeedback(pair), review, synthetic: true }] : [];
  });
}

/** The personal evaluation set: generated pairs a person accepted or edited (a rejected question, or
 * one never reviewed, measures nothing the person vouched for). */
export function evaluationSet(pairs: readonly SyntheticPair[], reviews: readonly Review[]): SyntheticPair[] {
  const kept = new Set(reviews.filter((r) => r.subjectKind === 'synthetic' && r.decision !== 'reject').map((r) => r.subjectId));
  return pairs.filter((p) => kept.has(p.id));
}
