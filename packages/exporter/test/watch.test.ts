import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LogsSnapshotResult } from '../src/logs-snapshot.js';
import { readManifest } from '../src/snapshot-writer.js';
import { watchSnapshots } from '../src/watch.js';
import { tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

const HEADER = 'request_id,ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n';

function logFile(path: string, prefix: string, rows: number, day: number): void {
  let s = HEADER;
  for (let i = 0; i < rows; i++)
    s += `${prefix}${i},2026-03-${String(day).padStart(2, '0')}T10:${String(i % 60).padStart(2, '0')}:00Z,u${i % 7},a${i % 3},success,${100 + i},10,20,0.01\n`;
  writeFileSync(path, s);
}

/** Starts watchSnapshots on `sources`, collecting its exports and log lines; nextExport(n) waits for the n-th export. */
function startWatch(sources: string[], outDir: string, intervalMs: number) {
  const exports: LogsSnapshotResult[] = [];
  const lines: string[] = [];
  const controller = new AbortController();
  let notify: () => void = () => {};
  const watching = watchSnapshots({
    sources,
    outDir,
    intervalMs,
    signal: controller.signal,
    log: (l) => lines.push(l),
    onExport: (r) => {
      exports.push(r);
      notify();
    },
  });
  const nextExport = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no export #${count} within 30 s; log: ${lines.join(' | ')}`)), 30_000);
      notify = () => {
        if (exports.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      notify();
    });
  const stop = async () => {
    controller.abort();
    await watching;
  };
  return { exports, lines, nextExport, stop };
}

describe('snapshot --watch', () => {
  it('a new log file shows up in a new manifest within 30 s', async () => {
    const dir = tmp('watch');
    const logs = join(dir, 'logs');
    const out = join(dir, 'out');
    mkdirSync(logs);
    logFile(join(logs, 'day-01.csv'), 'a', 50, 1);
    const { exports, lines, nextExport, stop } = startWatch([join(logs, '*.csv')], out, 500);
    try {
      await nextExport(1);
      expect(readManifest(out)!.tables.requests.rows).toBe(50);

      const t0 = performance.now();
      logFile(join(logs, 'day-02.csv'), 'b', 30, 2);
      await nextExport(2);
      const elapsed = performance.now() - t0;
      expect(elapsed).toBeLessThan(30_000);
      const m = readManifest(out)!;
      expect(m.tables.requests.rows).toBe(80);
      expect(m.source).toMatchObject({ kind: 'logs', inputs: ['day-01.csv', 'day-02.csv'] }); // published: file names (issue 7 B7)
      expect(m.snapshot_id).not.toBe(exports[0].id);
      expect(lines.length).toBe(2);
      expect(lines[1]).toMatch(/snapshot \S+: 80 rows exported, 0 quarantined, 2 files, [\d.]+ s/);
      // No change → no new export.
      await new Promise((r) => setTimeout(r, 1500));
      expect(exports.length).toBe(2);
    } finally {
      await stop();
    }
  }, 90_000);
});

describe('snapshot --watch with a bad number in the log (issue 7 B1)', () => {
  it('keeps exporting: the bad row is quarantined, later files still show up', async () => {
    const dir = tmp('watch-bad');
    const logs = join(dir, 'logs');
    const out = join(dir, 'out');
    mkdirSync(logs);
    writeFileSync(join(logs, 'day-01.csv'), `${HEADER.trim()}\nbad,2026-03-01T11:00:00Z,u1,a1,success,1e308,10,20,0.01\n`);
    writeFileSync(
      join(logs, 'day-01b.csv'),
      `${HEADER.trim()}\nnan,2026-03-01T12:00:00Z,u1,a1,success,NaN,10,20,0.01\nok,2026-03-01T12:01:00Z,u1,a1,success,5,10,20,0.01\n`,
    );
    const exports: LogsSnapshotResult[] = [];
    const lines: string[] = [];
    const controller = new AbortController();
    const watching = watchSnapshots({
      sources: [join(logs, '*.csv')],
      outDir: out,
      intervalMs: 300,
      signal: controller.signal,
      log: (l) => lines.push(l),
      onExport: (r) => exports.push(r),
    });
    const until = async (ok: () => boolean) => {
      for (const t0 = Date.now(); !ok(); await new Promise((r) => setTimeout(r, 100))) {
        if (Date.now() - t0 > 30_000) throw new Error(`timed out; log: ${lines.join(' | ')}`);
      }
    };
    try {
      await until(() => exports.length >= 1);
      expect(exports[0].validation).toMatchObject({ input: 3, exported: 1, quarantined: 2, reasons: { out_of_range_latency_ms: 1, invalid_latency_ms: 1 } });
      logFile(join(logs, 'day-02.csv'), 'b', 30, 2);
      await until(() => exports.length >= 2);
      expect(readManifest(out)!.tables.requests.rows).toBe(31);
      expect(lines.some((l) => l.includes('failed'))).toBe(false);
    } finally {
      controller.abort();
      await watching;
    }
  }, 90_000);
});

describe('snapshot --watch and the publish guard', () => {
  it('a version quarantining more than --max-quarantine is held (live manifest kept, logged); the next good one publishes', async () => {
    const dir = tmp('watch-held');
    const logs = join(dir, 'logs');
    const out = join(dir, 'out');
    mkdirSync(logs);
    logFile(join(logs, 'day-01.csv'), 'a', 50, 1);
    const { exports, lines, nextExport, stop } = startWatch([join(logs, '*.csv')], out, 400);
    try {
      await nextExport(1);
      const live = readManifest(out)!;
      expect(live.tables.requests.rows).toBe(50);

      // 80 rows with a status the schema does not know: 80 of 130 quarantined (61.5 % > 50 %).
      let bad = HEADER;
      for (let i = 0; i < 80; i++) bad += `x${i},2026-03-02T10:00:00Z,u1,a1,maybe,100,10,20,0.01\n`;
      writeFileSync(join(logs, 'day-02.csv'), bad);
      await nextExport(2);
      expect(exports[1].held).toMatch(/quarantin/);
      expect(readManifest(out)!.snapshot_id).toBe(live.snapshot_id);
      expect(readManifest(out)!.tables.requests.rows).toBe(50);
      expect(lines.some((l) => l.includes('NOT published'))).toBe(true);

      // 100 more good rows: 80 of 230 quarantined (34.8 %) → published.
      logFile(join(logs, 'day-03.csv'), 'c', 100, 3);
      await nextExport(3);
      expect(exports[2].held).toBeFalsy();
      expect(readManifest(out)!.tables.requests.rows).toBe(150);
      expect(readManifest(out)!.snapshot_id).toBe(exports[2].id);
    } finally {
      await stop();
    }
  }, 120_000);
});
