import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenAiTestDouble, type OpenAiTestDouble } from '@/test-support/openai-test-double';
import { chooseEngine } from './chooser';
import { isLoopback } from './direct-endpoint-config';
import { ExtractiveEngine } from './extractive';
import { OpenAiCompatibleEngine } from './openai-compatible';
import type { GenerationInput, Privacy } from './types';

// The endpoint is the OpenAI-compatible TEST DOUBLE (extension/test-support/openai-test-double.ts) on loopback.

const input = (text: string): GenerationInput => ({ question: text, sources: [], messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: text }] });

function engineFor(baseUrl: string, extra: { apiKey?: string; privacy?: Privacy; model?: string } = {}) {
  return new OpenAiCompatibleEngine({
    config: async () => ({ endpoint: { baseUrl, model: extra.model ?? 'test-model', apiKey: extra.apiKey ?? '' }, privacy: extra.privacy ?? 'local-only' }),
    hasPermission: async () => true,
  });
}

describe('OpenAiCompatibleEngine against the test double', () => {
  let double: OpenAiTestDouble;
  let keyed: OpenAiTestDouble;
  let ollamaLike: OpenAiTestDouble;
  beforeAll(async () => {
    [double, keyed, ollamaLike] = await Promise.all([startOpenAiTestDouble(), startOpenAiTestDouble({ apiKey: 'sk-test' }), startOpenAiTestDouble({ rejectOrigins: true })]);
  });
  afterAll(async () => {
    await Promise.all([double.close(), keyed.close(), ollamaLike.close()]);
  });

  it('streams the answer token by token and sends the model, the messages and stream: true', async () => {
    const tokens: string[] = [];
    const answer = await engineFor(double.url).generate(input('hi'), { onToken: (t) => tokens.push(t) });
    expect(answer).toBe('Hello world');
    expect(tokens).toEqual(['Hello', ' world']);
    const sent = double.log.at(-1)!;
    expect(sent.body).toMatchObject({ model: 'test-model', stream: true, messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'hi' }] });
    expect(sent.auth).toBeUndefined();
    // With a numbered source in the prompt the double cites it, streamed in the same way.
    expect(await engineFor(double.url).generate(input('<source n="1">x</source> hi'))).toBe('Hello **world** [1].');
  });

  it('sends the key as a bearer token and explains a 401 in words', async () => {
    await expect(engineFor(keyed.url).generate(input('hi'))).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/API key/) });
    expect(await engineFor(keyed.url, { apiKey: 'sk-test' }).generate(input('hi'))).toContain('Hello');
    expect(keyed.log.at(-1)!.auth).toBe('Bearer sk-test');
  });

  it('explains Ollama’s origin check (OLLAMA_ORIGINS) when the server answers 403', async () => {
    const engine = new OpenAiCompatibleEngine({
      config: async () => ({ endpoint: { baseUrl: ollamaLike.url, model: 'm', apiKey: '' }, privacy: 'local-only' }),
      hasPermission: async () => true,
      // Browsers send the extension's Origin; Node's fetch does not, so the test adds it.
      fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), origin: 'chrome-extension://abc' } }),
    });
    await expect(engine.generate(input('hi'))).rejects.toMatchObject({ code: 'unauthorized', message: expect.stringMatching(/OLLAMA_ORIGINS=chrome-extension:\/\/\*/) });
  });

  it('turns an upstream failure and an unreachable server into words', async () => {
    await expect(engineFor(double.url).generate(input('please fail'))).rejects.toMatchObject({ code: 'generation-failed', message: expect.stringMatching(/HTTP 500.*test double failure/) });
    await expect(engineFor('http://127.0.0.1:9/v1').generate(input('hi'))).rejects.toMatchObject({ code: 'network', message: expect.stringMatching(/server running on this machine/) });
  });

  it('stops when aborted and the server sees the client go away', async () => {
    const controller = new AbortController();
    const tokens: string[] = [];
    const run = engineFor(double.url).generate(input('slow please'), {
      signal: controller.signal,
      onToken: (t) => {
        tokens.push(t);
        if (tokens.length === 3) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'aborted' });
    await expect.poll(() => double.log.at(-1)!.clientClosed).toBe(true);
    expect(double.log.at(-1)!.chunksSent).toBeLessThan(200);
  });

  it('counts as local only on loopback: a remote endpoint is never sent page text under "local only"', async () => {
    expect(isLoopback('http://localhost:11434/v1')).toBe(true);
    expect(isLoopback('http://127.0.0.1:1234/v1')).toBe(true);
    expect(isLoopback('http://[::1]:8080/v1')).toBe(true);
    expect(isLoopback('https://api.openai.com/v1')).toBe(false);
    expect(isLoopback('http://127.0.0.1.evil.example/v1')).toBe(false);
    let fetched = false;
    const remote = new OpenAiCompatibleEngine({
      config: async () => ({ endpoint: { baseUrl: 'https://api.example.com/v1', model: 'm', apiKey: 'k' }, privacy: 'local-only' }),
      hasPermission: async () => true,
      fetch: async () => {
        fetched = true;
        return new Response('');
      },
    });
    await expect(remote.generate(input('secret page text'))).rejects.toMatchObject({ code: 'privacy' });
    expect(fetched).toBe(false);
    const choice = await chooseEngine([remote, new ExtractiveEngine()], 'local-only');
    expect(choice.engine.id).toBe('extractive');
    expect(choice.availability['openai-compatible']).toBeUndefined();
    const local = engineFor(double.url);
    expect((await chooseEngine([local, new ExtractiveEngine()], 'local-only')).engine.id).toBe('openai-compatible');
  });

  it('is unavailable without an endpoint or without the host permission', async () => {
    const none = new OpenAiCompatibleEngine({ config: async () => ({ endpoint: null, privacy: 'allow-worker' }), hasPermission: async () => true });
    expect(await none.available()).toMatchObject({ status: 'unavailable' });
    const denied = new OpenAiCompatibleEngine({ config: async () => ({ endpoint: { baseUrl: double.url, model: 'm', apiKey: '' }, privacy: 'local-only' }), hasPermission: async () => false });
    expect(await denied.available()).toMatchObject({ status: 'unavailable', reason: expect.stringMatching(/not granted/) });
  });
});
