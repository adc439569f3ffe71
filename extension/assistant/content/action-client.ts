import { ACTION_PORT, RunnerEvent, type ActionRequest } from '@shared/schemas/assistant-page';

/**
 * The content script's end of a run: opens the Port, sends the request, hands each validated event
 * on, and reports the end once — `done`/`error` from the background, or the Port closing early (the
 * service worker died, the extension reloaded). `stop()` closes the Port, which aborts the run there.
 */

export interface PortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export type Connect = (name: string) => PortLike;

export interface RunHandle {
  stop(): void;
}

export const defaultConnect: Connect = (name) => chrome.runtime.connect({ name });

export function startRun(request: ActionRequest, onEvent: (event: RunnerEvent) => void, connect: Connect = defaultConnect): RunHandle {
  let ended = false;
  const end = (event: RunnerEvent) => {
    if (ended) return;
    ended = true;
    onEvent(event);
  };
  let port: PortLike;
  try {
    port = connect(ACTION_PORT);
  } catch (error) {
    queueMicrotask(() => end({ type: 'error', code: 'no-connection', message: `The extension could not be reached (${(error as Error).message}). Reload the page and try again.` }));
    return { stop: () => undefined };
  }
  port.onMessage.addListener((raw) => {
    if (ended) return;
    const parsed = RunnerEvent.safeParse(raw);
    if (!parsed.success) return;
    if (parsed.data.type === 'done' || parsed.data.type === 'error') end(parsed.data);
    else onEvent(parsed.data);
  });
  port.onDisconnect.addListener(() => end({ type: 'error', code: 'disconnected', message: 'The answer was cut off: the extension stopped answering. Try again.' }));
  port.postMessage(request);
  return {
    stop: () => {
      if (ended) return;
      ended = true;
      port.disconnect();
    },
  };
}
