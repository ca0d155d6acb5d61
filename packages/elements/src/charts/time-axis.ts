/**
 * The time (x) axis of every time series: a UTC scale, its axis with gridlines-free ticks, and the
 * bucket labels used by tooltips, CSV and accessible names. Bucket times are UTC instants in UTC
 * and local wall-clock times counted as if UTC in another zone (the queries' convention), so the
 * scale stays UTC and its ticks fall on local midnights and hours. Labels are `Intl.DateTimeFormat`
 * in the chosen locale (formatted with `timeZone: 'UTC'` over those wall-clock times); the hour
 * label names the zone.
 */
import { axisBottom } from 'd3-axis';
import { scaleUtc, type ScaleTime } from 'd3-scale';
import { select } from 'd3-selection';
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

/** Locale and zone of the labels: a BCP 47 locale (default `en-GB`, the former "5 Oct 2026") and the IANA zone the bucket times are in (default UTC). */
export interface TimeLabelOptions {
  locale?: string;
  timeZone?: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** A cached `Intl.DateTimeFormat` over wall-clock times (always `timeZone: 'UTC'`, see above). */
function dtf(locale: string | undefined, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale ?? ''}|${JSON.stringify(options)}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(locale ?? 'en-GB', { ...options, timeZone: 'UTC' })));
  return f;
}

const DAY: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', year: 'numeric' };
const HOUR: Intl.DateTimeFormatOptions = { ...DAY, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** "5 Oct 2026" (day) or "5 Oct 2026, 14:00 UTC" (hour; the zone's name in another zone) for a bucket start, in the locale. */
export function formatBucket(t: number, bucket: TimeBucket, { locale, timeZone = 'UTC' }: TimeLabelOptions = {}): string {
  return bucket === 'day' ? dtf(locale, DAY).format(t) : `${dtf(locale, HOUR).format(t)} ${timeZone}`;
}

/**
 * Multi-scale tick labels as d3's default, in the locale: the year on 1 January, the month on the
 * 1st, day and month at midnight, else the hour (and minutes when not whole).
 */
export function tickFormat(locale?: string): (t: Date | { valueOf(): number }) => string {
  return (v) => {
    const d = new Date(+v);
    const t = d.getTime();
    if (d.getUTCMilliseconds() || d.getUTCSeconds()) return dtf(locale, { minute: '2-digit', second: '2-digit' }).format(t);
    if (d.getUTCMinutes()) return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
    if (d.getUTCHours()) return dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
    if (d.getUTCDate() !== 1) return dtf(locale, { day: 'numeric', month: 'short' }).format(t);
    if (d.getUTCMonth() !== 0) return dtf(locale, { month: 'short' }).format(t);
    return dtf(locale, { year: 'numeric' }).format(t);
  };
}

/** ISO 8601 of a bucket start (`2026-10-05T00:00:00.000Z`). */
export const isoOf = (t: number): string => new Date(t).toISOString();

/** Draws the bottom axis of `x` into `g` (ticks about every 90 px; multi-scale labels in `locale`). */
export function drawTimeAxis(g: SVGGElement, x: ScaleTime<number, number>, plot: PlotRect, { locale }: TimeLabelOptions = {}): void {
  const ticks = Math.max(2, Math.floor(plot.width / 90));
  g.setAttribute('transform', `translate(0,${plot.top + plot.height})`);
  select(g).call(axisBottom(x).ticks(ticks).tickFormat(tickFormat(locale)).tickSizeOuter(0));
  g.setAttribute('aria-hidden', 'true');
}

/** Bucket starts in [start, end) every `bucket` (UTC hours/days are fixed lengths). */
export function bucketStarts(start: number, end: number, bucket: TimeBucket): number[] {
  const step = BUCKET_MS[bucket];
  const out: number[] = [];
  for (let t = Math.floor(start / step) * step; t < end; t += step) out.push(t);
  return out;
}
