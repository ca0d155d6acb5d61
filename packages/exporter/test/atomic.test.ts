import { existsSync, readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TABLE_NAMES } from '@usage-analytics/queries';
import { Rng } from '../src/prng.js';
import { SNAPSHOT_ID_RE, readManifest, verifySnapshot } from '../src/snapshot-writer.js';
import { readSnapshot, runCli, spawnCli, tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

/** DIR/manifest.json, when present, must point at a complete, checksum-valid snapshot. */
function checkConsistent(dir: string): string | null {
  const m = readManifest(dir);
  if (!m) return null;
  expect(verifySnapshot(dir, m)).toEqual([]);
  const { tables } = readSnapshot(dir);
  for (const name of TABLE_NAMES) expect(tables[name].numRows, name).toBe(m.tables[name].rows);
  return m.snapshot_id;
}

describe('atomic snapshot layout', () => {
  it('kill -9 at random moments never leaves DIR/manifest.json pointing at a broken snapshot', async () => {
    const dir = tmp('atomic');
    const args = (seed: number) => ['demo', '--requests', '120000', '--days', '30', '--seed', String(seed), '--end', '2026-11-01', '--out', dir];
    // Slow down each commit step a little so kills also land between the renames.
    const env = { EXPORTER_PHASE_DELAY_MS: '120' };
    const t0 = performance.now();
    const first = runCli(args(1), env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const fullRun = performance.now() - t0;
    let current = checkConsistent(dir);
    expect(current).not.toBeNull();

    const rng = new Rng(2024);
    const ids = new Set([current]);
    for (let k = 0; k < 10; k++) {
      const child = spawnCli(args(10 + k), env);
      const delay = 150 + rng.next() * fullRun * 1.05;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited;
      // Whatever the moment, the manifest is the old snapshot or the new one, complete either way.
      current = checkConsistent(dir);
      expect(current).not.toBeNull();
      ids.add(current);
    }
    // Some kills land after the commit and some before it; both are fine.
    expect(ids.size).toBeGreaterThanOrEqual(1);

    // A normal run cleans stale temp folders and keeps the last 3 versions.
    const last = runCli(args(99));
    expect(last.code).toBe(0);
    const id = checkConsistent(dir);
    const entries = readdirSync(dir);
    expect(entries.filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    expect(entries).not.toContain('manifest.json.tmp');
    const versions = entries.filter((n) => SNAPSHOT_ID_RE.test(n));
    expect(versions.length).toBeLessThanOrEqual(3);
    expect(versions).toContain(id);
    expect(versions.sort().at(-1)).toBe(id);
    // The version folder has its own manifest with relative file names.
    const inner = readManifest(`${dir}/${id}`)!;
    expect(inner.tables.requests.file).toBe('requests.arrows');
    expect(existsSync(`${dir}/${id}/requests.arrows`)).toBe(true);
  }, 180_000);
});

describe('writer lock', () => {
  it('serialises concurrent writers to one DIR and takes over a lock left by a dead process', async () => {
    const { acquireLock } = await import('../src/snapshot-writer.js');
    const { writeFileSync } = await import('node:fs');
    const dir = tmp('lock');
    writeFileSync(`${dir}/.lock`, '999999999'); // a pid that is not alive
    const release = await acquireLock(dir);
    let second = false;
    const waiting = acquireLock(dir).then((r) => {
      second = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(second).toBe(false);
    release();
    (await waiting)();
    expect(second).toBe(true);
    expect(existsSync(`${dir}/.lock`)).toBe(false);
  });
});
