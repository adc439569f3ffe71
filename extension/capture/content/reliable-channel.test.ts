import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MessageError } from '@/messaging/router';
import { createChannel, type TimerContext, type Transport } from './reliable-channel';

/** Timers that run on a manual clock, so retries and back-off are tested without waiting. */
function fakeContext() {
  let time = 0;
  let valid = true;
  const timers: { at: number; fn: () => void }[] = [];
  const ctx: TimerContext = {
    setTimeout(fn, ms = 0) {
      timers.push({ at: time + ms, fn });
      return timers.length;
    },
    get isValid() {
      return valid;
    },
  };
  return {
    ctx,
    now: () => time,
    invalidate: () => (valid = false),
    /** Advances the clock, running due timers and letting promises settle between them. */
    async advance(ms: number) {
      const end = time + ms;
      for (;;) {
        await new Promise((r) => setImmediate(r));
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > end) break;
        timers.shift();
        time = next.at;
        next.fn();
      }
      time = end;
      await new Promise((r) => setImmediate(r));
    },
  };
}

const beat = (visitId: string, activeMs: number) => ({ visitId, title: 't', endedAt: activeMs, activeMs });

describe('reliable channel', () => {
  it('retries until the background answers, with back-off', async () => {
    const clock = fakeContext();
    const attempts: number[] = [];
    const transport: Transport = async () => {
      attempts.push(clock.now());
      if (attempts.length < 4) throw new Error('Could not establish connection. Receiving end does not exist.');
      return { recorded: true } as never;
    };
    const channel = createChannel(clock.ctx, { transport, now: clock.now, baseDelayMs: 100 });
    const reply = channel.send('visit.heartbeat', beat('visit-aaaaaaaa', 1));
    await clock.advance(10_000);
    expect(await reply).toEqual({ recorded: true });
    expect(attempts).toEqual([0, 100, 300, 700]);
  });

  it('keeps order: a message waits for the one before it', async () => {
    const clock = fakeContext();
    const delivered: string[] = [];
    let failFirst = 2;
    const transport: Transport = async (type, payload) => {
      if (type === 'visit.begin' && failFirst-- > 0) throw new Error('The message port closed before a response was received.');
      delivered.push(type === 'visit.begin' ? 'begin' : `beat ${(payload as { activeMs: number }).activeMs}`);
      return { recorded: true } as never;
    };
    const channel = createChannel(clock.ctx, { transport, now: clock.now, baseDelayMs: 50 });
    void channel.send('visit.begin', { visitId: 'visit-aaaaaaaa', url: 'https://e.com/', canonicalUrl: null, title: '', referrer: null, transition: 'load', startedAt: 0 });
    void channel.send('visit.heartbeat', beat('visit-aaaaaaaa', 1), { coalesceKey: 'hb' });
    // Queued behind the failing begin: the newer heartbeat replaces the older one.
    void channel.send('visit.heartbeat', beat('visit-aaaaaaaa', 2), { coalesceKey: 'hb' });
    await clock.advance(5_000);
    expect(delivered).toEqual(['begin', 'beat 2']);
  });

  it('gives up after maxMs, and at once on errors a retry cannot fix', async () => {
    const clock = fakeContext();
    let calls = 0;
    const down: Transport = async () => {
      calls++;
      throw new Error('Could not establish connection.');
    };
    const channel = createChannel(clock.ctx, { transport: down, now: clock.now, maxMs: 3_000, baseDelayMs: 100, maxDelayMs: 1_000 });
    const reply = channel.send('visit.heartbeat', beat('visit-aaaaaaaa', 1));
    await clock.advance(10_000);
    expect(await reply).toBeUndefined();
    expect(calls).toBeGreaterThan(3);
    expect(calls).toBeLessThan(10);

    for (const error of [new MessageError('invalid', 'bad request'), new MessageError('quota', 'full'), new z.ZodError([])]) {
      let tries = 0;
      const broken: Transport = async () => {
        tries++;
        throw error;
      };
      const once = createChannel(clock.ctx, { transport: broken, now: clock.now });
      const result = once.send('visit.heartbeat', beat('visit-aaaaaaaa', 1));
      await clock.advance(1_000);
      expect(await result).toBeUndefined();
      expect(tries).toBe(1);
    }
  });

  it('stops when the content script is invalidated', async () => {
    const clock = fakeContext();
    let calls = 0;
    const down: Transport = async () => {
      calls++;
      throw new Error('Extension context invalidated.');
    };
    const channel = createChannel(clock.ctx, { transport: down, now: clock.now, baseDelayMs: 100 });
    void channel.send('visit.heartbeat', beat('visit-aaaaaaaa', 1));
    await clock.advance(250);
    const before = calls;
    clock.invalidate();
    await clock.advance(10_000);
    expect(calls).toBeLessThanOrEqual(before + 1);
  });
});
