import { z } from 'zod';

/**
 * What was measured about a collected page (browsing capture, crawl, import, connectors): stored with the
 * page so search can rank spam down and filter it out without re-reading the text. Computed by
 * shared/signals/content-signals.ts. DOM measures are null where there was no document (imports).
 */
export const SIGNALS_VERSION = 1;

const Ratio = z.number().min(0).max(1);

export const ContentSignals = z.object({
  v: z.number().int().min(1).max(1000),
  /** ISO 639-3 code from the text ('und' when too short or unclear), else the page's declared language. */
  lang: z.string().max(16),
  /** Minutes a person takes to read the clean text (words ÷ 230, CJK characters ÷ 500). */
  readingMinutes: z.number().min(0).max(100_000),
  /** Share of the page's visible text that the reader left out (menus, footers, sidebars). */
  boilerplateRatio: Ratio.nullable(),
  /** Share of the visible text that is link text. */
  linkDensity: Ratio.nullable(),
  /** Share of the page's text hidden by inline styles or the hidden attribute. */
  hiddenTextRatio: Ratio.nullable(),
  /** 0 (clean) … 1 (certainly spam), from the reasons below. */
  spamScore: Ratio,
  /** spamScore ≥ the threshold: ranked down, hidden by the "hide spam" filter. */
  spam: z.boolean(),
  /** Why, in short phrases ("keyword stuffing: 'casino' is 9% of words"). */
  reasons: z.array(z.string().max(160)).max(8),
});
export type ContentSignals = z.infer<typeof ContentSignals>;

/** The document counts a content script sends with a page's text (shared/signals/dom-measures.ts). */
const Count = z.number().int().min(0).max(1e9);
export const DomMeasuresInput = z.object({
  textChars: Count,
  linkChars: Count,
  links: Count,
  linkHosts: Count,
  hiddenChars: Count,
  hiddenSample: z.string().max(4000),
});
