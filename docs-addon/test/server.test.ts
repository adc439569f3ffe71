import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildActionPrompt } from '../../shared/prompts/actions';
import { DocumentStandIn, loadServer, PropertiesStandIn, SERVER_FILES, SRC, sse, urlFetchStandIn, type FetchHandler } from './apps-script-stand-ins';

const WORKER = 'https://calico.example.workers.dev';
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x));
const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({ status, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...headers } });

/** A paired add-on (user properties as pairDocument leaves them) over the given worker stand-in. */
function paired(handler: FetchHandler, document = new DocumentStandIn(['First paragraph.', 'Second paragraph here.'])) {
  const properties = new PropertiesStandIn();
  properties.setProperties({ 'calico.workerUrl': WORKER, 'calico.token': 'clt_docs', 'calico.deviceId': 'dev_docs', 'calico.deviceName': 'Google Docs' });
  const fetch = urlFetchStandIn(handler);
  return { ...loadServer({ document, properties, fetch }), fetch };
}

describe('Docs add-on server: menu, sidebar and pairing', () => {
  it('asks for the narrowest scopes: this document only, the sidebar, requests to the worker', () => {
    const manifest = JSON.parse(readFileSync(resolve(SRC, 'appsscript.json'), 'utf8'));
    expect(manifest.runtimeVersion).toBe('V8');
    expect([...manifest.oauthScopes].sort()).toEqual([
      'https://www.googleapis.com/auth/documents.currentonly',
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/script.external_request',
    ]);
    const clasp = JSON.parse(readFileSync(resolve(SRC, '../.clasp.json.example'), 'utf8'));
    expect(clasp).toMatchObject({ rootDir: 'src' });
  });

  it('adds its menu item and shows the sidebar with its script and styles included, whatever order the files load in', () => {
    const { server, document } = loadServer({ fetch: urlFetchStandIn(() => json(500, {})), files: [...SERVER_FILES].reverse() });
    server.onInstall!({});
    expect(document.menus).toEqual([{ items: [['Open CalicoLobster', 'showSidebar']] }]);
    server.showSidebar!();
    expect(document.sidebars[0]!.title).toBe('CalicoLobster');
    expect(document.sidebars[0]!.html).toContain('data-testid="docs-pair-section"');
    expect(document.sidebars[0]!.html).toContain('google.script.run');
    expect(document.sidebars[0]!.html).not.toContain('<?!=');
  });

  it('pairs like a device: the code goes to /v1/pairing/join, the device token into the user properties', () => {
    const fetch = urlFetchStandIn((url, params) => {
      if (url === `${WORKER}/v1/pairing/join` && JSON.parse(params.payload!).code === 'ABCD2345') return json(201, { userId: 'usr_1', deviceId: 'dev_new', token: 'clt_secret', expiresAt: 99 });
      return json(400, { error: { code: 'pairing_code_invalid', message: 'that pairing code is not valid' } });
    });
    const { server, properties } = loadServer({ fetch });
    expect(plain(server.getStatus!())).toMatchObject({ paired: false, workerUrl: '' });
    expect(() => server.pairDocument!('http://evil.example', 'ABCD2345', 'Docs')).toThrow(/https:\/\//);
    expect(() => server.pairDocument!(WORKER, 'WRONG999', 'Docs')).toThrow('that pairing code is not valid (400)');
    expect(properties.getProperty('calico.token')).toBeNull();
    const status = plain(server.pairDocument!(`${WORKER}/`, 'ABCD2345', '  My Docs '));
    expect(status).toMatchObject({ paired: true, workerUrl: WORKER, deviceName: 'My Docs', actions: ['improve', 'tone', 'outline-to-prose'] });
    expect(status.tones).toContain('formal');
    expect(fetch.requests.at(-1)).toMatchObject({ method: 'post', body: { code: 'ABCD2345', deviceName: 'My Docs' } });
    expect(fetch.requests.at(-1)!.headers.Authorization).toBeUndefined();
    expect(properties.getProperty('calico.token')).toBe('clt_secret');
  });

  it('unpairs: signs the device out on the worker and forgets the token', () => {
    const { server, properties, fetch } = paired(() => ({ status: 204, body: '' }));
    expect(plain(server.unpairDocument!())).toMatchObject({ paired: false, workerUrl: WORKER });
    expect(fetch.requests).toEqual([{ url: `${WORKER}/v1/devices/dev_docs`, method: 'delete', headers: { Authorization: 'Bearer clt_docs' }, body: undefined }]);
    expect(properties.getProperty('calico.token')).toBeNull();
  });
});

describe('Docs add-on server: search, ask and insert', () => {
  const SEARCH = { mode: 'hybrid', hits: [{ kind: 'highlight', key: 'hl_molting_0001', title: 'Lobster life', url: 'https://example.com/lobsters', snippet: [{ text: 'molt ', match: true }, { text: '25 times…', match: false }], score: 1, keywordRank: 1, vectorRank: null }] };

  it('searches the memory with the device token and inserts the whole highlight, cited and linked, at the cursor', () => {
    const doc = new DocumentStandIn(['Draft: ']);
    doc.cursor = { paragraph: 0, offset: 7 };
    const { server, fetch } = paired((url) => {
      if (url.endsWith('/v1/search')) return json(200, SEARCH);
      if (url.endsWith('/v1/records/highlight/hl_molting_0001')) return json(200, { kind: 'highlight', key: 'hl_molting_0001', data: { text: 'A young lobster may molt 25 times before its first birthday.' } });
      return json(404, { error: { code: 'not_found', message: 'no' } });
    }, doc);
    const hits = plain(server.searchMemory!('  how often do lobsters molt '));
    expect(hits).toEqual([{ kind: 'highlight', key: 'hl_molting_0001', title: 'Lobster life', url: 'https://example.com/lobsters', text: 'molt 25 times…' }]);
    expect(fetch.requests[0]).toMatchObject({ url: `${WORKER}/v1/search`, method: 'post', headers: { Authorization: 'Bearer clt_docs' }, body: { q: 'how often do lobsters molt', limit: 10 } });
    server.insertPassage!(hits[0]);
    expect(doc.text()).toBe('Draft: “A young lobster may molt 25 times before its first birthday.” — Lobster life');
    expect(doc.links).toEqual([{ text: 'Lobster life', url: 'https://example.com/lobsters' }]);
    expect(() => server.searchMemory!('   ')).toThrow('Type what to search for.');
  });

  it('needs a cursor to insert, and forgets a pairing the worker no longer knows (401)', () => {
    const { server, properties } = paired(() => json(401, { error: { code: 'unauthorized', message: 'token revoked' } }));
    expect(() => server.insertPassage!({ kind: 'page', key: 'https://x.example/', title: 'X', url: 'https://x.example/', text: 'words' })).toThrow(/Click in the document/);
    expect(() => server.searchMemory!('lobsters')).toThrow(/no longer paired/);
    expect(properties.getProperty('calico.token')).toBeNull();
    expect(() => server.searchMemory!('lobsters')).toThrow(/Pair this add-on/);
  });

  it('asks the memory: the worker chooses the sources; the answer, its sources and its template come back', () => {
    const doc = new DocumentStandIn(['']);
    doc.cursor = { paragraph: 0, offset: 0 };
    const { server, fetch } = paired(
      () => ({ status: 200, headers: { 'Content-Type': 'text/event-stream', 'X-Calico-Template': 'ask-sources@1' }, body: sse(['sources', { sources: [{ n: 1, kind: 'highlight', key: 'hl_1', title: 'Lobster life', url: 'https://example.com/lobsters' }] }], ['delta', { delta: 'About 25 times' }], ['delta', { delta: ' [1].' }], ['done', { finishReason: 'stop' }]) }),
      doc,
    );
    const result = plain(server.askMemory!('How often does a young lobster molt?'));
    expect(result).toEqual({ answer: 'About 25 times [1].', sources: [{ n: 1, kind: 'highlight', key: 'hl_1', title: 'Lobster life', url: 'https://example.com/lobsters' }], template: 'ask-sources@1' });
    expect(fetch.requests[0]!.body).toEqual({ question: 'How often does a young lobster molt?', searchMyRecords: true });
    server.insertAnswer!(result.answer, result.sources);
    expect(doc.text()).toBe('About 25 times [1].\n\nSources:\n[1] Lobster life — https://example.com/lobsters');
  });

  it('a failed or cut-off generation is an error, not a partial answer', () => {
    const failing = paired(() => ({ status: 200, body: sse(['delta', { delta: 'Half' }], ['error', { error: { code: 'provider_error', message: 'the model stopped with an error' } }]) }));
    expect(() => failing.server.askMemory!('Q?')).toThrow('the model stopped with an error');
    const cut = paired(() => ({ status: 200, body: sse(['delta', { delta: 'Half' }]) }));
    expect(() => cut.server.askMemory!('Q?')).toThrow(/cut off/);
  });
});

describe('Docs add-on server: writing actions on the selection', () => {
  it("sends the extension's own prompt for the selection (bundled from shared/prompts) with its template, and replaces the selection", () => {
    const doc = new DocumentStandIn(['Intro stays. we was going', 'to the shop yesterday', 'Outro stays.']);
    doc.selection = [{ paragraph: 0, start: 13, end: 24 }, { paragraph: 1 }];
    const { server, fetch } = paired(() => ({ status: 200, body: sse(['delta', { delta: 'We went to the shop yesterday.' }], ['done', { finishReason: 'stop' }]) }), doc);
    const result = plain(server.runWritingAction!('tone', 'friendly'));
    expect(result).toEqual({ action: 'tone', output: 'We went to the shop yesterday.', template: 'tone@1', sources: [] });
    const expected = buildActionPrompt('tone', { text: 'we was going\nto the shop yesterday', option: 'friendly', sources: [] });
    expect(fetch.requests[0]!.body).toEqual({ messages: expected.messages, template: expected.template, maxTokens: 2048 });
    server.replaceSelection!(result.output);
    expect(doc.text()).toBe('Intro stays. We went to the shop yesterday.\nOutro stays.');
  });

  it('outline → prose cites passages the memory finds for the outline', () => {
    const doc = new DocumentStandIn(['- lobsters molt', '- 25 times in year one']);
    doc.selection = [{ paragraph: 0 }, { paragraph: 1 }];
    const { server, fetch } = paired((url) =>
      url.endsWith('/v1/search')
        ? json(200, { mode: 'keyword', hits: [{ kind: 'page', key: 'https://example.com/l', title: 'Lobsters', url: 'https://example.com/l', snippet: [{ text: 'Lobsters molt 25 times.', match: false }], score: 1, keywordRank: 1, vectorRank: null }] })
        : { status: 200, body: sse(['delta', { delta: 'Lobsters molt often [1].' }], ['done', { finishReason: 'stop' }]) },
      doc,
    );
    const result = plain(server.runWritingAction!('outline-to-prose', ''));
    expect(result.sources).toEqual([{ title: 'Lobsters', url: 'https://example.com/l', text: 'Lobsters molt 25 times.' }]);
    const sent = fetch.requests[1]!.body as { messages: { content: string }[]; template: unknown };
    expect(sent.template).toEqual({ id: 'outline-to-prose', version: 1 });
    expect(sent.messages[1]!.content).toContain('<source n="1" title="Lobsters"');
    expect(fetch.requests[0]!.body).toMatchObject({ q: '- lobsters molt\n- 25 times in year one' });
  });

  it('refuses unknown actions and an empty selection', () => {
    const { server } = paired(() => json(500, {}));
    expect(() => server.runWritingAction!('shout', '')).toThrow('Unknown action: shout');
    expect(() => server.runWritingAction!('improve', '')).toThrow('Select the text to work on first.');
    expect(() => server.replaceSelection!('x')).toThrow('Select the text to replace first.');
  });
});
