/**
 * The "Added on …" dates in My Clippings.txt, in the two English layouts Kindles write:
 * "Monday, 3 March 2025 10:00:00" (UK) and "Monday, March 3, 2025 10:00:00 AM" (US). Kindles write no
 * time zone, so the date is read as UTC: ids never depend on it, and it stays the same on every device.
 * Returns NaN for anything else (other languages), which the parser reports as skipped.
 */
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export function parseKindleDate(raw: string): number {
  const s = raw.trim().replace(/^[A-Za-z]+,\s*/, '');
  const uk = /^(\d{1,2}) ([A-Za-z]+) (\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$/i.exec(s);
  const us = /^([A-Za-z]+) (\d{1,2}), (\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AP]M)?$/i.exec(s);
  let day: string | undefined, month: string | undefined, year: string | undefined, hh: string | undefined, mm: string | undefined, ss: string | undefined, ampm: string | undefined;
  if (uk) [, day, month, year, hh, mm, ss, ampm] = uk as unknown as string[];
  else if (us) [, month, day, year, hh, mm, ss, ampm] = us as unknown as string[];
  else return NaN;
  const m = MONTHS.indexOf(month!.toLowerCase());
  let hour = Number(hh);
  if (m < 0 || hour > 23 || Number(mm) > 59) return NaN;
  if (ampm) {
    if (hour < 1 || hour > 12) return NaN;
    hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
  }
  const d = Number(day);
  if (!year || !mm) return NaN;
  const t = Date.UTC(Number(year), m, d, hour, Number(mm), Number(ss ?? 0));
  // Date.UTC rolls 31 February into March; a real clipping never says that.
  return new Date(t).getUTCDate() === d ? t : NaN;
}
