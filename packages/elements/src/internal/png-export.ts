/**
 * PNG export of an SVG chart: computed styles inlined, drawn on a canvas, encoded. Loaded on the
 * first export (`<usage-chart-frame>` imports it lazily), so it is not part of a chart's first paint.
 */
import type { ExportProgress } from './export.js';

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
