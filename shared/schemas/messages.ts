import { z } from 'zod';
import { Highlight, HighlightColor, Id, Selector, AnchorStatus } from './records';
import { AI_MESSAGES } from './ai-messages';
import { ASSISTANT_PAGE_MESSAGES } from './assistant-page';
import { IMAGE_MESSAGES } from './images';
import { ExtractedProduct, ProductInsight } from './products';
import { DomMeasuresInput } from './signals';

/**
 * Messages between extension contexts (content script ⇄ background ⇄ extension pages). Each entry is a
 * request schema and a response schema; extension/messaging validates both ends with them, so a page
 * that fights the content script (or a compromised one) can't put malformed data into the database.
 */

const Url = z.string().min(1).max(8192);

/**
 * Who may send a message: `extension` is the extension's own pages (background, side panel, popup,
 * options, offscreen); `content` is a content script in a web page, which runs next to code the page
 * controls and so is trusted only with its own page (extension/messaging/sender-policy.ts: a `url` in
 * its request must be the page that sent it, by-id edits only for that page's records). A message
 * without `from` is extension-only.
 */
export type SenderKind = 'extension' | 'content';
const CONTENT = ['content'] as const;
const CONTENT_OR_EXTENSION = ['content', 'extension'] as const;
const EXTENSION = ['extension'] as const;

export const PageMeta = z.object({
  url: Url,
  /** The page's <link rel=canonical>, already resolved to an absolute URL; normalised by the background. */
  canonicalUrl: Url.nullable(),
  title: z.string().max(4096),
});

/** Most texts, and characters per text, one `ai.embedTexts` call carries (callers batch under these). */
export const MAX_EMBED_TEXTS = 64;
export const MAX_EMBED_TEXT_CHARS = 2000;

export const MESSAGES = {
  /** May this page be captured? Asked before anything else; content scripts stay idle when not. */
  'capture.policy': {
    from: CONTENT,
    request: z.object({ url: Url }),
    response: z.object({ allowed: z.boolean(), reason: z.string().optional() }),
  },
  /** A navigation (document load or SPA route change) started a visit. */
  'visit.begin': {
    from: CONTENT,
    request: PageMeta.extend({
      visitId: Id,
      referrer: Url.nullable(),
      transition: z.enum(['load', 'spa']),
      startedAt: z.number().int().nonnegative(),
    }),
    response: z.object({ recorded: z.boolean() }),
  },
  /** The visit is still going: time on page so far. Idempotent (it sets, never adds). */
  'visit.heartbeat': {
    from: CONTENT,
    request: z.object({
      visitId: Id,
      title: z.string().max(4096),
      endedAt: z.number().int().nonnegative(),
      activeMs: z.number().int().nonnegative(),
      /** The page is visible and focused right now: if it goes away before the next beat (a closed tab,
       * an unload whose last message never lands), the background counts the time since as active. */
      active: z.boolean().default(false),
    }),
    response: z.object({ recorded: z.boolean() }),
  },
  /** The page's clean text once it settled (already extracted and capped by the content script). */
  'page.content': {
    from: CONTENT,
    request: PageMeta.extend({
      text: z.string().max(400_000),
      excerpt: z.string().max(4000),
      byline: z.string().max(4096),
      siteName: z.string().max(4096),
      lang: z.string().max(64),
      /** The content script already cut the text at its size cap. */
      truncated: z.boolean().default(false),
      /** Document counts for the content signals (issue 14); absent from older content scripts. */
      dom: DomMeasuresInput.optional(),
    }),
    response: z.object({ recorded: z.boolean() }),
  },
  /** Highlights stored for this page (by canonical URL, then by URL). */
  'highlights.forPage': {
    from: CONTENT,
    request: PageMeta,
    response: z.array(Highlight),
  },
  'highlight.create': {
    from: CONTENT,
    request: PageMeta.extend({
      id: Id,
      text: z.string().min(1).max(20_000),
      color: HighlightColor,
      note: z.string().max(50_000).default(''),
      selectors: z.array(Selector).min(1),
    }),
    response: Highlight,
  },
  'highlight.update': {
    from: CONTENT,
    request: z.object({
      id: Id,
      color: HighlightColor.optional(),
      note: z.string().max(50_000).optional(),
      /** The sending page's canonical link: a content script may edit the highlights its page is filed under. */
      canonicalUrl: Url.nullable().optional(),
    }),
    response: Highlight,
  },
  'highlight.delete': {
    from: CONTENT,
    request: z.object({ id: Id, canonicalUrl: Url.nullable().optional() }),
    response: z.object({ deleted: z.boolean() }),
  },
  /** What the painter found when re-anchoring highlights on the page. */
  'highlights.anchored': {
    from: CONTENT,
    request: z.object({ results: z.array(z.object({ id: Id, status: AnchorStatus })).max(10_000), canonicalUrl: Url.nullable().optional() }),
    response: z.object({ updated: z.number().int() }),
  },
  /** Open the side panel (from the overlay's Ask, the popup's search box). */
  'panel.open': {
    from: CONTENT_OR_EXTENSION,
    request: z.object({ query: z.string().max(2048).optional(), highlightId: Id.optional() }),
    response: z.object({ opened: z.boolean() }),
  },
  /** Background → content script: scroll to a highlight on this page and flash it. */
  'highlight.reveal': {
    from: EXTENSION,
    request: z.object({ id: Id }),
    response: z.object({ found: z.boolean() }),
  },
  /** Background → content script: the history API changed the route (webNavigation saw it). */
  'visit.routeChanged': {
    from: EXTENSION,
    request: z.object({ url: Url }),
    response: z.object({ ok: z.boolean() }),
  },
  /** Popup → content script: is this page being captured, and if not, why (issue 9: the popup says so). */
  'capture.status': {
    from: EXTENSION,
    request: z.object({}),
    response: z.object({
      capturing: z.boolean(),
      reason: z.enum(['paused', 'incognito', 'not-web', 'extension-page', 'denylisted', 'sign-in-url', 'sign-in-form']).optional(),
    }),
  },
  ...AI_MESSAGES,
  /** Content script → background: the product this page shows (saved with a price observation);
   * answers what memory says about it, for the page's badge (null when the badge is off here). */
  'product.seen': {
    request: z.object({ product: ExtractedProduct }),
    response: z.object({ recorded: z.boolean(), productId: Id.nullable(), insight: ProductInsight.nullable() }),
    from: CONTENT,
  },
  /** Content script → background: the person switched the product badge off for this site. */
  'product.badgeOff': {
    request: z.object({ site: z.string().min(1).max(253) }),
    response: z.object({ ok: z.boolean() }),
    from: CONTENT,
  },
  ...ASSISTANT_PAGE_MESSAGES,
  ...IMAGE_MESSAGES,
  /** → offscreen: embed a few texts with the on-device model (the citation verifier's meaning check). */
  'ai.embedTexts': {
    from: EXTENSION,
    request: z.object({ texts: z.array(z.string().min(1).max(MAX_EMBED_TEXT_CHARS)).min(1).max(MAX_EMBED_TEXTS) }),
    response: z.object({ model: z.string().max(128), vectors: z.array(z.array(z.number()).max(4096)).max(MAX_EMBED_TEXTS) }),
  },
} as const satisfies Record<string, { request: z.ZodType; response: z.ZodType; from?: readonly SenderKind[] }>;

export type MessageType = keyof typeof MESSAGES;
export type MessageRequest<T extends MessageType> = z.input<(typeof MESSAGES)[T]['request']>;
export type ParsedRequest<T extends MessageType> = z.output<(typeof MESSAGES)[T]['request']>;
export type MessageResponse<T extends MessageType> = z.output<(typeof MESSAGES)[T]['response']>;

/** The envelope every message travels in. */
export const Envelope = z.object({ type: z.string(), payload: z.unknown() });
export type Reply<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
