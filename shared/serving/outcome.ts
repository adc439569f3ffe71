import { z } from 'zod';
import { RetrievalOutcome, STEP_NAMES, TraceStep, Verification, type AnswerTrace } from './types';

/**
 * What the serving pipeline did for one answer, small enough to copy into its feedback record: the
 * stages that ran (with their timings and outcome in words), each source's outcome, the verifier's
 * counts (not its per-claim offsets), and — for an answer stopped or failed part-way — the stage it was
 * in. The data loop's review queue reads it to say which stage let an answer down.
 */

export const VerificationCounts = Verification.pick({ checked: true, supported: true, unsupported: true, uncited: true, repaired: true });
export type VerificationCounts = z.infer<typeof VerificationCounts>;

export const ServingOutcome = z.object({
  steps: z.array(TraceStep).max(16),
  retrievals: z.array(RetrievalOutcome).max(10).default([]),
  verification: VerificationCounts.nullable().default(null),
  /** The stage that was running when the answer was stopped or failed; absent when the run finished. */
  cutAt: z.enum(STEP_NAMES).optional(),
  totalMs: z.number().nonnegative().max(3_600_000).optional(),
});
export type ServingOutcome = z.infer<typeof ServingOutcome>;

/** A finished run's outcome, from its trace and verification. */
export function outcomeOfRun(trace: AnswerTrace, verification: Verification): ServingOutcome {
  const { claims: _claims, ...counts } = verification;
  return ServingOutcome.parse({ steps: trace.steps.slice(0, 16), retrievals: trace.retrievals.slice(0, 10), verification: counts, totalMs: trace.totalMs });
}

/** A run cut off after `steps` (the stages that ended): it was in the next stage of the pipeline. */
export function outcomeOfCut(steps: readonly TraceStep[]): ServingOutcome {
  const done = new Set(steps.map((s) => s.step));
  const cutAt = STEP_NAMES.find((name) => !done.has(name) && name !== 'repair') ?? 'repair';
  return ServingOutcome.parse({ steps: steps.slice(0, 16), cutAt });
}

/** The stage that most likely let the answer down, in the pipeline's order of blame: where it stopped,
 * then unsupported citations (verify), then a source that failed or timed out (retrieve). */
export function weakStage(outcome: ServingOutcome): { step: (typeof STEP_NAMES)[number]; why: string } | null {
  if (outcome.cutAt) return { step: outcome.cutAt, why: `stopped during ${outcome.cutAt}` };
  const v = outcome.verification;
  if (v && v.unsupported > 0) return { step: 'verify', why: `${v.unsupported} of ${v.checked} cited sentences not supported by their sources` };
  const failed = outcome.retrievals.filter((r) => r.status === 'timeout' || r.status === 'error');
  if (failed.length) return { step: 'retrieve', why: failed.map((r) => `${r.label}: ${r.status === 'timeout' ? 'timed out' : 'failed'}`).join('; ') };
  return null;
}
