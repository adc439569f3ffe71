import type { Feedback } from '@shared/schemas/assistant';
import type { Review } from '@shared/schemas/curation';
import type { CuratedItem } from '@shared/datasets/export';

/** One row of the review queue: an answer or rewrite with its feedback, and its review if decided. */
export interface QueueItem {
  feedback: Feedback;
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
}

export const DEFAULT_FILTERS: QueueFilters = { status: 'pending', engine: '', template: '', action: '', rating: '', from: '', to: '' };

export const templateKey = (f: Feedback) => `${f.template.id}@${f.template.version}`;

function dayStart(date: string): number {
  return new Date(`${date}T00:00:00`).getTime();
}

/** Feedback joined with its reviews, filtered; newest first (what was just answered is reviewed first). */
export function buildQueue(feedback: readonly Feedback[], reviews: readonly Review[], filters: QueueFilters): QueueItem[] {
  const bySubject = new Map(reviews.filter((r) => r.subjectKind === 'feedback').map((r) => [r.subjectId, r]));
  const from = filters.from ? dayStart(filters.from) : -Infinity;
  const to = filters.to ? dayStart(filters.to) + 86_400_000 : Infinity;
  return feedback
    .map((f) => ({ feedback: f, review: bySubject.get(f.id) ?? null }))
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
export function filterOptions(feedback: readonly Feedback[]) {
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return { engines: sorted(feedback.map((f) => f.engine)), templates: sorted(feedback.map(templateKey)), actions: sorted(feedback.map((f) => f.action)) };
}

/** Reviewed items for the dataset export. */
export function curatedItems(feedback: readonly Feedback[], reviews: readonly Review[]): CuratedItem[] {
  const byId = new Map(feedback.map((f) => [f.id, f]));
  return reviews.filter((r) => r.subjectKind === 'feedback' && byId.has(r.subjectId)).map((review) => ({ feedback: byId.get(review.subjectId)!, review }));
}
