/**
 * Exact instants. Snapshots store request times as `TIMESTAMP` in microseconds (UTC by convention)
 * and record `time_range` with up to six fractional digits; a JS `Date` keeps milliseconds only, so
 * anchoring a window on one would drop the requests of the last partial millisecond. Every bound
 * that reaches SQL is therefore a {@link Micros}: integer microseconds since 1970-01-01T00:00:00Z.
 *
 * Integers are exact in a JS number up to 2^53 µs (about ±285 years around 1970), so instants are
 * limited to the years {@link MIN_YEAR}–{@link MAX_YEAR}; anything else is refused, never rounded.
 * Parsing is strict: `2025-02-30` and `T24:00` are not dates (no rollover into the next month or day).
 */
/** Integer microseconds since the Unix epoch, UTC. */
export type Micros = number;
/** What the API accepts where an instant is expected: exact µs, an ISO string (µs kept), or a Date (ms). */
export type InstantInput = Micros | string | Date;

export const US_PER_MS = 1_000;
export const US_PER_SECOND = 1_000_000;
export const US_PER_HOUR = 3_600_000_000;
export const US_PER_DAY = 86_400_000_000;

export const MIN_YEAR = 1700;
export const MAX_YEAR = 2200;
const MIN_US = Date.UTC(MIN_YEAR, 0, 1) * US_PER_MS;
const MAX_US = Date.UTC(MAX_YEAR + 1, 0, 1) * US_PER_MS;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/;

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** Why a text is not an instant, or `null` when it is one. */
export function instantProblem(text: unknown): string | null {
  if (typeof text !== 'string') return 'not a string';
  const m = ISO.exec(text);
  if (!m) return 'not an ISO 8601 date or date-time (YYYY-MM-DD[THH:MM[:SS[.ffffff]]][Z|±HH:MM])';
  const [, ys, mos, ds, hs, mis, ss, , zone] = m;
  const y = +ys;
  const mo = +mos;
  const d = +ds;
  if (y < MIN_YEAR || y > MAX_YEAR) return `year ${y} is outside ${MIN_YEAR}–${MAX_YEAR}`;
  if (mo < 1 || mo > 12) return `month ${mos} does not exist`;
  if (d < 1 || d > daysInMonth(y, mo)) return `day ${ds} does not exist in ${ys}-${mos}`;
  if (hs !== undefined && +hs > 23) return `hour ${hs} does not exist (00–23)`;
  if (mis !== undefined && +mis > 59) return `minute ${mis} does not exist (00–59)`;
  if (ss !== undefined && +ss > 59) return `second ${ss} does not exist (00–59)`;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^[+-](\d{2}):?(\d{2})$/.exec(zone)!;
    if (+z[2] > 59 || +z[1] * 60 + +z[2] > 18 * 60) return `UTC offset ${zone} does not exist (−18:00 … +18:00)`;
  }
  if (hs === undefined && zone) return 'a bare date takes no UTC offset';
  return null;
}

/**
 * Parses an ISO 8601 date or date-time to exact microseconds. A bare date is UTC midnight; a
 * date-time without an offset is UTC. Returns `null` for anything that is not a real instant.
 */
export function parseMicros(text: unknown): Micros | null {
  if (instantProblem(text) !== null) return null;
  const [, ys, mos, ds, hs = '0', mis = '0', ss = '0', frac = '', zone] = ISO.exec(text as string)!;
  let us = Date.UTC(+ys, +mos - 1, +ds, +hs, +mis, +ss) * US_PER_MS + Number(frac.padEnd(6, '0'));
  if (zone && zone !== 'Z' && zone !== 'z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (+z[2] * 60 + +z[3]) * 60 * US_PER_SECOND;
    us -= z[1] === '+' ? offset : -offset;
  }
  return us >= MIN_US && us < MAX_US ? us : null;
}

/** Converts any accepted instant to exact microseconds; throws a TypeError for a value that is not one. */
export function toMicros(value: InstantInput): Micros {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) return value;
  } else if (value instanceof Date) {
    const t = value.getTime();
    if (Number.isFinite(t)) return t * US_PER_MS;
  } else {
    const us = parseMicros(value);
    if (us !== null) return us;
  }
  throw new TypeError(`not an instant: ${String(value)}`);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** Splits µs into whole milliseconds (floor) and the µs within that millisecond (0–999). */
function split(us: Micros): [ms: number, sub: number] {
  const ms = Math.floor(us / US_PER_MS);
  return [ms, us - ms * US_PER_MS];
}

/** `YYYY-MM-DD HH:MM:SS[.ffffff]` (UTC, no zone), the text DuckDB reads as a TIMESTAMP. */
function sqlText(us: Micros): string {
  const [ms, sub] = split(us);
  const d = new Date(ms);
  const base = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const frac = d.getUTCMilliseconds() * US_PER_MS + sub;
  return frac === 0 ? base : `${base}.${pad(frac, 6)}`;
}

/** ISO 8601 in UTC with the fraction only as long as needed (`…:00Z`, `…:00.123Z`, `…:00.123457Z`). */
export function formatMicros(us: Micros): string {
  const text = sqlText(us).replace(' ', 'T');
  const dot = text.indexOf('.');
  if (dot < 0) return `${text}Z`;
  const frac = text.slice(dot + 1).replace(/0+$/, '');
  return `${text.slice(0, dot)}.${frac.length <= 3 ? frac.padEnd(3, '0') : frac}Z`;
}

/** The text of a `TIMESTAMP '…'` literal with every microsecond kept (wrapped as Sql by `timestamp()` in sql.ts). */
export function timestampSql(us: Micros): string {
  if (!Number.isSafeInteger(us)) throw new TypeError(`timestampSql: not an integer microsecond instant: ${us}`);
  return `TIMESTAMP '${sqlText(us)}'`;
}

/** A JS Date for display (the sub-millisecond part is floored away: never use it as a query bound). */
export const dateOf = (us: Micros): Date => new Date(split(us)[0]);

/** Start of the UTC hour or day holding `us`. */
export function truncMicros(us: Micros, unit: 'hour' | 'day'): Micros {
  const size = unit === 'hour' ? US_PER_HOUR : US_PER_DAY;
  return Math.floor(us / size) * size;
}
