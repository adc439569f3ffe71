import { ACTION_PORT, ActionRequest, type RunnerEvent } from '@shared/schemas/assistant-page';
import { runAction, type RunnerDeps } from './action-runner';

/**
 * The Port a run streams on. The content script opens it and sends one ActionRequest; the background
 * answers with RunnerEvents and closes it when the run ends. Stop in the bubble closes it from the
 * other side, which aborts the run — and with it the engine's request (a fetch to the worker or an
 * endpoint is cancelled, so nothing keeps generating for a reader that's gone).
 */

export interface PortLike {
  name: string;
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(listener: (message: unknown) => void): void };
  onDisconnect: { addListener(listener: () => void): void };
}

export function serveActionPort(port: PortLike, deps: () => RunnerDeps): void {
  const controller = new AbortController();
  let closed = false;
  let started = false;
  port.onDisconnect.addListener(() => {
    closed = true;
    controller.abort(new DOMException('Stopped.', 'AbortError'));
  });
  const emit = (event: RunnerEvent) => {
    if (closed) return;
    try {
      port.postMessage(event);
    } catch {
      closed = true;
      controller.abort();
    }
  };
  port.onMessage.addListener((raw) => {
    if (started) return;
    started = true;
    const parsed = ActionRequest.safeParse(raw);
    if (!parsed.success) {
      emit({ type: 'error', code: 'invalid', message: 'The request was not understood.' });
      port.disconnect();
      return;
    }
    void runAction(parsed.data, deps(), emit, controller.signal)
      .catch((error: unknown) => emit({ type: 'error', code: 'failed', message: (error as Error)?.message ?? String(error) }))
      .finally(() => {
        if (!closed) {
          closed = true;
          port.disconnect();
        }
      });
  });
}

export function registerActionRunner(deps: () => RunnerDeps): void {
  chrome.runtime.onConnect.addListener((port) => {
    if (port.name !== ACTION_PORT) return;
    // Only this extension's own contexts connect here (content scripts and pages): runtime.connect from a
    // web page needs externally_connectable, which the manifest does not grant.
    serveActionPort(port, deps);
  });
}
