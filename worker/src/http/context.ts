import type { AuthContext } from '../auth/accounts';
import type { Env } from '../env';
import type { RequestMonitor } from '../monitoring/request-monitor';

export interface Variables {
  requestId: string;
  /** Set by the auth middleware on every /v1 route that needs a signed-in device. */
  auth: AuthContext;
  /** Route pattern for metrics (e.g. /v1/devices/:id), never the raw path with ids in it. */
  route: string;
  /** Per-request monitoring (worker/src/monitoring): routes add usage and stage timings. */
  monitor: RequestMonitor;
}

export type AppEnv = { Bindings: Env; Variables: Variables };
