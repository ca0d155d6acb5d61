/**
 * Issue 11 part 4 "Real logs in": what gateways export, mapped without a preprocessing script.
 * Every run goes through the CLI table (in process) and real DuckDB on files written here; the
 * numbers are checked against plain code over the same rows.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS, HELD_EXIT } from '../src/cli.js';
import { nestedPaths } from '../src/column-map.js';
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

/** Deterministic pseudo-random numbers (test data only). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

interface GatewayRow {
  id: string;
  created_at: string;
  user_email: string;
  agent: string;
  status_code: number;
  latency: string;
  prompt_tokens: number;
  completion_tokens: number;
  cost: string;
}

const CODES = [200, 200, 200, 201, 500, 502, 503, 408, 429, 404];

/** A gateway-like export: HTTP status codes, latency in seconds with decimals, created_at, user_email. */
function gatewayRows(n: number, seed = 7): GatewayRow[] {
  const r = lcg(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `req-${i}`,
    created_at: new Date(T0 + i * 90_000).toISOString(),
    user_email: `user${i % 11}@example.com`,
    agent: `agent-${i % 4}`,
    status_code: CODES[Math.floor(r() * CODES.length)],
    latency: (0.05 + r() * 4).toFixed(3),
    prompt_tokens: Math.floor(r() * 2000),
    completion_tokens: Math.floor(r() * 500),
    cost: (r() * 0.05).toFixed(5),
  }));
}

function writeCsv(path: string, rows: Record<string, unknown>[]): void {
  const header = Object.keys(rows[0]);
  writeFileSync(path, [header.join(','), ...rows.map((row) => header.map((h) => String(row[h])).join(','))].join('\n') + '\n');
}

/** The value map of the tests, written out by hand (independent of the exporter's parser). */
function expectedStatus(code: number): string | null {
  if (code === 200 || code === 201) return 'success';
  if (code >= 500 && code <= 599) return 'error';
  if (code === 408) return 'timeout';
  if (code === 429) return 'error';
  return null; // unmapped (404): quarantined as unknown_status
}

const GATEWAY_MAP = ['--map', 'user_id=user_email', '--map', 'agent_id=agent', '--map', 'status=status_code', '--map', 'cost_usd=cost'];

describe('value maps and units', () => {
  it('--map-values turns HTTP codes into statuses in SQL; unmapped codes are quarantined; --unit latency=s gives ms', async () => {
    const dir = tmp('valuemap');
    const rows = gatewayRows(400);
    const csv = join(dir, 'gateway.csv');
    writeCsv(csv, rows as unknown as Record<string, unknown>[]);
    const out = join(dir, 'out');
    const r = await cli([
      'snapshot',
      csv,
      '--out',
      out,
      '--precompute',
      'none',
      ...GATEWAY_MAP,
      '--map-values',
      'status=200:success,201:success,5xx:error,408:timeout,429:error',
      '--unit',
      'latency=s',
    ]);
    expect(r.code, r.err).toBe(0);
    const { manifest, tables } = readSnapshot(out);
    const kept = rows.filter((row) => expectedStatus(row.status_code) !== null);
    expect(manifest.quarantine.rows).toBe(rows.length - kept.length);
    expect(manifest.quarantine.reasons).toEqual({ unknown_status: rows.length - kept.length });
    const ids = col<string>(tables.requests, 'request_id');
    const status = col<string>(tables.requests, 'status');
    const latency = col<number>(tables.requests, 'latency_ms');
    const byId = new Map(kept.map((row) => [row.id, row]));
    expect(ids.length).toBe(kept.length);
    const counts: Record<string, number> = {};
    const expected: Record<string, number> = {};
    for (const row of kept) expected[expectedStatus(row.status_code)!] = (expected[expectedStatus(row.status_code)!] ?? 0) + 1;
    ids.forEach((id, i) => {
      const row = byId.get(id)!;
      expect(status[i]).toBe(expectedStatus(row.status_code));
      counts[status[i]] = (counts[status[i]] ?? 0) + 1;
      expect(latency[i]).toBe(Math.round(Number(row.latency) * 1000));
    });
    expect(counts).toEqual(expected);
    expect(Object.keys(counts).sort()).toEqual(['error', 'success', 'timeout']);
  });

  it('1.234 s becomes 1234 ms, 250 cents become 2.5 USD; without --unit seconds are read as ms', async () => {
    const dir = tmp('units');
    const csv = join(dir, 'u.csv');
    writeFileSync(
      csv,
      'request_id,ts,user_id,agent_id,status,latency,input_tokens,output_tokens,cost\n' +
        `r1,${new Date(T0).toISOString()},u,a,success,1.234,1,1,250\n` +
        `r2,${new Date(T0 + 1000).toISOString()},u,a,success,0.0005,1,1,1\n`,
    );
    const withUnit = await cli(['snapshot', csv, '--out', join(dir, 'a'), '--precompute', 'none', '--unit', 'latency=s', '--unit', 'cost=cents']);
    expect(withUnit.code, withUnit.err).toBe(0);
    const a = readSnapshot(join(dir, 'a')).tables.requests;
    expect(col<number>(a, 'latency_ms')).toEqual([1234, 1]);
    expect(col<number>(a, 'cost_usd')).toEqual([2.5, 0.01]);
    expect(withUnit.out).not.toContain('--unit latency=s');
    const without = await cli(['snapshot', csv, '--out', join(dir, 'b'), '--precompute', 'none']);
    expect(without.code, without.err).toBe(0);
    // No longer silent: the run warns that the values look like seconds.
    expect(without.out).toMatch(
      /warning: .*u\.csv: latency_ms \(column "latency"\) has a median of [\d.]+ with fractional values: if it is in seconds, pass --unit latency=s/,
    );
    expect(col<number>(readSnapshot(join(dir, 'b')).tables.requests, 'latency_ms')).toEqual([1, 0]);
  });

  it('bad --map-values and --unit name the flag and the column', async () => {
    const base = ['snapshot', 'x.csv', '--out', tmp('badflags')];
    const cases: [string[], string][] = [
      [['--map-values', 'status'], '--map-values expects target=pattern:value,…'],
      [['--map-values', 'stat=200:success'], '--map-values: unknown target column "stat"'],
      [['--map-values', 'status=200success'], '--map-values status: expects pattern:value pairs separated by commas, got "200success"'],
      [['--map-values', 'status=200:success', '--map-values', 'status=500:error'], '--map-values: "status" is given twice'],
      [['--unit', 'latency=hours'], '--unit latency_ms: unknown unit "hours" (s, ms, us, µs, ns)'],
      [['--unit', 'user_id=s'], '--unit: no units for "user_id" (columns with units: latency_ms, cost_usd)'],
    ];
    for (const [flags, message] of cases) {
      const r = await cli([...base, ...flags]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.err).toContain(message);
    }
  });
});

describe('nested fields', () => {
  const rows = gatewayRows(60, 11).map((row, i) => ({ ...row, status_code: 200, agent_name: `agent-${i % 3}`, team: `team-${i % 2}` }));
  const NESTED = [
    '--map',
    'user_id=user_email',
    '--map',
    'status=status_code',
    '--map',
    'cost_usd=cost',
    '--map-values',
    'status=2xx:success',
    '--unit',
    'latency=s',
  ];

  async function check(source: string, extra: string[]) {
    const out = join(dirname(source), `out-${basename(source)}`);
    const r = await cli(['snapshot', source, '--out', out, '--precompute', 'none', ...NESTED, ...extra]);
    expect(r.code, r.err).toBe(0);
    const t = readSnapshot(out).tables.requests;
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ids = col<string>(t, 'request_id');
    expect(ids.length).toBe(rows.length);
    const agents = col<string>(t, 'agent_id');
    const depts = col<string>(t, 'department_id');
    ids.forEach((id, i) => {
      expect(agents[i]).toBe(byId.get(id)!.agent_name);
      expect(depts[i]).toBe(byId.get(id)!.team);
    });
  }

  it('NDJSON: --map agent_id=metadata.agent_name reads {"metadata": {"agent_name": …}} (two levels deep too)', async () => {
    const dir = tmp('nested-ndjson');
    const path = join(dir, 'gateway.ndjson');
    writeFileSync(
      path,
      rows.map(({ agent_name, team, agent: _agent, ...rest }) => JSON.stringify({ ...rest, metadata: { agent_name, org: { team } } })).join('\n') + '\n',
    );
    await check(path, ['--map', 'agent_id=metadata.agent_name', '--map', 'department_id=metadata.org.team']);
  });

  it('CSV: columns literally named metadata.agent_name', async () => {
    const dir = tmp('nested-csv');
    const path = join(dir, 'gateway.csv');
    writeCsv(
      path,
      rows.map(({ agent_name, team, agent: _agent, ...rest }) => ({ ...rest, 'metadata.agent_name': agent_name, 'metadata.org.team': team })),
    );
    await check(path, ['--map', 'agent_id=metadata.agent_name', '--map', 'department_id=metadata.org.team']);
  });

  it('Parquet: a STRUCT column (metadata.agent_name) read as "metadata"."agent_name"', async () => {
    const dir = tmp('nested-parquet');
    const ndjson = join(dir, 'plain.ndjson');
    writeFileSync(ndjson, rows.map(({ agent: _agent, ...rest }) => JSON.stringify(rest)).join('\n') + '\n');
    const path = join(dir, 'gateway.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * EXCLUDE (agent_name, team), {'agent_name': agent_name, 'org': {'team': team}} AS metadata FROM read_json_auto('${ndjson}')) TO '${path}' (FORMAT parquet)`,
    );
    conn.closeSync();
    db.closeSync();
    await check(path, ['--map', 'agent_id=metadata.agent_name', '--map', 'department_id=metadata.org.team']);
  });

  it('a nested field that is not there names the file and the column', async () => {
    const dir = tmp('nested-missing');
    const path = join(dir, 'g.ndjson');
    writeFileSync(path, JSON.stringify({ ...rows[0], metadata: { other: 1 } }) + '\n');
    const r = await cli(['snapshot', path, '--out', join(dir, 'out'), ...NESTED, '--map', 'agent_id=meta.agent_name']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('missing required column "agent_id" (looked for "meta.agent_name" (from --map agent_id=meta.agent_name)');
  });
});

describe('--dry-run', () => {
  it('lists every missing or suspicious column at once with guesses; its suggested flags then export every row', async () => {
    const dir = tmp('dryrun');
    const rows = gatewayRows(120, 3).map(({ agent, cost, ...rest }) => ({ ...rest, 'metadata.agent_name': agent, total_cost: cost }));
    const csv = join(dir, 'gateway.csv');
    writeCsv(csv, rows);
    const out = join(dir, 'out');
    const r = await cli(['snapshot', csv, '--out', out, '--dry-run']);
    expect(r.code, r.err).toBe(0);
    expect(existsSync(out)).toBe(false);
    const lines = r.out.split('\n');
    const line = (target: string) => lines.find((l) => new RegExp(`^  \\S+\\s+${target} `).test(l)) ?? '';
    // All four missing required columns in one run, each with its guess.
    expect(line('user_id')).toMatch(/MISS user_id\s+← MISSING, guess user_email {2}e\.g\. user\d+@example\.com/);
    expect(line('agent_id')).toContain('MISSING, guess metadata.agent_name');
    expect(line('status')).toContain('MISSING, guess status_code');
    expect(line('cost_usd')).toContain('MISSING, guess total_cost');
    expect(line('ts')).toContain('← created_at (alias)');
    expect(line('latency_ms')).toMatch(/^ {2}warn latency_ms\s+← latency \(alias\)/);
    expect(r.out).toContain('suggest --unit latency=s');
    const codes = new Set(rows.map((row) => row.status_code));
    expect(r.out).toContain(`HTTP status codes (`);
    const suggested = /^suggested flags: (.*)$/m.exec(r.out)![1];
    expect(suggested).toContain('--map user_id=user_email');
    expect(suggested).toContain('--map-values status=2xx:success');
    expect(r.out).toMatch(/dry run: nothing was written$/);

    // The suggestions, as given, export every row: every code present is mapped.
    const args = suggested.split(' ');
    const run = await cli(['snapshot', csv, '--out', out, '--precompute', 'none', ...args]);
    expect(run.code, run.err).toBe(0);
    const { manifest, tables } = readSnapshot(out);
    expect(manifest.quarantine.rows).toBe(0);
    expect(tables.requests.numRows).toBe(rows.length);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ids = col<string>(tables.requests, 'request_id');
    const status = col<string>(tables.requests, 'status');
    const latency = col<number>(tables.requests, 'latency_ms');
    const agents = col<string>(tables.requests, 'agent_id');
    ids.forEach((id, i) => {
      const row = byId.get(id)!;
      expect(status[i]).toBe(row.status_code === 408 ? 'timeout' : row.status_code < 300 ? 'success' : 'error');
      expect(latency[i]).toBe(Math.round(Number(row.latency) * 1000));
      expect(agents[i]).toBe(row['metadata.agent_name']);
    });
    expect(codes.size).toBeGreaterThan(4);
  });

  it('an unreadable sample or a DuckDB source names the file (exit 2)', async () => {
    const dir = tmp('dryrun-bad');
    const db = join(dir, 'logs.duckdb');
    writeFileSync(db, 'not a database');
    const r = await cli(['snapshot', db, '--dry-run']);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${db}: --dry-run reads CSV, NDJSON and Parquet files, not duckdb`);
    const missing = await cli(['snapshot', join(dir, 'nope.csv'), '--dry-run']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.csv: no such file');
  });

  it('NDJSON: nested fields are listed by dotted name; a correct mapping reports ok everywhere', async () => {
    const dir = tmp('dryrun-ndjson');
    const path = join(dir, 'g.ndjson');
    const rows = gatewayRows(20, 5);
    writeFileSync(
      path,
      rows
        .map(({ agent, status_code, ...rest }) => JSON.stringify({ ...rest, status: status_code < 300 ? 'success' : 'error', metadata: { agent_name: agent } }))
        .join('\n') + '\n',
    );
    const r = await cli([
      'snapshot',
      path,
      '--dry-run',
      '--map',
      'user_id=user_email',
      '--map',
      'agent_id=metadata.agent_name',
      '--map',
      'cost_usd=cost',
      '--unit',
      'latency=s',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('metadata.agent_name');
    expect(r.out).toMatch(/ok {3}agent_id\s+← metadata\.agent_name \(--map\)/);
    expect(r.out).not.toContain('MISS');
    expect(r.out).not.toContain('suggested flags');
  });
});

describe('--preset', () => {
  /**
   * The shape assumed for LiteLLM (its StandardLoggingPayload, one JSON object per line, as its
   * logging callbacks write it): id, startTime / endTime (epoch seconds), response_time (seconds),
   * status "success" | "failure", model, custom_llm_provider, call_type, prompt_tokens,
   * completion_tokens, response_cost (USD), metadata.{user_api_key_user_id, user_api_key_alias,
   * user_api_key_team_alias}.
   */
  function litellmRows(n: number) {
    const r = lcg(23);
    return Array.from({ length: n }, (_, i) => {
      const start = (T0 + i * 45_000) / 1000 + 0.123;
      const responseTime = Number((0.2 + r() * 6).toFixed(4));
      return {
        id: `chatcmpl-${i}`,
        call_type: 'acompletion',
        startTime: start,
        endTime: start + responseTime,
        response_time: responseTime,
        status: r() < 0.15 ? 'failure' : 'success',
        model: i % 2 ? 'gpt-4o-mini' : 'claude-3-5-sonnet',
        custom_llm_provider: i % 2 ? 'openai' : 'anthropic',
        prompt_tokens: Math.floor(r() * 3000),
        completion_tokens: Math.floor(r() * 800),
        total_tokens: 0,
        response_cost: Number((r() * 0.03).toFixed(6)),
        metadata: { user_api_key_user_id: `user-${i % 9}`, user_api_key_alias: `support-bot-${i % 3}`, user_api_key_team_alias: `team-${i % 2}` },
      };
    });
  }

  it('litellm: a StandardLoggingPayload NDJSON exports with no other flag; values match plain code', async () => {
    const dir = tmp('preset');
    const rows = litellmRows(150);
    const path = join(dir, 'litellm.ndjson');
    writeFileSync(path, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const dry = await cli(['snapshot', path, '--preset', 'litellm', '--dry-run']);
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).not.toContain('MISS');
    expect(dry.out).toMatch(/agent_id\s+← metadata\.user_api_key_alias \(preset\)/);
    const out = join(dir, 'out');
    const r = await cli(['snapshot', path, '--out', out, '--precompute', 'none', '--preset', 'litellm']);
    expect(r.code, r.err).toBe(0);
    const { manifest, tables } = readSnapshot(out);
    expect(manifest.quarantine.rows).toBe(0);
    const t = tables.requests;
    const byId = new Map(rows.map((row) => [row.id, row]));
    const ids = col<string>(t, 'request_id');
    expect(ids.length).toBe(rows.length);
    const get = (name: string) => col<unknown>(t, name);
    const [status, latency, users, agents, depts, input, output, cost, model, provider, ts] = [
      'status',
      'latency_ms',
      'user_id',
      'agent_id',
      'department_id',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'model_family',
      'provider',
      'ts',
    ].map(get);
    ids.forEach((id, i) => {
      const row = byId.get(id)!;
      expect(status[i]).toBe(row.status === 'success' ? 'success' : 'error');
      expect(latency[i]).toBe(Math.round(row.response_time * 1000));
      expect(users[i]).toBe(row.metadata.user_api_key_user_id);
      expect(agents[i]).toBe(row.metadata.user_api_key_alias);
      expect(depts[i]).toBe(row.metadata.user_api_key_team_alias);
      expect(input[i]).toBe(row.prompt_tokens);
      expect(output[i]).toBe(row.completion_tokens);
      expect(cost[i]).toBeCloseTo(row.response_cost, 12);
      expect(model[i]).toBe(row.model);
      expect(provider[i]).toBe(row.custom_llm_provider);
      // startTime in epoch seconds → the same instant (to the ms).
      expect(Math.round(Number(ts[i]))).toBe(Math.round(row.startTime * 1000));
    });
    const failures = rows.filter((row) => row.status === 'failure').length;
    expect(status.filter((s) => s === 'error').length).toBe(failures);
    expect(failures).toBeGreaterThan(0);
  });

  it('helicone (HTTP codes, nested properties) and otel-genai (attribute names as CSV columns): statuses and agents match plain code', async () => {
    const dir = tmp('preset-more');
    const r = lcg(31);
    const codes = [200, 200, 500, 429, 408, -1];
    const helicone = Array.from({ length: 60 }, (_, i) => ({
      request_id: `h${i}`,
      request_created_at: new Date(T0 + i * 30_000).toISOString(),
      request_user_id: `u${i % 4}`,
      response_status: codes[i % codes.length],
      delay_ms: Math.floor(r() * 3000),
      prompt_tokens: i,
      completion_tokens: 2 * i,
      costUSD: Number((r() * 0.01).toFixed(6)),
      model: 'gpt-4o',
      properties: { agent: `agent-${i % 5}` },
    }));
    const hPath = join(dir, 'helicone.ndjson');
    writeFileSync(hPath, helicone.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const hOut = join(dir, 'h');
    const h = await cli(['snapshot', hPath, '--out', hOut, '--precompute', 'none', '--preset', 'helicone']);
    expect(h.code, h.err).toBe(0);
    const hs = readSnapshot(hOut).tables.requests;
    const hById = new Map(helicone.map((row) => [row.request_id, row]));
    const httpStatus = (c: number) => (c >= 200 && c < 300 ? 'success' : c === 408 || c === 504 ? 'timeout' : 'error');
    col<string>(hs, 'request_id').forEach((id, i) => {
      const row = hById.get(id)!;
      expect(col<string>(hs, 'status')[i]).toBe(httpStatus(row.response_status));
      expect(col<string>(hs, 'agent_id')[i]).toBe(row.properties.agent);
      expect(col<number>(hs, 'latency_ms')[i]).toBe(row.delay_ms);
    });
    expect(hs.numRows).toBe(helicone.length);

    const otel = Array.from({ length: 40 }, (_, i) => ({
      span_id: `s${i}`,
      start_time: new Date(T0 + i * 20_000).toISOString(),
      duration_ms: 100 + i,
      status_code: i % 7 === 0 ? 'ERROR' : i % 2 ? 'OK' : 'UNSET',
      'enduser.id': `e${i % 3}`,
      'gen_ai.agent.name': `planner-${i % 2}`,
      'gen_ai.request.model': 'claude-3-5-haiku',
      'gen_ai.system': 'anthropic',
      'gen_ai.usage.input_tokens': 10 * i,
      'gen_ai.usage.output_tokens': i,
      'gen_ai.usage.cost': '0.001',
    }));
    const oPath = join(dir, 'otel.csv');
    writeCsv(oPath, otel);
    const oOut = join(dir, 'o');
    const o = await cli(['snapshot', oPath, '--out', oOut, '--precompute', 'none', '--preset', 'otel-genai']);
    expect(o.code, o.err).toBe(0);
    const os = readSnapshot(oOut).tables.requests;
    const oById = new Map(otel.map((row) => [row.span_id, row]));
    col<string>(os, 'request_id').forEach((id, i) => {
      const row = oById.get(id)!;
      expect(col<string>(os, 'status')[i]).toBe(row.status_code === 'ERROR' ? 'error' : 'success');
      expect(col<string>(os, 'agent_id')[i]).toBe(row['gen_ai.agent.name']);
      expect(col<string>(os, 'user_id')[i]).toBe(row['enduser.id']);
      expect(col<number>(os, 'input_tokens')[i]).toBe(row['gen_ai.usage.input_tokens']);
      expect(col<string>(os, 'provider')[i]).toBe('anthropic');
    });
    expect(os.numRows).toBe(otel.length);
  });

  it('otel-genai on NDJSON spans: attribute keys with dots inside an `attributes` object, status in `status.code`', async () => {
    const dir = tmp('preset-otel-ndjson');
    const spans = Array.from({ length: 30 }, (_, i) => ({
      span_id: `n${i}`,
      start_time: new Date(T0 + i * 45_000).toISOString(),
      duration_ms: 50 + 3 * i,
      status: { code: i % 5 === 0 ? 'ERROR' : 'OK' },
      attributes: {
        'enduser.id': `user-${i % 4}`,
        'gen_ai.agent.name': `agent.${i % 3}`,
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.system': 'openai',
        'gen_ai.usage.input_tokens': 7 * i,
        'gen_ai.usage.output_tokens': 2 * i + 1,
        'gen_ai.usage.cost': 0.0005 * i,
      },
    }));
    const path = join(dir, 'spans.ndjson');
    writeFileSync(path, spans.map((row) => JSON.stringify(row)).join('\n') + '\n');
    const out = join(dir, 'o');
    const r = await cli(['snapshot', path, '--out', out, '--precompute', 'none', '--preset', 'otel-genai']);
    expect(r.code, r.err).toBe(0);
    const t = readSnapshot(out).tables.requests;
    expect(t.numRows).toBe(spans.length);
    const byId = new Map(spans.map((row) => [row.span_id, row]));
    col<string>(t, 'request_id').forEach((id, i) => {
      const row = byId.get(id)!;
      expect(col<string>(t, 'agent_id')[i]).toBe(row.attributes['gen_ai.agent.name']);
      expect(col<string>(t, 'user_id')[i]).toBe(row.attributes['enduser.id']);
      expect(col<string>(t, 'status')[i]).toBe(row.status.code === 'ERROR' ? 'error' : 'success');
      expect(col<number>(t, 'output_tokens')[i]).toBe(row.attributes['gen_ai.usage.output_tokens']);
      expect(col<number>(t, 'cost_usd')[i]).toBeCloseTo(row.attributes['gen_ai.usage.cost'], 9);
    });
  });

  it('langfuse: a generations export as one JSON array (usage.input/output nested, latency in s, level) with no other flag', async () => {
    const dir = tmp('preset-langfuse');
    const r = lcg(5);
    const levels = ['DEFAULT', 'DEBUG', 'WARNING', 'ERROR', 'DEFAULT'];
    const gens = Array.from({ length: 35 }, (_, i) => ({
      id: `gen-${i}`,
      traceId: `t${i % 9}`,
      name: `agent-${i % 4}`,
      startTime: new Date(T0 + i * 61_000).toISOString(),
      userId: `person-${i % 6}`,
      level: levels[i % levels.length],
      latency: Number((0.1 + r() * 3).toFixed(3)),
      usage: { input: 100 + i, output: 3 * i, total: 100 + 4 * i },
      calculatedTotalCost: Number((r() * 0.02).toFixed(6)),
      model: 'claude-3-5-sonnet',
      sessionId: i % 2 ? `s${i % 5}` : null,
    }));
    const path = join(dir, 'generations.json');
    writeFileSync(path, JSON.stringify(gens));
    const out = join(dir, 'o');
    const res = await cli(['snapshot', path, '--out', out, '--precompute', 'none', '--preset', 'langfuse']);
    expect(res.code, res.err).toBe(0);
    const t = readSnapshot(out).tables.requests;
    expect(t.numRows).toBe(gens.length);
    const byId = new Map(gens.map((g) => [g.id, g]));
    col<string>(t, 'request_id').forEach((id, i) => {
      const g = byId.get(id)!;
      expect(col<string>(t, 'agent_id')[i]).toBe(g.name);
      expect(col<string>(t, 'user_id')[i]).toBe(g.userId);
      expect(col<string>(t, 'status')[i]).toBe(g.level === 'ERROR' ? 'error' : 'success');
      expect(col<number>(t, 'latency_ms')[i]).toBe(Math.round(g.latency * 1000));
      expect(col<number>(t, 'input_tokens')[i]).toBe(g.usage.input);
      expect(col<number>(t, 'output_tokens')[i]).toBe(g.usage.output);
      expect(col<number>(t, 'cost_usd')[i]).toBeCloseTo(g.calculatedTotalCost, 9);
      expect(col<string | null>(t, 'session_id')[i]).toBe(g.sessionId);
    });
  });

  it('a quoted key with dots pins one path, in a Parquet STRUCT too', async () => {
    const dir = tmp('quoted-struct');
    const rows = gatewayRows(24, 5).map((row, i) => ({ ...row, status_code: 200, agent_name: `a-${i % 4}` }));
    const ndjson = join(dir, 'plain.ndjson');
    writeFileSync(ndjson, rows.map(({ agent: _agent, ...rest }) => JSON.stringify(rest)).join('\n') + '\n');
    const path = join(dir, 'spans.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    await conn.run(
      `COPY (SELECT * EXCLUDE (agent_name), {'gen_ai.agent.name': agent_name, 'gen_ai': {'agent': {'name': 'wrong'}}} AS attributes FROM read_json_auto('${ndjson}')) TO '${path}' (FORMAT parquet)`,
    );
    conn.closeSync();
    db.closeSync();
    const out = join(dir, 'o');
    const flags = [
      '--map',
      'user_id=user_email',
      '--map',
      'status=status_code',
      '--map',
      'cost_usd=cost',
      '--map-values',
      'status=2xx:success',
      '--unit',
      'latency=s',
    ];
    const r = await cli(['snapshot', path, '--out', out, '--precompute', 'none', ...flags, '--map', 'agent_id=attributes."gen_ai.agent.name"']);
    expect(r.code, r.err).toBe(0);
    const t = readSnapshot(out).tables.requests;
    const byId = new Map(rows.map((row) => [row.id, row]));
    col<string>(t, 'request_id').forEach((id, i) => expect(col<string>(t, 'agent_id')[i]).toBe(byId.get(id)!.agent_name));
    // Unquoted, the most nested grouping that exists wins (attributes.gen_ai.agent.name = 'wrong').
    const out2 = join(dir, 'o2');
    const r2 = await cli(['snapshot', path, '--out', out2, '--precompute', 'none', ...flags, '--map', 'agent_id=attributes.gen_ai.agent.name']);
    expect(r2.code, r2.err).toBe(0);
    expect(new Set(col<string>(readSnapshot(out2).tables.requests, 'agent_id'))).toEqual(new Set(['wrong']));
  });

  it('nestedPaths: every grouping, most nested first; quotes pin one; bad paths are refused', () => {
    expect(nestedPaths('agent')).toEqual([]);
    expect(nestedPaths('a.b')).toEqual([['a', 'b']]);
    expect(nestedPaths('a.b.c.d')).toEqual([
      ['a', 'b', 'c', 'd'],
      ['a', 'b.c', 'd'],
      ['a', 'b', 'c.d'],
      ['a', 'b.c.d'],
    ]);
    expect(nestedPaths('attributes."gen_ai.agent.name"')).toEqual([['attributes', 'gen_ai.agent.name']]);
    expect(() => nestedPaths('a."b')).toThrow(/unbalanced double quote/);
    expect(() => nestedPaths('a..b')).toThrow(/empty field name/);
  });

  it('an unknown preset names the flag and the presets', async () => {
    const r = await cli(['snapshot', 'x.ndjson', '--dry-run', '--preset', 'openrouter']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--preset: unknown preset "openrouter" (presets: litellm, helicone, langfuse, otel-genai)');
  });
});
