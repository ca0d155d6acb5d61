/**
 * Fills for palette swatches: a plain colour, or the colour under a hatch (diagonal lines or dots)
 * for swatches that share a hue with another (see `internal/palette.ts`), in SVG and on canvas.
 */
import type { Swatch } from '../internal/palette.js';
import { svgEl } from './contract.js';

const SIZE = 6;

/** The SVG `fill` of a swatch: its colour, or `url(#…)` of a pattern created once in `defs`. */
export function svgFill(defs: SVGDefsElement, swatch: Swatch): string {
  if (swatch.hatch === 'none') return swatch.colour;
  const key = `${swatch.hatch}-${swatch.colour.slice(1)}`;
  let pattern = defs.querySelector<SVGPatternElement>(`pattern[data-fill="${key}"]`);
  if (!pattern) {
    pattern = svgEl('pattern', { id: `usage-fill-${key}-${++ids}`, 'data-fill': key, patternUnits: 'userSpaceOnUse', width: SIZE, height: SIZE });
    pattern.append(svgEl('rect', { width: SIZE, height: SIZE, fill: swatch.colour }));
    pattern.append(
      swatch.hatch === 'diagonal'
        ? svgEl('path', {
            d: `M0,${SIZE} L${SIZE},0 M-1,1 L1,-1 M${SIZE - 1},${SIZE + 1} L${SIZE + 1},${SIZE - 1}`,
            stroke: 'rgba(255,255,255,0.7)',
            'stroke-width': 1.2,
          })
        : svgEl('circle', { cx: SIZE / 2, cy: SIZE / 2, r: 1.3, fill: 'rgba(0,0,0,0.55)' }),
    );
    defs.append(pattern);
  }
  return `url(#${pattern.id})`;
}
let ids = 0;

/** The canvas fill of a swatch (a `CanvasPattern` for hatched swatches). */
export function canvasFill(ctx: CanvasRenderingContext2D, swatch: Swatch, ratio = 1): string | CanvasPattern {
  if (swatch.hatch === 'none') return swatch.colour;
  const size = Math.round(SIZE * ratio);
  const tile = document.createElement('canvas');
  tile.width = tile.height = size;
  const t = tile.getContext('2d')!;
  t.fillStyle = swatch.colour;
  t.fillRect(0, 0, size, size);
  if (swatch.hatch === 'diagonal') {
    t.strokeStyle = 'rgba(255,255,255,0.7)';
    t.lineWidth = 1.2 * ratio;
    t.beginPath();
    t.moveTo(0, size);
    t.lineTo(size, 0);
    t.stroke();
  } else {
    t.fillStyle = 'rgba(0,0,0,0.55)';
    t.beginPath();
    t.arc(size / 2, size / 2, 1.3 * ratio, 0, 2 * Math.PI);
    t.fill();
  }
  return ctx.createPattern(tile, 'repeat') ?? swatch.colour;
}

/** A line's dash for a swatch (lines cannot be hatched): solid, long dash, or dotted. */
export function lineDash(swatch: Swatch): number[] {
  return swatch.hatch === 'none' ? [] : swatch.hatch === 'diagonal' ? [7, 3] : [2, 2];
}
