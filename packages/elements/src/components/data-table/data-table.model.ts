/**
 * The data model of `<usage-data-table>`, pure: column definitions, cell values and their display
 * text by type, sorting (stable, nulls last, locale-aware text, numeric numbers and dates) and
 * case-insensitive search over the displayed text.
 */
import type { ColumnType, DataColumn, SortDirection } from '../../internal/data-column.js';
import { formatPercent } from '../../internal/format.js';

export type { ColumnType, DataColumn, SortDirection };

export const valueOf = <R>(col: DataColumn<R>, row: R): unknown => (col.value ? col.value(row) : (row as Record<string, unknown>)[col.key]);

const numberFormats = new Map<string, Intl.NumberFormat>();
function nf(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale, options)));
  return f;
}

/** Epoch ms of a date-like value (ms, Date, ISO string), or NaN. */
export function timeOf(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

/** The display text of a value for a column type. */
export function formatCell(v: unknown, type: ColumnType = 'text', locale = 'en-US'): string {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? nf(locale, { maximumFractionDigits: 2 }).format(v) : String(v);
    case 'integer':
      return typeof v === 'number' && Number.isFinite(v) ? nf(locale, { maximumFractionDigits: 0 }).format(v) : String(v);
    case 'percent':
      return typeof v === 'number' && Number.isFinite(v) ? formatPercent(v, locale) : String(v); // 0–100, the queries' unit
    case 'currency':
      return typeof v === 'number' && Number.isFinite(v) ? nf(locale, { style: 'currency', currency: 'USD' }).format(v) : String(v);
    case 'date':
    case 'datetime': {
      const t = timeOf(v);
      if (!Number.isFinite(t)) return String(v);
      const iso = new Date(t).toISOString();
      return type === 'date' ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
    }
    default:
      return Array.isArray(v) ? v.join(', ') : String(v);
  }
}

/** The text a cell shows. */
export function cellText<R>(col: DataColumn<R>, row: R, locale?: string): string {
  const v = valueOf(col, row);
  return col.format ? col.format(v, row) : formatCell(v, col.type, locale);
}

/**
 * CSV columns for data columns: the raw values (numbers stay numbers), dates as ISO 8601, headers
 * = labels.
 */
export function csvColumnsOf<R>(columns: readonly DataColumn<R>[]): { key: string; label: string; value: (row: R) => unknown }[] {
  return columns.map((c) => ({
    key: c.key,
    label: c.label,
    value: (row: R) => {
      const v = valueOf(c, row);
      if ((c.type === 'date' || c.type === 'datetime') && v !== null && v !== undefined && v !== '') {
        const t = timeOf(v);
        return Number.isFinite(t) ? new Date(t) : v;
      }
      return v;
    },
  }));
}

const isNumeric = (t: ColumnType | undefined): boolean => t === 'number' || t === 'integer' || t === 'percent' || t === 'currency';

/** A comparator for a column (ascending; empty values always last, whatever the direction). */
export function comparator<R>(col: DataColumn<R>, direction: SortDirection, locale = 'en-US'): (a: R, b: R) => number {
  const sign = direction === 'descending' ? -1 : 1;
  const collator = new Intl.Collator(locale, { numeric: true, sensitivity: 'base' });
  const key = (row: R): number | string | null => {
    const v = valueOf(col, row);
    if (v === null || v === undefined || v === '') return null;
    if (isNumeric(col.type)) return typeof v === 'number' ? (Number.isNaN(v) ? null : v) : Number(v);
    if (col.type === 'date' || col.type === 'datetime') {
      const t = timeOf(v);
      return Number.isFinite(t) ? t : null;
    }
    return Array.isArray(v) ? v.join(', ') : String(v);
  };
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) return ka === kb ? 0 : ka === null ? 1 : -1;
    if (typeof ka === 'number' && typeof kb === 'number') return sign * (ka - kb);
    return sign * collator.compare(String(ka), String(kb));
  };
}

/** A lowercase haystack per row (the displayed text of its searchable columns). */
export function searchIndex<R>(rows: readonly R[], columns: readonly DataColumn<R>[], locale?: string): string[] {
  const cols = columns.filter((c) => c.searchable !== false);
  return rows.map((row) =>
    cols
      .map((c) => cellText(c, row, locale))
      .join('\u0000')
      .toLocaleLowerCase(),
  );
}

/** Rows whose searchable text contains every whitespace-separated term of `query` (case-insensitive). */
export function searchRows<R>(rows: readonly R[], index: readonly string[], query: string): R[] {
  const terms = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  if (terms.length === 0) return [...rows];
  return rows.filter((_, i) => terms.every((t) => index[i].includes(t)));
}
