/**
 * Prices as markup writes them. schema.org asks for a plain number with a dot ("119.01"), which is
 * what most pages give; the rest write "56,00 €", "$15", "1.299,00" or a range ("71,91 € 79,90 €", the
 * first is taken). Returns null when no number can be read.
 */

const PLAIN = /^\s*[+]?\d+(?:\.\d+)?\s*$/;

export function parsePrice(raw: string | number | null | undefined): number | null {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'number') return Number.isFinite(raw) && raw >= 0 ? raw : null;
  if (PLAIN.test(raw)) return Number(raw);
  const token = /\d[\d.,\s\u00a0\u202f']*/.exec(raw)?.[0]?.replace(/[\s\u00a0\u202f']+$/, '');
  if (!token) return null;
  const compact = token.replace(/[\s\u00a0\u202f']/g, '');
  const lastDot = compact.lastIndexOf('.');
  const lastComma = compact.lastIndexOf(',');
  let normalised: string;
  if (lastDot >= 0 && lastComma >= 0) {
    // Both separators: the later one is the decimal point.
    const decimal = lastDot > lastComma ? '.' : ',';
    const thousands = decimal === '.' ? ',' : '.';
    normalised = compact.split(thousands).join('').replace(decimal, '.');
  } else if (lastComma >= 0) {
    // "56,00" is a decimal comma; "1,299" (three digits after the only comma) is a thousands separator.
    const parts = compact.split(',');
    normalised = parts.length === 2 && parts[1]!.length !== 3 ? parts.join('.') : parts.join('');
  } else {
    const parts = compact.split('.');
    normalised = parts.length > 2 ? parts.join('') : compact;
  }
  const value = Number(normalised.replace(/[.,]$/, ''));
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/** Currency symbols pages write instead of an ISO code, where the symbol names one currency. */
const SYMBOLS: Record<string, string> = { '€': 'EUR', '£': 'GBP', '₹': 'INR', '₽': 'RUB', '₪': 'ILS', '¥': 'JPY', '₩': 'KRW', '₺': 'TRY', zł: 'PLN' };

/** An ISO 4217 code when the markup states one (upper-cased), else a symbol's code, else null. */
export function parseCurrency(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const t = raw.trim();
  if (/^[A-Za-z]{3}$/.test(t)) return t.toUpperCase();
  for (const [symbol, code] of Object.entries(SYMBOLS)) if (t.includes(symbol)) return code;
  const code = /\b([A-Z]{3})\b/.exec(t)?.[1];
  return code ?? null;
}
