// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DocumentStandIn, loadServer, PropertiesStandIn, sse, SRC, urlFetchStandIn } from './apps-script-stand-ins';

/**
 * The sidebar's HTML and script, run in happy-dom with a stand-in for `google.script.run`: each call
 * goes to a map of server functions (plain stubs here, or the real server code on its own stand-ins),
 * asynchronously and through a JSON copy of the arguments and result, as the real bridge serialises them.
 */
type ServerFns = Record<string, (...args: any[]) => unknown>;

function scriptRunStandIn(server: ServerFns) {
  const calls: [string, unknown[]][] = [];
  const runner = (ok?: (v: unknown) => void, fail?: (e: unknown) => void): unknown =>
    new Proxy(
      {},
      {
        get(_, name: string) {
          if (name === 'withSuccessHandler') return (fn: (v: unknown) => void) => runner(fn, fail);
          if (name === 'withFailureHandler') return (fn: (e: unknown) => void) => runner(ok, fn);
          return (...args: unknown[]) => {
            calls.push([name, JSON.parse(JSON.stringify(args))]);
            setTimeout(() => {
              const fn = server[name];
              if (!fn) return fail?.(new Error(`Script function not found: ${name}`));
              try {
                const result = fn(...JSON.parse(JSON.stringify(args)));
                ok?.(result === undefined ? undefined : JSON.parse(JSON.stringify(result)));
              } catch (error) {
                fail?.(new Error((error as Error).message));
              }
            }, 0);
          };
        },
      },
    );
  return { google: { script: { run: runner() } }, calls };
}

const SIDEBAR_BODY = readFileSync(resolve(SRC, 'Sidebar.html'), 'utf8').match(/<body>([\s\S]*?)<\?!=/)![1]!;
const SIDEBAR_SCRIPT = readFileSync(resolve(SRC, 'SidebarJs.html'), 'utf8').replace(/^\s*<script>/, '').replace(/<\/script>\s*$/, '');

function openSidebar(server: ServerFns) {
  const bridge = scriptRunStandIn(server);
  document.body.innerHTML = SIDEBAR_BODY;
  new Function('google', SIDEBAR_SCRIPT)(bridge.google);
  return bridge;
}

const $ = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement & HTMLInputElement & HTMLSelectElement;
const $$ = (id: string) => [...document.querySelectorAll(`[data-testid="${id}"]`)] as HTMLElement[];
const settle = async () => {
  for (let i = 0; i < 6; i++) await new Promise((r) => setTimeout(r, 5));
};
const type = (id: string, value: string) => {
  $(id).value = value;
  $(id).dispatchEvent(new Event('input'));
};
const submit = (id: string) => $(id).dispatchEvent(new Event('submit', { cancelable: true }));

const STATUS = { paired: true, workerUrl: 'https://w.example', deviceName: 'Google Docs', tones: ['formal', 'friendly'], actions: ['improve', 'tone', 'outline-to-prose'] };

afterEach(() => {
  document.body.textContent = '';
});

describe('Docs sidebar (google.script.run stand-in)', () => {
  it('asks for a pairing code when not paired, pairs, then shows the tools', async () => {
    const bridge = openSidebar({ getStatus: () => ({ ...STATUS, paired: false, workerUrl: '' }), pairDocument: () => STATUS });
    await settle();
    expect($('docs-pair-section').hidden).toBe(false);
    expect($('docs-main').hidden).toBe(true);
    type('docs-pair-url', 'https://w.example');
    type('docs-pair-code', 'abcd-2345');
    $('docs-pair').click();
    await settle();
    expect(bridge.calls.at(-1)).toEqual(['pairDocument', ['https://w.example', 'abcd-2345', 'Google Docs']]);
    expect($('docs-main').hidden).toBe(false);
    expect($('docs-status').textContent).toBe('Connected to https://w.example');
    expect($('docs-pair-code').value).toBe('');
  });

  it('shows search results as text (never HTML) and inserts the chosen one', async () => {
    const hit = { kind: 'page', key: 'https://e.example/', title: '<b>Title</b>', url: 'https://e.example/', text: '<img src=x onerror=alert(1)> passage' };
    const bridge = openSidebar({ getStatus: () => STATUS, searchMemory: () => [hit], insertPassage: () => 'ok' });
    await settle();
    type('docs-search-query', 'passage');
    submit('docs-search-form');
    await settle();
    expect($$('docs-result')).toHaveLength(1);
    expect(document.querySelector('[data-testid="docs-results"] img')).toBeNull();
    expect($$('docs-result')[0]!.textContent).toContain('<img src=x onerror=alert(1)> passage — <b>Title</b>');
    ($$('docs-result-insert')[0] as HTMLButtonElement).click();
    await settle();
    expect(bridge.calls.at(-1)).toEqual(['insertPassage', [hit]]);
  });

  it('shows an answer with its numbered sources and inserts both', async () => {
    const answer = { answer: 'About 25 times [1].', sources: [{ n: 1, kind: 'highlight', key: 'hl_1', title: 'Lobster life', url: 'https://e.example/l' }], template: 'ask-sources@1' };
    const bridge = openSidebar({ getStatus: () => STATUS, askMemory: () => answer, insertAnswer: () => 'ok' });
    await settle();
    type('docs-ask-question', 'How often?');
    submit('docs-ask-form');
    await settle();
    expect($('docs-answer').textContent).toBe('About 25 times [1].');
    expect($$('docs-answer-source').map((e) => e.textContent)).toEqual(['[1] — Lobster life']);
    $('docs-answer-insert').click();
    await settle();
    expect(bridge.calls.at(-1)).toEqual(['insertAnswer', ['About 25 times [1].', answer.sources]]);
  });

  it('runs a writing action with its tone, shows the result and its template, replaces the selection; failures are shown', async () => {
    let fail = true;
    const bridge = openSidebar({
      getStatus: () => STATUS,
      runWritingAction: () => {
        if (fail) throw new Error('Select the text to work on first.');
        return { action: 'tone', output: 'Hey, we went!', template: 'tone@1', sources: [] };
      },
      replaceSelection: () => true,
    });
    await settle();
    expect($('docs-tone').hidden).toBe(true);
    $('docs-action').value = 'tone';
    $('docs-action').dispatchEvent(new Event('change'));
    expect($('docs-tone').hidden).toBe(false);
    $('docs-tone').value = 'friendly';
    $('docs-run-action').click();
    await settle();
    expect($('docs-error').textContent).toBe('Select the text to work on first.');
    expect(($('docs-run-action') as unknown as HTMLButtonElement).disabled).toBe(false);
    fail = false;
    $('docs-run-action').click();
    await settle();
    expect(bridge.calls.at(-1)).toEqual(['runWritingAction', ['tone', 'friendly']]);
    expect($('docs-error').hidden).toBe(true);
    expect($('docs-action-result').textContent).toBe('Hey, we went!');
    expect($('docs-action-template').textContent).toBe('Prompt tone@1');
    $('docs-action-replace').click();
    await settle();
    expect(bridge.calls.at(-1)).toEqual(['replaceSelection', ['Hey, we went!']]);
    expect($('docs-action-box').hidden).toBe(true);
  });

  it('end to end on stand-ins: the sidebar drives the real server code, which changes the document', async () => {
    const doc = new DocumentStandIn(['Notes: we was late.']);
    doc.selection = [{ paragraph: 0, start: 7, end: 18 }];
    const properties = new PropertiesStandIn();
    properties.setProperties({ 'calico.workerUrl': 'https://w.example', 'calico.token': 'clt_docs', 'calico.deviceId': 'dev_docs', 'calico.deviceName': 'Google Docs' });
    const fetch = urlFetchStandIn(() => ({ status: 200, body: sse(['delta', { delta: 'We were late.' }], ['done', { finishReason: 'stop' }]) }));
    const { server } = loadServer({ document: doc, properties, fetch });
    openSidebar(server as ServerFns);
    await settle();
    $('docs-run-action').click();
    await settle();
    expect($('docs-action-result').textContent).toBe('We were late.');
    $('docs-action-replace').click();
    await settle();
    expect(doc.text()).toBe('Notes: We were late.');
    expect((fetch.requests[0]!.body as { template: unknown }).template).toEqual({ id: 'improve', version: 1 });
  });
});
