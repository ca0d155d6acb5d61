import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runLogsSnapshot } from '../src/logs-snapshot.js';
import { verifySnapshot } from '../src/snapshot-writer.js';
import { col, micros, readSnapshot, runCli, tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

const HEADER = [
  'request_id',
  'ts',
  'user_id',
  'agent_id',
  'status',
  'latency_ms',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'session_id',
  'environment',
  'model_family',
  'country',
  'latitude',
  'longitude',
  'calling_agent_id',
  'department_id',
] as const;
type Row = Record<(typeof HEADER)[number], string>;

const GOOD = 200;
const T0 = Date.UTC(2026, 2, 1);

function goodRows(): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < GOOD; i++) {
    rows.push({
      request_id: `r${i}`,
      ts: new Date(T0 + i * 7 * 60_000).toISOString(),
      user_id: `u${i % 17}`,
      agent_id: `a${i % 5}`,
      status: i % 25 === 3 ? 'error' : i % 40 === 7 ? 'timeout' : 'success',
      latency_ms: String(100 + i),
      input_tokens: String(10 * i),
      output_tokens: String(5 * i),
      cost_usd: (0.001 * i).toFixed(4),
      session_id: `s${Math.floor(i / 4)}`,
      environment: 'production',
      model_family: i % 2 ? 'gpt-4o' : 'claude-3.5',
      country: 'US',
      latitude: '40.71',
      longitude: '-74.0',
      calling_agent_id: i % 10 === 0 ? 'orchestrator' : '',
      department_id: `d${i % 3}`,
    });
  }
  // Accepted variants.
  rows[1].status = 'SUCCESS';
  rows[2].environment = 'prod';
  rows[4].ts = '2026-03-01T02:28:00+02:00'; // = 00:28Z
  rows[5].ts = String(Date.UTC(2026, 2, 1, 0, 35)); // epoch ms
  return rows;
}

/** One bad row per reason (a modified copy of a good row). */
function badRows(): { row: Row; reason: string }[] {
  const base = (i: number): Row => ({ ...goodRows()[i], request_id: `bad${i}` });
  const bad = (i: number, patch: Partial<Row>, reason: string) => ({ row: { ...base(i), ...patch } as Row, reason });
  return [
    bad(10, { user_id: '' }, 'missing_user_id'),
    bad(11, { agent_id: '' }, 'missing_agent_id'),
    bad(12, { ts: 'not-a-date' }, 'invalid_ts'),
    bad(13, { ts: '' }, 'missing_ts'),
    bad(14, { status: 'ok' }, 'unknown_status'),
    bad(15, { environment: 'qa' }, 'unknown_environment'),
    bad(16, { latency_ms: '-5' }, 'negative_latency_ms'),
    bad(17, { input_tokens: 'abc' }, 'invalid_input_tokens'),
    bad(18, { cost_usd: '-0.5' }, 'negative_cost_usd'),
    bad(19, { request_id: 'r0' }, 'duplicate_request_id'),
    bad(20, { latitude: '200' }, 'invalid_latitude'),
    bad(21, { ts: '1999-01-01T00:00:00Z' }, 'ts_out_of_range'),
  ];
}

function csvLine(values: string[]): string {
  return values.map((v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(',');
}

function writeCsv(path: string, rows: Row[], extraLines: string[] = []): void {
  const lines = [HEADER.join(','), ...rows.map((r) => csvLine(HEADER.map((h) => r[h]))), ...extraLines];
  writeFileSync(path, lines.join('\n') + '\n');
}

function expectedReasons(extra: Record<string, number> = {}): Record<string, number> {
  const out: Record<string, number> = { ...extra };
  for (const b of badRows()) out[b.reason] = (out[b.reason] ?? 0) + 1;
  return out;
}

/** The quarantined rows of a version folder (in its private folder, which the browser never reads). */
function readQuarantine(versionDir: string): { reason: string; source_file: string; row: unknown }[] {
  return readFileSync(join(versionDir, 'private', 'quarantine.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
}

function checkGoodRequests(dir: string): void {
  const { manifest, tables } = readSnapshot(dir);
  expect(verifySnapshot(dir, manifest)).toEqual([]);
  const r = tables.requests;
  expect(r.numRows).toBe(GOOD);
  const ids = col<string>(r, 'request_id');
  const ts = micros(r, 'ts') as number[];
  const byId = new Map(ids.map((id, i) => [id, i]));
  expect(col<string>(r, 'status')[byId.get('r1')!]).toBe('success');
  expect(col<string>(r, 'environment')[byId.get('r2')!]).toBe('production');
  expect(ts[byId.get('r4')!]).toBe(Date.UTC(2026, 2, 1, 0, 28) * 1000);
  expect(ts[byId.get('r5')!]).toBe(Date.UTC(2026, 2, 1, 0, 35) * 1000);
  for (let i = 1; i < ts.length; i++) expect(ts[i]).toBeGreaterThanOrEqual(ts[i - 1]);
  expect(col<string>(r, 'provider')[byId.get('r1')!]).toBe('openai'); // inferred from gpt-4o
  expect(col<string>(r, 'intent_category').every((v) => v === 'other')).toBe(true); // default
  // Derived tables.
  expect(tables.users.numRows).toBe(17);
  expect(new Set(col<string>(tables.agents, 'agent_id'))).toEqual(new Set(['a0', 'a1', 'a2', 'a3', 'a4', 'orchestrator']));
  expect(col<string>(tables.agents, 'agent_status').every((s) => s === 'active')).toBe(true);
  expect(tables.sessions.numRows).toBe(GOOD / 4);
  const s0 = col<string>(tables.sessions, 'session_id').indexOf('s0');
  expect([...(tables.sessions.getChild('agent_sequence')!.get(s0)!.toArray() as string[])]).toEqual(['a0', 'a1', 'a2', 'a3']);
  expect(col<number>(tables.sessions, 'request_count')[s0]).toBe(4);
  const firstSeen = micros(tables.users, 'first_seen_at');
  expect(firstSeen[col<string>(tables.users, 'user_id').indexOf('u0')]).toBe(T0 * 1000);
  expect(tables.capacity.numRows).toBe(0);
  expect(tables.intent_rules.numRows).toBe(0);
  expect(tables.maintenance_windows.numRows).toBe(0);
  expect(manifest.time_range.start).toBe(new Date(T0).toISOString());
  expect(manifest.time_range.end).toBe(`${new Date(T0 + (GOOD - 1) * 7 * 60_000).toISOString().slice(0, 23)}001Z`);
}

describe('snapshot from logs', () => {
  it('CSV: good rows exported, each bad row quarantined with its reason (CLI)', () => {
    const dir = tmp('csv');
    const src = join(dir, 'logs.csv');
    const bad = badRows();
    writeCsv(src, [...goodRows(), ...bad.map((b) => b.row)], ['x1,2026-03-01T00:00:00Z,u1,a1,success,1,1,1,0,s,production,m,US,1,1,,d0,EXTRA']);
    const out = join(dir, 'out');
    const r = runCli(['snapshot', '--source', src, '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${GOOD + bad.length + 1} input rows → ${GOOD} exported, ${bad.length + 1} quarantined`);
    expect(r.stdout).toContain('missing_user_id: 1');
    const { manifest } = readSnapshot(out);
    expect(manifest.input_rows).toBe(GOOD + bad.length + 1);
    expect(manifest.input_rows).toBe(manifest.tables.requests.rows + manifest.quarantine.rows);
    expect(manifest.quarantine.reasons).toEqual(expectedReasons({ malformed_row: 1 }));
    expect(manifest.quarantine.file).toBeNull(); // counts only: raw rows are not published
    const q = readQuarantine(join(out, manifest.snapshot_id));
    expect(q.length).toBe(manifest.quarantine.rows);
    const neg = q.find((x) => x.reason === 'negative_latency_ms')!;
    expect(neg.source_file).toBe(src);
    expect((neg.row as Row).latency_ms).toBe('-5');
    expect((neg.row as Row).request_id).toBe('bad16');
    expect(q.find((x) => x.reason === 'malformed_row')!.row).toContain('EXTRA');
    checkGoodRequests(out);
  }, 60_000);

  it('NDJSON: invalid JSON lines and bad rows are quarantined; blank lines are not rows', async () => {
    const dir = tmp('ndjson');
    const src = join(dir, 'logs.ndjson');
    const toObj = (r: Row) => ({
      ...r,
      latency_ms: Number.isNaN(Number(r.latency_ms)) ? r.latency_ms : Number(r.latency_ms),
      calling_agent_id: r.calling_agent_id || null,
      user_id: r.user_id === '' ? null : r.user_id,
    });
    const lines = [...goodRows(), ...badRows().map((b) => b.row)].map((r) => JSON.stringify(toObj(r)));
    lines.splice(50, 0, '{"request_id": "broken", ', '', '[1, 2, 3]');
    writeFileSync(src, lines.join('\n') + '\n\n');
    const r = await runLogsSnapshot({ sources: [src], outDir: join(dir, 'out') });
    expect(r.validation.reasons).toEqual(expectedReasons({ invalid_json: 2 }));
    expect(r.validation.input).toBe(GOOD + badRows().length + 2);
    expect(r.validation.exported).toBe(GOOD);
    const q = readQuarantine(r.dir);
    expect(q.filter((x) => x.reason === 'invalid_json').map((x) => x.row)).toEqual(['{"request_id": "broken", ', [1, 2, 3]]);
    expect(q.find((x) => x.reason === 'missing_user_id')!.row).toMatchObject({ request_id: 'bad10', user_id: null });
    checkGoodRequests(join(dir, 'out'));
  });

  it('Parquet (typed columns, glob over two files) and a DuckDB database table', async () => {
    const dir = tmp('parquet');
    const csv = join(dir, 'all.csv');
    writeCsv(csv, [...goodRows(), ...badRows().map((b) => b.row)]);
    const inst = await DuckDBInstance.create(':memory:');
    const c = await inst.connect();
    await c.run(`SET TimeZone = 'UTC'`);
    // Typed copy: bad values that cannot be typed become NULL (and are then "missing").
    const typed = `SELECT request_id, TRY_CAST(ts AS TIMESTAMPTZ)::TIMESTAMP AS ts, NULLIF(user_id, '') AS user_id, NULLIF(agent_id, '') AS agent_id, status,
      TRY_CAST(latency_ms AS INTEGER) AS latency_ms, TRY_CAST(input_tokens AS INTEGER) AS input_tokens, TRY_CAST(output_tokens AS INTEGER) AS output_tokens,
      TRY_CAST(cost_usd AS DOUBLE) AS cost_usd, session_id, environment, model_family, country, TRY_CAST(latitude AS DOUBLE) AS latitude,
      TRY_CAST(longitude AS DOUBLE) AS longitude, NULLIF(calling_agent_id, '') AS calling_agent_id, department_id
      FROM read_csv('${csv}', all_varchar = true, header = true) WHERE request_id NOT IN ('r5')`;
    await c.run(`COPY (${typed} AND request_id < 'r3') TO '${join(dir, 'part-1.parquet')}' (FORMAT parquet)`);
    await c.run(`COPY (${typed} AND request_id >= 'r3') TO '${join(dir, 'part-2.parquet')}' (FORMAT parquet)`);
    await c.run(`ATTACH '${join(dir, 'logs.duckdb')}' AS db`);
    await c.run(`CREATE TABLE db.requests AS ${typed}`);
    await c.run(`DETACH db`);
    c.closeSync();
    inst.closeSync();
    // The epoch-ms row (r5) cannot be a typed TIMESTAMP in this copy, so it was left out.
    const typedReasons = expectedReasons();
    typedReasons.missing_ts = (typedReasons.missing_ts ?? 0) + typedReasons.invalid_ts;
    delete typedReasons.invalid_ts;
    typedReasons.missing_input_tokens = typedReasons.invalid_input_tokens;
    delete typedReasons.invalid_input_tokens;

    const p = await runLogsSnapshot({ sources: [join(dir, 'part-*.parquet')], outDir: join(dir, 'out-parquet') });
    // Published inputs are relative to the working directory, else file names (issue 7 B7); full paths stay private.
    expect(p.manifest.source).toMatchObject({ kind: 'logs', inputs: ['part-1.parquet', 'part-2.parquet'] });
    expect(p.privateManifest!.source).toMatchObject({ kind: 'logs', inputs: [join(dir, 'part-1.parquet'), join(dir, 'part-2.parquet')] });
    expect(p.validation.reasons).toEqual(typedReasons);
    expect(p.validation.exported).toBe(GOOD - 1);
    expect(p.validation.input).toBe(p.validation.exported + p.validation.quarantined);

    const d = await runLogsSnapshot({ sources: [join(dir, 'logs.duckdb')], outDir: join(dir, 'out-duckdb') });
    expect(d.validation.reasons).toEqual(typedReasons);
    expect(d.validation.exported).toBe(GOOD - 1);
    expect(readSnapshot(join(dir, 'out-duckdb')).tables.requests.numRows).toBe(GOOD - 1);
    expect(readQuarantine(d.dir).length).toBe(d.validation.quarantined);
  });

  it('optional --users/--agents/--sessions/--capacity files fill the other tables', async () => {
    const dir = tmp('optional');
    const src = join(dir, 'logs.csv');
    writeCsv(src, goodRows());
    writeFileSync(
      join(dir, 'users.csv'),
      'user_id,user_name,email,department_id\nu0,Ada Lovelace,ada@example.com,research\nu99,No Requests,nr@example.com,hr\n',
    );
    writeFileSync(
      join(dir, 'agents.ndjson'),
      '{"agent_id":"a0","agent_name":"Agent Zero","agent_status":"deprecated","tags":["x","y"],"allowed_departments":"d0, d1"}\n',
    );
    writeFileSync(join(dir, 'sessions.csv'), 'session_id,user_id,session_start,exit_reason\ns0,u0,2026-03-01T00:00:00Z,user_abandoned\n');
    writeFileSync(
      join(dir, 'capacity.csv'),
      'ts,resource_type,environment,current_usage,max_capacity,unit\n2026-03-01T00:00:00Z,compute,production,7,10,vCPU\n',
    );
    const r = await runLogsSnapshot({
      sources: [src],
      outDir: join(dir, 'out'),
      users: join(dir, 'users.csv'),
      agents: join(dir, 'agents.ndjson'),
      sessions: join(dir, 'sessions.csv'),
      capacity: join(dir, 'capacity.csv'),
      publishPii: ['user_name'],
    });
    const { tables } = readSnapshot(join(dir, 'out'));
    const users = col<string>(tables.users, 'user_id');
    expect(users.length).toBe(18);
    const u0 = users.indexOf('u0');
    expect(col<string>(tables.users, 'user_name')[u0]).toBe('Ada Lovelace');
    expect(col<string | null>(tables.users, 'email').every((e) => e === null)).toBe(true); // not published (issue 7 B7)
    expect(col<string>(tables.users, 'department_id')[u0]).toBe('research');
    expect(micros(tables.users, 'first_seen_at')[users.indexOf('u99')]).toBe(Date.parse(r.manifest.time_range.start) * 1000);
    const a0 = col<string>(tables.agents, 'agent_id').indexOf('a0');
    expect(col<string>(tables.agents, 'agent_status')[a0]).toBe('deprecated');
    expect([...(tables.agents.getChild('allowed_departments')!.get(a0)!.toArray() as string[])]).toEqual(['d0', 'd1']);
    expect(col<string>(tables.agents, 'version')[a0]).toBe('unknown');
    const s0 = col<string>(tables.sessions, 'session_id').indexOf('s0');
    expect(col<string>(tables.sessions, 'exit_reason')[s0]).toBe('user_abandoned');
    expect(col<boolean>(tables.sessions, 'session_successful')[s0]).toBe(false);
    expect(col<number>(tables.sessions, 'request_count')[s0]).toBe(4);
    expect(tables.capacity.numRows).toBe(1);
    expect(col<number>(tables.capacity, 'warning_threshold')[0]).toBe(0.75);
  });

  it('an optional --maintenance-windows file fills the registry table; bad windows are skipped with a warning', async () => {
    const dir = tmp('windows');
    const src = join(dir, 'logs.csv');
    writeCsv(src, goodRows());
    writeFileSync(
      join(dir, 'windows.csv'),
      [
        'window_id,agent_id,title,starts_at,ends_at,recurrence',
        'w1,a0,Index rebuild,2026-03-01T02:00:00Z,2026-03-01T04:00:00Z,weekly',
        'w2,,"<img src=x onerror=alert(1)>",2026-03-02T10:00:00Z,2026-03-02T10:30:00Z,',
        'w3,a1,Backwards,2026-03-02T10:00:00Z,2026-03-02T09:00:00Z,none',
        'w4,a1,Monthly,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,monthly',
      ].join('\n') + '\n',
    );
    const r = await runLogsSnapshot({ sources: [src], outDir: join(dir, 'out'), maintenance_windows: join(dir, 'windows.csv') });
    expect(r.warnings.join('\n')).toContain('2 maintenance windows');
    const { tables } = readSnapshot(join(dir, 'out'));
    expect(col<string>(tables.maintenance_windows, 'window_id')).toEqual(['w1', 'w2']);
    expect(col<string>(tables.maintenance_windows, 'recurrence')).toEqual(['weekly', 'none']);
    expect(col<string | null>(tables.maintenance_windows, 'agent_id')).toEqual(['a0', null]);
    expect(col<string>(tables.maintenance_windows, 'title')[1]).toBe('<img src=x onerror=alert(1)>');
    expect(micros(tables.maintenance_windows, 'starts_at')[0]).toBe(Date.UTC(2026, 2, 1, 2) * 1000);
  });

  it('--map renames source columns', () => {
    const dir = tmp('map');
    const src = join(dir, 'custom.csv');
    writeFileSync(
      src,
      'when,who,bot,outcome,ms,tin,tout,usd\n2026-03-01T10:00:00Z,alice,helper,success,12,1,2,0.5\n2026-03-01T11:00:00Z,bob,helper,error,30,1,0,0.1\n',
    );
    const out = join(dir, 'out');
    const args = ['snapshot', '--source', src, '--out', out];
    const noMap = runCli(args);
    expect(noMap.code).toBe(2);
    const maps = ['ts=when', 'user_id=who', 'agent_id=bot', 'status=outcome', 'latency_ms=ms', 'input_tokens=tin', 'output_tokens=tout', 'cost_usd=usd'];
    const r = runCli([...args, ...maps.flatMap((m) => ['--map', m])]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const { manifest, tables } = readSnapshot(out);
    expect(tables.requests.numRows).toBe(2);
    expect(col<string>(tables.requests, 'user_id')).toEqual(['alice', 'bob']);
    expect(col<number>(tables.requests, 'latency_ms')).toEqual([12, 30]);
    expect(manifest.source).toMatchObject({ kind: 'logs', mapping: { ts: 'when', user_id: 'who', cost_usd: 'usd' } });
    expect(col<string>(tables.requests, 'request_id').every((id) => id.startsWith('gen-'))).toBe(true);
  }, 60_000);

  it('a missing required column or an unreadable file exits non-zero, names file and column, writes nothing', () => {
    const dir = tmp('missing');
    const src = join(dir, 'no-agent.csv');
    writeFileSync(src, 'ts,user_id,status,latency_ms,input_tokens,output_tokens,cost_usd\n2026-03-01T10:00:00Z,u,success,1,1,1,0\n');
    const out = join(dir, 'out');
    const r = runCli(['snapshot', '--source', src, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(src);
    expect(r.stderr).toContain('"agent_id"');
    expect(existsSync(out)).toBe(false);

    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, 'this is not parquet');
    const r2 = runCli(['snapshot', '--source', corrupt, '--out', out]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(corrupt);
    expect(existsSync(out)).toBe(false);

    const r3 = runCli(['snapshot', '--source', join(dir, 'nothing-*.csv'), '--out', out]);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain('no files match');

    // With an existing good snapshot, a failing export leaves it untouched.
    const good = join(dir, 'good.csv');
    writeCsv(good, goodRows());
    expect(runCli(['snapshot', '--source', good, '--out', out]).code).toBe(0);
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    expect(runCli(['snapshot', '--source', good, src, '--out', out]).code).toBe(2);
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  }, 120_000);
});
