import { Envelope, MESSAGES, type SenderKind, type MessageRequest, type MessageResponse, type MessageType, type ParsedRequest, type Reply } from '@shared/schemas/messages';
import { z } from 'zod';
import { assertOwnPage, assertSenderAllowed, senderKind } from './sender-policy';

/**
 * Typed, validated messages between extension contexts. Handlers register per message type
 * (one feature, one file of handlers); the listener validates the request before a handler sees it and
 * the response before the caller does, and always answers with a Reply envelope — a throwing handler
 * becomes `{ ok: false, error }` rather than a silent `undefined` on the other side.
 */

export interface HandlerContext {
  sender: chrome.runtime.MessageSender;
  /** Which kind of context sent it, as the browser reports the sender: handlers of messages a content
   * script may send limit what it reaches to its own page (sender-policy.ts allowedPageKeys). */
  from: SenderKind;
}
export type Handler<T extends MessageType> = (payload: ParsedRequest<T>, ctx: HandlerContext) => Promise<MessageResponse<T>> | MessageResponse<T>;

export class MessageError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'MessageError';
  }
}

const handlers = new Map<string, Handler<MessageType>>();

export function onMessage<T extends MessageType>(type: T, handler: Handler<T>): void {
  if (handlers.has(type)) throw new Error(`a handler for ${type} is already registered`);
  handlers.set(type, handler as unknown as Handler<MessageType>);
}

/** For tests: forget all handlers. */
export function clearHandlers(): void {
  handlers.clear();
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof z.ZodError) return { code: 'invalid', message: z.prettifyError(error) };
  const e = error as { code?: unknown; message?: unknown; name?: unknown };
  return {
    code: typeof e?.code === 'string' ? e.code : typeof e?.name === 'string' ? e.name : 'error',
    message: typeof e?.message === 'string' ? e.message : String(error),
  };
}

/** Validates and runs one message; exported so tests (and the listener) share one path. */
export async function dispatch(raw: unknown, sender: chrome.runtime.MessageSender): Promise<Reply<unknown> | undefined> {
  const envelope = Envelope.safeParse(raw);
  if (!envelope.success) return undefined;
  const { type, payload } = envelope.data;
  const handler = handlers.get(type);
  if (!handler) return undefined; // another context may handle it
  try {
    const spec = MESSAGES[type as MessageType] as (typeof MESSAGES)[MessageType] & { from?: readonly SenderKind[] };
    // Who may send it is decided before the payload is even read: a content script is a page's neighbour.
    const from = senderKind(sender);
    assertSenderAllowed(type, from, spec.from);
    const request = spec.request.parse(payload);
    if (from === 'content') assertOwnPage(type, request, sender);
    const response = await handler(request as never, { sender, from: from! });
    return { ok: true, data: spec.response.parse(response) };
  } catch (error) {
    return { ok: false, error: describe(error) };
  }
}

/** Installs the chrome.runtime listener; call once per context after registering handlers. */
export function listen(): void {
  chrome.runtime.onMessage.addListener((raw, sender, sendResponse) => {
    const envelope = Envelope.safeParse(raw);
    if (!envelope.success || !handlers.has(envelope.data.type)) return false;
    void dispatch(raw, sender).then(sendResponse);
    return true; // answer asynchronously
  });
}

function unwrap<T extends MessageType>(type: T, reply: Reply<unknown> | undefined): MessageResponse<T> {
  if (!reply) throw new MessageError('no-receiver', `nobody answered ${type}`);
  if (!reply.ok) throw new MessageError(reply.error.code, reply.error.message);
  return MESSAGES[type].response.parse(reply.data) as MessageResponse<T>;
}

/** Sends a message to the extension (background, pages). Validates the request before it leaves. */
export async function sendMessage<T extends MessageType>(type: T, payload: MessageRequest<T>): Promise<MessageResponse<T>> {
  MESSAGES[type].request.parse(payload);
  const reply = (await chrome.runtime.sendMessage({ type, payload })) as Reply<unknown> | undefined;
  return unwrap(type, reply);
}

/** Sends a message to the content script of one tab. */
export async function sendToTab<T extends MessageType>(tabId: number, type: T, payload: MessageRequest<T>): Promise<MessageResponse<T>> {
  MESSAGES[type].request.parse(payload);
  const reply = (await chrome.tabs.sendMessage(tabId, { type, payload })) as Reply<unknown> | undefined;
  return unwrap(type, reply);
}
