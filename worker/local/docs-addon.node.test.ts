import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatHlc } from '../../shared/sync/hlc';
import { DocumentStandIn, loadServer, type FetchParams } from '../../docs-addon/test/apps-script-stand-ins';
import { startLocalWorker, type LocalWorker } from './start-local-worker';

/**
 * The Docs add-on's server code (docs-addon/src, run in a V8 context with stand-ins for DocumentApp
 * and PropertiesService) against the real local worker (`wrangler dev --local`). UrlFetchApp is a
 * stand-in that makes REAL requests, synchronously like Apps Script's: each one in a child Node process.
 *
 * Because the test's own thread blocks during those requests, the model upstream — an OpenAI-compatible
 * loopback TEST DOUBLE — runs in a worker thread with an event loop of its own.
 */
const DOUBLE = `
const { createServer } = require('node:http');
const { parentPort } = require('node:worker_threads');
const server = createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return res.writeHead(404).end();
    const body = JSON.parse(raw);
    const last = body.messages[body.messages.length - 1].content;
    const reply = last.includes('Question:') ? 'They open jars [1].' : 'We were late.';
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: ' + JSON.stringify({ choices: [{ index: 0, delta: { content: reply }, finish_reason: null }] }) + '\\n\\n');
    res.write('data: ' + JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }) + '\\n\\n');
    res.end('data: [DONE]\\n\\n');
  });
});
server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
parentPort.on('message', () => server.close(() => process.exit(0)));
`;

const CHILD_FETCH = `
let raw = '';
process.stdin.on('data', (c) => (raw += c));
process.stdin.on('end', async () => {
  const { url, params } = JSON.parse(raw);
  const headers = { ...(params.headers || {}) };
  if (params.contentType) headers['content-type'] = params.contentType;
  const res = await fetch(url, { method: (params.method || 'get').toUpperCase(), headers, body: params.payload, redirect: 'manual' });
  process.stdout.write(JSON.stringify({ status: res.status, headers: Object.fromEntries(res.headers), body: await res.text() }));
});
`;

/** UrlFetchApp stand-in doing real HTTP: synchronous, as Apps Script's is. */
const realUrlFetch = {
  fetch(url: string, params: FetchParams = {}) {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', CHILD_FETCH], { input: JSON.stringify({ url, params }), encoding: 'utf8', timeout: 30_000 }));
    return { getResponseCode: () => out.status, getContentText: () => out.body, getHeaders: () => out.headers };
  },
};

const OWNER_TOKEN = 'docs-addon-owner-token-0123456789';
let worker: LocalWorker;
let double: Worker;

beforeAll(async () => {
  double = new Worker(DOUBLE, { eval: true });
  const port = await new Promise<number>((resolve) => double.once('message', resolve));
  worker = await startLocalWorker({
    vars: { OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1`, OPENAI_MODEL: 'double-1', AI_PROVIDER: 'openai', OWNER_TOKEN, LOG_REQUESTS: '0' },
  });
}, 150_000);
afterAll(async () => {
  await worker?.stop();
  double?.postMessage('stop');
});

const post = async (path: string, body: unknown, token?: string): Promise<any> =>
  (await fetch(`${worker.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(body) })).json();

describe('the Docs add-on against the local worker', () => {
  it('pairs with a code, searches and inserts, asks, rewrites with a recorded template version, and unpairs', async () => {
    const laptop: { token: string; deviceId: string } = await post('/v1/accounts', { deviceName: 'laptop' });
    const text = 'Octopuses can open screw-top jars from the inside within minutes.';
    const now = Date.now();
    await post(
      '/v1/sync/push',
      {
        pushId: `push_docs_${now.toString(36)}`,
        changes: [
          {
            op: 'put',
            kind: 'highlight',
            key: 'hl_docs_addon_01',
            hlc: formatHlc({ ms: now, counter: 0, node: laptop.deviceId }),
            data: { id: 'hl_docs_addon_01', url: 'https://example.com/octopus', site: 'example.com', pageTitle: 'Octopus smarts', text, color: 'yellow', note: '', selectors: [{ type: 'TextQuoteSelector', exact: text }], createdAt: now, updatedAt: now },
          },
        ],
      },
      laptop.token,
    );
    const { code } = await post('/v1/pairing', {}, laptop.token);

    const doc = new DocumentStandIn(['See: ', 'notes: we was late']);
    const { server, properties } = loadServer({ document: doc, fetch: realUrlFetch });
    const status = JSON.parse(JSON.stringify(server.pairDocument!(worker.url, code, 'Docs on test')));
    expect(status).toMatchObject({ paired: true, workerUrl: worker.url, deviceName: 'Docs on test' });

    const hits = JSON.parse(JSON.stringify(server.searchMemory!('octopus jars')));
    expect(hits[0]).toMatchObject({ kind: 'highlight', key: 'hl_docs_addon_01', title: 'Octopus smarts', url: 'https://example.com/octopus' });
    doc.cursor = { paragraph: 0, offset: 5 };
    server.insertPassage!(hits[0]);
    expect(doc.paragraphs[0]!.text).toBe(`See: “${text}” — Octopus smarts`);
    expect(doc.links).toEqual([{ text: 'Octopus smarts', url: 'https://example.com/octopus' }]);

    const answer = JSON.parse(JSON.stringify(server.askMemory!('What can octopuses open?')));
    expect(answer).toMatchObject({ answer: 'They open jars [1].', template: 'ask-sources@1', sources: [{ n: 1, kind: 'highlight', key: 'hl_docs_addon_01' }] });

    doc.selection = [{ paragraph: 1, start: 7, end: 17 }];
    const rewrite = JSON.parse(JSON.stringify(server.runWritingAction!('improve', '')));
    expect(rewrite).toMatchObject({ output: 'We were late.', template: 'improve@1' });
    server.replaceSelection!(rewrite.output);
    expect(doc.paragraphs[1]!.text).toBe('notes: We were late.');

    // The worker recorded the template version the add-on named, as it does for the extension.
    // (Read through the child-process fetch: this thread's keep-alive sockets went stale while it was
    // blocked in the synchronous requests above.)
    const read = (path: string, token: string) => JSON.parse(realUrlFetch.fetch(`${worker.url}${path}`, { headers: { Authorization: `Bearer ${token}` } }).getContentText());
    const listed: { requests: { route: string; template: string | null }[] } = read(`/owner/api/requests?${new URLSearchParams({ from: String(now - 60_000), to: String(Date.now() + 60_000), route: 'POST /v1/chat' })}`, OWNER_TOKEN);
    expect(listed.requests.map((r) => r.template).sort()).toEqual(['ask-sources@1', 'improve@1']);

    const deviceId = properties.getProperty('calico.deviceId');
    server.unpairDocument!();
    expect(properties.getProperty('calico.token')).toBeNull();
    const devices: { devices: { id: string; revokedAt: number | null }[] } = read('/v1/devices', laptop.token);
    expect(devices.devices.find((d) => d.id === deviceId)).toMatchObject({ revokedAt: expect.any(Number) });
  });
});
