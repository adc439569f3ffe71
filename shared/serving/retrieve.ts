import type { Passage, Plan, RetrievalOutcome, Retriever } from './types';

/**
 * Retrieve: every retriever the plan chose, all at once, each on its own budget. A retriever past its
 * budget is abandoned — its signal aborts and its late answer is ignored even if it never looks at the
 * signal — so a slow web search never holds up an answer from memory. The caller's signal (the person
 * pressing Stop) aborts everything and rejects.
 */

export interface RetrievalResult {
  /** One list per retriever that answered, in the order given. */
  lists: Passage[][];
  outcomes: RetrievalOutcome[];
}

/** More than any prompt can use; a retriever's flood is cut here, not in the aggregate stage. */
export const MAX_PER_RETRIEVER = 200;

class BudgetExceeded extends Error {}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new BudgetExceeded(String(signal.reason)));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.slice(0, 500);
}

export async function retrieveAll(retrievers: readonly Retriever[], plan: Plan, signal: AbortSignal | undefined, now: () => number = Date.now): Promise<RetrievalResult> {
  const parent = signal ?? new AbortController().signal;
  const runs = retrievers.map(async (r): Promise<{ passages: Passage[]; outcome: RetrievalOutcome }> => {
    const base = { origin: r.origin, label: r.label.slice(0, 200) };
    if (!plan.origins.includes(r.origin)) return { passages: [], outcome: { ...base, status: 'skipped', count: 0, ms: 0, detail: 'not searched for this scope' } };
    const budget = AbortSignal.timeout(Math.max(1, r.budgetMs));
    const own = AbortSignal.any([parent, budget]);
    const t0 = now();
    try {
      // The race makes the budget hold even for a retriever that ignores its signal.
      const passages = await Promise.race([r.retrieve(plan.queries, own), abortPromise(own)]);
      const valid = passages.filter((p) => p && typeof p.text === 'string' && p.text.trim().length > 0).slice(0, MAX_PER_RETRIEVER).map((p) => ({ ...p, origin: r.origin }));
      return { passages: valid, outcome: { ...base, status: 'ok', count: valid.length, ms: Math.max(0, now() - t0) } };
    } catch (error) {
      if (parent.aborted) throw parent.reason ?? error;
      const ms = Math.max(0, now() - t0);
      if (budget.aborted) return { passages: [], outcome: { ...base, status: 'timeout', count: 0, ms, detail: `no answer within ${r.budgetMs} ms; answered without it` } };
      return { passages: [], outcome: { ...base, status: 'error', count: 0, ms, detail: describe(error) } };
    }
  });
  const settled = await Promise.all(runs);
  return { lists: settled.map((s) => s.passages), outcomes: settled.map((s) => s.outcome) };
}
