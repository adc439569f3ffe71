import type { ImageRequest, ImageResponse } from '../../../shared/schemas/web-search';
import { GeneratedImage } from '../../../shared/schemas/web-search';
import type { Env } from '../env';
import { ApiError } from '../http/errors';

/**
 * Text-to-image through the configured provider: an OpenAI-compatible images endpoint when
 * OPENAI_IMAGES_BASE_URL is set, else Workers AI (flux-1-schnell) when the AI binding is there.
 * Every image's bytes are checked to be PNG or JPEG before it is returned; anything else is a provider error.
 */

export const DEFAULT_WORKERS_AI_IMAGE_MODEL = '@cf/black-forest-labs/flux-1-schnell';
const TIMEOUT_MS = 60_000;
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function base64Bytes(b64: string, count: number): number[] {
  const bin = atob(b64.slice(0, Math.ceil((count * 4) / 3) + 4));
  return Array.from(bin.slice(0, count), (ch) => ch.charCodeAt(0));
}

/** The image's type comes from its bytes, never from what the provider claims. */
function asImage(b64: unknown, who: string): { mimeType: 'image/png' | 'image/jpeg'; base64: string } {
  const parsed = GeneratedImage.safeParse({ mimeType: 'image/png', base64: b64 });
  if (!parsed.success) throw new ApiError('provider_error', `${who} did not return a base64 image`);
  const head = base64Bytes(parsed.data.base64, 8);
  const is = (magic: number[]) => magic.every((b, i) => head[i] === b);
  if (is(PNG_MAGIC)) return parsed.data;
  if (is(JPEG_MAGIC)) return { ...parsed.data, mimeType: 'image/jpeg' };
  throw new ApiError('provider_error', `${who} returned something that is not a PNG or JPEG image`);
}

async function openAiImages(env: Env, request: ImageRequest): Promise<ImageResponse> {
  const base = env.OPENAI_IMAGES_BASE_URL!.replace(/\/+$/, '');
  const model = env.OPENAI_IMAGES_MODEL || 'gpt-image-1';
  const key = env.OPENAI_IMAGES_API_KEY ?? env.OPENAI_API_KEY;
  let response: Response;
  try {
    response = await fetch(`${base}/images/generations`, {
      method: 'POST',
      signal: AbortSignal.timeout(TIMEOUT_MS),
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ model, prompt: request.prompt, n: request.n, size: request.size ?? '1024x1024', response_format: 'b64_json' }),
    });
  } catch (error) {
    throw new ApiError('provider_error', `the images endpoint could not be reached (${(error as Error)?.name === 'TimeoutError' ? 'timeout' : String(error)})`);
  }
  if (response.status === 400 || response.status === 422) {
    // OpenAI-compatible endpoints refuse a prompt (content policy, safety system) with a 400 and say why:
    // the person can change the prompt, so this is theirs to see, not a server fault.
    const refusal = (await response.json().catch(() => null)) as { error?: { message?: unknown } | string } | null;
    const said = typeof refusal?.error === 'string' ? refusal.error : typeof refusal?.error?.message === 'string' ? refusal.error.message : '';
    throw new ApiError('unprocessable', `the images endpoint refused this prompt${said ? `: ${said.slice(0, 300)}` : ''}`);
  }
  if (!response.ok) throw new ApiError('provider_error', `the images endpoint answered HTTP ${response.status}`);
  const body = (await response.json().catch(() => null)) as { data?: Array<{ b64_json?: unknown }> } | null;
  const data = Array.isArray(body?.data) ? body.data.slice(0, request.n) : [];
  if (data.length === 0) throw new ApiError('provider_error', 'the images endpoint returned no images');
  return { images: data.map((d) => asImage(d?.b64_json, 'the images endpoint')), model };
}

async function workersAiImages(ai: Ai, env: Env, request: ImageRequest): Promise<ImageResponse> {
  const model = env.WORKERS_AI_IMAGE_MODEL || DEFAULT_WORKERS_AI_IMAGE_MODEL;
  const run = ai.run as (model: string, inputs: unknown) => Promise<unknown>;
  // flux-1-schnell makes one image (base64 JPEG) per call; calls run in parallel.
  const outputs = await Promise.all(
    Array.from({ length: request.n }, async () => {
      try {
        return (await run(model, { prompt: request.prompt, steps: 4 })) as { image?: unknown };
      } catch (error) {
        throw new ApiError('provider_error', `Workers AI refused the request (${String(error)})`);
      }
    }),
  );
  return { images: outputs.map((o) => asImage(o?.image, 'Workers AI')), model };
}

export async function generateImages(env: Env, request: ImageRequest): Promise<ImageResponse> {
  if (env.OPENAI_IMAGES_BASE_URL) return openAiImages(env, request);
  if (env.AI) return workersAiImages(env.AI, env, request);
  throw new ApiError('provider_unavailable', 'image generation is not configured on this server (bind Workers AI as AI, or set OPENAI_IMAGES_BASE_URL)');
}
