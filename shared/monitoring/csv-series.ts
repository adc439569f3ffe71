import type { SeriesPoint } from './anomaly';

/**
 * Reads `timestamp,value` lines (the input of `npm run anomalies`). A timestamp is a number (kept as
 * is: epoch ms, seconds, or an index) or an ISO-8601 date (turned into epoch ms). A first line that
 * doesn't parse is taken as a header; blank lines and `#` comments are skipped. Any other bad line is
 * an error naming its line number — a silently dropped point would move every baseline after it.
 */
export interface ParsedSeries {
  points: SeriesPoint[];
  /** The timestamp as written, by parsed t, so alerts can quote it back. */
  labels: Map<number, string>;
}

export class CsvSeriesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvSeriesError';
  }
}

const MAX_POINTS = 5_000_000;

function parseTime(raw: string): number | null {
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw);
  if (!/^\d{4}-\d{2}-\d{2}/.test(raw)) return null;
  const ms = Date.parse(raw);
  return Number.isFinite(ms) ? ms : null;
}

export function parseSeriesCsv(text: string): ParsedSeries {
  const points: SeriesPoint[] = [];
  const labels = new Map<number, string>();
  const lines = text.split(/\r?\n/);
  let first = true;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (!line || line.startsWith('#')) continue;
    const cells = line.split(',').map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
    const t = cells.length === 2 ? parseTime(cells[0]!) : null;
    const value = cells.length === 2 && cells[1] !== '' ? Number(cells[1]) : NaN;
    if (t === null || !Number.isFinite(value)) {
      if (first) {
        first = false; // a header
        continue;
      }
      throw new CsvSeriesError(`line ${n + 1}: expected "timestamp,value", got ${JSON.stringify(line.slice(0, 80))}`);
    }
    first = false;
    if (points.length >= MAX_POINTS) throw new CsvSeriesError(`more than ${MAX_POINTS} points`);
    points.push({ t, value });
    labels.set(t, cells[0]!);
  }
  return { points, labels };
}
