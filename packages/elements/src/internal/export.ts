/**
 * Export what a chart shows: CSV of its rows (text cells, formula-injection-safe) and PNG of its
 * SVG (computed styles inlined, rasterised through a canvas), plus a download helper.
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

export interface PngOptions {
  /** Pixel ratio of the image (default: the device's, at least 2). */
  scale?: number;
  /** Background painted under the chart (default: the SVG's computed background, else white). */
  background?: string;
  onProgress?: (p: ExportProgress) => void;
  signal?: AbortSignal;
}

/** Presentation properties copied from the live chart into the exported copy. */
const STYLE_PROPS = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'visibility',
  'display',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'shape-rendering',
  'paint-order',
] as const;

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Elements handled per slice before yielding, so the page stays responsive on big charts. */
const SLICE = 500;

/**
 * A standalone copy of `svg` with each element's computed presentation styles inlined (CSS custom
 * properties and shadow-DOM styles resolved), sized in pixels. Elements that are not rendered
 * (`display: none`) are dropped.
 */
export async function inlineSvg(svg: SVGSVGElement, { onProgress, signal }: Pick<PngOptions, 'onProgress' | 'signal'> = {}): Promise<SVGSVGElement> {
  const { width, height } = svgSize(svg);
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const live = [svg, ...svg.querySelectorAll('*')];
  const cloned = [copy, ...copy.querySelectorAll('*')];
  const drop: Element[] = [];
  for (let i = 0; i < live.length; i++) {
    if (i % SLICE === SLICE - 1) {
      onProgress?.({ phase: 'styles', fraction: 0.6 * (i / live.length) });
      await nextFrame();
      signal?.throwIfAborted();
    }
    const cs = getComputedStyle(live[i]);
    if (cs.display === 'none') {
      drop.push(cloned[i]);
      continue;
    }
    const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
    cloned[i].setAttribute('style', style);
    cloned[i].removeAttribute('class');
  }
  for (const el of drop) el.remove();
  copy.setAttribute('xmlns', SVG_NS);
  copy.setAttribute('width', String(width));
  copy.setAttribute('height', String(height));
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return copy;
}

/** Serialises an SVG chart to a PNG blob (styles inlined → image → canvas → PNG). */
export async function svgToPng(svg: SVGSVGElement, options: PngOptions = {}): Promise<Blob> {
  const { onProgress, signal } = options;
  signal?.throwIfAborted();
  const scale = options.scale ?? Math.max(2, globalThis.devicePixelRatio || 1);
  const { width, height } = svgSize(svg);
  if (width <= 0 || height <= 0) throw new Error('svgToPng: the chart has no size (is it hidden?)');
  onProgress?.({ phase: 'styles', fraction: 0 });
  const copy = await inlineSvg(svg, { onProgress, signal });
  onProgress?.({ phase: 'serialize', fraction: 0.6 });
  const text = new XMLSerializer().serializeToString(copy);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    onProgress?.({ phase: 'rasterize', fraction: 0.7 });
    const img = await loadImage(url);
    signal?.throwIfAborted();
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('svgToPng: no 2D canvas context');
    ctx.fillStyle = options.background ?? backgroundOf(svg);
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    onProgress?.({ phase: 'encode', fraction: 0.85 });
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('svgToPng: the canvas could not be encoded');
    onProgress?.({ phase: 'done', fraction: 1 });
    return blob;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function svgSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.getBoundingClientRect();
  const width = box.width || Number(svg.getAttribute('width')) || 0;
  const height = box.height || Number(svg.getAttribute('height')) || 0;
  return { width: Math.round(width), height: Math.round(height) };
}

/** The first non-transparent background up the (composed) tree, else white. */
function backgroundOf(el: Element): string {
  let node: Element | null = el;
  while (node) {
    const bg = getComputedStyle(node).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
    node = node.parentElement ?? ((node.getRootNode() as ShadowRoot).host || null);
  }
  return '#ffffff';
}

function loadImage(url: string): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => resolve(img);
    img.onerror = () => reject(new Error('svgToPng: the serialised chart could not be loaded as an image'));
    img.src = url;
  });
}

const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));
