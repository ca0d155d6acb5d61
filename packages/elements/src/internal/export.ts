/**
 * Export what a chart shows: CSV of its rows (text cells, formula-injection-safe), plus a download
 * helper; PNG export of its SVG is in png-export.ts (loaded on demand).
 * Long exports report progress (UX2.4) through `onProgress`.
 */
import { csvFormatRows } from 'd3-dsv';

/** A column of a CSV export: which field of a row, under which header. */
export interface CsvColumn<R = Record<string, unknown>> {
  key: string;
  label?: string;
  /** Reads the cell (default `row[key]`). */
  value?: (row: R) => unknown;
}

/** Characters that make spreadsheet software read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The text of one CSV cell: `''` for null/undefined, ISO for dates, plain digits for numbers
 * (no locale grouping), `; `-joined lists, JSON for other objects. A string that starts with
 * `=`, `+`, `-`, `@`, tab or CR is prefixed with `'` so it stays text in a spreadsheet.
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.toISOString() : '';
  const text = Array.isArray(value) ? value.map((v) => csvCell(v)).join('; ') : typeof value === 'string' ? value : JSON.stringify(value);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * CSV text (RFC 4180 quoting by d3-dsv) of `rows` under `columns` (default: the keys of the first
 * row). The header row uses the columns' labels.
 */
export function toCsv<R extends object>(rows: readonly R[], columns?: readonly CsvColumn<R>[]): string {
  const cols: CsvColumn<R>[] = columns ? [...columns] : Object.keys(rows[0] ?? {}).map((key) => ({ key }));
  const header = cols.map((c) => csvCell(c.label ?? c.key));
  const body = rows.map((row) => cols.map((c) => csvCell(c.value ? c.value(row) : (row as Record<string, unknown>)[c.key])));
  return csvFormatRows([header, ...body]);
}

/** A file name safe on every OS: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export function safeFilename(name: string, extension: string): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[^\w.-]+/g, '-')
      .replace(/-+/g, '-')
      .replace(/^[-.]+|[-.]+$/g, '')
      .slice(0, 100) || 'export';
  return `${base}.${extension}`;
}

/** Saves a blob as a file through a temporary `<a download>` (revokes the URL afterwards). */
export function downloadBlob(blob: Blob, filename: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Downloads `rows` as `<name>.csv` (UTF-8 with a BOM so spreadsheet software reads accents). Returns the CSV text. */
export function downloadCsv<R extends object>(name: string, rows: readonly R[], columns?: readonly CsvColumn<R>[]): string {
  const csv = toCsv(rows, columns);
  downloadBlob(new Blob(['\uFEFF', csv], { type: 'text/csv;charset=utf-8' }), safeFilename(name, 'csv'));
  return csv;
}

export interface ExportProgress {
  phase: 'styles' | 'serialize' | 'rasterize' | 'encode' | 'done';
  /** 0…1 over the whole export. */
  fraction: number;
}
