import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConversationMessage } from '@shared/schemas/assistant';
import { startOpenAiTestDouble } from '../extension/test-support/openai-test-double';
import { startWebTestDouble } from '../worker/test/web-test-double';
import { readStoreIn } from './support/database';
import { startLocalWorker, type LocalWorker } from './support/local-worker';
import { htmlPage } from './support/server';
import { click, openSurface, tid, typeInto } from './support/surfaces';
import { useSuite } from './support/suite';
import { allowWorker } from './support/assistant-setup';
import { highlightPassage, openPage, waitForEmbedded } from './ai-support';

// Issue 10: a grounded "Everything" answer through the serving pipeline, end to end. The worker runs
// under `wrangler dev` with two loopback TEST DOUBLES: the OpenAI-compatible model
// (extension/test-support/openai-test-double.ts, which answers a grounded prompt with the first sentence of each
// numbered source, citing it, and — "miscite" in the question — one claim no source makes, cited [1])
// and the web
// (worker/test/web-test-double.ts: a SearXNG-shaped search and the result pages the worker reads).
// The answer must cite both the saved highlight and the double-served web page, mark the wrong
// citation in the UI, and keep the trace behind "How this was answered".

const HUNT = 'Cuttlefish hunt shrimp and crabs by shooting out two long feeding tentacles faster than the eye can follow.';
const PAGE = htmlPage(
  'Reef notes',
  `<main><article><h1>Reef notes</h1>
   <p>Notes from a week of snorkelling along the outer reef, written each evening.</p>
   <p id="hunt">${HUNT}</p>
   <p>The reef flat empties at low tide and the rock pools warm quickly in the afternoon sun.</p>
   </article></main>`,
);
const QUESTION = 'how do cuttlefish hunt shrimp, and what do octopuses do with their arms? (miscite)';

describe('grounded answers', () => {
  const s = useSuite();
  let llm: Awaited<ReturnType<typeof startOpenAiTestDouble>>;
  let web: Awaited<ReturnType<typeof startWebTestDouble>>;
  let worker: LocalWorker;
  let popup: Page;
  let highlightId = '';

  beforeAll(async () => {
    [llm, web] = await Promise.all([startOpenAiTestDouble({ grounded: true }), startWebTestDouble()]);
    worker = await startLocalWorker({ vars: { OPENAI_BASE_URL: llm.url, OPENAI_MODEL: 'test-double', SEARXNG_URL: `${web.url}/searxng`, WEB_SEARCH_FETCH_TOP: '2' } });
  }, 240_000);

  afterAll(async () => {
    await worker?.stop();
    await llm?.close();
    await web?.close();
  });

  test('a highlight is saved on a loopback page and indexed; the worker is paired and allowed', async () => {
    s.web.set('/reef', PAGE);
    const page = await openPage(s.eb, `${s.web.origin}/reef`);
    highlightId = (await highlightPassage(s.eb, page, HUNT)).id;
    await page.close();
    const panel = await openSurface(s.eb, 'sidepanel.html');
    // The first vector search loads the embedder; waiting here keeps it out of the answer's time budget.
    await waitForEmbedded(panel, [`highlight:${highlightId}`], 120_000);
    await panel.close();

    await allowWorker(s.eb, worker.url, 'Grounding test');
  }, 240_000);

  test('an "Everything" answer cites the highlight and the web page, flags the wrong citation, and shows its trace', async () => {
    popup = await openSurface(s.eb, 'popup.html');
    const consoleLines: string[] = [];
    popup.on('console', (m) => consoleLines.push(m.text().slice(0, 300)));
    popup.on('pageerror', (err) => consoleLines.push(String(err).slice(0, 300)));
    await popup.waitForSelector(tid('assistant-chat'));
    await popup.select(tid('assistant-scope'), 'everything');
    // Paired and allowed: nothing says the web is out of reach.
    expect(await popup.$(tid('assistant-scope-reason'))).toBeNull();
    await typeInto(popup, 'assistant-input', QUESTION);
    await click(popup, 'assistant-send');
    await popup.waitForSelector(`${tid('assistant-message')}[data-role="assistant"][data-done="true"]`, { timeout: 90_000 }).catch(async (e) => {
      const log = (await (await fetch(`${llm.url.replace(/\/v1$/, '')}/__log`)).json()) as { chunksSent: number; completed: boolean; clientClosed: boolean }[];
      throw new Error(`${e}\n${await popup.$eval(tid('assistant-chat'), (el) => (el as HTMLElement).innerText.slice(-3000))}\nLLM: ${JSON.stringify(log.map((x) => [x.chunksSent, x.completed, x.clientClosed]))}\nconsole: ${consoleLines.join('\n')}`);
    });

    // What is stored with the answer (it syncs): sources of both kinds, each cited, the trace and the checks.
    const [conversation] = await readStoreIn<{ messages: ConversationMessage[] }>(popup, 'conversations');
    const answer = conversation!.messages.at(-1)!;
    expect(answer.engine).toBe('worker');
    const cited = new Set([...answer.content.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
    const citedKinds = answer.sources!.filter((x) => cited.has(x.n));
    expect(citedKinds.some((x) => x.kind === 'highlight' && x.highlightId === highlightId), JSON.stringify(answer.sources)).toBe(true);
    expect(citedKinds.some((x) => x.kind === 'web' && x.url.startsWith(web.url) && x.url.includes('/pages/')), JSON.stringify(answer.sources)).toBe(true);
    // The page and the highlight on it are one source (the aggregate stage folds them), holding the highlighted words.
    expect(citedKinds.find((x) => x.kind === 'highlight')!.text).toContain('Cuttlefish hunt shrimp');
    expect(answer.trace).toMatchObject({ scope: 'everything', engine: 'worker' });
    expect(answer.trace!.retrievals.map((r) => [r.origin, r.status])).toEqual(expect.arrayContaining([['memory', 'ok'], ['web', 'ok']]));
    expect(answer.verification!.unsupported).toBeGreaterThanOrEqual(1);
    expect(answer.verification!.supported).toBeGreaterThanOrEqual(2);

    // The worker searched the web double once, and read the top pages.
    const webLog = (await (await fetch(`${web.url}/__log`)).json()) as { path: string }[];
    expect(webLog.filter((e) => e.path === '/searxng/search')).toHaveLength(1);
    expect(webLog.some((e) => e.path === '/pages/article')).toBe(true);

    // In the UI: the wrong citation is marked where it stands, the others are not.
    const cites = await popup.$$eval(tid('assistant-citation'), (els) => els.map((e) => ({ n: e.getAttribute('data-cite'), supported: e.getAttribute('data-supported'), title: e.getAttribute('title') })));
    const flagged = cites.filter((c) => c.supported === 'false');
    expect(flagged.length, JSON.stringify(cites)).toBe(answer.verification!.unsupported);
    expect(flagged[0]!.title).toBe('the cited passage does not support this sentence');
    expect(cites.filter((c) => c.supported === 'true').length).toBeGreaterThanOrEqual(2);
    const summary = await popup.$eval(tid('assistant-verification'), (el) => el.textContent ?? '');
    expect(summary).toMatch(/^\d+ of \d+ claims? checked against their sources: \d+ citations? not supported/);

    // The trace, behind its toggle.
    expect(await popup.$(tid('assistant-trace'))).toBeNull();
    await click(popup, 'assistant-trace-toggle');
    await popup.waitForSelector(tid('assistant-trace'), { visible: true });
    const outcomes = await popup.$$eval(tid('assistant-trace-source'), (els) => els.map((e) => `${e.getAttribute('data-origin')}:${e.getAttribute('data-status')}`));
    expect(outcomes).toEqual(expect.arrayContaining(['memory:ok', 'web:ok']));
    expect(await popup.$eval(tid('assistant-trace-engine'), (el) => el.textContent ?? '')).toMatch(/worker · template grounded-everything v\d+/);
    expect(await popup.$eval(tid('assistant-trace-passages'), (el) => el.textContent ?? '')).toMatch(/\d+ retrieved, \d+ unique, \d+ used/);
  }, 180_000);

  test('the model got the numbered sources of both kinds in its prompt', async () => {
    const log = (await (await fetch(`${llm.url.replace(/\/v1$/, '')}/__log`)).json()) as { body: { messages: { content: string }[] } }[];
    const prompt = log.at(-1)!.body.messages.map((m) => m.content).join('\n');
    expect(prompt).toContain('Cuttlefish hunt shrimp');
    expect(prompt).toContain(`${web.url}/pages/`);
  });
});
