import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors';
import { jsonDepth } from './json-depth';

/** Deepest nesting of arrays/objects any request body may have. The envelope takes about five levels
 * (body → changes → change → data → field); records need a handful more. Far below what makes a
 * recursive schema overflow the stack (a few thousand), whatever the shared schemas say. */
export const MAX_JSON_DEPTH = 64;

/** Reads a JSON body and parses it with a schema; any failure is a 4xx that says what was wrong. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // A body cut short in transit lands here too: nothing was applied, the client may resend it.
    throw new ApiError('bad_request', 'the body could not be read');
  }
  const depth = jsonDepth(text, MAX_JSON_DEPTH);
  if (depth > MAX_JSON_DEPTH) {
    throw new ApiError('unprocessable', `the body is nested more than ${MAX_JSON_DEPTH} levels deep`, [{ path: '(root)', message: `nesting deeper than ${MAX_JSON_DEPTH} levels` }]);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError('bad_request', 'the body is not valid JSON');
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw ApiError.fromZod(parsed.error, 'body');
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const parsed = schema.safeParse(c.req.query());
  if (!parsed.success) throw ApiError.fromZod(parsed.error, 'query');
  return parsed.data;
}
