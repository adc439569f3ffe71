import type { Page } from 'puppeteer-core';
import { describe, expect, test } from 'vitest';
import type { HighlightRow } from './support/database';
import { realPage } from './support/server';
import { click, isChecked, openSurface, tid, typeInto } from './support/surfaces';
import { useSuite } from './support/suite';
import { waitFor } from './support/wait';
import { waitForPainted } from './support/page-actions';
import { NetworkLog, highlightPassage, openPage, waitForEmbedded } from './ai-support';

// Issue 4: ask your memory with no generator available (headless Chromium here has neither WebGPU nor
// the Prompt API): the answer is extractive, says so, and quotes the saved passages with clickable
// citations that open the page at the highlight. Privacy defaults to "local only".
const TERRARIUM = 'Closed terrariums are easy to care for, as they retain much of their own moisture and provide a warm environment with a consistent level of humidity.';
const WHALES = 'has now overseen more than 500 strandings and is renowned in New Zealand as the leading';

describe('ask your memory, extractive', () => {
  const s = useSuite();
  let panel: Page;
  let network: NetworkLog;
  const saved: HighlightRow[] = [];

  test('two highlights on real pages are saved and indexed', async () => {
    const { eb, web } = s;
    network = new NetworkLog(eb);
    await network.start();
    for (const [name, passage] of [['ehow-1', TERRARIUM], ['guardian-1', WHALES]] as const) {
      web.set(`/${name}`, realPage(name));
      const page = await openPage(eb, `${web.origin}/${name}`);
      saved.push(await highlightPassage(eb, page, passage));
      await page.close();
    }
    panel = await openSurface(eb, 'sidepanel.html');
    await waitForEmbedded(panel, saved.map((h) => `highlight:${h.id}`), 120_000);
  });

  test('the answer quotes the passages, says it is extractive, and cites them', async () => {
    await typeInto(panel, 'ask-input', 'How do sealed glass gardens keep their plants watered?');
    await click(panel, 'ask-submit');
    await panel.waitForSelector(`${tid('ask-answer')}[data-done="true"]`, { timeout: 60_000 });
    const engine = await panel.$eval(tid('ask-engine'), (el) => el.getAttribute('data-engine'));
    expect(engine).toBe('extractive');
    const answer = await panel.$eval(tid('ask-answer'), (el) => el.textContent ?? '');
    expect(answer).toMatch(/extractive/i);
    expect(answer.replace(/\s+/g, ' ')).toContain('retain much of their own moisture');
    const citations = await panel.$$eval(tid('ask-citation'), (els) => els.map((e) => Number(e.getAttribute('data-n'))));
    expect(citations).toContain(1);
    const sources = await panel.$$eval(tid('ask-source'), (els) => els.map((e) => ({ n: e.getAttribute('data-n'), id: e.getAttribute('data-id'), kind: e.getAttribute('data-kind') })));
    // The terrarium highlight is one of the numbered sources (its page's text may rank beside it).
    expect(sources.some((x) => x.id === saved[0]!.id && x.kind === 'highlight')).toBe(true);
    // Through the serving pipeline: the citations were checked and the trace is there to open.
    expect(Number(await panel.$eval(tid('ask-verification'), (el) => el.getAttribute('data-checked')))).toBeGreaterThan(0);
    await click(panel, 'assistant-trace-toggle');
    expect(await panel.$$eval(tid('assistant-trace-source'), (els) => els.map((e) => [e.getAttribute('data-origin'), e.getAttribute('data-status')]))).toEqual([['memory', 'ok']]);
    // The on-device embedder (the offscreen document, ai.embedTexts) checked the claims' meaning too.
    const verify = await panel.$$eval(`${tid('assistant-trace-steps')} span`, (els) => els.map((e) => e.getAttribute('title') ?? '').find((t) => /cited sentence/.test(t)) ?? '');
    expect(verify).toMatch(/embedding/);
  });

  test('a citation opens the page at the highlight', async () => {
    const { eb } = s;
    const before = new Set((await eb.browser.pages()).map((p) => p));
    // Citation [1] is the terrarium passage (the highlight, or its page's chunk that holds it).
    await panel.$eval(`${tid('ask-citation')}[data-n="1"]`, (el) => (el as HTMLButtonElement).click());
    const opened = await waitFor(
      async () => (await eb.browser.pages()).find((p) => !before.has(p) && p.url().endsWith('/ehow-1')),
      Boolean,
      { timeout: 30_000, message: 'the cited page to open' },
    );
    await waitForPainted(opened!, saved[0]!.id, 30_000);
    await opened!.close();
  });

  test('the answer is recorded for the data loop: its thumbs rate it and the review queue lists it', async () => {
    // The answer's feedback record was written as it was shown (as the chat's and the bubble's are).
    const box = await panel.waitForSelector(tid('ask-feedback'), { timeout: 30_000 });
    const feedbackId = await box!.evaluate((el) => el.getAttribute('data-feedback-id'));
    expect(feedbackId).toMatch(/^fb_/);
    await panel.$eval(`${tid('ask-feedback')} ${tid('feedback-up')}`, (el) => (el as HTMLButtonElement).click());
    await panel.waitForSelector(`${tid('ask-feedback')} ${tid('feedback')}[data-rating="up"]`, { timeout: 30_000 });
    // The person opens the review queue and shows only thumbs-up answers: the question they asked is there.
    await click(panel, 'review-tab-button');
    await panel.waitForSelector(tid('review-tab'), { timeout: 30_000 });
    await panel.select(tid('review-filter-rating'), 'up');
    await panel.waitForSelector(`${tid('review-count')}[data-count="1"]`, { timeout: 30_000 });
    expect(await panel.$eval(tid('review-item'), (el) => el.getAttribute('data-id'))).toBe(feedbackId);
    expect(await panel.$eval(tid('review-prompt'), (el) => el.textContent ?? '')).toContain('How do sealed glass gardens keep their plants watered?');
    expect((await panel.$eval(tid('review-output'), (el) => el.textContent ?? '')).replace(/\s+/g, ' ')).toContain('retain much of their own moisture');
    // With the serving pipeline's outcome: the stages it ran, and the verifier's count.
    expect(await panel.$eval(tid('review-serving'), (el) => el.textContent ?? '')).toMatch(/claims supported.*plan \d+ ms/s);
    await click(panel, 'review-tab-button');
    await panel.waitForSelector(tid('review-tab'), { hidden: true, timeout: 10_000 });
  });

  test('privacy is "local only" by default and the worker is not offered', async () => {
    const options = await openSurface(s.eb, 'options.html');
    expect(await isChecked(options, 'ai-privacy-local-only')).toBe(true);
    const statuses = await waitFor(
      () => options.$$eval(tid('ai-engine-status'), (els) => Object.fromEntries(els.map((e) => [e.getAttribute('data-engine'), e.getAttribute('data-status')]))),
      (st) => Object.values(st).every((v) => v !== 'checking'),
      { timeout: 30_000, message: 'engine availability' },
    );
    expect(statuses).toMatchObject({ worker: 'unavailable', webllm: 'unavailable', extractive: 'available' });
    expect(await options.$eval(tid('ai-engine-chosen'), (el) => el.getAttribute('data-engine'))).toBe('extractive');
    await options.close();
  });

  test('asking sent nothing anywhere but this machine', async () => {
    expect(network.extensionEntries().length).toBeGreaterThan(0);
    expect(network.outside()).toEqual([]);
    await network.stop();
  });
});
