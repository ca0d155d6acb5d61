/**
 * The time (x) axis of every time series: a UTC scale (the data are UTC buckets), its axis with
 * gridlines-free ticks, and the bucket labels used by tooltips, CSV and accessible names.
 */
import { axisBottom } from 'd3-axis';
import { scaleUtc, type ScaleTime } from 'd3-scale';
import { select } from 'd3-selection';
import { utcFormat } from 'd3-time-format';
import type { PlotRect } from './contract.js';

export type Domain = [number, number];
export type TimeBucket = 'hour' | 'day';

export const BUCKET_MS: Readonly<Record<TimeBucket, number>> = Object.freeze({ hour: 3_600_000, day: 86_400_000 });

/** A UTC time scale from `domain` (epoch ms) onto the plot's horizontal extent. */
export function timeScale(domain: Domain, plot: Pick<PlotRect, 'left' | 'width'>): ScaleTime<number, number> {
  if (!(domain[1] > domain[0])) throw new RangeError(`timeScale: empty domain [${domain[0]}, ${domain[1]}]`);
  return scaleUtc()
    .domain(domain)
    .range([plot.left, plot.left + plot.width]);
}

const dayLabel = utcFormat('%-d %b %Y');
const hourLabel = utcFormat('%-d %b %Y, %H:00 UTC');

/** "5 Oct 2026" (day) or "5 Oct 2026, 14:00 UTC" (hour) for a bucket start. */
export function formatBucket(t: number, bucket: TimeBucket): string {
  return bucket === 'day' ? dayLabel(new Date(t)) : hourLabel(new Date(t));
}

/** ISO 8601 of a bucket start (`2026-10-05T00:00:00.000Z`). */
export const isoOf = (t: number): string => new Date(t).toISOString();

/** Draws the bottom axis of `x` into `g` (ticks about every 90 px; UTC multi-scale labels). */
export function drawTimeAxis(g: SVGGElement, x: ScaleTime<number, number>, plot: PlotRect): void {
  const ticks = Math.max(2, Math.floor(plot.width / 90));
  g.setAttribute('transform', `translate(0,${plot.top + plot.height})`);
  select(g).call(axisBottom(x).ticks(ticks).tickSizeOuter(0));
  g.setAttribute('aria-hidden', 'true');
}

/** Bucket starts in [start, end) every `bucket` (UTC hours/days are fixed lengths). */
export function bucketStarts(start: number, end: number, bucket: TimeBucket): number[] {
  const step = BUCKET_MS[bucket];
  const out: number[] = [];
  for (let t = Math.floor(start / step) * step; t < end; t += step) out.push(t);
  return out;
}
