import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseHTML } from 'linkedom';
import { seededRandom } from '../extension/test-support/seeded-random';
import { runPipeline } from '../shared/serving/pipeline';
import { splitSentences } from '../shared/serving/sentences';
import { contentWords } from '../shared/serving/words';
import type { Generator, Passage, Retriever, SourceOrigin } from '../shared/serving/types';

/**
 * `npm run bench -- grounding`: the serving pipeline end to end over the reference pages, with the
 * hand-written questions of bench/grounding/ (dev and held-out parts on different pages).
 *
 * - Retrievers (bench doubles, not the product's): "memory" ranks ~500-character chunks of every page
 *   with BM25; "web" ranks whole pages and answers after a seeded delay — one in five past its budget,
 *   so the trace's timeouts and the answer-without-the-web path are exercised.
 * - Generator TEST DOUBLE: it writes the question's hand-written `answer` sentence citing the source that
 *   holds the labelled passage — or, seeded, a wrong source (p = 0.3) — and sometimes (p = 0.3) adds the
 *   hand-written `wrong` sentence, a hallucination cited to the right source.
 * - Truth, from the labels: a cited sentence is supported iff it is the `answer` and its cited source's
 *   text contains the labelled `support` words. Citation precision is over cited sentences; the
 *   verifier's catch rate is the share of unsupported ones it flags, its false-flag rate the share of
 *   supported ones it flags.
 */

export interface GroundingQuestion {
  id: string;
  page: string;
  question: string;
  support: string;
  answer: string;
  wrong: string;
}

const P_WRONG_CITE = 0.3;
const P_HALLUCINATE = 0.3;
const SEEDS = [1, 2, 3, 4, 5];
// Far from both delays (20 ms, 1500 ms), so a loaded machine does not turn a fast answer into a timeout.
const WEB_BUDGET_MS = 400;
const CHUNK_CHARS = 500;

const hash = (s: string) => [...s].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0, 7);

const norm = (s: string) =>
  s
    .replace(/[’‘]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?)])/g, '$1')
    .trim()
    .toLowerCase();

export function loadQuestions(file: string): GroundingQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as GroundingQuestion);
}

/** The readable text of a reference page (Readability's expected output), one line per block. */
export function pageText(dir: string, page: string): { title: string; text: string } {
  const { document } = parseHTML(`<html><body>${readFileSync(resolve(dir, page, 'expected.html'), 'utf8')}</body></html>`);
  for (const el of Array.from(document.querySelectorAll('script,style')) as { remove(): void }[]) el.remove();
  const blocks = Array.from(document.querySelectorAll('p,li,h1,h2,h3,h4,pre,blockquote,td,figcaption')) as { textContent: string | null }[];
  const text = (blocks.length ? blocks.map((b) => b.textContent ?? '') : [document.body?.textContent ?? ''])
    .map((t) => t.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
  let title = page;
  try {
    title = (JSON.parse(readFileSync(resolve(dir, page, 'expected-metadata.json'), 'utf8')) as { title?: string }).title || page;
  } catch {
    // no metadata: the folder name stands in
  }
  return { title, text };
}

interface Doc {
  id: string;
  url: string;
  title: string;
  text: string;
  words: string[];
}

function chunk(page: string, title: string, text: string): Doc[] {
  const out: Doc[] = [];
  let current = '';
  const flush = () => {
    if (current.trim()) out.push({ id: `${page}#${out.length}`, url: `https://reference.test/${page}`, title, text: current.trim(), words: contentWords(current) });
    current = '';
  };
  for (const s of splitSentences(text)) {
    if (current.length + s.text.length > CHUNK_CHARS) flush();
    current += `${s.text} `;
  }
  flush();
  return out;
}

/** Plain BM25 over content words: the bench's stand-in for the product's hybrid search. */
function bm25(docs: Doc[]) {
  const df = new Map<string, number>();
  for (const d of docs) for (const w of new Set(d.words)) df.set(w, (df.get(w) ?? 0) + 1);
  const avg = docs.reduce((n, d) => n + d.words.length, 0) / Math.max(1, docs.length);
  return (query: string, k: number) => {
    const q = [...new Set(contentWords(query))];
    return docs
      .map((d) => {
        const tf = new Map<string, number>();
        for (const w of d.words) tf.set(w, (tf.get(w) ?? 0) + 1);
        let score = 0;
        for (const w of q) {
          const f = tf.get(w) ?? 0;
          if (!f) continue;
          const idf = Math.log(1 + (docs.length - (df.get(w) ?? 0) + 0.5) / ((df.get(w) ?? 0) + 0.5));
          score += (idf * f * 2.2) / (f + 1.2 * (0.25 + 0.75 * (d.words.length / avg)));
        }
        return { d, score };
      })
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  };
}

function toPassage(origin: SourceOrigin, d: Doc, score: number): Passage {
  return { origin, kind: origin === 'web' ? 'web' : 'page', id: d.id, sourceId: d.url, url: d.url, title: d.title, text: d.text, score };
}

interface Emitted {
  cite: number;
  truth: boolean;
  kind: 'answer' | 'wrong';
}

/** The generator TEST DOUBLE described above; `emitted` records what it wrote, for scoring. */
function generatorDouble(q: GroundingQuestion, random: () => number, emitted: Emitted[]): Generator {
  return {
    id: 'bench-double',
    label: 'grounding generator test double',
    model: 'double',
    async generate(messages, options) {
      const user = messages.at(-1)!.content;
      const sources = [...user.matchAll(/<source n="(\d+)"[^>]*>\n([\s\S]*?)\n<\/source>/g)].map((m) => ({ n: Number(m[1]), text: m[2]! }));
      if (!sources.length) return 'The sources do not say.';
      const holds = (n: number) => norm(sources.find((s) => s.n === n)?.text ?? '').includes(norm(q.support));
      const right = sources.find((s) => holds(s.n))?.n ?? null;
      const others = sources.map((s) => s.n).filter((n) => n !== right);
      const pickOther = () => (others.length ? others[Math.floor(random() * others.length)]! : sources[0]!.n);
      const parts: string[] = [];
      const cite1 = right !== null && random() >= P_WRONG_CITE ? right : pickOther();
      parts.push(q.answer.replace(/\.$/, ` [${cite1}].`));
      emitted.push({ cite: cite1, truth: holds(cite1), kind: 'answer' });
      if (random() < P_HALLUCINATE) {
        const cite2 = right ?? pickOther();
        parts.push(q.wrong.replace(/\.$/, ` [${cite2}].`));
        emitted.push({ cite: cite2, truth: false, kind: 'wrong' });
      }
      const text = parts.join(' ');
      options.onToken?.(text);
      return text;
    },
  };
}

export interface Outcome {
  split: string;
  truth: boolean[];
  /** 'answer' or 'wrong' (the hallucinated sentence), per cited sentence. */
  kinds: ('answer' | 'wrong')[];
  flagged: boolean[];
  scores: number[];
  steps: Record<string, number[]>;
  total: number[];
  webTimeouts: number;
  runs: number;
}

export async function runSplit(split: string, questions: GroundingQuestion[], pagesDir: string, searched: readonly string[], log: (s: string) => void): Promise<Outcome> {
  // Every page of both parts is searched: the other part's pages are distractors.
  const allPages = [...new Set([...questions.map((q) => q.page), ...searched])];
  const chunks: Doc[] = [];
  const whole: Doc[] = [];
  for (const page of allPages) {
    const { title, text } = pageText(pagesDir, page);
    chunks.push(...chunk(page, title, text));
    whole.push({ id: page, url: `https://reference.test/${page}`, title, text, words: contentWords(text) });
  }
  for (const q of questions) if (!norm(pageText(pagesDir, q.page).text).includes(norm(q.support))) throw new Error(`${q.id}: its support words are not in ${q.page}`);
  const searchChunks = bm25(chunks);
  const searchPages = bm25(whole);
  const out: Outcome = { split, truth: [], kinds: [], flagged: [], scores: [], steps: {}, total: [], webTimeouts: 0, runs: 0 };
  for (const q of questions) {
    for (const seed of SEEDS) {
      const random = seededRandom(hash(`${q.id}:${seed}`));
      const slowWeb = random() < 0.2;
      const memory: Retriever = { origin: 'memory', label: 'memory (bench BM25 over chunks)', budgetMs: 1_000, retrieve: async (queries) => queries.flatMap((qq) => searchChunks(qq, 6).map((x) => toPassage('memory', x.d, x.score))) };
      const web: Retriever = {
        origin: 'web',
        label: 'web (bench double)',
        budgetMs: WEB_BUDGET_MS,
        retrieve: (queries, signal) =>
          new Promise((resolveWeb, reject) => {
            const timer = setTimeout(() => resolveWeb(searchPages(queries[0]!, 3).map((x) => toPassage('web', x.d, x.score))), slowWeb ? 1_500 : 20);
            signal.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
          }),
      };
      const emitted: Emitted[] = [];
      const result = await runPipeline({ question: q.question, scope: 'everything', history: [], contextChars: 8_000 }, { retrievers: [memory, web], generator: generatorDouble(q, random, emitted) });
      if (result.verification.claims.length !== emitted.length) throw new Error(`${q.id}/${seed}: ${emitted.length} sentences written, ${result.verification.claims.length} checked`);
      result.verification.claims.forEach((c, i) => {
        out.truth.push(emitted[i]!.truth);
        out.kinds.push(emitted[i]!.kind);
        out.flagged.push(c.unsupported.length > 0);
        out.scores.push(c.score);
      });
      for (const s of result.trace.steps) (out.steps[s.step] ??= []).push(s.ms);
      out.total.push(result.trace.totalMs);
      if (result.trace.retrievals.some((r) => r.origin === 'web' && r.status === 'timeout')) out.webTimeouts++;
      out.runs++;
    }
  }
  log(`grounding ${split}: ${out.runs} answers, ${out.truth.length} cited sentences`);
  return out;
}

function quantile(xs: number[], p: number): number {
  if (!xs.length) return 0;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}
const r3 = (x: number) => Math.round(x * 1000) / 1000;

export function metrics(o: Pick<Outcome, 'truth' | 'flagged'>) {
  const n = o.truth.length;
  const supported = o.truth.filter(Boolean).length;
  const unsupported = n - supported;
  const caught = o.truth.filter((t, i) => !t && o.flagged[i]).length;
  const falseFlags = o.truth.filter((t, i) => t && o.flagged[i]).length;
  const kept = o.flagged.filter((f) => !f).length;
  const keptSupported = o.truth.filter((t, i) => t && !o.flagged[i]).length;
  return {
    citedSentences: n,
    citationPrecision: r3(supported / Math.max(1, n)),
    catchRate: r3(caught / Math.max(1, unsupported)),
    falseFlagRate: r3(falseFlags / Math.max(1, supported)),
    precisionOfUnflagged: r3(keptSupported / Math.max(1, kept)),
  };
}

export async function groundingLines(benchDir: string, pagesDir: string, log: (s: string) => void, sweep: readonly number[] = []): Promise<Record<string, unknown>[]> {
  const parts = { dev: loadQuestions(resolve(benchDir, 'dev.jsonl')), 'held-out': loadQuestions(resolve(benchDir, 'held-out.jsonl')) };
  const searched = [...new Set(Object.values(parts).flat().map((q) => q.page))];
  const lines: Record<string, unknown>[] = [];
  for (const [split, questions] of Object.entries(parts)) {
    const o = await runSplit(split, questions, pagesDir, searched, log);
    const byKind = (kind: 'answer' | 'wrong') => metrics({ truth: o.truth.filter((_, i) => o.kinds[i] === kind), flagged: o.flagged.filter((_, i) => o.kinds[i] === kind) });
    lines.push({
      bench: 'grounding',
      split,
      answers: o.runs,
      webTimeouts: o.webTimeouts,
      ...metrics(o),
      // Wrong source cited for a true sentence, and a hallucinated sentence cited to the right source.
      catchRateWrongSource: byKind('answer').catchRate,
      catchRateHallucination: byKind('wrong').catchRate,
    });
    const latency: Record<string, { p50: number; p95: number }> = {};
    for (const [step, ms] of Object.entries(o.steps)) latency[step] = { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95) };
    latency.total = { p50: quantile(o.total, 0.5), p95: quantile(o.total, 0.95) };
    lines.push({ bench: 'grounding-latency', split, ms: latency });
    // What another threshold would have done (dev only: the held-out part is not for choosing).
    if (split === 'dev') for (const t of sweep) lines.push({ bench: 'grounding-threshold', split, threshold: t, ...metrics({ truth: o.truth, flagged: o.scores.map((s) => s < t) }) });
  }
  return lines;
}
