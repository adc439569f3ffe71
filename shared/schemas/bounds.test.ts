import { describe, expect, it } from 'vitest';
import { Settings } from './records';
import { Change, MAX_RECORD_BYTES, PushRequest, RECORD_SCHEMAS, SettingEntry } from './sync';
import { jsonBytes } from './bounded-json';

/**
 * Every record the shared schemas accept fits the worker's row, and hostile shapes are refused with a
 * reason instead of crashing the parser (issue 9, item 6).
 */

const HLC = '001764072000000-00000-devA';

function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { v: value };
  return value;
}

function settingPut(value: unknown) {
  return { op: 'put', kind: 'setting', key: 'ai.engine', hlc: HLC, data: { key: 'ai.engine', value, updatedAt: 1 } };
}

describe('schema bounds', () => {
  it('a setting nested 2,000 deep is refused with a reason, without overflowing the stack', () => {
    const body = { pushId: 'push_0001', changes: [settingPut(nested(2_000))] };
    let result: ReturnType<typeof PushRequest.safeParse> | undefined;
    expect(() => (result = PushRequest.safeParse(body))).not.toThrow();
    expect(result!.success).toBe(false);
    expect(JSON.stringify(result!.error!.issues)).toMatch(/nested deeper than 16/);
    expect(SettingEntry.safeParse({ key: 'k', value: nested(12), updatedAt: 1 }).success).toBe(true);
  });

  it('a 2.1 MiB setting is refused', () => {
    const value = 'x'.repeat(2.1 * 1024 * 1024);
    expect(Change.safeParse(settingPut(value)).success).toBe(false);
    expect(Change.safeParse(settingPut(['x'.repeat(16_000)])).success).toBe(true);
    const many = Array.from({ length: 20 }, () => 'y'.repeat(16_000));
    const r = Change.safeParse(settingPut(many));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/bytes/);
  });

  it('a denylist of 5,000 × 512 characters is refused, both as Settings and as a synced setting', () => {
    const denylist = Array.from({ length: 5_000 }, (_, i) => `${i}`.padEnd(512, 'z'));
    expect(Settings.safeParse({ paused: false, denylist }).success).toBe(false);
    expect(Change.safeParse(settingPut({ paused: false, denylist })).success).toBe(false);
    expect(Settings.safeParse({ paused: false, denylist: denylist.slice(0, 300) }).success).toBe(true);
  });

  it('non-JSON values are refused (NaN, functions, class instances)', () => {
    for (const value of [Number.NaN, () => 1, new Date(0), { a: new Map() }]) {
      expect(SettingEntry.safeParse({ key: 'k', value, updatedAt: 1 }).success).toBe(false);
    }
  });

  it('every record kind: a record at each field’s maximum is refused past MAX_RECORD_BYTES, never stored oversize', () => {
    const big = (n: number) => 'é'.repeat(n);
    const message = (i: number) => ({ id: `msg_${String(i).padStart(6, '0')}`, role: 'assistant', content: big(64_000), at: 1 });
    const conversation = { id: 'conv_000001', title: 't', scope: 'memory', messages: Array.from({ length: 200 }, (_, i) => message(i)), createdAt: 1, updatedAt: 1 };
    const r = RECORD_SCHEMAS.conversation.safeParse(conversation);
    expect(r.success).toBe(false);
    expect(r.error!.issues.at(-1)!.message).toMatch(/at most 1048576 fit/);
    // What is accepted fits.
    const small = { ...conversation, messages: conversation.messages.slice(0, 4) };
    expect(RECORD_SCHEMAS.conversation.safeParse(small).success).toBe(true);
    expect(jsonBytes(small)).toBeLessThanOrEqual(MAX_RECORD_BYTES);

    const page = { url: 'https://e.com/', site: 'e.com', title: 't', text: '\u0001'.repeat(200_000), wordCount: 1, capturedAt: 1, updatedAt: 1 };
    // 200k control characters escape to 1.2 MB of JSON: the row check refuses what the per-field bound allows.
    expect(RECORD_SCHEMAS.page.safeParse(page).success).toBe(false);
    expect(RECORD_SCHEMAS.page.safeParse({ ...page, text: 'a'.repeat(200_000) }).success).toBe(true);
  });

  it('a highlight keeps at most 16 selectors', () => {
    const selector = { type: 'TextQuoteSelector', exact: 'q' };
    const highlight = { id: 'hl_00000001', url: 'https://e.com/', site: 'e.com', pageTitle: 'p', text: 'q', color: 'yellow', createdAt: 1, updatedAt: 1 };
    expect(RECORD_SCHEMAS.highlight.safeParse({ ...highlight, selectors: Array(16).fill(selector) }).success).toBe(true);
    expect(RECORD_SCHEMAS.highlight.safeParse({ ...highlight, selectors: Array(5_000).fill(selector) }).success).toBe(false);
  });
});
