import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startOpenAiTestDouble, type OpenAiTestDouble } from '../extension/test-support/openai-test-double';
import { readStoreIn, waitForRows, type PageRow } from './support/database';
import { htmlPage } from './support/server';
import { click, openPopupOver, openSurface, tid, typeInto } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';
import { openPage } from './ai-support';

// Issue 8 (chat half): the popup's assistant through the direct OpenAI-compatible engine — the
// endpoint is the TEST DOUBLE (extension/test-support/openai-test-double.ts) on loopback — and in
// extractive mode with no generator. Streaming, Stop, citations to the passage, feedback records,
// hostile output, a 1 MB answer, and the side panel resuming the conversation.

const TIDE = 'Tides happen because the gravity of the moon pulls the oceans toward it, raising a bulge of water on the near side of the earth.';
const FILLER = Array.from({ length: 40 }, (_, i) => `<p>Filler paragraph ${i} about gardening, bread baking and quiet afternoons spent reading novels by the window.</p>`).join('');

interface Message {
  role: string;
  engine: string;
  done: string;
  stopped: string;
  text: string;
}

const messages = (page: Page): Promise<Message[]> =>
  page.$$eval(tid('assistant-message'), (els) =>
    els.map((e) => ({
      role: e.getAttribute('data-role') ?? '',
      engine: e.getAttribute('data-engine') ?? '',
      done: e.getAttribute('data-done') ?? '',
      stopped: e.getAttribute('data-stopped') ?? '',
      text: (e.textContent ?? '').replace(/\s+/g, ' '),
    })),
  );

async function ask(popup: Page, question: string): Promise<void> {
  await typeInto(popup, 'assistant-input', question);
  await click(popup, 'assistant-send');
}

/** Waits for the n-th assistant answer (1-based) to finish. */
async function answer(popup: Page, n: number, timeout = 60_000): Promise<Message> {
  const all = await waitFor(
    () => messages(popup),
    (ms) => ms.filter((m) => m.role === 'assistant' && m.done === 'true').length >= n,
    { timeout, message: `assistant answer ${n}` },
  );
  return all.filter((m) => m.role === 'assistant')[n - 1]!;
}

describe('assistant chat', () => {
  const s = useSuite();
  let double: OpenAiTestDouble;
  let popup: Page;
  const pageUrl = () => `${s.web.origin}/tides`;

  beforeAll(async () => {
    double = await startOpenAiTestDouble();
  });
  afterAll(async () => {
    await double?.close();
  });

  test('a read page is captured and the direct endpoint is set in the options', async () => {
    s.web.set('/tides', htmlPage('How tides work', `<main><article><h1>How tides work</h1>${FILLER}<p>${TIDE}</p><p>The sun adds a smaller pull of its own.</p></article></main>`));
    const page = await openPage(s.eb, pageUrl());
    await waitForRows<PageRow>(s.eb, 'pages', (rows) => rows.some((r) => r.url === pageUrl() && r.text.includes('gravity of the moon')), { timeout: 60_000 });
    await page.close();

    const options = await openSurface(s.eb, 'options.html');
    await typeInto(options, 'direct-endpoint-url', double.url);
    await typeInto(options, 'direct-endpoint-model', 'test-model');
    await click(options, 'direct-endpoint-save');
    await options.waitForSelector(`${tid('direct-endpoint-status')}[data-kind="ok"]`, { timeout: 30_000 });
    expect(await options.$eval(tid('direct-endpoint-status'), (el) => el.textContent)).toMatch(/this machine/);
    await options.close();
  });

  test('the real popup over the page: the first-run card, and “This page” answers from the open page, citing its passages', async () => {
    const tab = await openPage(s.eb, pageUrl());
    const real = await openPopupOver(s.eb, tab);
    try {
      // Chrome's popup gets no animation frames here, so it is driven by polling and DOM events
      // (puppeteer's waitForSelector and mouse clicks wait on frames).
      await waitFor(() => real.$(tid('first-run-card')).catch(() => null), Boolean, { timeout: 30_000, message: 'the first-run card in the popup' });
      await waitFor(() => real.$(tid('assistant-input')).catch(() => null), Boolean, { timeout: 30_000, message: 'the popup chat' });
      await real.$eval(tid('assistant-scope'), (el) => {
        (el as HTMLSelectElement).value = 'page';
        el.dispatchEvent(new Event('change', { bubbles: true }));
      });
      const before = double.log.length;
      await real.$eval(tid('assistant-input'), (el) => {
        (el as HTMLTextAreaElement).value = 'What pulls the oceans into a bulge?';
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      await real.$eval(tid('assistant-send'), (el) => (el as HTMLButtonElement).click());
      const reply = await answer(real, 1);
      expect(reply.engine).toBe('openai-compatible');
      expect(await real.$eval(tid('assistant-scope'), (el) => (el as HTMLSelectElement).value)).toBe('page');
      // The page-scope grounded template: the open page's passages as numbered sources, labelled as the open page.
      const sent = double.log.slice(before).at(-1)!;
      const last = sent.body.messages.at(-1)!.content;
      expect(last).toMatch(/<source n="1" from="the open page" title="How tides work"/);
      expect(reply.text).toMatch(/searched passages of this page \(How tides work\)/);
      expect(last).toContain('gravity of the moon');
      const cited = await real.$$eval(`${tid('assistant-source')}`, (els) => els.map((e) => e.textContent ?? ''));
      expect(cited.join(' ')).toContain('How tides work');
      expect(await real.$$(tid('assistant-citation'))).not.toHaveLength(0);
    } finally {
      // Runs before the popup tab below exists: openPopupOver waits for a target at popup.html.
      await real.close().catch(() => undefined);
      await tab.close().catch(() => undefined);
    }
  });

  test('an answer streams from the endpoint into the popup, cites the page and says which engine answered', async () => {
    popup = await openSurface(s.eb, 'popup.html');
    await popup.waitForSelector(tid('assistant-chat'));
    await popup.select(tid('assistant-scope'), 'memory');
    await ask(popup, 'Why do tides happen with the moon?');
    const reply = await answer(popup, 1);
    expect(reply.engine).toBe('openai-compatible');
    expect(reply.text).toContain('Hello world');
    expect(reply.text).toMatch(/searched hybrid search/);
    // What the endpoint got: the scoped prompt with the page's passage as source 1, and the model.
    const sent = double.log.at(-1)!;
    expect(sent.body.model).toBe('test-model');
    expect(sent.body.stream).toBe(true);
    expect(sent.body.messages.at(-1)!.content).toContain('gravity of the moon');
    expect(reply.text).not.toMatch(/Filler paragraph/);
    const html = await popup.$eval(tid('assistant-messages'), (el) => el.innerHTML.slice(-3000));
    expect(await popup.$$(tid('assistant-citation')), html).toHaveLength(1);
  });

  test('Stop stops a streaming answer, and the server sees the request end', async () => {
    await ask(popup, 'slow answer about the moon please');
    await popup.waitForSelector(tid('assistant-stop'), { visible: true });
    const growing = await waitFor(
      () => popup.$$eval(tid('assistant-message'), (els) => (els.at(-1)?.textContent ?? '').length),
      (n) => n > 20,
      { timeout: 30_000, message: 'the answer to start streaming' },
    );
    await waitFor(() => popup.$$eval(tid('assistant-message'), (els) => (els.at(-1)?.textContent ?? '').length), (n) => n > growing, { timeout: 30_000, message: 'the answer to grow' });
    await click(popup, 'assistant-stop');
    const stopped = await answer(popup, 2);
    expect(stopped.stopped).toBe('true');
    await waitFor(async () => double.log.at(-1)!.clientClosed, Boolean, { timeout: 10_000, message: 'the endpoint to see the client go away' });
    expect(double.log.at(-1)!.chunksSent).toBeLessThan(200);
    // A follow-up still works after a stop, and carries the conversation.
    await ask(popup, 'and the sun?');
    await answer(popup, 3);
    expect(double.log.at(-1)!.body.messages.some((m) => m.content === 'Why do tides happen with the moon?')).toBe(true);
  });

  test('thumbs and a correction write the feedback record of that answer', async () => {
    const first = (await popup.$$(tid('feedback-up')))[0]!;
    await first.click();
    await waitFor(() => readStoreIn<{ rating: string | null; output: string; engine: string }>(popup, 'feedback'), (rows) => rows.some((r) => r.rating === 'up' && r.output.includes('Hello') && r.engine === 'openai-compatible'), { timeout: 10_000, message: 'a thumbs-up record' });
    const down = (await popup.$$(tid('feedback-down'))).at(-1)!;
    await down.click();
    await popup.waitForSelector(tid('feedback-correction'), { visible: true });
    await typeInto(popup, 'feedback-correction', 'The sun pulls too, about half as strongly.');
    await click(popup, 'feedback-correction-save');
    const rows = await waitFor(
      () => readStoreIn<{ rating: string | null; correction: string; prompt: unknown[]; template: { id: string } }>(popup, 'feedback'),
      (r) => r.some((x) => x.rating === 'down' && x.correction.startsWith('The sun pulls too')),
      { timeout: 10_000, message: 'a thumbs-down record with the correction' },
    );
    const down1 = rows.find((x) => x.rating === 'down')!;
    expect(down1.template.id).toBe('grounded-memory');
    expect(down1.prompt.length).toBeGreaterThanOrEqual(2);
  });

  test('a citation opens the page scrolled to the passage', async () => {
    const before = new Set(await s.eb.browser.pages());
    await popup.$eval(tid('assistant-citation'), (el) => (el as HTMLButtonElement).click());
    const opened = await waitFor(async () => (await s.eb.browser.pages()).find((p) => !before.has(p) && p.url().startsWith(pageUrl())), Boolean, { timeout: 30_000, message: 'the cited page to open' });
    const at = await waitFor(
      () =>
        opened!.evaluate(() => {
          const sel = window.getSelection();
          const paragraphs = [...document.querySelectorAll('p')];
          const p = sel?.anchorNode?.parentElement?.closest('p');
          return { selected: sel?.toString() ?? '', y: window.scrollY, paragraph: p ? paragraphs.indexOf(p) : -1, of: paragraphs.length };
        }),
      (v) => v.selected.length > 0,
      { timeout: 30_000, message: 'the passage to be selected' },
    ).catch(async (error: Error) => {
      const said = await popup.evaluate(() => document.querySelector('[data-testid="assistant-error"]')?.textContent ?? 'no error shown');
      throw new Error(`${error.message}; the popup says: ${said}`);
    });
    // The cited passage is the one around the tide paragraph (the last ones), scrolled into view —
    // not the page's top.
    expect(at.paragraph).toBeGreaterThan(at.of - 12);
    expect(at.y).toBeGreaterThan(0);
    await opened!.close();
  });

  test('hostile model output renders inert and a 1 MB answer leaves the popup responsive', async () => {
    await popup.bringToFront();
    await click(popup, 'assistant-new');
    await ask(popup, 'hostile output about tides');
    const hostile = await answer(popup, 1);
    expect(hostile.text).toContain('<script>');
    const state = await popup.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: boolean }).__pwned,
      scripts: document.querySelectorAll('[data-testid="assistant-message"] script').length,
      imgs: document.querySelectorAll('[data-testid="assistant-message"] img').length,
      hrefs: [...document.querySelectorAll('[data-testid="assistant-message"] a')].map((a) => `${a.getAttribute('href')}|${a.getAttribute('target')}|${a.getAttribute('rel')}`),
    }));
    expect(state).toEqual({ pwned: undefined, scripts: 0, imgs: 0, hrefs: ['https://example.com/docs|_blank|noopener noreferrer'] });

    await ask(popup, 'huge answer about tides');
    const huge = await answer(popup, 2, 120_000);
    expect(huge.text.length).toBeGreaterThan(60_000);
    const started = Date.now();
    await popup.evaluate(() => document.querySelectorAll('[data-testid="assistant-message"]').length);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  test('with no generator the answer is extractive and quotes the page', async () => {
    const options = await openSurface(s.eb, 'options.html');
    await click(options, 'direct-endpoint-clear');
    await options.waitForSelector(`${tid('direct-endpoint-status')}[data-kind="ok"]`);
    await options.close();
    await popup.bringToFront();
    await click(popup, 'assistant-new');
    const calls = double.log.length;
    await ask(popup, 'Why do tides happen with the moon?');
    const reply = await answer(popup, 1);
    expect(reply.engine).toBe('extractive');
    expect(reply.text, reply.text.slice(-400)).toContain('gravity of the moon');
    expect(reply.text).not.toContain('How tides work. ');
    expect(double.log.length).toBe(calls);
  });

  test('the side panel opens the newest conversation', async () => {
    const panel = await openSurface(s.eb, 'sidepanel.html');
    // The first-run card shows here too until dismissed; dismissing it is remembered.
    await panel.waitForSelector(tid('first-run-card'), { timeout: 30_000 });
    await click(panel, 'first-run-dismiss');
    await panel.waitForSelector(tid('first-run-card'), { hidden: true });
    await click(panel, 'sidepanel-tab-assistant');
    const shown = await waitFor(() => messages(panel), (ms) => ms.length >= 2, { timeout: 30_000, message: 'the conversation in the side panel' });
    expect(shown.find((m) => m.role === 'assistant')!.engine).toBe('extractive');
    const conversations = await readStoreIn<{ title: string }>(panel, 'conversations');
    expect(conversations.length).toBeGreaterThanOrEqual(3);
    await panel.close();
  });
});
