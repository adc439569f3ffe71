import { aggregate } from './aggregate';
import { answerPrompt, generateAnswer } from './generate';
import { plan as makePlan } from './plan';
import { repairAnswer } from './repair';
import { retrieveAll } from './retrieve';
import { verifyAnswer } from './verify';
import { AnswerTrace, type PipelineCallbacks, type PipelineDeps, type PipelineInput, type PipelineResult, type RunPipeline, type SourceOrigin, type TraceStep } from './types';

/**
 * The serving pipeline: plan → retrieve → aggregate → generate → verify (→ repair), each step timed
 * with the injected clock and reported as it ends, the whole run summed up in an AnswerTrace that is
 * stored with the answer and fed to monitoring. The extension and the worker run this same function;
 * only the retrievers and generators they pass differ.
 */

function abortError(signal: AbortSignal): Error {
  const reason = signal.reason;
  if (reason instanceof Error) return reason;
  const error = new Error(typeof reason === 'string' ? reason : 'Stopped.');
  error.name = 'AbortError';
  return error;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export const runPipeline: RunPipeline = async (input: PipelineInput, deps: PipelineDeps, callbacks: PipelineCallbacks = {}): Promise<PipelineResult> => {
  const now = deps.now ?? Date.now;
  const { signal } = callbacks;
  const t0 = now();
  const steps: TraceStep[] = [];
  const check = () => {
    if (signal?.aborted) throw abortError(signal);
  };
  async function step<T>(name: TraceStep['step'], run: () => Promise<T>, detail: (value: T) => string): Promise<T> {
    check();
    const start = now();
    const value = await run();
    const end = now();
    const traced: TraceStep = { step: name, at: Math.max(0, start - t0), ms: Math.max(0, end - start), detail: detail(value).slice(0, 1000) };
    steps.push(traced);
    callbacks.onStep?.(traced);
    check();
    return value;
  }

  const question = input.question.trim();
  if (!question) throw new Error('a question is needed');
  const available = [...new Set(deps.retrievers.map((r) => r.origin))] as SourceOrigin[];

  const plan = await step('plan', () => makePlan({ question, scope: input.scope, history: input.history, available }, deps.helper ?? null, signal), (p) => `${p.by === 'model' ? 'Model' : 'Rules'}: ${p.queries.map((q) => `“${q}”`).join(', ')}. ${p.reason}`);
  callbacks.onPlan?.(plan);

  const retrieval = await step('retrieve', () => retrieveAll(deps.retrievers, plan, signal, now), (r) =>
    r.outcomes
      .filter((o) => o.status !== 'skipped')
      .map((o) => `${o.label}: ${o.status === 'ok' ? plural(o.count, 'passage') : `${o.status}${o.detail ? ` (${o.detail})` : ''}`}`)
      .join('; ') || 'nothing to search',
  );

  const merged = await step('aggregate', async () => aggregate(retrieval.lists, input.contextChars, plan.queries), (a) => `${plural(a.retrieved, 'passage')} in, ${a.unique} after removing duplicates, ${a.sources.length} numbered for the prompt`);
  callbacks.onSources?.(merged.sources, retrieval.outcomes);

  const prompt = answerPrompt({ ...input, question }, merged.sources);
  let answer = await step('generate', () => generateAnswer(deps.generator, prompt, { signal, onToken: callbacks.onToken }), (a) => `${deps.generator.label}${deps.generator.model ? ` (${deps.generator.model})` : ''}, template ${prompt.template.id}@${prompt.template.version}: ${plural(a.length, 'character')}`);

  const verifyOptions = { embed: deps.embed, helper: deps.helper ?? null, signal };
  let verification = await step('verify', () => verifyAnswer(answer, merged.sources, verifyOptions), (v) =>
    v.checked ? `${v.supported} of ${plural(v.checked, 'cited sentence')} supported by their sources${v.unsupported ? `, ${v.unsupported} not` : ''}${v.uncited ? `; ${plural(v.uncited, 'sentence')} without a citation` : ''} (${[...new Set(v.claims.map((c) => c.method))].join(', ') || 'lexical'})` : `no cited sentences to check${v.uncited ? `; ${plural(v.uncited, 'sentence')} without a citation` : ''}`,
  );

  if (deps.repair && verification.unsupported > 0) {
    const repaired = await step('repair', () => repairAnswer(deps.generator, prompt.messages, answer, verification, merged.sources, verifyOptions), (r) => r.detail);
    answer = repaired.answer;
    verification = repaired.verification;
  }

  const trace = AnswerTrace.parse({
    scope: input.scope,
    plan,
    steps,
    retrievals: retrieval.outcomes.slice(0, 10),
    passages: { retrieved: Math.min(100_000, merged.retrieved), unique: Math.min(100_000, merged.unique), used: merged.sources.length },
    engine: deps.generator.id.slice(0, 64) || 'unknown',
    model: deps.generator.model.slice(0, 128),
    template: prompt.template,
    totalMs: Math.max(0, now() - t0),
  });
  return { answer, sources: merged.sources, verification, trace, prompt: prompt.messages };
};
