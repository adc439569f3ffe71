import { buildGroundedPrompt, type GroundedPrompt } from '../prompts/grounded';
import type { AssistantScope } from '../schemas/assistant-base';
import type { Generator, NumberedPassage, PipelineInput } from './types';

/**
 * Generate: the scope's versioned prompt over the numbered sources (each labelled by origin), streamed
 * through whichever Generator this side plugged in.
 */

export function answerPrompt(input: Pick<PipelineInput, 'question' | 'scope' | 'history' | 'contextChars'>, sources: readonly NumberedPassage[]): GroundedPrompt {
  return buildGroundedPrompt(input.scope as AssistantScope, {
    question: input.question,
    history: input.history,
    budget: input.contextChars,
    sources: sources.map((s) => ({ n: s.n, origin: s.origin, title: s.title, url: s.url, text: s.text, ...(s.note ? { note: s.note } : {}) })),
  });
}

export async function generateAnswer(generator: Generator, prompt: GroundedPrompt, options: { signal?: AbortSignal; onToken?: (text: string) => void }): Promise<string> {
  let streamed = '';
  const answer = await generator.generate(prompt.messages, {
    signal: options.signal,
    onToken: (text) => {
      streamed += text;
      options.onToken?.(text);
    },
  });
  // A generator that doesn't stream still answers in full; one that streams and returns nothing is read from its tokens.
  return typeof answer === 'string' && answer.length ? answer : streamed;
}
