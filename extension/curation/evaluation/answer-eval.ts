import type { SyntheticPair } from '@shared/schemas/curation';
import { syntheticAsFeedback } from '@shared/datasets/synthetic';
import { templateKey, templateRef } from '@shared/prompts/templates';
import type { Engine } from '@/ai/engines/types';

/**
 * How well the current engine answers the person's accepted questions: each one is asked with the
 * ask-with-sources prompt over the pair's passage (the prompt the product sends), and the answer is
 * compared with the accepted one (the reviewer's edit when there is one) by token F1 and by whether it
 * contains the accepted answer — the SQuAD measures, after dropping case, punctuation, articles and
 * [n] citations. Stored with the engine and template version, so a change of either shows in the chart.
 */
export interface AnswerScore {
  engine: string;
  /** "id@version" of the prompt the questions were asked with. */
  template: string;
  questions: number;
  f1: number;
  /** Share of answers containing the accepted answer. */
  contains: number;
  /** Questions the engine failed on (counted as 0). */
  failed: number;
}

/** At most this many questions per run (each is a generation): the newest accepted ones. */
export const MAX_ANSWER_QUESTIONS = 20;

function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/\[\d{1,3}\]/g, ' ')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((t) => t && !['a', 'an', 'the'].includes(t));
}

export function tokenF1(prediction: string, reference: string): number {
  const p = tokens(prediction);
  const r = tokens(reference);
  if (p.length === 0 || r.length === 0) return p.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const t of r) counts.set(t, (counts.get(t) ?? 0) + 1);
  let common = 0;
  for (const t of p) {
    const n = counts.get(t) ?? 0;
    if (n > 0) {
      common++;
      counts.set(t, n - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / p.length;
  const recall = common / r.length;
  return (2 * precision * recall) / (precision + recall);
}

export function containsAnswer(prediction: string, reference: string): boolean {
  const r = tokens(reference).join(' ');
  return r.length > 0 && ` ${tokens(prediction).join(' ')} `.includes(` ${r} `);
}

export async function scoreAnswers(items: readonly { pair: SyntheticPair; preferred: string }[], engine: Engine, signal?: AbortSignal): Promise<AnswerScore> {
  const chosen = [...items].sort((a, b) => b.pair.createdAt - a.pair.createdAt).slice(0, MAX_ANSWER_QUESTIONS);
  let f1 = 0;
  let contains = 0;
  let failed = 0;
  for (const { pair, preferred } of chosen) {
    const asked = syntheticAsFeedback(pair);
    const source = asked.sources[0]!;
    try {
      const answer = await engine.generate(
        {
          question: pair.question,
          messages: asked.prompt,
          template: templateRef('ask-sources'),
          sources: [{ n: 1, id: `${pair.target}#0`, kind: pair.sourceKind, sourceId: pair.sourceId, url: source.url, title: pair.title, site: '', text: pair.passage }],
        },
        { signal },
      );
      f1 += tokenF1(answer, preferred);
      if (containsAnswer(answer, preferred)) contains++;
    } catch {
      failed++;
    }
  }
  const n = chosen.length;
  return { engine: engine.id, template: templateKey(templateRef('ask-sources')), questions: n, f1: n ? f1 / n : 0, contains: n ? contains / n : 0, failed };
}
