import { z } from 'zod';

/**
 * Contract of the worker's web search (POST /v1/web-search) and image generation (POST /v1/image).
 * Bounds on every field: results come from third-party providers and pages, so the worker cuts them
 * to these sizes before answering, and the extension validates the reply with the same schema.
 */

export const MAX_WEB_RESULTS = 10;
export const MAX_RESULT_TEXT_CHARS = 20_000;

export const WebSearchRequest = z.object({
  q: z.string().trim().min(1).max(400),
  count: z.number().int().min(1).max(MAX_WEB_RESULTS).optional(),
});
export type WebSearchRequest = z.infer<typeof WebSearchRequest>;

export const WebSearchResult = z.object({
  /** 1-based rank: the number an answer cites. */
  n: z.number().int().min(1).max(MAX_WEB_RESULTS),
  title: z.string().max(500),
  url: z.string().url().max(2048),
  snippet: z.string().max(2000),
  /** The page's readable text (only the top few results are fetched, and only where robots.txt allows). */
  text: z.string().max(MAX_RESULT_TEXT_CHARS).optional(),
});
export type WebSearchResult = z.infer<typeof WebSearchResult>;

export const WebSearchProviderName = z.enum(['searxng', 'brave']);

export const WebSearchResponse = z.object({
  results: z.array(WebSearchResult).max(MAX_WEB_RESULTS),
  provider: WebSearchProviderName,
  cached: z.boolean(),
});
export type WebSearchResponse = z.infer<typeof WebSearchResponse>;

export const IMAGE_SIZES = ['256x256', '512x512', '1024x1024'] as const;

export const ImageRequest = z.object({
  prompt: z.string().trim().min(1).max(2000),
  n: z.number().int().min(1).max(4).default(1),
  size: z.enum(IMAGE_SIZES).optional(),
});
export type ImageRequest = z.infer<typeof ImageRequest>;

/** About 12 MB of base64 per image: far above a 1024² PNG, far below what would exhaust a worker. */
export const MAX_IMAGE_BASE64 = 16_000_000;

/** PNG from OpenAI-compatible endpoints (and the test double); Workers AI's flux-1-schnell returns JPEG. */
export const GeneratedImage = z.object({
  mimeType: z.enum(['image/png', 'image/jpeg']),
  base64: z.string().min(1).max(MAX_IMAGE_BASE64).regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export const ImageResponse = z.object({
  images: z.array(GeneratedImage).min(1).max(4),
  model: z.string().max(200),
});
export type ImageResponse = z.infer<typeof ImageResponse>;
