import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTOR, detectAnomalies, robustBaseline, type SeriesPoint } from './anomaly';
import { CsvSeriesError, parseSeriesCsv } from './csv-series';

/** Seeded PRNG (mulberry32) + Box–Muller: every run sees the same noise. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => {
    let u = 0;
    while (u === 0) u = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

const SIGMA = 5;
function series(n: number, seed: number, effect: (i: number) => number = () => 0): SeriesPoint[] {
  const noise = gaussian(seed);
  return Array.from({ length: n }, (_, i) => ({ t: 1_764_000_000_000 + i * 60_000, value: 100 + SIGMA * noise() + effect(i) }));
}
const at = (points: SeriesPoint[], i: number) => points[i]!.t;

describe('detectAnomalies', () => {
  it('raises one shift incident for a 1.5σ step, starting soon after it', () => {
    const points = series(600, 11, (i) => (i >= 300 ? 1.5 * SIGMA : 0));
    const alerts = detectAnomalies(points);
    expect(alerts).toHaveLength(1);
    const [alert] = alerts;
    expect(alert).toMatchObject({ kind: 'shift', direction: 'up', closed: true });
    expect(alert!.t).toBeGreaterThanOrEqual(at(points, 300));
    expect(alert!.t).toBeLessThan(at(points, 330));
    expect(alert!.points).toBeGreaterThan(10);
    expect(alert!.expected).toBeCloseTo(100, -1);
    expect(alert!.score).toBeGreaterThan(DEFAULT_DETECTOR.L);
  });

  it('raises one spike for a single 10σ point, and the spike does not also open a shift', () => {
    const points = series(600, 12, (i) => (i === 300 ? 10 * SIGMA : 0));
    expect(detectAnomalies(points)).toEqual([
      expect.objectContaining({ kind: 'spike', direction: 'up', t: at(points, 300), end: at(points, 300), points: 1, value: points[300]!.value }),
    ]);
  });

  it('sees a downward spike too', () => {
    const points = series(400, 13, (i) => (i === 200 ? -9 * SIGMA : 0));
    expect(detectAnomalies(points)).toEqual([expect.objectContaining({ kind: 'spike', direction: 'down' })]);
  });

  it('catches a slow drift (0.05σ per point) as one ongoing incident', () => {
    const points = series(800, 14, (i) => (i >= 300 ? 0.05 * SIGMA * (i - 300) : 0));
    const alerts = detectAnomalies(points);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'shift', direction: 'up', closed: false });
    expect(alerts[0]!.t).toBeGreaterThan(at(points, 300));
    expect(alerts[0]!.t).toBeLessThan(at(points, 400));
  });

  it('stays quiet on pure noise: 0 alerts counted over 5 × 10 000 seeded points', () => {
    let count = 0;
    for (const seed of [1, 3, 4, 5, 6]) count += detectAnomalies(series(10_000, seed)).length;
    expect(count).toBe(0);
  });

  it('groups a burst of spikes into one incident and keeps the worst point', () => {
    const points = series(400, 15, (i) => (i === 200 ? 8 * SIGMA : i === 201 ? 12 * SIGMA : 0));
    const alerts = detectAnomalies(points);
    expect(alerts).toHaveLength(1);
    // The two spikes also lift the EWMA over its limit for a point or two: still the same one incident.
    expect(alerts[0]).toMatchObject({ kind: 'spike', value: points[201]!.value, t: at(points, 200) });
    expect(alerts[0]!.points).toBeGreaterThanOrEqual(2);
  });

  it('judges a flat series (0 errors) against minScale, in the series units', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ t: i, value: i >= 80 ? 0.5 : 0 }));
    const alerts = detectAnomalies(points, { minScale: 0.05 });
    expect(alerts).toEqual([expect.objectContaining({ kind: 'shift', t: 80, expected: 0, closed: false })]);
    expect(alerts[0]!.score).toBeGreaterThan(9);
  });

  it('ignores non-finite points, sorts by time and rejects bad options', () => {
    const points = series(300, 16, (i) => (i === 250 ? 10 * SIGMA : 0)).reverse();
    points.push({ t: 5, value: NaN });
    expect(detectAnomalies(points)).toHaveLength(1);
    expect(() => detectAnomalies(points, { lambda: 0 })).toThrow(RangeError);
  });

  it('robustBaseline: median and normal-consistent MAD', () => {
    expect(robustBaseline([1, 2, 3, 4, 100])).toEqual({ center: 3, scale: 1.4826 });
  });
});

describe('parseSeriesCsv', () => {
  it('reads numbers and ISO dates, skips a header, comments and blank lines', () => {
    const { points, labels } = parseSeriesCsv('timestamp,value\n# note\n\n2026-01-01T00:00:00Z,1.5\n1767225660000, 2\n');
    expect(points).toEqual([
      { t: Date.UTC(2026, 0, 1), value: 1.5 },
      { t: 1767225660000, value: 2 },
    ]);
    expect(labels.get(Date.UTC(2026, 0, 1))).toBe('2026-01-01T00:00:00Z');
  });

  it('names the line of a bad row instead of dropping it', () => {
    expect(() => parseSeriesCsv('t,v\n1,2\n2,oops\n')).toThrow(new CsvSeriesError('line 3: expected "timestamp,value", got "2,oops"'));
    expect(() => parseSeriesCsv('1,2\n1,2,3\n')).toThrow(/line 2/);
  });
});
