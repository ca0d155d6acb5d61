/**
 * Issue 11 part 4 "Real logs in": what gateways export, mapped without a preprocessing script.
 * Every run goes through the CLI table (in process) and real DuckDB on files written here; the
 * numbers are checked against plain code over the same rows.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, HELD_EXIT } from '../src/cli.js';
import { runCommandLine } from '../src/cli-table.js';
import { HELD_FILE, SNAPSHOT_ID_RE } from '../src/snapshot-writer.js';
import { cleanupTmp, col, readJson, readSnapshot, tmp } from './helpers.js';

afterAll(cleanupTmp);

async function cli(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommandLine('usage-exporter', COMMANDS, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const T0 = Date.UTC(2026, 2, 1);
const versions = (dir: string) => readdirSync(dir).filter((n) => SNAPSHOT_ID_RE.test(n));

/** A plain CSV of `n` rows in the schema's own column names; rows with i < bad get status "weird". */
function plainCsv(path: string, n: number, bad: number): void {
  const lines = ['request_id,ts,user_id,agent_id,status,latency_ms,input_tokens,output_tokens,cost_usd'];
  for (let i = 0; i < n; i++) {
    lines.push(`r${i},${new Date(T0 + i * 60_000).toISOString()},u${i % 3},a${i % 2},${i < bad ? 'weird' : 'success'},${100 + i},10,5,0.01`);
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

describe('quarantine threshold guard', () => {
  it('a snapshot quarantining more than --max-quarantine is written but not published; --force publishes it; 40 % is published', async () => {
    const dir = tmp('guard');
    const out = join(dir, 'out');
    const good = join(dir, 'good.csv');
    plainCsv(good, 10, 0);
    const first = await cli(['snapshot', good, '--out', out, '--precompute', 'none']);
    expect(first.code, first.err).toBe(0);
    const live = readFileSync(join(out, 'manifest.json'));
    const liveId = readJson<{ snapshot_id: string }>(join(out, 'manifest.json')).snapshot_id;

    // 60 % bad: held. Exit ≠ 0, manifest.json byte-identical, the new version folder complete.
    const bad = join(dir, 'bad.csv');
    plainCsv(bad, 10, 6);
    const held = await cli(['snapshot', bad, '--out', out, '--precompute', 'none']);
    expect(held.code).toBe(HELD_EXIT);
    expect(held.err).toContain('6 of 10 rows quarantined (60 %, more than --max-quarantine 0.5)');
    expect(held.err).toContain('top reasons: unknown_status 6');
    expect(held.err).toContain('the live snapshot was kept');
    expect(readFileSync(join(out, 'manifest.json')).equals(live)).toBe(true);
    const heldIds = versions(out).filter((v) => v !== liveId);
    expect(heldIds).toHaveLength(1);
    const heldDir = join(out, heldIds[0]);
    expect(existsSync(join(heldDir, 'manifest.json'))).toBe(true);
    expect(existsSync(join(heldDir, 'requests.arrows'))).toBe(true);
    expect(readJson<{ reason: string }>(join(heldDir, HELD_FILE)).reason).toContain('unknown_status 6');
    expect(readJson<{ quarantine: { rows: number } }>(join(heldDir, 'manifest.json')).quarantine.rows).toBe(6);

    // A higher threshold or --force publishes it.
    const forced = await cli(['snapshot', bad, '--out', out, '--precompute', 'none', '--force']);
    expect(forced.code, forced.err).toBe(0);
    const snap = readSnapshot(out);
    expect(snap.manifest.snapshot_id).not.toBe(liveId);
    expect(snap.manifest.quarantine.rows).toBe(6);
    expect(snap.tables.requests.numRows).toBe(4);
    // The held folder survives the next run (kept for inspection, pruned like any old version).
    expect(existsSync(heldDir)).toBe(true);

    const higher = await cli(['snapshot', bad, '--out', out, '--precompute', 'none', '--max-quarantine', '0.7']);
    expect(higher.code, higher.err).toBe(0);

    // 40 % bad: published under the default threshold.
    const some = join(dir, 'some.csv');
    plainCsv(some, 10, 4);
    const before = readFileSync(join(out, 'manifest.json'));
    const ok = await cli(['snapshot', some, '--out', out, '--precompute', 'none']);
    expect(ok.code, ok.err).toBe(0);
    expect(readFileSync(join(out, 'manifest.json')).equals(before)).toBe(false);
    const pub = readSnapshot(out);
    expect(pub.manifest.quarantine.rows).toBe(4);
    expect(col<string>(pub.tables.requests, 'request_id').sort()).toEqual(['r4', 'r5', 'r6', 'r7', 'r8', 'r9']);
  });

  it('the first snapshot of a folder is held too (no manifest.json written); a bad --max-quarantine names the flag', async () => {
    const dir = tmp('guard-first');
    const out = join(dir, 'out');
    const bad = join(dir, 'bad.csv');
    plainCsv(bad, 10, 10);
    const held = await cli(['snapshot', bad, '--out', out, '--precompute', 'none']);
    expect(held.code).toBe(HELD_EXIT);
    expect(held.err).toContain('10 of 10 rows quarantined (100 %');
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
    expect(versions(out)).toHaveLength(1);
    const badFlag = await cli(['snapshot', bad, '--out', out, '--max-quarantine', '50']);
    expect(badFlag.code).toBe(2);
    expect(badFlag.err).toContain('--max-quarantine must be a share from 0 to 1 (0.5 = 50 %), got "50"');
  });
});
