import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadQuestions, metrics, pageText } from './grounding';

const pages = resolve(__dirname, '../../shared/reference/web-pages');
const dev = loadQuestions(resolve(__dirname, 'grounding/dev.jsonl'));
const heldOut = loadQuestions(resolve(__dirname, 'grounding/held-out.jsonl'));
const norm = (s: string) => s.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').replace(/ ([.,;:!?)])/g, '$1').trim().toLowerCase();

describe('grounding questions', () => {
  it('keep dev and held-out on different pages, with unique ids', () => {
    const devPages = new Set(dev.map((q) => q.page));
    expect(heldOut.some((q) => devPages.has(q.page))).toBe(false);
    const ids = [...dev, ...heldOut].map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.skipIf(!existsSync(pages))('label words that are in their page, and answers that differ from the false sentences', () => {
    for (const q of [...dev, ...heldOut]) {
      expect(norm(pageText(pages, q.page).text), q.id).toContain(norm(q.support));
      expect(q.answer).not.toBe(q.wrong);
    }
  });
});

describe('grounding metrics', () => {
  it('count catches, false flags and precision from truth and flags', () => {
    const m = metrics({ truth: [true, true, false, false], flagged: [false, true, true, false] });
    expect(m).toEqual({ citedSentences: 4, citationPrecision: 0.5, catchRate: 0.5, falseFlagRate: 0.5, precisionOfUnflagged: 0.5 });
  });
});
