/**
 * Number and delta formatting for KPI figures (pure; `Intl` only). Large values are shown compact
 * ("12.3K") with the full value kept for `title` and the accessible name.
 */
import type { TimeRange } from '@usage-analytics/queries';

export interface FormattedValue {
  /** What the card shows (compact at or above the threshold). */
  display: string;
  /** The full value, for `title` and `aria-label`. */
  full: string;
}

export interface FormatOptions {
  locale?: string;
  /** Decimals shown for values under the compact threshold (the full value keeps one more). */
  fractionDigits?: number;
  /** Values at or above this absolute size are shown compact. */
  compactThreshold?: number;
}

const formatters = new Map<string, Intl.NumberFormat>();
function nf(locale: string | undefined, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

export function formatValue(value: number, { locale, fractionDigits = 0, compactThreshold = 10_000 }: FormatOptions = {}): FormattedValue {
  const full = nf(locale, { maximumFractionDigits: fractionDigits > 0 ? fractionDigits + 1 : 0 }).format(value);
  const display =
    Math.abs(value) >= compactThreshold
      ? nf(locale, { notation: 'compact', maximumFractionDigits: 1 }).format(value)
      : nf(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
  return { display, full };
}

export type DeltaDirection = 'up' | 'down' | 'flat' | 'na';

export interface FormattedDelta {
  direction: DeltaDirection;
  /** ▲, ▼, ▬, or empty for n/a: a shape, so the change never relies on colour alone. */
  glyph: string;
  /** Signed percentage ("+12.3%", "-4.0%", "0.0%") or "n/a". */
  text: string;
  /** Words for the accessible name ("up 12.3%"). */
  spoken: string;
}

/** Formats a relative change (0.123 = +12.3 %); `null` (previous period was 0) gives "n/a". */
/**
 * A percentage from the query modules (0–100, the unit of every share and rate there) in the
 * locale's percent style: `formatPercent(58.4)` → "58.4%".
 */
export function formatPercent(value: number, locale?: string, { digits = 1, minDigits = 0 }: { digits?: number; minDigits?: number } = {}): string {
  return nf(locale, { style: 'percent', minimumFractionDigits: minDigits, maximumFractionDigits: digits }).format(value / 100);
}

export function formatDelta(delta: number | null, locale?: string): FormattedDelta {
  if (delta === null || !Number.isFinite(delta)) {
    return { direction: 'na', glyph: '', text: 'n/a', spoken: 'not available (no data in the previous period)' };
  }
  const rounded = Math.round(delta * 10) / 10; // delta is in % (queries' unit convention); 0.1 % steps, as displayed
  const abs = formatPercent(Math.abs(rounded), locale, { digits: 1, minDigits: 1 });
  if (rounded > 0) return { direction: 'up', glyph: '▲', text: `+${abs}`, spoken: `up ${abs}` };
  if (rounded < 0) return { direction: 'down', glyph: '▼', text: `-${abs}`, spoken: `down ${abs}` };
  return { direction: 'flat', glyph: '▬', text: abs, spoken: 'unchanged' };
}

const PRESET_WORDS: Record<string, string> = {
  '1h': 'hour',
  '24h': '24 hours',
  '7d': '7 days',
  '30d': '30 days',
  '90d': '90 days',
};

/** "previous 30 days" / "previous period" for a time range. */
export function previousPeriodLabel(range: TimeRange | undefined): string {
  const words = range && range.preset !== 'custom' ? PRESET_WORDS[range.preset] : undefined;
  return words ? `previous ${words}` : 'previous period';
}

/** "last 30 days" / "selected period" for a time range. */
export function currentPeriodLabel(range: TimeRange | undefined): string {
  const words = range && range.preset !== 'custom' ? PRESET_WORDS[range.preset] : undefined;
  return words ? `last ${words}` : 'selected period';
}
