import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/index.js';
import { readManifest, verifySnapshot, type PrecomputeHook } from '../src/snapshot-writer.js';
import { tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

describe('precompute hook', () => {
  it('runs on a DuckDB connection holding the new tables, before the manifest, and is recorded in it', async () => {
    const dir = tmp('precompute');
    let sawManifest = true;
    const hook: PrecomputeHook = async (db, snapshotDir) => {
      sawManifest = (await import('node:fs')).existsSync(join(snapshotDir, 'manifest.json'));
      const rows = await db.query(`SELECT department_id, count(*) AS n FROM requests GROUP BY 1 ORDER BY 2 DESC LIMIT 3`);
      const text = JSON.stringify(rows);
      writeFileSync(join(snapshotDir, 'first-paint.json'), text);
      return { file: 'first-paint.json', bytes: Buffer.byteLength(text), sha256: createHash('sha256').update(text).digest('hex') };
    };
    const r = await runDemo({ requests: 5000, days: 20, seed: 1, end: Date.UTC(2026, 10, 1), outDir: dir, precompute: hook });
    expect(sawManifest).toBe(false);
    expect(r.manifest.precomputed?.file).toBe('first-paint.json');
    const top = readManifest(dir)!;
    expect(top.precomputed?.file).toBe(`${r.id}/first-paint.json`);
    expect(verifySnapshot(dir, top)).toEqual([]);
    expect(verifySnapshot(r.dir, readManifest(r.dir)!)).toEqual([]);
  }, 60_000);
});
