import { z } from 'zod';
import { Id } from './records';
import { GeneratedImage, IMAGE_SIZES } from './web-search';

/**
 * Generative images for what the user writes (issue 10): the synced record of an image request and the
 * messages between the in-page composer, the background and the assistant's Image panel.
 *
 * The record keeps what made the images — prompt, model, size, count, when, for which page — and never
 * the image bytes: a 1024² image is hundreds of KB to a few MB, past what a synced row should carry to
 * every device (MAX_RECORD_BYTES is 1 MiB for the whole record), and the bytes already live where the
 * person put them (the post, the download). The prompt and model are enough to make it again.
 */

const Millis = z.number().int().nonnegative();
const Url = z.string().min(1).max(8192);

export const MAX_IMAGE_PROMPT = 2000;
export const MAX_IMAGE_COUNT = 4;

export const ImageSize = z.enum(IMAGE_SIZES);
export type ImageSize = z.infer<typeof ImageSize>;

/** Where the request came from: the right-click composer in a page, or the assistant's Image panel. */
export const ImageSource = z.enum(['menu', 'chat']);

export const ImageRecord = z.object({
  id: Id,
  prompt: z.string().trim().min(1).max(MAX_IMAGE_PROMPT),
  /** The model the worker reported (e.g. `@cf/black-forest-labs/flux-1-schnell`). */
  model: z.string().min(1).max(200),
  size: ImageSize.nullable().default(null),
  count: z.number().int().min(1).max(MAX_IMAGE_COUNT),
  source: ImageSource,
  /** The page the image was made for (the post being written), when there was one. */
  pageUrl: Url.nullable().default(null),
  pageTitle: z.string().max(2048).default(''),
  /** What the person did with one of the images: inserted it into an editor, downloaded it, or nothing yet. */
  used: z.array(z.enum(['inserted', 'downloaded'])).max(2).default([]),
  createdAt: Millis,
  updatedAt: Millis,
});
export type ImageRecord = z.infer<typeof ImageRecord>;

/** Why a generation did not happen, in terms the UI words for a person. */
export const ImageFailure = z.enum([
  /** The privacy setting is "local only": nothing was sent. */
  'privacy',
  /** No paired worker (not signed in to sync). */
  'no-worker',
  /** The worker could not be reached. */
  'network',
  /** 401/403: the device's token was refused. */
  'unauthorized',
  /** 429/402: the plan's image quota is used up (or the plan has none). */
  'quota',
  /** The provider refused this prompt (content policy) or the worker found it invalid. */
  'refused',
  /** No image provider configured on the worker (503). */
  'unavailable',
  /** The provider failed or returned something that is not an image (502), or anything else. */
  'failed',
]);
export type ImageFailure = z.infer<typeof ImageFailure>;

export const ImageGenerateRequest = z.object({
  prompt: z.string().trim().min(1).max(MAX_IMAGE_PROMPT),
  n: z.number().int().min(1).max(MAX_IMAGE_COUNT),
  size: ImageSize.optional(),
  source: ImageSource,
  /** The page the image is for; a content script may only name its own page (sender-policy). */
  url: Url.nullable().default(null),
  title: z.string().max(2048).default(''),
});
export type ImageGenerateRequest = z.input<typeof ImageGenerateRequest>;

export const ImageGenerateResult = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    /** The saved record's id (its `used` is updated on insert/download). */
    id: Id,
    model: z.string().max(200),
    images: z.array(GeneratedImage).min(1).max(MAX_IMAGE_COUNT),
    /** Set when the images were made but the record could not be saved (storage full). */
    notice: z.string().max(500).default(''),
  }),
  z.object({ ok: z.literal(false), code: ImageFailure, message: z.string().max(2000) }),
]);
export type ImageGenerateResult = z.infer<typeof ImageGenerateResult>;

/** The image as the editor gets it: a data: URL of a PNG or JPEG (see images/README in the extension). */
export const ImageDataUrl = z
  .string()
  .max(16_000_100)
  .regex(/^data:image\/(png|jpeg);base64,[A-Za-z0-9+/]+={0,2}$/, 'a base64 PNG or JPEG data: URL');

const CONTENT_OR_EXTENSION = ['content', 'extension'] as const;
const EXTENSION = ['extension'] as const;

export const IMAGE_MESSAGES = {
  /** Background → content script: the right-click "Generate image…" was used; open the composer at the caret. */
  'image.compose': {
    from: EXTENSION,
    request: z.object({ text: z.string().max(20_000).default(''), editable: z.boolean().default(false) }),
    response: z.object({ shown: z.boolean() }),
  },
  /** Composer or Image panel → background: generate through the paired worker and save the record. */
  'image.generate': {
    from: CONTENT_OR_EXTENSION,
    request: ImageGenerateRequest,
    response: ImageGenerateResult,
  },
  /** The person inserted or downloaded one of a request's images. */
  'image.used': {
    from: CONTENT_OR_EXTENSION,
    request: z.object({ id: Id, how: z.enum(['inserted', 'downloaded']) }),
    response: z.object({ saved: z.boolean() }),
  },
  /** Image panel → the active tab's content script: insert this image at the caret of the editor last written in. */
  'image.insert': {
    from: EXTENSION,
    request: z.object({ dataUrl: ImageDataUrl, alt: z.string().max(MAX_IMAGE_PROMPT).default('') }),
    response: z.object({ inserted: z.boolean(), reason: z.string().max(500).default('') }),
  },
} as const;
