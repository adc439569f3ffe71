import { z } from 'zod';
import { ContentSignals } from './signals';

/**
 * The records CalicoLobster keeps. These schemas are the contract between every extension context,
 * the local database and the worker: anything crossing a boundary is parsed with them first.
 *
 * Every syncable record carries a client-generated `id` and an `updatedAt` (ms since epoch). Sync adds
 * its own clock on top (see sync.ts); local code never needs to know about it.
 */

export const Id = z.string().min(8).max(64).regex(/^[A-Za-z0-9_-]+$/, 'ids are url-safe tokens');
export type Id = z.infer<typeof Id>;

const Millis = z.number().int().nonnegative();
/** URLs are stored normalised (see extension/capture/normalize-url.ts); 8 KiB is far past any real one. */
const Url = z.string().min(1).max(8192);
const ShortText = z.string().max(2048);

// --- W3C Web Annotation selectors ----------------------------------------------------------------

export const TextQuoteSelector = z.object({
  type: z.literal('TextQuoteSelector'),
  exact: z.string().min(1).max(20_000),
  prefix: z.string().max(256).default(''),
  suffix: z.string().max(256).default(''),
});
export const TextPositionSelector = z.object({
  type: z.literal('TextPositionSelector'),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export const RangeSelector = z.object({
  type: z.literal('RangeSelector'),
  /** XPaths relative to the document body, e.g. `/main[1]/p[3]`. */
  startContainer: z.string().max(2048),
  startOffset: z.number().int().nonnegative(),
  endContainer: z.string().max(2048),
  endOffset: z.number().int().nonnegative(),
});
export const Selector = z.discriminatedUnion('type', [TextQuoteSelector, TextPositionSelector, RangeSelector]);
export type TextQuoteSelector = z.infer<typeof TextQuoteSelector>;
export type TextPositionSelector = z.infer<typeof TextPositionSelector>;
export type RangeSelector = z.infer<typeof RangeSelector>;
export type Selector = z.infer<typeof Selector>;

// --- Highlights ----------------------------------------------------------------------------------

export const HIGHLIGHT_COLORS = ['yellow', 'green', 'blue', 'pink', 'purple'] as const;
export const HighlightColor = z.enum(HIGHLIGHT_COLORS);
export type HighlightColor = z.infer<typeof HighlightColor>;

/** Whether the highlight was found on the page the last time it was shown there. */
export const AnchorStatus = z.enum(['pending', 'anchored', 'orphan']);
export type AnchorStatus = z.infer<typeof AnchorStatus>;

export const Highlight = z.object({
  id: Id,
  /** Normalised canonical URL of the page (the key highlights are looked up by). */
  url: Url,
  site: ShortText,
  pageTitle: ShortText,
  /** The highlighted text as it was when the highlight was made (same as the quote's `exact`). */
  text: z.string().min(1).max(20_000),
  color: HighlightColor,
  note: z.string().max(50_000).default(''),
  /** A quote, a position and a range selector are all an anchor needs; a few spare for re-anchoring. */
  selectors: z.array(Selector).min(1).max(16),
  anchorStatus: AnchorStatus.default('pending'),
  createdAt: Millis,
  updatedAt: Millis,
});
export type Highlight = z.infer<typeof Highlight>;

// --- Page views ----------------------------------------------------------------------------------

export const Visit = z.object({
  id: Id,
  url: Url,
  site: ShortText,
  title: ShortText,
  /** The page (normalised URL) that led here, when known. */
  referrer: Url.nullable(),
  /** The search this visit came from (a search journey), when it came from a results page. */
  searchId: Id.nullable(),
  /** 'load' for a document navigation, 'spa' for a history-API route change. */
  transition: z.enum(['load', 'spa']),
  startedAt: Millis,
  /** Last time the page was seen open; grows while the visit lasts. */
  endedAt: Millis,
  /** Time the page was visible and focused. */
  activeMs: Millis,
  updatedAt: Millis,
});
export type Visit = z.infer<typeof Visit>;

/** The clean text and metadata of a page, one row per URL (the latest capture wins). */
export const Page = z.object({
  url: Url,
  site: ShortText,
  title: ShortText,
  text: z.string().max(200_000),
  excerpt: z.string().max(2_000).default(''),
  byline: ShortText.default(''),
  siteName: ShortText.default(''),
  lang: z.string().max(35).default(''),
  wordCount: z.number().int().nonnegative(),
  /** True when the text was cut at the size cap. */
  truncated: z.boolean().default(false),
  capturedAt: Millis,
  updatedAt: Millis,
  /** Language, reading time, boilerplate and spam measures (issue 14); absent on pages stored before. */
  signals: ContentSignals.optional(),
});
export type Page = z.infer<typeof Page>;

// --- Searches ------------------------------------------------------------------------------------

export const Search = z.object({
  id: Id,
  /** Engine name as in Matomo's SearchEngines.yml, e.g. "Bing". */
  engine: ShortText,
  query: z.string().min(1).max(2048),
  url: Url,
  site: ShortText,
  createdAt: Millis,
  updatedAt: Millis,
});
export type Search = z.infer<typeof Search>;

// --- Settings ------------------------------------------------------------------------------------

export const Settings = z.object({
  /** Capture is paused everywhere. */
  paused: z.boolean().default(false),
  /** URL patterns (see extension/capture/denylist.ts) whose pages are never captured. Bounded so the
   * whole setting stays a small synced record (SETTING_VALUE_LIMITS in sync.ts: 2,000 items, 256 KiB). */
  denylist: z
    .array(z.string().min(1).max(512))
    .max(2000)
    .refine((list) => new TextEncoder().encode(JSON.stringify(list)).length <= 200 * 1024, 'the denylist is too long: at most 200 KiB of patterns'),
});
export type Settings = z.infer<typeof Settings>;
