import { z } from 'zod';
import type { AssistantScope } from '../schemas/assistant-base';
import { contentWords, words } from './words';
import { Plan, type Generator, type PlanInput, type SourceOrigin } from './types';

/**
 * Plan: which origins to ask, and with which queries. Origins follow the scope by rules (a model never
 * decides what the user may search); the queries are the question made standalone — by one model call
 * when a helper generator is allowed, else by rules — so "and the second one?" searches for what it
 * refers to.
 */

/** What each scope would like to search, best first. */
export const SCOPE_ORIGINS: Record<AssistantScope, readonly SourceOrigin[]> = {
  page: ['page'],
  memory: ['memory', 'records', 'page'],
  everything: ['memory', 'records', 'web'],
  shopping: ['products'],
};

/** Origins a scope reads when given but never misses: a question about a passage (the answer bubble's
 * Ask on a selection) brings that passage as 'page' beside memory; a plain memory question has none. */
const OPTIONAL_ORIGINS: Partial<Record<AssistantScope, readonly SourceOrigin[]>> = { memory: ['page'] };

const ORIGIN_WORDS: Record<SourceOrigin, string> = {
  page: 'the open page',
  memory: 'your memory on this device',
  records: 'your synced records in the cloud',
  web: 'the web',
  products: 'your product memory',
};

const WHY_UNAVAILABLE: Record<SourceOrigin, string> = {
  page: 'this tab has no readable page',
  memory: 'the on-device memory is not reachable from here',
  records: 'no paired worker to search your synced records',
  web: 'web search needs a paired worker with a search provider configured',
  products: 'product memory is not reachable from here',
};

const FOLLOW_UP_START = /^(and|but|or|so|also|what about|how about|then|same)\b/i;
const REFERRING = /\b(it|its|they|them|their|this|that|these|those|he|him|his|she|her|there|one|ones|former|latter|first|second|third|last|previous|above|same|more|else)\b/i;

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Whether a question leans on earlier turns: short, opening like a continuation, or pointing back. */
export function isFollowUp(question: string): boolean {
  const content = contentWords(question);
  if (FOLLOW_UP_START.test(question.trim())) return true;
  if (content.length <= 2 && REFERRING.test(question)) return true;
  return content.length <= 1;
}

/** The words of the last user turn (and, lighter, the last answer) that the follow-up doesn't repeat. */
function contextTerms(history: PlanInput['history'], question: string): string[] {
  const asked = new Set(contentWords(question));
  const lastUser = [...history].reverse().find((t) => t.role === 'user');
  if (!lastUser) return [];
  const keep: string[] = [];
  const seen = new Set<string>();
  for (const w of words(lastUser.content)) {
    const stemmed = contentWords(w)[0];
    if (!stemmed || asked.has(stemmed) || seen.has(stemmed)) continue;
    seen.add(stemmed);
    keep.push(w);
  }
  return keep.slice(0, 12);
}

/** The question made standalone by rules: a follow-up borrows the content words of the previous question. */
export function standaloneQuestion(question: string, history: PlanInput['history']): string {
  const q = question.trim().slice(0, 400);
  if (!history.length || !isFollowUp(q)) return q;
  const borrowed = contextTerms(history, q);
  return borrowed.length ? `${q} (${borrowed.join(' ')})`.slice(0, 400) : q;
}

function choose(scope: AssistantScope, available: readonly SourceOrigin[]): { origins: SourceOrigin[]; reason: string } {
  const wanted = SCOPE_ORIGINS[scope];
  const origins = wanted.filter((o) => available.includes(o));
  const missing = wanted.filter((o) => !available.includes(o) && !OPTIONAL_ORIGINS[scope]?.includes(o));
  const parts = [origins.length ? `Searching ${origins.map((o) => ORIGIN_WORDS[o]).join(', ')}.` : 'Nothing this scope searches is reachable here.'];
  for (const o of missing) parts.push(`Not ${ORIGIN_WORDS[o]}: ${WHY_UNAVAILABLE[o]}.`);
  if (scope === 'everything' && !origins.includes('web')) parts.push('The answer comes from your memory only.');
  return { origins, reason: parts.join(' ').slice(0, 1000) };
}

export function planByRules(input: PlanInput): Plan {
  const { origins, reason } = choose(input.scope, input.available);
  const standalone = standaloneQuestion(input.question, input.history);
  const queries = [standalone];
  // A keyword form helps the lexical retrievers when the question is long and wordy.
  const keywords = unique(words(standalone).filter((w) => contentWords(w).length > 0)).join(' ');
  if (keywords && keywords.toLowerCase() !== standalone.toLowerCase() && contentWords(standalone).length >= 4) queries.push(keywords.slice(0, 400));
  return Plan.parse({ origins, queries, by: 'rules', reason: standalone !== input.question.trim() ? `${reason} Follow-up read with the previous question.` : reason });
}

/** What the helper must answer: 1–3 search queries. Anything else falls back to the rules. */
const ModelQueries = z.object({ queries: z.array(z.string().trim().min(2).max(400)).min(1).max(3) });

export const PLAN_SYSTEM =
  'You turn a question from a conversation into standalone search queries. Resolve pronouns and references using the earlier turns. ' +
  'Answer with JSON only, exactly {"queries": ["…"]}: one to three short queries, the first being the question rewritten to stand alone. ' +
  'Do not answer the question.';

function planPrompt(input: PlanInput) {
  const turns = input.history
    .slice(-6)
    .map((t) => `${t.role === 'user' ? 'User' : 'Assistant'}: ${t.content.slice(0, 600)}`)
    .join('\n');
  return [
    { role: 'system' as const, content: PLAN_SYSTEM },
    { role: 'user' as const, content: `${turns ? `Earlier turns:\n${turns}\n\n` : ''}Question: ${input.question.slice(0, 2000)}` },
  ];
}

/** The first JSON object in a model's reply (models wrap JSON in prose or code fences). */
export function firstJsonObject(text: string): unknown {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    return JSON.parse(text.slice(start, end + 1));
  } catch {
    return null;
  }
}

export async function plan(input: PlanInput, helper?: Generator | null, signal?: AbortSignal): Promise<Plan> {
  const rules = planByRules(input);
  if (!helper || rules.origins.length === 0) return rules;
  let reply: string;
  try {
    reply = await helper.generate(planPrompt(input), { signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    return { ...rules, reason: `${rules.reason} The query rewrite by ${helper.label} failed, so rules made the queries.`.slice(0, 1000) };
  }
  const parsed = ModelQueries.safeParse(firstJsonObject(reply));
  if (!parsed.success) return { ...rules, reason: `${rules.reason} ${helper.label} did not answer usable queries, so rules made them.`.slice(0, 1000) };
  const queries = unique(parsed.data.queries).slice(0, 3);
  return Plan.parse({ origins: rules.origins, queries, by: 'model', reason: `${rules.reason} Queries written by ${helper.label}.`.slice(0, 1000) });
}
