import { afterEach, describe, expect, it, vi } from 'vitest';
import { clearHandlers, dispatch } from '@/messaging/router';
import { DEFAULT_DUTY_CYCLE, IDLE_AFTER_S, registerMachineStateHandler, restAfterBatch } from './machine-state';

describe('restAfterBatch', () => {
  it('rests longer while the person uses the machine than while they are away or locked', () => {
    expect(restAfterBatch(300, 'active')).toBe(300 * DEFAULT_DUTY_CYCLE.active);
    expect(restAfterBatch(300, 'idle')).toBe(300 * DEFAULT_DUTY_CYCLE.away);
    expect(restAfterBatch(300, 'locked')).toBe(restAfterBatch(300, 'idle'));
    expect(restAfterBatch(300, 'active')).toBeGreaterThan(restAfterBatch(300, 'idle'));
  });

  it('never parks the queue for long, and takes a custom duty cycle', () => {
    expect(restAfterBatch(60_000, 'active')).toBe(5_000);
    expect(restAfterBatch(-5, 'active')).toBe(0);
    expect(restAfterBatch(100, 'active', { active: 0.5, away: 0 })).toBe(50);
  });
});

describe('ai.machineState (background)', () => {
  afterEach(() => {
    clearHandlers();
    vi.unstubAllGlobals();
  });

  it("answers with chrome.idle's state for the idle threshold, validated", async () => {
    const queryState = vi.fn(async () => 'locked');
    vi.stubGlobal('chrome', { idle: { queryState }, runtime: { id: 'test-extension-id', getURL: (p: string) => `chrome-extension://test-extension-id${p}` } });
    registerMachineStateHandler();
    const reply = await dispatch({ type: 'ai.machineState', payload: {} }, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/offscreen.html' } as chrome.runtime.MessageSender);
    expect(reply).toEqual({ ok: true, data: { state: 'locked' } });
    expect(queryState).toHaveBeenCalledWith(IDLE_AFTER_S);
  });

  it('refuses a state chrome.idle never gives (the response schema guards the offscreen side)', async () => {
    vi.stubGlobal('chrome', { idle: { queryState: async () => 'asleep' }, runtime: { id: 'test-extension-id', getURL: (p: string) => `chrome-extension://test-extension-id${p}` } });
    registerMachineStateHandler();
    const reply = (await dispatch({ type: 'ai.machineState', payload: {} }, { id: 'test-extension-id', url: 'chrome-extension://test-extension-id/offscreen.html' } as chrome.runtime.MessageSender)) as { ok: boolean; error?: { code: string } };
    expect(reply.ok).toBe(false);
    expect(reply.error?.code).toBe('invalid');
  });
});
