import { expect } from 'vitest';
import { SnapshotError } from '../src/errors.js';

/**
 * Deep equality where numbers may differ by a relative 1e-9 (sums and means are accumulated in a
 * different order by DuckDB than by the reference); integers, strings, booleans, nulls and array
 * lengths must match exactly. Throws with the path of the first difference.
 */
export function expectClose(actual: unknown, expected: unknown, path = '$', tol = 1e-9): void {
  const fail = (msg: string) => {
    throw new Error(`${path}: ${msg}\nactual:   ${short(actual)}\nexpected: ${short(expected)}`);
  };
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') fail('not a number');
    const a = actual as number;
    if (Number.isInteger(expected) && Number.isInteger(a)) {
      if (a !== expected) fail('integers differ');
      return;
    }
    if (!(Math.abs(a - expected) <= tol * Math.max(1, Math.abs(expected)))) fail('numbers differ');
    return;
  }
  if (expected === null || typeof expected !== 'object') {
    if (actual !== expected) fail('values differ');
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) fail('not an array');
    const a = actual as unknown[];
    if (a.length !== expected.length) fail(`length ${a.length} ≠ ${expected.length}`);
    expected.forEach((e, i) => expectClose(a[i], e, `${path}[${i}]`, tol));
    return;
  }
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) fail('not an object');
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
  for (const k of keys) {
    if (!(k in e)) fail(`unexpected key ${k}`);
    if (!(k in a)) fail(`missing key ${k}`);
    expectClose(a[k], e[k], `${path}.${k}`, tol);
  }
}

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 400 ? `${s.slice(0, 400)}…` : s;
}

/** Sum of shares must be exactly 100 (one decimal, largest remainder) — checked on tenths to avoid float noise. */
export function expectHundred(shares: readonly number[]): void {
  expect(Math.round(shares.reduce((a, b) => a + b * 10, 0))).toBe(1000);
  for (const s of shares) expect(Math.round(s * 10)).toBeCloseTo(s * 10, 9);
}

/** The SnapshotError `p` rejects with (fails the test when it resolves or rejects with anything else). */
export async function failure(p: Promise<unknown>): Promise<SnapshotError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SnapshotError);
  return e as SnapshotError;
}
