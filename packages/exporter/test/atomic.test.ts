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

describe('issue 7 B4: recovery after kill -9', () => {
  it('a stale lock whose pid now belongs to another live process is taken over at once; a live holder gets a clear LockedError', async () => {
    const { spawn } = await import('node:child_process');
    const { utimesSync, writeFileSync } = await import('node:fs');
    const { acquireLock } = await import('../src/snapshot-writer.js');
    const { startStamp } = await import('../src/lock.js');
    const { LockedError } = await import('../src/errors.js');
    const other = spawn('sleep', ['60']); // a live process that is not an exporter
    try {
      const dir = tmp('stale-lock');
      const lock = `${dir}/.lock`;
      // Old format (just a pid) written an hour ago, before that pid's process started.
      writeFileSync(lock, String(other.pid));
      utimesSync(lock, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
      const t0 = performance.now();
      (await acquireLock(dir, 3000))();
      expect(performance.now() - t0).toBeLessThan(1000);
      // New format: same pid, but the recorded start is not that process's start.
      writeFileSync(lock, JSON.stringify({ pid: other.pid, start: `${startStamp(other.pid!)!.split(':')[0]}:1`, token: 't' }));
      (await acquireLock(dir, 3000))();
      expect(existsSync(lock)).toBe(false);
      // A live holder (its real start): wait, then a LockedError naming it — not a stack trace.
      writeFileSync(lock, JSON.stringify({ pid: other.pid, start: startStamp(other.pid!), token: 't', since: '2026-01-01T00:00:00.000Z' }));
      const held = acquireLock(dir, 400);
      await expect(held).rejects.toBeInstanceOf(LockedError);
      await expect(held).rejects.toThrow(`is being written by another exporter (pid ${other.pid}, since 2026-01-01T00:00:00.000Z)`);
      expect(existsSync(lock)).toBe(true);
    } finally {
      other.kill();
    }
  });

  it('complete version folders that were never published (killed before the manifest rename) are removed on the next start', async () => {
    const { cpSync, writeFileSync } = await import('node:fs');
    const { runLogsSnapshot } = await import('../src/logs-snapshot.js');
    const { newSnapshotId, listVersions } = await import('../src/snapshot-writer.js');
    const dir = tmp('orphans');
    writeFileSync(`${dir}/logs.csv`, 'ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n2026-03-01T00:00:00Z,u,a,success,1,1,1,0\n');
    const out = `${dir}/out`;
    const first = await runLogsSnapshot({ sources: [`${dir}/logs.csv`], outDir: out });
    // Four exports killed between renaming their folder and publishing it.
    const orphans = [1, 2, 3, 4].map((k) => newSnapshotId(new Date(Date.parse(first.manifest.generated_at) + k)));
    for (const id of orphans) cpSync(first.dir, `${out}/${id}`, { recursive: true });
    expect(listVersions(out)).toHaveLength(5);
    const next = await runLogsSnapshot({ sources: [`${dir}/logs.csv`], outDir: out, keep: 3 });
    // The previously published version stays (clients may still read it); no orphan survives.
    expect(listVersions(out)).toEqual([first.id, next.id]);
    expect(checkConsistent(out)).toBe(next.id);
  });
});
