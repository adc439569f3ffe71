/**
 * Anomaly detection on one time series: an EWMA control chart for small sustained shifts and drifts,
 * plus a robust z-score rule for isolated spikes, with out-of-control points grouped into incidents
 * (one alert per incident, never one per point). Pure: the worker's scheduled detector and
 * `npm run anomalies` both call `detectAnomalies`.
 *
 * Baseline. Each point is standardised against the trailing `window` points before it with the median
 * and the MAD (×1.4826, the normal-consistent scale). Median/MAD rather than mean/sd so a spike or an
 * ongoing incident barely moves the baseline it is judged against; a trailing window rather than a
 * fixed training period so a slow daily rhythm or a deliberate, lasting change (a new model that is
 * slower) becomes the new normal after about window/2 points instead of alerting forever.
 *
 * EWMA. z_t = λ·r_t + (1−λ)·z_{t−1} on the standardised residuals r_t. Its in-control standard deviation
 * tends to σ_z = sqrt(λ / (2−λ)). λ = 0.2 with limits at L = 2.962·σ_z gives an in-control average run
 * length (ARL0) of about 370 points (Lucas & Saccucci 1990, Table 3) — the same false-alarm rate as a
 * Shewhart 3σ chart — while detecting a 1σ sustained shift in about 10 points instead of about 44. Small
 * λ is what makes it see small shifts: each point carries 20% weight, so a persistent offset
 * accumulates while noise averages out.
 *
 * ARL0 ≈ 370 means a raw chart still fires about 27 times in 10 000 in-control points; an alert that
 * wakes someone must be rarer than that. Two things bring it down without losing real shifts: residuals
 * fed to the EWMA are clipped at ±`clip` (a spike is the spike rule's business and must not also open a
 * "shift"), and a shift incident is only raised once the chart has been out of control for
 * `minShiftPoints` points (gaps of up to `gap` in-control points allowed) — noise excursions of an EWMA with λ = 0.2 rarely last that long,
 * a real shift does. The cost is that delay, in points, before a shift is reported.
 *
 * Spikes. |r_t| > `spikeZ` (default 6): with a robust scale, a 6σ point is essentially never noise
 * (about 2e-9 per point for Gaussian noise, a few per million with the heavier tails of a scale
 * estimated from 60 points).
 */

export interface SeriesPoint {
  /** Milliseconds since the epoch (or any increasing number: the CLI keeps what the file had). */
  t: number;
  value: number;
}

export type AlertKind = 'spike' | 'shift';

export interface Alert {
  /** When the incident started (the first out-of-control point). */
  t: number;
  /** When it last was out of control (equal to t for a one-point spike). */
  end: number;
  kind: AlertKind;
  direction: 'up' | 'down';
  /** The value at the incident's worst point, and what the baseline expected there. */
  value: number;
  expected: number;
  /** How far off, in baseline standard deviations (spike: robust z; shift: EWMA / σ_z). */
  score: number;
  /** Out-of-control points in the incident. */
  points: number;
  /** False when the series ended while still out of control. */
  closed: boolean;
}

export interface DetectorOptions {
  /** EWMA weight of each new point. */
  lambda: number;
  /** Control limit in units of the EWMA's standard deviation. */
  L: number;
  /** Trailing points the baseline (median, MAD) is computed from. */
  window: number;
  /** The newest points left out of the baseline: a shift is judged against the level before it for
   * guard + window/2 points, long enough for the EWMA to see it, before the baseline takes it in. */
  guard: number;
  /** Points needed before any point is judged. */
  minHistory: number;
  /** Robust z above which one point is a spike. */
  spikeZ: number;
  /** Residuals fed to the EWMA are clipped to ±clip. */
  clip: number;
  /** Out-of-control EWMA points in one incident (gaps up to `gap` allowed) before a shift is reported. */
  minShiftPoints: number;
  /** In-control points that end an incident (shorter gaps continue it). */
  gap: number;
  /** Lower bound of the baseline's scale: a series that has been flat (0 errors) still has a meaningful
   * "how far off" (absolute units of the series). */
  minScale: number;
}

export const DEFAULT_DETECTOR: DetectorOptions = {
  lambda: 0.2,
  L: 2.962,
  window: 100,
  guard: 20,
  minHistory: 20,
  spikeZ: 6,
  clip: 3,
  minShiftPoints: 10,
  gap: 3,
  minScale: 1e-9,
};

function median(sorted: number[]): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and normal-consistent MAD of values (not modified). */
export function robustBaseline(values: number[]): { center: number; scale: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const center = median(sorted);
  const deviations = sorted.map((v) => Math.abs(v - center)).sort((a, b) => a - b);
  return { center, scale: 1.4826 * median(deviations) };
}

interface PointVerdict {
  index: number;
  spike: boolean;
  shift: boolean;
  r: number;
  ewmaScore: number;
  center: number;
}

interface OpenIncident {
  first: PointVerdict;
  last: PointVerdict;
  worst: PointVerdict;
  worstScore: number;
  points: number;
  spikes: number;
  /** EWMA out-of-control points (spike-only points don't count). */
  shiftPoints: number;
  sign: number;
}

export function detectAnomalies(series: readonly SeriesPoint[], options: Partial<DetectorOptions> = {}): Alert[] {
  const o = { ...DEFAULT_DETECTOR, ...options };
  if (!(o.lambda > 0 && o.lambda <= 1)) throw new RangeError('lambda must be in (0, 1]');
  if (o.window < 3 || o.minHistory < 3) throw new RangeError('window and minHistory must be at least 3');
  const points = [...series].filter((p) => Number.isFinite(p.t) && Number.isFinite(p.value)).sort((a, b) => a.t - b.t);
  const sigmaZ = Math.sqrt(o.lambda / (2 - o.lambda));
  const alerts: Alert[] = [];
  let z = 0;
  let open: OpenIncident | null = null;
  let calm = 0;

  const close = (incident: OpenIncident, closed: boolean) => {
    // Three or more extreme points in one incident are a level change too, however the EWMA caught up.
    const isShift = incident.shiftPoints >= o.minShiftPoints || incident.spikes >= 3;
    // A short burst of spikes is a spike; a burst of EWMA-only points that never lasted is noise.
    if (!isShift && incident.spikes === 0) return;
    const w = incident.worst;
    alerts.push({
      t: points[incident.first.index]!.t,
      end: points[incident.last.index]!.t,
      kind: isShift ? 'shift' : 'spike',
      direction: incident.sign >= 0 ? 'up' : 'down',
      value: points[w.index]!.value,
      expected: w.center,
      score: round(incident.worstScore),
      points: incident.points,
      closed,
    });
  };

  for (let i = 0; i < points.length; i++) {
    if (i < o.minHistory) continue;
    // Early on there is less history than window + guard: the guard shrinks first, so judging can start.
    const guard = Math.min(o.guard, Math.max(0, i - o.minHistory));
    const history = points.slice(Math.max(0, i - guard - o.window), i - guard).map((p) => p.value);
    const { center, scale } = robustBaseline(history);
    const s = Math.max(scale, o.minScale);
    const r = (points[i]!.value - center) / s;
    const clipped = Math.max(-o.clip, Math.min(o.clip, r));
    // The chart starts at 0 (in control) once there is history to judge against.
    z = i === o.minHistory ? o.lambda * clipped : o.lambda * clipped + (1 - o.lambda) * z;
    const ewmaScore = z / sigmaZ;
    const verdict: PointVerdict = { index: i, spike: Math.abs(r) > o.spikeZ, shift: Math.abs(ewmaScore) > o.L, r, ewmaScore, center };

    if (verdict.spike || verdict.shift) {
      calm = 0;
      const score = Math.max(verdict.spike ? Math.abs(r) : 0, verdict.shift ? Math.abs(ewmaScore) : 0);
      if (!open) {
        open = { first: verdict, last: verdict, worst: verdict, worstScore: score, points: 0, spikes: 0, shiftPoints: 0, sign: Math.sign(verdict.spike ? r : ewmaScore) };
      }
      open.points += 1;
      open.last = verdict;
      if (verdict.spike) open.spikes += 1;
      if (verdict.shift) open.shiftPoints += 1;
      if (score > open.worstScore) {
        open.worst = verdict;
        open.worstScore = score;
        open.sign = Math.sign(verdict.spike ? r : ewmaScore);
      }
    } else if (open) {
      calm += 1;
      if (calm > o.gap) {
        close(open, true);
        open = null;
      }
    }
  }
  if (open) close(open, calm > 0 && calm > o.gap);
  return alerts;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
