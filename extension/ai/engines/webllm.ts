import { EngineError, throwIfAborted, toEngineError } from './errors';
import type { Availability, Engine, GenerateOptions, GenerationInput } from './types';

/**
 * WebLLM (MLC) on WebGPU. The library (several MB) is imported only when this engine is asked for, and
 * the model weights are downloaded on the user's request and cached by WebLLM (Cache API), after which
 * generation runs offline.
 *
 * Availability is answered without downloading anything: no `navigator.gpu` or no adapter →
 * unavailable; an adapter but no cached weights → downloadable; cached → available.
 */

/** A small instruction model from WebLLM's prebuilt list (about 0.9 GB of weights in q4f16). */
export const DEFAULT_WEBLLM_MODEL = 'Qwen2.5-1.5B-Instruct-q4f16_1-MLC';

type WebLlm = typeof import('@mlc-ai/web-llm');
type MlcEngine = Awaited<ReturnType<WebLlm['CreateMLCEngine']>>;

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null>;
}

export interface WebLlmEngineOptions {
  model?: string;
  gpu?: GpuLike | undefined;
  load?: () => Promise<WebLlm>;
}

export interface WebGpuProbe {
  hasApi: boolean;
  adapter: boolean;
  description: string;
}

export async function probeWebGpu(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<WebGpuProbe> {
  if (!gpu) return { hasApi: false, adapter: false, description: '' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { hasApi: true, adapter: false, description: '' };
    const info = adapter.info ?? {};
    return { hasApi: true, adapter: true, description: [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') };
  } catch {
    return { hasApi: true, adapter: false, description: '' };
  }
}

export class WebLlmEngine implements Engine {
  readonly id = 'webllm' as const;
  readonly label = 'WebLLM on this device’s GPU';
  readonly local = true;
  private readonly model: string;
  private engine: Promise<MlcEngine> | undefined;

  constructor(private readonly options: WebLlmEngineOptions = {}) {
    this.model = options.model ?? DEFAULT_WEBLLM_MODEL;
  }

  private lib(): Promise<WebLlm> {
    return (this.options.load ?? (() => import('@mlc-ai/web-llm')))();
  }

  private gpu(): GpuLike | undefined {
    return 'gpu' in this.options ? this.options.gpu : (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  }

  async available(): Promise<Availability> {
    const probe = await probeWebGpu(this.gpu());
    if (!probe.hasApi) return { status: 'unavailable', reason: 'This browser has no WebGPU.' };
    if (!probe.adapter) return { status: 'unavailable', reason: 'WebGPU found no usable GPU adapter.' };
    try {
      const lib = await this.lib();
      if (!lib.prebuiltAppConfig.model_list.some((m) => m.model_id === this.model)) {
        return { status: 'unavailable', reason: `WebLLM does not know the model ${this.model}.` };
      }
      if (await lib.hasModelInCache(this.model)) return { status: 'available' };
      return { status: 'downloadable', detail: `${this.model} must be downloaded once (about 1 GB) before it runs offline.` };
    } catch (error) {
      return { status: 'unavailable', reason: toEngineError(error, this.label, 'load').message };
    }
  }

  /** Downloads (first time) and compiles the model. Progress goes to onProgress. */
  load(options: GenerateOptions = {}): Promise<MlcEngine> {
    this.engine ??= (async () => {
      const lib = await this.lib();
      return lib.CreateMLCEngine(this.model, {
        initProgressCallback: (report) => options.onProgress?.({ fraction: report.progress, text: report.text }),
      });
    })();
    this.engine.catch(() => (this.engine = undefined));
    return this.engine;
  }

  async generate(input: GenerationInput, options: GenerateOptions = {}): Promise<string> {
    throwIfAborted(options.signal);
    const probe = await probeWebGpu(this.gpu());
    if (!probe.adapter) throw new EngineError('unavailable', 'WebLLM needs WebGPU, and this browser has no usable GPU adapter.');
    let engine: MlcEngine;
    try {
      engine = await this.load(options);
    } catch (error) {
      throw toEngineError(error, this.label, 'load');
    }
    const onAbort = () => void engine.interruptGenerate();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let answer = '';
    try {
      const chunks = await engine.chat.completions.create({ messages: input.messages, stream: true, temperature: 0.2 });
      for await (const chunk of chunks) {
        throwIfAborted(options.signal);
        const piece = chunk.choices[0]?.delta?.content ?? '';
        if (piece) {
          answer += piece;
          options.onToken?.(piece);
        }
      }
      throwIfAborted(options.signal);
      return answer;
    } catch (error) {
      throw toEngineError(error, this.label);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }
}
