import type { AnswerTrace, Verification } from '@shared/serving/types';
import { citationVerdicts, verificationSummary } from '../grounding/citation-flags';
import { el } from './shadow-dom';

/**
 * The bubble's view of a grounded answer (Ask through the serving pipeline): each `[n]` the verifier
 * found unsupported is struck through where it stands, "N of M claims checked" under the answer, and a
 * "How this was answered" disclosure with the plan, each source's outcome and the stage timings — the
 * chat's AnswerTraceView, in the bubble's shadow DOM and as text only.
 */

/** Marks the answer's citation buttons (in the order the renderer made them) with the verifier's verdicts. */
export function markCitations(answerEl: HTMLElement, answer: string, verification: Verification, sources: number): void {
  // Per number, the verdicts of its occurrences in order: a button takes the next one of its number.
  const queues = new Map<number, boolean[]>();
  for (const v of citationVerdicts(answer, verification)) {
    if (v.n < 1 || v.n > sources) continue;
    queues.set(v.n, [...(queues.get(v.n) ?? []), v.supported]);
  }
  for (const cite of answerEl.querySelectorAll<HTMLElement>('[data-testid="bubble-citation"]')) {
    const supported = queues.get(Number(cite.dataset.n))?.shift() ?? true;
    cite.dataset.supported = String(supported);
    if (!supported) {
      cite.classList.add('unsupported');
      cite.title = 'The cited source does not clearly support this sentence.';
    }
  }
}

export function verificationLine(doc: Document, verification: Verification): HTMLElement {
  const line = el(doc, 'p', { className: 'muted', testid: 'bubble-verification', text: verificationSummary(verification) });
  line.dataset.checked = String(verification.checked);
  line.dataset.unsupported = String(verification.unsupported);
  return line;
}

export function traceView(doc: Document, trace: AnswerTrace): HTMLElement {
  const box = el(doc, 'details', { className: 'trace muted', testid: 'bubble-trace' });
  box.append(el(doc, 'summary', { text: 'How this was answered' }));
  box.append(el(doc, 'p', { text: `Plan (${trace.plan.by}): ${trace.plan.queries.map((q) => `“${q}”`).join(', ')}. ${trace.plan.reason}` }));
  for (const r of trace.retrievals) {
    const line = el(doc, 'p', { testid: 'bubble-trace-source', text: `${r.label}: ${r.status === 'ok' ? `${r.count} passage${r.count === 1 ? '' : 's'}` : r.status} in ${Math.round(r.ms)} ms` });
    line.dataset.origin = r.origin;
    line.dataset.status = r.status;
    box.append(line);
  }
  box.append(el(doc, 'p', { text: `Passages: ${trace.passages.retrieved} retrieved, ${trace.passages.unique} unique, ${trace.passages.used} used · ${trace.engine}${trace.model ? ` (${trace.model})` : ''} · ${trace.template.id}@${trace.template.version}` }));
  box.append(el(doc, 'p', { testid: 'bubble-trace-steps', text: trace.steps.map((s) => `${s.step} ${Math.round(s.ms)} ms`).join(' → ') }));
  return box;
}
