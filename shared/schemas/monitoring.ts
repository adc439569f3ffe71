import { z } from 'zod';

/**
 * Monitoring contracts: the owner dashboard's API and the user's own usage (GET /v1/usage/activity), which the
 * extension's options page reads. Only counts and timings; never text.
 */
const Millis = z.number().int().nonnegative();

export const SeriesQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  /** Bucket width in seconds. */
  bucket: z.coerce.number().int().min(1).max(86_400 * 7).optional(),
});
export type SeriesQuery = z.infer<typeof SeriesQuery>;

export const BucketStats = z.object({
  t: Millis,
  requests: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  errorRate: z.number().min(0).max(1),
  p50: z.number().nonnegative(),
  p95: z.number().nonnegative(),
  tokensIn: z.number().nonnegative(),
  tokensOut: z.number().nonnegative(),
  rated: z.number().int().nonnegative(),
  down: z.number().int().nonnegative(),
  downRate: z.number().min(0).max(1).nullable(),
});
export type BucketStats = z.infer<typeof BucketStats>;

export const UsageResponse = z.object({
  bucketMs: z.number().int().positive(),
  from: Millis,
  to: Millis,
  overall: z.array(BucketStats).max(10_000),
  routes: z.record(z.string().max(256), z.array(BucketStats).max(10_000)),
  models: z.record(z.string().max(256), z.array(BucketStats).max(10_000)),
});
export type UsageResponse = z.infer<typeof UsageResponse>;

export const RequestsQuery = z.object({
  from: z.coerce.number().int().nonnegative().optional(),
  to: z.coerce.number().int().nonnegative().optional(),
  route: z.string().max(256).optional(),
  errors: z.enum(['0', '1']).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});
