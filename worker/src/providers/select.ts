import type { Env } from '../env';
import { OpenAiCompatibleProvider } from './openai-compatible';
import type { ChatProvider } from './types';
import { WorkersAiProvider } from './workers-ai';

export const DEFAULT_WORKERS_AI_MODEL = '@cf/meta/llama-3.1-8b-instruct';

/** The configured provider, or null when none is (then chat answers 503 provider_unavailable). */
export function selectProvider(env: Env): ChatProvider | null {
  const choice = env.AI_PROVIDER?.trim() || (env.OPENAI_BASE_URL ? 'openai' : env.AI ? 'workers-ai' : 'none');
  if (choice === 'openai' && env.OPENAI_BASE_URL) {
    return new OpenAiCompatibleProvider(env.OPENAI_BASE_URL, env.OPENAI_API_KEY || undefined, env.OPENAI_MODEL || 'gpt-4o-mini');
  }
  if (choice === 'workers-ai' && env.AI) return new WorkersAiProvider(env.AI, env.WORKERS_AI_MODEL || DEFAULT_WORKERS_AI_MODEL);
  return null;
}
