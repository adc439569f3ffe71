import { readEvents } from '../../test/sse';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { SseSources, SseTrace } from '../../../shared/schemas/cloud';
import { call, env, hlcAt, highlightData, newAccount, newId, push, resetDb, type Account } from '../../test/helpers';
import type { Env } from '../env';

// The model is the OpenAI-compatible TEST DOUBLE (extension/test-support/openai-test-double.ts: a grounded prompt gets one
// cited sentence per source), the web the loopback search TEST DOUBLE (test/web-test-double.ts).
const llmBaseUrl = inject('llmBaseUrl');
const web = inject('webBaseUrl');
const withModel: Partial<Env> = { OPENAI_BASE_URL: llmBaseUrl, OPENAI_API_KEY: 'sk-test-double', OPENAI_MODEL: 'double-1', AI_PROVIDER: '' };
const withWeb: Partial<Env> = { ...withModel, SEARXNG_URL: `${web}/searxng`, WEB_SEARCH_PROVIDER: '' };
const noWeb: Partial<Env> = { ...withModel, WEB_SEARCH_PROVIDER: 'none' };

let a: Account;
let highlightId: string;
beforeEach(async () => {
  await resetDb();
  await env.DB.prepare('DELETE FROM request_events').run();
  await fetch(`${web}/__down?on=0`, { method: 'POST' });
  a = await newAccount();
  highlightId = newId('hl');
  await push(a.token, [{ op: 'put', kind: 'highlight', key: highlightId, hlc: hlcAt(Date.now() - 1000, 'd'), data: highlightData(highlightId, { text: 'Octopuses taste with their arms, which hold most of their neurons.' }) }]);
});

function ask(question: string, envOverrides: Partial<Env>, extra: Record<string, unknown> = {}) {
  return call('/v1/chat', { method: 'POST', token: a.token, json: { question, scope: 'everything', ...extra }, envOverrides });
}

describe('POST /v1/chat with a scope (serving pipeline)', () => {
  it('answers from the user’s records and the web, streams sources, deltas, a trace and done, and flags an unsupported citation', async () => {
    const res = await ask(`How do octopuses taste and learn? miscite ${Date.now()}`, withWeb);
    expect(res.status).toBe(200);
    const events = await readEvents(res);
    expect(events.map((e) => e.event).filter((e, i, all) => all.indexOf(e) === i)).toEqual(['sources', 'delta', 'trace', 'done']);
    const { sources } = SseSources.parse(JSON.parse(events[0]!.data));
    const origins = sources.map((s) => s.origin);
    expect(origins).toContain('records');
    expect(origins).toContain('web');
    expect(sources.find((s) => s.origin === 'records')).toMatchObject({ kind: 'highlight', highlightId, key: highlightId });
    // robots.txt still governs what the web retriever reads: the private page is never a source.
    expect(sources.some((s) => s.url.includes('/pages/private') && s.text?.includes('PRIVATE_MARKER'))).toBe(false);
    const answer = events.filter((e) => e.event === 'delta').map((e) => JSON.parse(e.data).delta).join('');
    expect(answer).toMatch(/\[1\]/);
    const { trace, verification } = SseTrace.parse(JSON.parse(events.find((e) => e.event === 'trace')!.data));
    expect(trace.steps.map((s) => s.step)).toEqual(['plan', 'retrieve', 'aggregate', 'generate', 'verify']);
    expect(trace.retrievals.map((r) => [r.origin, r.status])).toEqual([
      ['records', 'ok'],
      ['web', 'ok'],
    ]);
    expect(trace).toMatchObject({ scope: 'everything', engine: 'worker', model: 'double-1', template: { id: 'grounded-everything', version: 1 } });
    expect(verification.checked).toBe(sources.length + 1);
    expect(verification.unsupported).toBe(1);
    const flagged = verification.claims.find((c) => c.unsupported.length)!;
    expect(answer.slice(flagged.start, flagged.end)).toBe('Octopuses can fly across whole oceans at night [1].');
    expect(verification.supported).toBe(sources.length);
    // Monitoring gets the pipeline's stages (no text).
    const row = (await env.DB.prepare("SELECT * FROM request_events WHERE route = '/v1/chat'").first()) as { stages: string; template: string };
    expect(Object.keys(JSON.parse(row.stages))).toEqual(expect.arrayContaining(['pipeline.plan', 'pipeline.retrieve', 'pipeline.generate', 'pipeline.verify', 'stream']));
    expect(row.template).toBe('grounded-everything@1');
  });

  it('without a search provider says so in the plan and answers from the records', async () => {
    const events = await readEvents(await ask('How do octopuses taste?', noWeb));
    const { trace, verification } = SseTrace.parse(JSON.parse(events.find((e) => e.event === 'trace')!.data));
    expect(trace.plan.origins).toEqual(['records']);
    expect(trace.plan.reason).toMatch(/Not the web: web search needs/);
    expect(trace.retrievals.map((r) => r.origin)).toEqual(['records']);
    expect(verification).toMatchObject({ checked: 1, supported: 1, unsupported: 0 });
    expect(events.at(-1)!.event).toBe('done');
  });

  it('goes on without the web when the search provider is down, saying why', async () => {
    await fetch(`${web}/__down?on=1`, { method: 'POST' });
    const events = await readEvents(await ask(`octopus arms ${Date.now()}`, withWeb));
    const { trace } = SseTrace.parse(JSON.parse(events.find((e) => e.event === 'trace')!.data));
    expect(trace.retrievals.find((r) => r.origin === 'web')).toMatchObject({ status: 'error' });
    expect(trace.retrievals.find((r) => r.origin === 'web')!.detail).toMatch(/HTTP 503/);
    expect(trace.passages.used).toBeGreaterThan(0);
  });

  it('with repair, sends the repaired answer in the trace event', async () => {
    const events = await readEvents(await ask(`How do octopuses taste? miscite ${Date.now()}`, noWeb, { repair: true }));
    const parsed = SseTrace.parse(JSON.parse(events.find((e) => e.event === 'trace')!.data));
    expect(parsed.verification).toMatchObject({ repaired: true, unsupported: 0 });
    expect(parsed.answer).toBeDefined();
    expect(parsed.answer).not.toContain('fly');
    expect(parsed.trace.steps.map((s) => s.step)).toContain('repair');
  });

  it('refuses a bad scope with 400 and keeps plain questions on the old path', async () => {
    const bad = await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'q', scope: 'galaxy' }, envOverrides: withModel });
    expect(bad.status).toBe(400);
    const old = await readEvents(await call('/v1/chat', { method: 'POST', token: a.token, json: { question: 'How do octopuses taste?', searchMyRecords: true }, envOverrides: withModel }));
    expect(old.map((e) => e.event)).not.toContain('trace');
  });
});
