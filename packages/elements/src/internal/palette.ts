/**
 * Colour scales for the charts, all colour-blind-safe, pure (no DOM except {@link paletteFromStyles}).
 *
 * - **Categorical, stable per department**: {@link colourFor} / {@link swatchFor} place a key by its
 *   position in the sorted list of *every* department of the snapshot (the domain), so a department
 *   keeps its colour in every chart whatever subset a chart shows. The hues are the theme's
 *   Okabe–Ito tokens (`--usage-cat-1…8`); the 9th–16th keys reuse the hues darker with a diagonal
 *   hatch, the 17th–24th lighter with dots, so no two of 24 keys look alike even without hue.
 * - **Sequential**: viridis or cividis (perceptually uniform, readable in greyscale).
 * - **Diverging for retention** (UX2.2, green = high, red = low): Okabe–Ito vermillion → light
 *   neutral → bluish green, which stay apart under deuteranopia and protanopia; cells always carry
 *   their value as text too ({@link textOn} picks a readable label colour).
 */
import { interpolateLab, interpolateRgb, piecewise } from 'd3-interpolate';
import { scaleDiverging, scaleSequential, type ScaleDiverging, type ScaleSequential } from 'd3-scale';
import { interpolateCividis, interpolateViridis } from 'd3-scale-chromatic';
import { OKABE_ITO, OKABE_ITO_DARK } from '../theme/tokens.js';

/** How a swatch is told apart from the one with the same hue (a texture, never colour alone). */
export type Hatch = 'none' | 'diagonal' | 'dots';

export interface Swatch {
  /** The key's position in the domain (-1 when the key is not in it). */
  index: number;
  /** A concrete colour (`#rrggbb`), usable in SVG, CSS and canvas. */
  colour: string;
  hatch: Hatch;
}

/** Colour of keys outside the domain ("Unknown", "Other"). */
export const OTHER_COLOUR = '#8c8c8c';

/** Code-unit order: the same in every locale and browser, so colours never depend on the user's language. */
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The distinct keys, sorted: the domain every chart assigns colours from. */
export function sortDomain(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort(byCodeUnit);
}

const VARIANTS: { hatch: Hatch; mix: (c: string) => string }[] = [
  { hatch: 'none', mix: (c) => c },
  { hatch: 'diagonal', mix: (c) => hex(interpolateRgb(c, '#000000')(0.35)) },
  { hatch: 'dots', mix: (c) => hex(interpolateRgb(c, '#ffffff')(0.45)) },
];

/** On dark surfaces darker hues would sink into the background: both variants go lighter, told apart by texture. */
const DARK_VARIANTS: typeof VARIANTS = [
  VARIANTS[0],
  { hatch: 'diagonal', mix: (c) => hex(interpolateRgb(c, '#ffffff')(0.3)) },
  { hatch: 'dots', mix: (c) => hex(interpolateRgb(c, '#ffffff')(0.55)) },
];

/** Palettes {@link paletteFromStyles} read on a dark surface (their 9th–24th keys mix towards white). */
const darkPalettes = new WeakSet<readonly string[]>([OKABE_ITO_DARK]);

/** Whether `palette` was resolved on a dark surface (see {@link paletteFromStyles}). */
export const isDarkPalette = (palette: readonly string[]): boolean => darkPalettes.has(palette);

/**
 * The swatch of `key` given the sorted `domain` (see {@link sortDomain}); `palette` defaults to
 * Okabe–Ito (pass {@link paletteFromStyles} to follow a theme).
 */
export function swatchFor(key: string, domain: readonly string[], palette: readonly string[] = OKABE_ITO): Swatch {
  const index = indexIn(domain, key);
  if (index < 0) return { index, colour: OTHER_COLOUR, hatch: 'none' };
  const hue = palette[index % palette.length];
  const variants = darkPalettes.has(palette) ? DARK_VARIANTS : VARIANTS;
  const variant = variants[Math.floor(index / palette.length) % variants.length];
  return { index, colour: variant.mix(hue), hatch: variant.hatch };
}

/** The colour of `key` (see {@link swatchFor}). */
export function colourFor(key: string, domain: readonly string[], palette: readonly string[] = OKABE_ITO): string {
  return swatchFor(key, domain, palette).colour;
}

/** Binary search in a code-unit-sorted domain; falls back to a scan when the caller's list is unsorted. */
function indexIn(domain: readonly string[], key: string): number {
  let lo = 0;
  let hi = domain.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const c = byCodeUnit(domain[mid], key);
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return domain.indexOf(key);
}

/**
 * The categorical palette as the element's theme resolves it (`--usage-cat-1…8`), else Okabe–Ito —
 * {@link OKABE_ITO_DARK} (no black) when the element sits on a dark surface: `--usage-color-surface`
 * is dark, or, without tokens, the element's `color-scheme` is only `dark`. The result is marked
 * dark or light for {@link swatchFor}'s 9th–24th keys. Charts read it through their
 * `ThemeController` (cached, re-read on theme changes), not on every render.
 */
export function paletteFromStyles(el: Element): string[] {
  const styles = getComputedStyle(el);
  const surface = styles.getPropertyValue('--usage-color-surface').trim();
  const dark = surface ? isDarkColour(surface) : styles.colorScheme?.trim() === 'dark';
  const fallbacks = dark ? OKABE_ITO_DARK : OKABE_ITO;
  const palette = fallbacks.map((fallback, i) => {
    const v = styles.getPropertyValue(`--usage-cat-${i + 1}`).trim();
    return /^#[0-9a-f]{6}$/i.test(v) ? v : fallback;
  });
  if (dark) darkPalettes.add(palette);
  return palette;
}

/** Sequential scale for magnitudes: viridis (default) or cividis. */
export function sequentialScale(domain: [number, number], { scheme = 'viridis' }: { scheme?: 'viridis' | 'cividis' } = {}): ScaleSequential<string> {
  if (scheme !== 'viridis' && scheme !== 'cividis') throw new TypeError(`sequentialScale: unknown scheme ${JSON.stringify(scheme)}`);
  return scaleSequential(scheme === 'viridis' ? interpolateViridis : interpolateCividis)
    .domain(domain)
    .clamp(true);
}

/** Low (red) → middle (light neutral) → high (green): Okabe–Ito vermillion and bluish green. */
export const RETENTION_STOPS = ['#b94a00', '#f3efe4', '#00805d'] as const;

/**
 * Diverging retention scale (UX2.2): `domain` = [low, middle, high], e.g. `[0, 0.5, 1]` for shares.
 * Pair it with the value printed in the cell.
 */
export function retentionScale(domain: [number, number, number] = [0, 0.5, 1]): ScaleDiverging<string> {
  return scaleDiverging(piecewise(interpolateLab, [...RETENTION_STOPS]))
    .domain(domain)
    .clamp(true);
}

/** Parses `#rgb`, `#rrggbb` or `rgb(r, g, b)` into [r, g, b] (0–255). */
export function parseColour(colour: string): [number, number, number] {
  const c = colour.trim();
  let m = /^#([0-9a-f]{6})$/i.exec(c);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as [number, number, number];
  m = /^#([0-9a-f]{3})$/i.exec(c);
  if (m) return [0, 1, 2].map((i) => parseInt(m![1][i] + m![1][i], 16)) as [number, number, number];
  m = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(c);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  throw new TypeError(`parseColour: cannot read ${JSON.stringify(colour)}`);
}

/** WCAG relative luminance of a colour. */
export function luminance(colour: string): number {
  const [r, g, b] = parseColour(colour).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG contrast ratio of two colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** Black or white, whichever is more readable on `background` (for value labels in cells). */
export function textOn(background: string): '#000000' | '#ffffff' {
  return contrast(background, '#000000') >= contrast(background, '#ffffff') ? '#000000' : '#ffffff';
}

/** A colour a chart's marks must be lighter than (WCAG luminance under 0.2); unreadable values count as light. */
function isDarkColour(colour: string): boolean {
  try {
    return luminance(colour) < 0.2;
  } catch {
    return false;
  }
}

function hex(colour: string): string {
  return `#${parseColour(colour)
    .map((v) => Math.round(v).toString(16).padStart(2, '0'))
    .join('')}`;
}
