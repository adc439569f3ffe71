import type { Verification } from '@shared/serving/types';

/**
 * Where the verifier's verdicts land in the answer text. A claim check gives the sentence's offsets
 * and the cited numbers its passages do not support; each `[n]` occurrence belongs to the last claim
 * that starts at or before it (a citation closes its sentence, inside or just after the claim's span),
 * so the flag lands on that exact `[n]`, not on every `[n]` of the answer.
 *
 * The rendered answer is Markdown, whose parser does not keep offsets, so a flagged `[n]` is marked in
 * the text itself with a private-use character the citation rule recognises (and any such character
 * the model wrote is removed first, so the model cannot mark or unmark anything).
 */

export const UNSUPPORTED_MARK = '\uE000';
const CITATION = /\[(\d{1,2})\]/g;

export interface CitationVerdict {
  /** Offset of the `[` in the answer. */
  offset: number;
  n: number;
  supported: boolean;
}

export function citationVerdicts(answer: string, verification: Verification): CitationVerdict[] {
  const claims = [...verification.claims].sort((a, b) => a.start - b.start);
  const out: CitationVerdict[] = [];
  for (const m of answer.matchAll(CITATION)) {
    const offset = m.index;
    const n = Number(m[1]);
    let claim: Verification['claims'][number] | undefined;
    for (const c of claims) {
      if (c.start > offset) break;
      claim = c;
    }
    out.push({ offset, n, supported: !claim?.unsupported.includes(n) });
  }
  return out;
}

/** The answer with each unsupported `[n]` written `[n<mark>]`, for renderMarkdown. */
export function markUnsupported(answer: string, verification: Verification | undefined): string {
  // Positions of the `]` closing each unsupported citation, in the answer the offsets refer to.
  const closes = new Set(verification ? citationVerdicts(answer, verification).filter((v) => !v.supported).map((v) => v.offset + String(v.n).length + 1) : []);
  if (!closes.size && !answer.includes(UNSUPPORTED_MARK)) return answer;
  let out = '';
  for (let i = 0; i < answer.length; i++) {
    const ch = answer[i]!;
    if (ch === UNSUPPORTED_MARK) continue;
    if (closes.has(i)) out += UNSUPPORTED_MARK;
    out += ch;
  }
  return out;
}

/** "3 of 4 claims checked against their sources", with what the check found. */
export function verificationSummary(v: Verification): string {
  const claims = v.checked + v.uncited;
  if (claims === 0) return 'No claims to check against sources.';
  const head = `${v.checked} of ${claims} claim${claims === 1 ? '' : 's'} checked against their sources`;
  if (v.checked === 0) return `${head}.`;
  const found = v.unsupported > 0 ? `${v.unsupported} citation${v.unsupported === 1 ? '' : 's'} not supported by the cited passage` : 'every citation supported';
  return `${head}: ${found}${v.repaired ? ' (after one repair pass)' : ''}.`;
}
