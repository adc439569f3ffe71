import { ImageGenerateRequest, type ImageGenerateResult } from '@shared/schemas/images';
import { readAiSettings } from '@/ai/engines/settings';
import { readConfig } from '@/sync/sync-config';
import { requestImages, type ImageClientOptions } from './image-client';
import { newImageId, saveImageRecord } from './image-records';

/**
 * One generation: the worker makes the images, and the request (prompt, model, size, count, page) is
 * saved to memory once it succeeded. The images go back only to whoever asked — the composer in the
 * page the person is writing in, or the assistant's Image panel — and nowhere else.
 */

export interface GenerateDeps {
  config?: ImageClientOptions['config'];
  fetch?: typeof fetch;
  save?: typeof saveImageRecord;
}

/** The paired worker, the way the chat's worker engine finds it. */
export async function pairedWorkerConfig(): ReturnType<ImageClientOptions['config']> {
  const [ai, sync] = await Promise.all([readAiSettings(), readConfig()]);
  return { privacy: ai.privacy, baseUrl: sync.account ? sync.workerUrl : null, token: sync.account?.token ?? null };
}

export async function generateAndRecord(input: ImageGenerateRequest, deps: GenerateDeps = {}): Promise<ImageGenerateResult> {
  const request = ImageGenerateRequest.parse(input);
  const result = await requestImages(
    { prompt: request.prompt, n: request.n, ...(request.size ? { size: request.size } : {}) },
    { config: deps.config ?? pairedWorkerConfig, ...(deps.fetch ? { fetch: deps.fetch } : {}) },
  );
  if (!result.ok) return result;
  try {
    const record = await (deps.save ?? saveImageRecord)({
      prompt: request.prompt,
      model: result.model,
      size: request.size ?? null,
      count: result.images.length,
      source: request.source,
      pageUrl: request.url,
      pageTitle: request.title,
    });
    return { ok: true, id: record.id, model: result.model, images: result.images, notice: '' };
  } catch (error) {
    // The images were made (and the quota spent): show them anyway, and say memory did not keep the prompt.
    console.warn('CalicoLobster: the image record could not be saved', error);
    return { ok: true, id: newImageId(), model: result.model, images: result.images, notice: `Not saved to memory: ${String((error as Error)?.message ?? error).slice(0, 300)}` };
  }
}
