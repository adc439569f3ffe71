import { buildRepairPrompt } from '../prompts/grounded';
import type { PromptMessage } from '../schemas/assistant-base';
import { claimText } from './citations';
import { verifyAnswer, type VerifyOptions } from './verify';
import type { Generator, NumberedPassage, Verification } from './types';

/**
 * Repair: one pass asking the generator to re-cite or drop the sentences the verifier flagged, then the
 * new answer is verified the same way. The repaired answer is kept only when it has fewer unsupported
 * claims and does not lose most of the supported ones; otherwise the first answer stands, flagged.
 */

export interface RepairResult {
  answer: string;
  verification: Verification;
  /** Whether the rewritten answer replaced the first one. */
  replaced: boolean;
  detail: string;
}

export async function repairAnswer(
  generator: Generator,
  prompt: readonly PromptMessage[],
  answer: string,
  verification: Verification,
  sources: readonly NumberedPassage[],
  options: VerifyOptions,
): Promise<RepairResult> {
  const problems = verification.claims.filter((c) => c.unsupported.length).map((c) => ({ sentence: claimText(answer.slice(c.start, c.end)), cites: c.unsupported }));
  if (!problems.length) return { answer, verification, replaced: false, detail: 'nothing to repair' };
  const repair = buildRepairPrompt(prompt, answer, problems);
  const rewritten = (await generator.generate(repair.messages, { signal: options.signal })).trim();
  if (!rewritten) return { answer, verification, replaced: false, detail: 'the repair pass answered nothing; the first answer stands' };
  const again = await verifyAnswer(rewritten, sources, options);
  const better = again.unsupported < verification.unsupported && again.supported >= Math.floor(verification.supported / 2);
  if (!better) return { answer, verification, replaced: false, detail: `the repair pass left ${again.unsupported} unsupported claim(s); the first answer stands` };
  return {
    answer: rewritten,
    verification: { ...again, repaired: true },
    replaced: true,
    detail: `rewrote the answer: unsupported claims ${verification.unsupported} → ${again.unsupported}`,
  };
}
