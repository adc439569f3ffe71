import { describe, expect, it } from 'vitest';
import { runPipeline } from '@shared/serving/pipeline';
import type { WebSearchResponse } from '@shared/schemas/web-search';
import { EngineError } from '@/ai/engines/errors';
import { ExtractiveEngine } from '@/ai/engines/extractive';
import type { AskSource, Engine } from '@/ai/engines/types';
import { answerChat, type ChatDeps } from './chat-answer';

const HIGHLIGHT: AskSource = { n: 1, id: 'highlight:h1#0', kind: 'highlight', sourceId: 'h1', url: 'https://reef.example/notes', title: 'Reef notes', site: 'reef.example', text: 'Cuttlefish hunt shrimp by shooting out two long feeding tentacles.', highlightId: 'h1' };
const WEB: WebSearchResponse = {
  provider: 'searxng',
  cached: false,
  results: [{ n: 1, title: 'Octopus cognition', url: 'https://web.example/octopus', snippet: 'Octopus arms.', text: 'Two thirds of an octopus’s neurons sit in its arms, so each arm can taste and touch on its own.' }],
};

/** A worker-like engine that cites the passages given to it by number: [1] the first, [2] the second. */
function citingEngine(answer: (sources: AskSource[]) => string): Engine {
  return {
    id: 'worker',
    label: 'Your worker',
    local: false,
    available: async () => ({ status: 'available' }),
    generate: async (input, o) => {
      const text = answer(input.sources);
      o?.onToken?.(text);
      return text;
    },
  };
}

function deps(engine: Engine, web: ChatDeps['webAccess']): ChatDeps {
  return {
    engines: [engine, new ExtractiveEngine()],
    preferences: async () => ({ privacy: 'allow-worker', engine: 'auto' }),
    retrieveMemory: async () => [HIGHLIGHT],
    pageContext: async () => null,
    webAccess: web,
    runPipeline,
  };
}

describe('answerChat through the pipeline', () => {
  it('"Everything" reads memory and the web, cites both, and checks every citation', async () => {
    const searches: string[] = [];
    const engine = citingEngine((sources) => {
      const hl = sources.find((s) => s.kind === 'highlight')!;
      const web = sources.find((s) => s.url.startsWith('https://web.example'))!;
      return `Cuttlefish hunt shrimp by shooting out two long feeding tentacles [${hl.n}]. Two thirds of an octopus’s neurons sit in its arms [${web.n}]. Octopus arms taste and touch on their own [${hl.n}].`;
    });
    const result = await answerChat('everything', 'how do cuttlefish hunt, and what about octopus arms?', [], deps(engine, async () => ({ search: async (r) => (searches.push(r.q), WEB) })));
    expect(searches).toHaveLength(1);
    expect(result.sources.map((s) => s.kind).sort()).toEqual(['highlight', 'web']);
    expect(result.engine).toBe('worker');
    expect(result.trace.retrievals.map((r) => [r.origin, r.status])).toEqual(expect.arrayContaining([['memory', 'ok'], ['web', 'ok']]));
    expect(result.trace.template.id).toBe('grounded-everything');
    expect(result.verification.checked).toBe(3);
    // The third sentence cites the highlight for what only the web page says.
    expect(result.verification.unsupported).toBe(1);
    expect(result.searched).toMatch(/web search through your worker: \d passages?/);
  });

  it('hands the verifier the embedder it is given, so claims are checked by meaning too', async () => {
    const engine = citingEngine(() => 'Cuttlefish catch shrimp by firing two long feeding tentacles [1].');
    const embedded: string[][] = [];
    const embed = async (texts: string[]) => (embedded.push(texts), texts.map(() => Float32Array.from([1, 0])));
    const result = await answerChat('memory', 'how do cuttlefish hunt?', [], { ...deps(engine, async () => ({ search: null, reason: 'x' })), embed });
    expect(embedded[0]![0]).toMatch(/Cuttlefish catch shrimp/);
    expect(result.verification.claims.map((c) => c.method)).toEqual(['embedding']);
  });

  it('without web access, "Everything" answers from memory and the model and says why the web was not searched', async () => {
    const engine = citingEngine(() => 'Cuttlefish shoot two long feeding tentacles [1].');
    const result = await answerChat('everything', 'how do cuttlefish hunt?', [], deps(engine, async () => ({ search: null, reason: 'no worker is paired' })));
    expect(result.trace.retrievals).toContainEqual(expect.objectContaining({ origin: 'web', status: 'skipped', detail: 'no worker is paired' }));
    expect(result.trace.plan.reason).toMatch(/web search through your worker was not used: no worker is paired/);
    expect(result.sources.map((s) => s.kind)).toEqual(['highlight']);
  });

  it('a worker without a search provider: memory still answers; the web outcome says why, in words', async () => {
    const engine = citingEngine(() => 'Cuttlefish shoot two long feeding tentacles [1].');
    const refuse = async () => {
      throw Object.assign(new Error('web search is not configured on this server'), { code: 'provider_unavailable', status: 503 });
    };
    const result = await answerChat('everything', 'how do cuttlefish hunt?', [], deps(engine, async () => ({ search: refuse })));
    const web = result.trace.retrievals.find((r) => r.origin === 'web')!;
    expect(web.status).toBe('error');
    expect(web.detail).toMatch(/the worker has no web search provider/);
    expect(result.answer).toContain('[1]');
  });

  it('a generator failing part-way falls back to quotes, and the trace names the engine that answered', async () => {
    const failing: Engine = { ...citingEngine(() => ''), generate: async () => Promise.reject(new EngineError('generation-failed', 'The worker failed while answering (HTTP 500).')) };
    const fallbacks: string[] = [];
    const result = await answerChat('memory', 'how do cuttlefish hunt shrimp?', [], deps(failing, async () => ({ search: null, reason: 'x' })), { onFallback: (e) => fallbacks.push(e.message) });
    expect(fallbacks).toEqual(['The worker failed while answering (HTTP 500).']);
    expect(result.engine).toBe('extractive');
    expect(result.trace.engine).toBe('extractive');
    expect(result.answer).toContain('two long feeding tentacles');
  });

  it('Stop aborts the whole run with the engines’ "aborted" error', async () => {
    const controller = new AbortController();
    const engine = citingEngine(() => 'never');
    const slowMemory = deps(engine, async () => ({ search: null, reason: 'x' }));
    slowMemory.retrieveMemory = async () => {
      controller.abort();
      return [HIGHLIGHT];
    };
    await expect(answerChat('memory', 'q about cuttlefish', [], slowMemory, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
  });
});
