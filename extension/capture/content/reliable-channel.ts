import type { MessageRequest, MessageResponse, MessageType } from '@shared/schemas/messages';
import { z } from 'zod';
import { sendMessage } from '@/messaging/router';

/**
 * Delivers the content script's capture messages in order, retrying each until the background
 * acknowledges it. The service worker may be asleep (the first send wakes it), or be killed mid-write
 * (the send rejects with a closed port): both just mean "try again a little later". Retrying is safe
 * because every capture message is idempotent. A message is given up after `maxMs`, or at once when the
 * background says it is malformed (resending can't fix that).
 */

export type Transport = <T extends MessageType>(type: T, payload: MessageRequest<T>) => Promise<MessageResponse<T>>;

/** The subset of WXT's ContentScriptContext the channel needs. */
export interface TimerContext {
  setTimeout(handler: () => void, timeout?: number): number;
  readonly isValid: boolean;
}

export interface ChannelOptions {
  transport?: Transport;
  /** Longest time one message is retried. */
  maxMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}

/** Errors a retry can't fix: the request failed validation, storage is full, or the sender may not send it. */
const FINAL_CODES = new Set(['invalid', 'quota', 'forbidden']);

interface Pending {
  type: MessageType;
  payload: unknown;
  coalesceKey?: string;
  resolve(value: unknown): void;
}

export interface CaptureChannel {
  /** Queues a message; resolves with the response, or undefined when it was given up. `coalesceKey`
   * lets a newer message replace a still-queued older one with the same key (heartbeats). */
  send<T extends MessageType>(type: T, payload: MessageRequest<T>, options?: { coalesceKey?: string }): Promise<MessageResponse<T> | undefined>;
  /** Sends once, now, outside the queue (for pagehide, when there is no later). */
  sendNow<T extends MessageType>(type: T, payload: MessageRequest<T>): void;
}

export function createChannel(ctx: TimerContext, options: ChannelOptions = {}): CaptureChannel {
  const transport = options.transport ?? sendMessage;
  const maxMs = options.maxMs ?? 120_000;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 2_000;
  const now = options.now ?? Date.now;
  const queue: Pending[] = [];
  let draining = false;

  const sleep = (ms: number) => new Promise<void>((resolve) => ctx.setTimeout(resolve, ms));

  async function deliver(item: Pending): Promise<unknown> {
    const deadline = now() + maxMs;
    for (let attempt = 0; ctx.isValid; attempt++) {
      try {
        return await transport(item.type, item.payload as never);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (error instanceof z.ZodError || (typeof code === 'string' && FINAL_CODES.has(code))) return undefined;
        if (now() >= deadline) return undefined;
        const delay = Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
        await sleep(Math.min(delay, Math.max(0, deadline - now())));
      }
    }
    return undefined;
  }

  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      while (queue.length && ctx.isValid) {
        const item = queue.shift()!;
        item.resolve(await deliver(item));
      }
    } finally {
      draining = false;
    }
  }

  return {
    send(type, payload, opts = {}) {
      return new Promise((resolve) => {
        if (opts.coalesceKey) {
          const older = queue.find((q) => q.coalesceKey === opts.coalesceKey);
          if (older) {
            // The newer message supersedes the queued one; both callers get its answer.
            const previousResolve = older.resolve;
            older.payload = payload;
            older.resolve = (value) => {
              previousResolve(value);
              resolve(value as never);
            };
            return;
          }
        }
        queue.push({ type, payload, coalesceKey: opts.coalesceKey, resolve: resolve as (value: unknown) => void });
        void drain();
      });
    },
    sendNow(type, payload) {
      void transport(type, payload).catch(() => undefined);
    },
  };
}
