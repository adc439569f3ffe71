import { z } from 'zod';

/**
 * JSON values with bounds. `z.json()` checks a value by recursing into it with no depth limit, so a
 * setting nested a few thousand levels deep overflows the stack of whoever parses it (the worker
 * answered 500) — and it has no size limit at all, so one setting could outgrow the worker's row.
 * This walks the value with an explicit stack and stops at the first bound it crosses.
 */

export interface JsonLimits {
  /** Nesting levels of arrays/objects (a scalar is depth 0). */
  depth: number;
  /** Characters of one string (object keys included). */
  stringChars: number;
  /** Items of one array, keys of one object. */
  items: number;
  /** UTF-8 bytes of the whole value as JSON. */
  bytes: number;
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

const encoder = new TextEncoder();

/** UTF-8 size of a value's JSON (what a request body or a stored row holds). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : encoder.encode(text).length;
}

/** The first way `value` is not JSON within `limits`, or null when it is. Never recurses. */
export function jsonProblem(value: unknown, limits: JsonLimits): string | null {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  let nodes = 0;
  let chars = 0;
  while (stack.length) {
    const { value: v, depth } = stack.pop()!;
    // Every node costs at least a byte or two of JSON: a cheap early stop for huge values.
    if (++nodes > limits.bytes) return `more than ${limits.bytes} bytes`;
    if (v === null || typeof v === 'boolean') continue;
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return 'numbers must be finite';
      continue;
    }
    if (typeof v === 'string') {
      if (v.length > limits.stringChars) return `a string longer than ${limits.stringChars} characters`;
      // Each character is at least one byte of JSON: stop before stringifying something huge.
      chars += v.length;
      if (chars > limits.bytes) return `more than ${limits.bytes} bytes`;
      continue;
    }
    if (typeof v !== 'object') return `not JSON (${typeof v})`;
    if (depth >= limits.depth) return `nested deeper than ${limits.depth} levels`;
    if (Array.isArray(v)) {
      if (v.length > limits.items) return `an array of more than ${limits.items} items`;
      for (const item of v) stack.push({ value: item, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return 'not a plain JSON object';
    const keys = Object.keys(v);
    if (keys.length > limits.items) return `an object of more than ${limits.items} keys`;
    for (const key of keys) {
      if (key.length > limits.stringChars) return `a key longer than ${limits.stringChars} characters`;
      chars += key.length;
      stack.push({ value: (v as Record<string, unknown>)[key], depth: depth + 1 });
    }
  }
  const bytes = jsonBytes(value);
  if (bytes > limits.bytes) return `${bytes} bytes of JSON, more than ${limits.bytes}`;
  return null;
}

/** A zod schema for a JSON value within `limits`. */
export function boundedJson(limits: JsonLimits) {
  return z.custom<JsonValue>().superRefine((value, ctx) => {
    const problem = jsonProblem(value, limits);
    if (problem) ctx.addIssue({ code: 'custom', message: `not a bounded JSON value: ${problem}` });
  });
}

/** A check to add to a record schema: its JSON must fit in `bytes`. */
export function maxJsonBytes(bytes: number, what: string) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    const size = jsonBytes(value);
    if (size > bytes) ctx.addIssue({ code: 'custom', message: `${what} is ${size} bytes as JSON; at most ${bytes} fit` });
  };
}
