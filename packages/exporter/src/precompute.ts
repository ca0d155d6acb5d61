/**
 * The default precompute hook: runs the default view's query modules (DEFAULT_VIEW_QUERIES, under
 * DEFAULT_FILTERS) in native DuckDB and writes their rows to `precomputed.json`, so the page paints
 * the default view before DuckDB-WASM has started. The client uses these rows only for the exact
 * same SQL text; `test/precompute-equal.test.ts` checks native and WASM rows are equal.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { precompute } from '@usage-analytics/data-client';
import { DEFAULT_VIEW_QUERIES } from '@usage-analytics/queries';
import type { PrecomputeHook } from './snapshot-writer.js';

export const PRECOMPUTED_FILE = 'precomputed.json';

export const precomputeDefaultView: PrecomputeHook = async (db, snapshotDir, timeRange) => {
  const payload = await precompute(db, { time_range: timeRange }, DEFAULT_VIEW_QUERIES);
  const text = JSON.stringify(payload);
  writeFileSync(join(snapshotDir, PRECOMPUTED_FILE), text);
  return { file: PRECOMPUTED_FILE, bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
};
