import type { Feedback } from '../schemas/assistant';
import type { SyntheticPair } from '../schemas/curation';
import { buildAskPrompt } from '../prompts/ask';

/**
 * A generated pair in the shape of an answer's feedback, so the review queue shows it and the exports
 * write it like any answer: the prompt is the ask-with-sources prompt over the pair's own passage (what
 * the product would send for that question), the output the generated answer citing that one source.
 * The template, engine and model stay the generator's, so a filter or a trainer can tell it apart.
 */
export function syntheticAsFeedback(pair: SyntheticPair): Feedback {
  const source = { title: pair.title, url: pair.url || pair.target, text: pair.passage };
  const answer = /\[1\]/.test(pair.answer) ? pair.answer : `${pair.answer} [1]`;
  return {
    id: pair.id,
    subjectKind: 'answer',
    subjectId: pair.id,
    conversationId: null,
    action: 'ask',
    option: '',
    rating: null,
    correction: '',
    prompt: buildAskPrompt(pair.question, [source]),
    output: answer,
    engine: pair.engine,
    model: pair.model,
    template: pair.template,
    sources: [
      {
        n: 1,
        kind: pair.sourceKind,
        sourceId: pair.sourceId,
        url: source.url,
        title: pair.title,
        text: pair.passage,
        ...(pair.sourceKind === 'highlight' ? { highlightId: pair.sourceId } : {}),
      },
    ],
    pageUrl: pair.url || null,
    createdAt: pair.createdAt,
    updatedAt: pair.updatedAt,
  };
}
