import type { z } from 'zod';
import { ImageRequest, ImageResponse } from '@shared/schemas/web-search';
import type { ImageFailure } from '@shared/schemas/images';
import type { Privacy } from '@/ai/engines/types';

/**
 * The worker's `POST /v1/image`, from the extension. The prompt is the only thing sent, and only when
 * the person allowed their worker ("local only" sends nothing and says why). Every outcome is either
 * the images (validated with the shared schema) or a failure in words a person can act on.
 */

export interface ImageWorkerConfig {
  privacy: Privacy;
  /** The paired worker's base URL; null when this device is not signed in to sync. */
  baseUrl: string | null;
  token: string | null;
}

export type ImageClientResult =
  | { ok: true; model: string; images: ImageResponse['images'] }
  | { ok: false; code: ImageFailure; message: string };

export interface ImageClientOptions {
  config: () => Promise<ImageWorkerConfig>;
  fetch?: typeof fetch;
  /** Image models take seconds to tens of seconds; past this the person is told and can try again. */
  timeoutMs?: number;
}

const fail = (code: ImageFailure, message: string): ImageClientResult => ({ ok: false, code, message });

async function reasonOf(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: unknown } };
    return typeof body?.error?.message === 'string' ? body.error.message.slice(0, 500) : '';
  } catch {
    return '';
  }
}

export async function requestImages(request: z.input<typeof ImageRequest>, options: ImageClientOptions): Promise<ImageClientResult> {
  const parsed = ImageRequest.safeParse(request);
  if (!parsed.success) return fail('refused', 'Write a prompt (at most 2,000 characters) and choose 1 to 4 images.');
  const config = await options.config();
  if (config.privacy !== 'allow-worker') {
    return fail('privacy', 'Your privacy setting is “local only”, so nothing is sent to your worker. Images are made by your worker: allow it in Options → AI to generate them.');
  }
  if (!config.baseUrl || !config.token) return fail('no-worker', 'Images are made by your worker: pair this browser with it first (Options → Sync).');
  const doFetch = options.fetch ?? ((...a: Parameters<typeof fetch>) => globalThis.fetch(...a));
  let response: Response;
  try {
    response = await doFetch(new URL('/v1/image', config.baseUrl).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${config.token}` },
      body: JSON.stringify(parsed.data),
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
    });
  } catch (error) {
    const timedOut = (error as Error)?.name === 'TimeoutError';
    return fail('network', timedOut ? 'Your worker took too long to make the images. Your prompt is kept: try again.' : `Could not reach your worker at ${config.baseUrl}. Your prompt is kept: try again when it is up.`);
  }
  if (!response.ok) {
    const reason = await reasonOf(response);
    const why = reason ? ` (${reason})` : '';
    if (response.status === 401 || response.status === 403) return fail('unauthorized', `Your worker refused this device${why}: sign in to sync again.`);
    if (response.status === 429 || response.status === 402) return fail('quota', `Your plan’s image quota is used up for now${why}. Nothing was spent; your prompt is kept.`);
    if (response.status === 400 || response.status === 422) return fail('refused', `The image service refused this prompt${why}. Change the prompt and try again.`);
    if (response.status === 503) return fail('unavailable', `Your worker has no image service set up${why}.`);
    if (response.status === 404) return fail('unavailable', 'This worker does not make images (it has no /v1/image).');
    return fail('failed', `Your worker could not make the images (HTTP ${response.status})${why}. Your prompt is kept: try again.`);
  }
  const body = ImageResponse.safeParse(await response.json().catch(() => null));
  if (!body.success) return fail('failed', 'Your worker answered with something that is not a set of images.');
  return { ok: true, model: body.data.model, images: body.data.images };
}
