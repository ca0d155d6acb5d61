/**
 * Exact ISO 8601 ⇄ epoch microseconds for the tests and the references, written independently of
 * `@usage-analytics/queries` (time.ts): the calendar is Howard Hinnant's days-from-civil algorithm in
 * BigInt, not `Date.UTC`/`Date.parse` (which keep milliseconds only). A reference that parsed with the
 * product's parser would agree with it by construction, so this file imports nothing from it.
 *
 * Semantics (the README's): a bare date is UTC midnight, a date-time without an offset is UTC, up to
 * six fractional digits. Anything else throws: test data must never be silently reread.
 */

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const US_PER_SECOND = 1_000_000n;
const US_PER_DAY = 86_400n * US_PER_SECOND;

const floorDiv = (a: bigint, b: bigint): bigint => (a >= 0n ? a / b : -((-a + b - 1n) / b));

/** Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-compatible low-level date algorithms"). */
function daysFromCivil(y: number, m: number, d: number): bigint {
  const yy = BigInt(m <= 2 ? y - 1 : y);
  const era = floorDiv(yy, 400n);
  const yoe = yy - era * 400n;
  const mp = BigInt(m > 2 ? m - 3 : m + 9);
  const doy = (153n * mp + 2n) / 5n + BigInt(d) - 1n;
  const doe = yoe * 365n + yoe / 4n - yoe / 100n + doy;
  return era * 146_097n + doe - 719_468n;
}

/** Inverse of {@link daysFromCivil}. */
function civilFromDays(days: bigint): [y: number, m: number, d: number] {
  const z = days + 719_468n;
  const era = floorDiv(z, 146_097n);
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const d = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const m = Number(mp < 10n ? mp + 3n : mp - 9n);
  const y = Number(yoe + era * 400n) + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

const isLeap = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y: number, m: number): number => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];

/** ISO 8601 text → exact epoch µs. Throws on anything that is not a real instant. */
export function isoToMicros(text: string): number {
  const m = ISO.exec(text);
  if (!m) throw new Error(`reference: not an ISO instant: ${JSON.stringify(text)}`);
  const [, ys, mos, ds, hs = '0', mis = '0', ss = '0', frac = '', zone] = m;
  const [y, mo, d, h, mi, s] = [ys, mos, ds, hs, mis, ss].map(Number);
  if (mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo) || h > 23 || mi > 59 || s > 59) {
    throw new Error(`reference: impossible instant ${JSON.stringify(text)}`);
  }
  let us = daysFromCivil(y, mo, d) * US_PER_DAY + BigInt((h * 60 + mi) * 60 + s) * US_PER_SECOND + BigInt(frac.padEnd(6, '0'));
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = BigInt(Number(z[2]) * 60 + Number(z[3])) * 60n * US_PER_SECOND;
    us += z[1] === '+' ? -offset : offset;
  }
  const n = Number(us);
  if (!Number.isSafeInteger(n)) throw new Error(`reference: ${text} is beyond 2^53 µs`);
  return n;
}

const p = (n: number | bigint, w = 2): string => String(n).padStart(w, '0');

/** Exact epoch µs → `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fractional digits). */
export function microsToIso(us: number): string {
  if (!Number.isSafeInteger(us)) throw new Error(`reference: not integer µs: ${us}`);
  const u = BigInt(us);
  const days = floorDiv(u, US_PER_DAY);
  const rest = u - days * US_PER_DAY;
  const [y, m, d] = civilFromDays(days);
  const sec = rest / US_PER_SECOND;
  const sub = rest % US_PER_SECOND;
  return `${p(y, 4)}-${p(m)}-${p(d)}T${p(sec / 3600n)}:${p((sec / 60n) % 60n)}:${p(sec % 60n)}.${p(sub, 6)}Z`;
}
