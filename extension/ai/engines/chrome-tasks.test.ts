import { describe, expect, it } from 'vitest';
import { BuiltInEngine, type LanguageModelApi } from './built-in';
import { chooseEngine } from './chooser';
import { ExtractiveEngine } from './extractive';
import { nativeTask, type TaskApis } from './chrome-tasks';

// Chrome's task APIs only exist in Chrome with Gemini Nano: these are in-memory stand-ins with the
// shapes of @types/dom-chromium-ai, recording how they were created and called.

function streamOf(parts: string[]): ReadableStream<string> {
  return new ReadableStream({ start: (c) => (parts.forEach((p) => c.enqueue(p)), c.close()) });
}

function fakeApis(state = 'available') {
  const calls: { api: string; options: unknown; input: string }[] = [];
  const make = (api: string, method: string, out: (input: string) => unknown) => ({
    availability: async () => state,
    create: async (options: unknown) => ({
      [method]: (input: string) => {
        calls.push({ api, options, input });
        return out(input);
      },
      destroy() {},
    }),
  });
  const apis = {
    Summarizer: make('Summarizer', 'summarizeStreaming', () => streamOf(['Short ', 'summary.'])),
    Rewriter: make('Rewriter', 'rewriteStreaming', (i) => streamOf([`rewritten: ${i}`])),
    Proofreader: make('Proofreader', 'proofread', async () => ({ correctedInput: 'Fixed text.', corrections: [] })),
    Translator: make('Translator', 'translateStreaming', () => streamOf(['Hallo ', 'Welt'])),
  } as unknown as TaskApis;
  return { apis, calls };
}

const noPrompt: LanguageModelApi | undefined = undefined;

describe('Chrome task APIs', () => {
  it('maps each action onto its API (and tones onto the Rewriter where one fits)', () => {
    const { apis } = fakeApis();
    expect(nativeTask({ action: 'summarize-page', text: 'x' }, apis)?.api).toBe('Summarizer');
    expect(nativeTask({ action: 'improve', text: 'x' }, apis)?.api).toBe('Rewriter');
    expect(nativeTask({ action: 'tone', option: 'formal', text: 'x' }, apis)?.api).toBe('Rewriter');
    expect(nativeTask({ action: 'tone', option: 'confident', text: 'x' }, apis)).toBeNull();
    expect(nativeTask({ action: 'proofread', text: 'x' }, apis)?.api).toBe('Proofreader');
    expect(nativeTask({ action: 'translate', option: 'de', text: 'x' }, apis)?.api).toBe('Translator');
    expect(nativeTask({ action: 'explain', text: 'x' }, apis)).toBeNull();
    expect(nativeTask({ action: 'proofread', text: 'x' }, {})).toBeNull();
  });

  it('runs a task through its API, streaming, when the built-in engine gets a matching task', async () => {
    const { apis, calls } = fakeApis();
    const engine = new BuiltInEngine(noPrompt, apis);
    const tokens: string[] = [];
    const out = await engine.generate({ question: '', sources: [], messages: [], task: { action: 'tone', option: 'formal', text: 'hey there' } }, { onToken: (t) => tokens.push(t) });
    expect(out).toBe('rewritten: hey there');
    expect(calls[0]).toMatchObject({ api: 'Rewriter', options: expect.objectContaining({ tone: 'more-formal' }) });
    expect(await engine.generate({ question: '', sources: [], messages: [], task: { action: 'proofread', text: 'Fixd txt.' } })).toBe('Fixed text.');
  });

  it('is chosen for a task its API can do even without the Prompt API, and not for one it cannot', async () => {
    const { apis } = fakeApis();
    const engine = new BuiltInEngine(noPrompt, apis);
    expect((await chooseEngine([engine, new ExtractiveEngine()], 'local-only', 'auto', { action: 'summarize', text: 'x' })).engine.id).toBe('built-in');
    expect((await chooseEngine([engine, new ExtractiveEngine()], 'local-only', 'auto', { action: 'explain', text: 'x' })).engine.id).toBe('extractive');
    const unavailable = new BuiltInEngine(noPrompt, fakeApis('unavailable').apis);
    expect(await unavailable.available({ action: 'summarize', text: 'x' })).toMatchObject({ status: 'unavailable' });
  });
});
