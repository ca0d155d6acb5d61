/**
 * IANA time zones without SQL: DuckDB-WASM has no ICU time zones offline, so a module that shows
 * local hours groups requests by UTC instant in SQL and maps each group to local time here, with
 * `Intl.DateTimeFormat` (exact across DST, half- and quarter-hour zones).
 *
 * The window [start, end) is cut into {@link ZoneSegment}s of constant UTC offset: the offset is
 * sampled once a day and, where two samples differ, the change is found to the second by bisection
 * (tz transitions fall on whole seconds; zones change at most once within a day). Local wall time of
 * an instant t is t + offset(t), and its hour of the week is (⌊local / 1 h⌋ + 72) mod 168
 * (0 = Monday 00:00, as in `hourOfWeekSpan`: 1970-01-01 was a Thursday).
 *
 * {@link zoneGrain} is the largest divisor of an hour that every offset and every transition instant
 * of the window is a multiple of (1 h for most zones, 30 min for Asia/Kolkata, 15 min for
 * Asia/Kathmandu): requests grouped by UTC instant into steps of that grain never straddle a local
 * hour, so counting them per group is exact.
 */
import { ParamError, describeValue } from './errors.js';
import { Sql, join, sql, timestamp } from './sql.js';
import { US_PER_DAY, US_PER_HOUR, US_PER_MS, type Micros } from './time.js';

export const HOURS_PER_WEEK = 168;
const MS_SECOND = 1_000;
const MS_DAY = 86_400_000;

/** A stretch of the window with one UTC offset. */
export interface ZoneSegment {
  start: Micros;
  end: Micros;
  /** Local time − UTC, in µs. */
  offset: Micros;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * Validates an IANA time zone name (or `UTC`) and returns its canonical spelling; `undefined` and
 * `null` give `def`. Anything `Intl.DateTimeFormat` does not know is a {@link ParamError}.
 */
export function timeZoneParam(name: string, value: unknown, def = 'UTC'): string {
  if (value === undefined || value === null) return def;
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) {
    throw new ParamError(name, `${name} must be an IANA time zone name such as "Europe/Berlin" or "UTC", got ${describeValue(value)}`, value);
  }
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new ParamError(name, `${name} is not a time zone this browser knows: ${describeValue(value)} (use an IANA name such as "America/New_York")`, value);
  }
}

/** True for the zones whose offset is always 0 (then the UTC path applies). */
export const isUtcZone = (timeZone: string): boolean => ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/UCT', 'UCT', 'Etc/Universal', 'Etc/Zulu'].includes(timeZone);

/** Local − UTC at the epoch millisecond `ms` (whole seconds), in ms. */
export function offsetMsAt(timeZone: string, ms: number): number {
  const t = Math.floor(ms / MS_SECOND) * MS_SECOND;
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(t)) p[part.type] = part.value;
  let year = Number(p.year);
  if (p.era === 'BC' || p.era === 'B') year = 1 - year;
  const d = new Date(0);
  d.setUTCFullYear(year, Number(p.month) - 1, Number(p.day));
  d.setUTCHours(Number(p.hour), Number(p.minute), Number(p.second), 0);
  return d.getTime() - t;
}

const segmentMemo = new Map<string, ZoneSegment[]>();

/** The window [start, end) cut where the zone's offset changes (one segment for a zone without DST). */
export function zoneSegments(timeZone: string, start: Micros, end: Micros): ZoneSegment[] {
  const key = `${timeZone}|${start}|${end}`;
  const hit = segmentMemo.get(key);
  if (hit) return hit;
  const out: ZoneSegment[] = [];
  if (end > start) {
    // Whole seconds around the window (offsets change on whole seconds).
    const s0 = Math.floor(start / US_PER_MS / MS_SECOND) * MS_SECOND;
    const e0 = Math.ceil(end / US_PER_MS / MS_SECOND) * MS_SECOND;
    let segStart = start;
    let t = s0;
    let off = offsetMsAt(timeZone, t);
    while (t < e0) {
      const next = Math.min(t + MS_DAY, e0);
      const o = offsetMsAt(timeZone, next);
      if (o === off) {
        t = next;
        continue;
      }
      // The first second with the new offset lies in (t, next]: bisect on whole seconds.
      let lo = Math.floor(t / MS_SECOND);
      let hi = Math.ceil(next / MS_SECOND);
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (offsetMsAt(timeZone, mid * MS_SECOND) === off) lo = mid;
        else hi = mid;
      }
      const at = Math.max(start, Math.min(end, hi * MS_SECOND * US_PER_MS));
      if (at > segStart) out.push({ start: segStart, end: at, offset: off * US_PER_MS });
      segStart = at;
      off = offsetMsAt(timeZone, hi * MS_SECOND);
      t = hi * MS_SECOND;
    }
    if (end > segStart) out.push({ start: segStart, end, offset: off * US_PER_MS });
  }
  if (segmentMemo.size > 64) segmentMemo.clear();
  segmentMemo.set(key, out);
  return out;
}

const gcd = (a: number, b: number): number => (b === 0 ? Math.abs(a) : gcd(b, a % b));

/**
 * The grain in µs (a divisor of one hour) at which grouping UTC instants never straddles a local
 * hour in these segments: the gcd of one hour, every offset and every segment boundary inside the window.
 */
export function zoneGrain(segments: readonly ZoneSegment[]): Micros {
  const hourS = US_PER_HOUR / 1e6;
  let g = hourS;
  for (let i = 0; i < segments.length; i++) {
    g = gcd(g, Math.round(segments[i].offset / 1e6) % hourS);
    if (i > 0) g = gcd(g, Math.floor(segments[i].start / 1e6) % hourS);
  }
  return Math.max(1, g) * 1e6;
}

/** Hour of the week (0 = Monday 00:00 … 167 = Sunday 23:00) of the local wall time `local` (µs). */
export const hourOfWeek = (local: Micros): number => {
  const h = Math.floor(local / US_PER_HOUR);
  return (((h + 72) % HOURS_PER_WEEK) + HOURS_PER_WEEK) % HOURS_PER_WEEK;
};

/** The segment holding instant `t` (the first or last one for instants outside the window). */
export function segmentAt(segments: readonly ZoneSegment[], t: Micros): ZoneSegment {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid].start <= t) lo = mid;
    else hi = mid - 1;
  }
  return segments[lo];
}

/**
 * Exposure of every local hour of the week inside the window, in hours: how long the window spends
 * in that local weekday-hour (a whole hour counts 1, a partial one its fraction; a DST spring-forward
 * hour that never happens counts 0, a fall-back hour that happens twice counts 2).
 */
export function localOccurrences(segments: readonly ZoneSegment[]): number[] {
  // Summed in whole µs (exact integers), divided once: equal exposures give equal doubles, so ties stay ties.
  const us = new Array<number>(HOURS_PER_WEEK).fill(0);
  for (const s of segments) {
    let a = s.start + s.offset;
    const b = s.end + s.offset;
    // Partial first hour.
    const firstEnd = Math.min(b, (Math.floor(a / US_PER_HOUR) + 1) * US_PER_HOUR);
    if (firstEnd > a) {
      us[hourOfWeek(a)] += firstEnd - a;
      a = firstEnd;
    }
    if (a >= b) continue;
    // Whole hours [a, lastStart), then the partial last hour.
    const lastStart = Math.floor(b / US_PER_HOUR) * US_PER_HOUR;
    const whole = Math.round((lastStart - a) / US_PER_HOUR);
    if (whole > 0) {
      const weeks = Math.floor(whole / HOURS_PER_WEEK);
      if (weeks > 0) for (let i = 0; i < HOURS_PER_WEEK; i++) us[i] += weeks * US_PER_HOUR;
      const h0 = hourOfWeek(a);
      for (let i = 0; i < whole % HOURS_PER_WEEK; i++) us[(h0 + i) % HOURS_PER_WEEK] += US_PER_HOUR;
    }
    if (b > lastStart && lastStart >= a) us[hourOfWeek(lastStart)] += b - lastStart;
  }
  return us.map((u) => u / US_PER_HOUR);
}

/**
 * The instant (µs) whose wall-clock time in `timeZone` is `wall` (wall-clock µs counted as if UTC).
 * A wall time that happens twice (fall-back) gives the earlier instant; one that never happens
 * (spring-forward gap) is moved forward by the gap, as `Temporal`'s "compatible" disambiguation does
 * (Berlin 2026-03-29 02:30 → 03:30 CEST).
 */
export function wallToInstant(timeZone: string, wall: Micros): Micros {
  if (isUtcZone(timeZone)) return wall;
  const wallMs = Math.floor(wall / US_PER_MS);
  const before = offsetMsAt(timeZone, wallMs - MS_DAY) * US_PER_MS;
  const after = offsetMsAt(timeZone, wallMs + MS_DAY) * US_PER_MS;
  const fits = (off: Micros): boolean => offsetMsAt(timeZone, Math.floor((wall - off) / US_PER_MS)) * US_PER_MS === off;
  const valid = [before, after].filter(fits).map((off) => wall - off);
  if (valid.length > 0) return Math.min(...valid);
  return wall - before; // in the gap: the offset before the change, i.e. later on the clock
}

/** Wall-clock µs (as if UTC) of the instant `t` in `timeZone`. */
export const instantToWall = (timeZone: string, t: Micros): Micros =>
  isUtcZone(timeZone) ? t : t + offsetMsAt(timeZone, Math.floor(t / US_PER_MS)) * US_PER_MS;

/** How far either side of the data a zone's offsets are listed in SQL (later instants use the last offset). */
const ZONE_MARGIN = 400 * US_PER_DAY;

/**
 * A column's local wall-clock time in SQL, without ICU (DuckDB-WASM cannot load it offline):
 * `ts + CASE WHEN ts < t1 THEN o0 WHEN ts < t2 THEN o1 … ELSE on END`, the offsets and transition
 * instants computed here with `Intl` over the snapshot's span (± {@link ZONE_MARGIN}). Native DuckDB
 * and DuckDB-WASM give the same answer; `date_trunc('day', localTs(…))` is then the local day,
 * `hour(…)` the local hour. In UTC (or any zone that is always +00:00) it is the bare column, so
 * the SQL is exactly the UTC SQL.
 */
export function localTs(timeZone: string | undefined, span: { start: Micros; end: Micros }, column: Sql = sql`ts`): Sql {
  const zone = timeZone ?? 'UTC';
  if (isUtcZone(zone)) return column;
  const segs = zoneSegments(zone, span.start - ZONE_MARGIN, span.end + ZONE_MARGIN);
  if (segs.length === 1 && segs[0].offset === 0) return column;
  const us = (o: Micros): Sql => sql`to_microseconds(${o}::BIGINT)`;
  if (segs.length === 1) return sql`(${column} + ${us(segs[0].offset)})`;
  const whens = segs.slice(1).map((s, i) => sql`WHEN ${column} < ${timestamp(s.start)} THEN ${us(segs[i].offset)}`);
  return sql`(${column} + CASE ${join(whens, sql` `)} ELSE ${us(segs[segs.length - 1].offset)} END)`;
}

/** The span a context's zone offsets must cover: the data, the window and the previous window. */
export const contextSpan = (ctx: {
  range: { start: Micros; end: Micros; prevStart: Micros };
  anchor: Micros;
  dataStart: Micros;
}): { start: Micros; end: Micros } => ({
  start: Math.min(ctx.dataStart, ctx.range.prevStart),
  end: Math.max(ctx.anchor, ctx.range.end),
});
