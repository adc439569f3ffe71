import type { Verification } from '@shared/serving/types';
import { citationVerdicts } from './citation-flags';

/**
 * An answer split into text and `[n]` citation parts, for surfaces that render it as plain text (the
 * side panel's Ask; never as HTML). Only numbers that are sources become citations; with the verifier's
 * checks, each citation says whether its passage supports the sentence it closes.
 */

export type AnswerPart = { text: string } | { cite: number; supported: boolean };

export function answerParts(answer: string, sourceCount: number, verification?: Verification): AnswerPart[] {
  const unsupported = new Set(verification ? citationVerdicts(answer, verification).filter((v) => !v.supported).map((v) => v.offset) : []);
  const parts: AnswerPart[] = [];
  let last = 0;
  for (const m of answer.matchAll(/\[(\d{1,3})\]/g)) {
    const n = Number(m[1]);
    if (n < 1 || n > sourceCount) continue;
    if (m.index > last) parts.push({ text: answer.slice(last, m.index) });
    parts.push({ cite: n, supported: !unsupported.has(m.index) });
    last = m.index + m[0].length;
  }
  if (last < answer.length) parts.push({ text: answer.slice(last) });
  return parts;
}
