import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './errors';

/** Reads a JSON body and parses it with a schema; any failure is a 400 that says what was wrong. */
export async function readJson<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch (error) {
    if (error instanceof ApiError) throw error;
    // A body cut short in transit lands here too: nothing was applied, the client may resend it.
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
