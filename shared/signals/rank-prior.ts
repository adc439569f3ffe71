import type { ContentSignals } from '../schemas/signals';

/**
 * A page's prior for ranking: a multiplier on its search score, 1 for a clean page and down to 0.35 for
 * certain spam, so spammy pages stay findable (kept, listed lower) rather than vanish. Pages without
 * signals (stored before them, highlights, searches) keep 1.
 */
export function rankPrior(signals: Pick<ContentSignals, 'spamScore'> | undefined): number {
  if (!signals) return 1;
  return 1 - 0.65 * Math.min(1, Math.max(0, signals.spamScore));
}

/** Re-orders results by score × prior (stable for equal products); `hideSpam` drops spam outright. */
export function applyRankPrior<T extends { score: number; prior?: number; spam?: boolean }>(results: readonly T[], hideSpam = false): T[] {
  const kept = hideSpam ? results.filter((r) => !r.spam) : [...results];
  if (!kept.some((r) => r.prior !== undefined && r.prior < 1)) return kept;
  return kept
    .map((r, i) => ({ r, i, s: r.score * (r.prior ?? 1) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map(({ r }) => r);
}
