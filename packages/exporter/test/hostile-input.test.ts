/**
 * Bad input as a user would produce it, on real files through real DuckDB: every hostile value or
 * line costs exactly its own row (quarantined with a reason that names the column and value, or as
 * a malformed line with its line number), the rest exports, and input = exported + quarantined.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { runLogsSnapshot, type LogsSnapshotResult } from '../src/logs-snapshot.js';
import { InputError } from '../src/errors.js';
import { col, readSnapshot, tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

const COLS = ['request_id', 'ts', 'user_id', 'agent_id', 'status', 'latency_ms', 'input_tokens', 'output_tokens', 'cost_usd', 'latitude', 'city'] as const;
type Row = Record<(typeof COLS)[number], string | number | null>;
const T0 = Date.UTC(2026, 2, 1);

function good(i: number): Row {
  return {
    request_id: `r${i}`,
    ts: new Date(T0 + i * 60_000).toISOString(),
    user_id: `u${i % 7}`,
    agent_id: `a${i % 3}`,
    status: 'success',
    latency_ms: 100 + i,
    input_tokens: 10 + i,
    output_tokens: 20 + i,
    cost_usd: 0.5,
    latitude: 48.1,
    city: 'Paris',
  };
}

const csvField = (v: string | number | null) => (v === null ? '' : /[",\n\r]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
const csv = (rows: Row[]) => [COLS.join(','), ...rows.map((r) => COLS.map((c) => csvField(r[c])).join(','))].join('\n') + '\n';
const ndjson = (rows: Row[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

interface Quarantined {
  reason: string;
  source_file: string;
  source_row: number | null;
  source_line: number | null;
  error: string | null;
  row: unknown;
}

function quarantine(r: LogsSnapshotResult): Quarantined[] {
  const file = r.privateManifest?.quarantine?.file;
  if (!file) return [];
  // Every line must be valid JSON (NaN / ±Infinity included).
  return readFileSync(join(r.privateDir!, file), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Quarantined);
}

async function exportFile(name: string, content: string | Buffer, extra: Partial<Parameters<typeof runLogsSnapshot>[0]> = {}) {
  const dir = tmp('hostile');
  const src = join(dir, name);
  writeFileSync(src, content);
  // Most rows of these files are bad on purpose: publish them whatever their quarantined share.
  const r = await runLogsSnapshot({ sources: [src], outDir: join(dir, 'out'), maxQuarantine: 1, ...extra });
  expect(r.validation.input).toBe(r.validation.exported + r.validation.quarantined);
  expect(r.manifest.input_rows).toBe(r.manifest.tables.requests.rows + r.manifest.quarantine.rows);
  return { r, src, dir, q: quarantine(r), requests: readSnapshot(join(dir, 'out')).tables.requests };
}

async function writeParquet(path: string, select: string): Promise<void> {
  const inst = await DuckDBInstance.create(':memory:');
  const c = await inst.connect();
  try {
    await c.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
  } finally {
    c.closeSync();
    inst.closeSync();
  }
}

/** Hostile numbers and the reason each must get. */
const NUMBER_CASES: [string, (c: string) => string][] = [
  ['NaN', (c) => `invalid_${c}`],
  ['inf', (c) => `out_of_range_${c}`],
  ['-inf', (c) => `negative_${c}`],
  ['1e308', (c) => `out_of_range_${c}`],
  ['2147483648', (c) => `out_of_range_${c}`],
  ['-1e10', (c) => `negative_${c}`],
];
const INT_COLUMNS = ['latency_ms', 'input_tokens', 'output_tokens'] as const;

/** One row per (column, value), plus latitude=1e39 and cost_usd=1e308, after 10 good rows. */
function hostileRows(asText: boolean): { rows: Row[]; expected: { id: string; reason: string; column: string; value: string }[] } {
  const rows: Row[] = Array.from({ length: 10 }, (_, i) => good(i));
  const expected: { id: string; reason: string; column: string; value: string }[] = [];
  let i = 100;
  for (const column of INT_COLUMNS) {
    for (const [value, reason] of NUMBER_CASES) {
      const id = `h${i}`;
      rows.push({ ...good(i++), request_id: id, [column]: asText || !Number.isFinite(Number(value)) ? value : Number(value) });
      expected.push({ id, reason: reason(column), column, value });
    }
  }
  rows.push({ ...good(i), request_id: 'lat', latitude: asText ? '1e39' : 1e39 });
  expected.push({ id: 'lat', reason: 'invalid_latitude', column: 'latitude', value: '1e39' });
  rows.push({ ...good(i + 1), request_id: 'cost', cost_usd: asText ? '1e308' : 1e308 });
  expected.push({ id: 'cost', reason: 'out_of_range_cost_usd', column: 'cost_usd', value: '1e308' });
  return { rows, expected };
}

function checkHostile(res: Awaited<ReturnType<typeof exportFile>>, expected: ReturnType<typeof hostileRows>['expected']) {
  expect(res.r.validation.exported).toBe(10);
  expect(res.r.validation.quarantined).toBe(expected.length);
  for (const e of expected) {
    const q = res.q.find((x) => (x.row as Row).request_id === e.id);
    expect(q, e.id).toBeDefined();
    expect(q!.reason, `${e.id} ${e.column}=${e.value}`).toBe(e.reason);
    expect(q!.error).toContain(e.column);
  }
  // Sums stay finite: the cost overflow row is not exported.
  expect(col<number>(res.requests, 'cost_usd').reduce((a, b) => a + b, 0)).toBe(5);
}

describe('B1: one bad number quarantines its row, never the export', () => {
  it('CSV: NaN, ±inf, 1e308, 2^31, -1e10 in latency/tokens, latitude=1e39, cost_usd=1e308', async () => {
    const { rows, expected } = hostileRows(true);
    const res = await exportFile('logs.csv', csv(rows));
    checkHostile(res, expected);
    const nan = res.q.find((x) => (x.row as Row).request_id === 'h100')!;
    expect(nan.error).toBe('latency_ms: "NaN" is not a number');
    expect(nan.source_file).toBe(res.src);
  });

  it('NDJSON: the same values as JSON numbers or strings', async () => {
    const { rows, expected } = hostileRows(false);
    const res = await exportFile('logs.ndjson', ndjson(rows));
    checkHostile(res, expected);
    const big = res.q.find((x) => (x.row as Row).request_id === 'h104')!; // latency_ms 2147483648
    expect(big.error).toBe('latency_ms: "2147483648" is above 2147483647 (32-bit integer)');
    expect(big.source_line).toBe(rows.findIndex((r) => r.request_id === 'h104') + 1);
  });

  it('Parquet: typed DOUBLE columns holding NaN and ±Infinity; the quarantine file stays valid JSON', async () => {
    const dir = tmp('hostile-pq');
    const path = join(dir, 'logs.parquet');
    const { expected } = hostileRows(false);
    const value = (v: string) => (v === 'NaN' ? `'nan'::DOUBLE` : v === 'inf' ? `'inf'::DOUBLE` : v === '-inf' ? `'-inf'::DOUBLE` : `${v}::DOUBLE`);
    const selects = [
      `SELECT 'r' || i AS request_id, TIMESTAMP '2026-03-01' + INTERVAL (i) MINUTE AS ts, 'u' AS user_id, 'a' AS agent_id, 'success' AS status,
      100.0::DOUBLE AS latency_ms, 10.0::DOUBLE AS input_tokens, 20.0::DOUBLE AS output_tokens, 0.5::DOUBLE AS cost_usd, 48.1::DOUBLE AS latitude FROM range(10) t(i)`,
    ];
    for (const e of expected) {
      const v = (c: string, def: string) => (c === e.column ? value(e.value) : def);
      selects.push(
        `SELECT '${e.id}', TIMESTAMP '2026-03-02', 'u', 'a', 'success', ${v('latency_ms', '1.0')}, ${v('input_tokens', '1.0')}, ${v('output_tokens', '1.0')}, ${v('cost_usd', '0.1')}, ${v('latitude', '1.0')}`,
      );
    }
    await writeParquet(path, selects.join(' UNION ALL '));
    const r = await runLogsSnapshot({ sources: [path], outDir: join(dir, 'out') });
    const q = quarantine(r); // JSON.parse of every line
    expect(r.validation).toMatchObject({ exported: 10, quarantined: expected.length });
    for (const e of expected) expect(q.find((x) => (x.row as Row).request_id === e.id)!.reason).toBe(e.reason);
    expect((q.find((x) => (x.row as Row).request_id === 'h100')!.row as Row).latency_ms).toBe('nan');
    expect((q.find((x) => (x.row as Row).request_id === 'h101')!.row as Row).latency_ms).toBe('inf');
  });
});

describe('B2: NUL characters and odd JSON keys', () => {
  it('a NUL in any text column quarantines the row (NDJSON and CSV); an empty JSON key is ignored', async () => {
    const rows = [good(0), good(1), { ...good(2), request_id: 'n1', agent_id: 'a\u0000b' }, { ...good(3), request_id: 'n2', city: 'Pa\u0000ris' }];
    const lines = rows.map((r) => JSON.stringify(r));
    lines[0] = lines[0].replace('{', '{"":"empty key",');
    const nd = await exportFile('nul.ndjson', lines.join('\n') + '\n');
    expect(nd.r.validation).toMatchObject({ exported: 2, quarantined: 2, reasons: { nul_character: 2 } });
    expect(nd.q.map((x) => x.error).sort()).toEqual(['agent_id: contains a NUL character (U+0000)', 'city: contains a NUL character (U+0000)']);
    const c = await exportFile('nul.csv', csv(rows));
    expect(c.r.validation).toMatchObject({ exported: 2, quarantined: 2, reasons: { nul_character: 2 } });
  });

  it('dictionary types are built from a query, so any text (NUL included) in a table file exports', async () => {
    const dir = tmp('nul-users');
    writeFileSync(join(dir, 'users.ndjson'), JSON.stringify({ user_id: 'u0', department_id: 'r&d\'\u0000"x' }) + '\n');
    const res = await exportFile('logs.csv', csv([good(0), good(1)]), { users: join(dir, 'users.ndjson') });
    const users = readSnapshot(join(res.dir, 'out')).tables.users;
    expect(col<string>(users, 'department_id')[col<string>(users, 'user_id').indexOf('u0')]).toBe('r&d\'\u0000"x');
  });

  it('a failing export leaves no empty --out folder behind', async () => {
    const dir = tmp('no-empty-out');
    const src = join(dir, 'logs.csv');
    writeFileSync(src, csv([good(0)]));
    const out = join(dir, 'fresh', 'out');
    const fail = runLogsSnapshot({ sources: [src], outDir: out, precompute: () => Promise.reject(new Error('hook failed')) });
    await expect(fail).rejects.toThrow('hook failed');
    expect(existsSync(out)).toBe(false);
  });
});

describe('B3: bad lines are quarantined with their line number, the rest exports', () => {
  it('CSV with mixed CRLF/LF line ends', async () => {
    const lines = csv([good(0), good(1), good(2), good(3)]).split('\n');
    const text = `${lines[0]}\r\n${lines[1]}\n${lines[2]}\r\n${lines[3]}\n${lines[4]}\r\n`;
    const res = await exportFile('mixed.csv', text);
    expect(res.r.validation).toMatchObject({ input: 4, exported: 4, quarantined: 0 });
    expect(col<number>(res.requests, 'cost_usd')).toEqual([0.5, 0.5, 0.5, 0.5]); // no "0.5\r"
  });

  it('NDJSON with a raw CR inside a line: whitespace between tokens is fine, inside a string it is invalid JSON', async () => {
    const a = JSON.stringify(good(0)).replace(',"ts"', ',\r"ts"');
    const b = JSON.stringify({ ...good(1), city: 'X' }).replace('"X"', '"X\rY"');
    const res = await exportFile('cr.ndjson', [a, b, JSON.stringify(good(2))].join('\n') + '\r\n');
    expect(res.r.validation).toMatchObject({ input: 3, exported: 2, quarantined: 1, reasons: { invalid_json: 1 } });
    expect(res.q[0]).toMatchObject({ source_line: 2, row: b });
  });

  it('a CSV field over 2 MB (in an unmapped column) is read', async () => {
    const rows = [good(0), good(1), good(2)];
    const text = csv(rows).split('\n');
    text[0] += ',prompt';
    text[1] += `,"${'x'.repeat(2_200_000)}"`;
    text[2] += ',short';
    text[3] += ',';
    const res = await exportFile('big.csv', text.join('\n'));
    expect(res.r.validation).toMatchObject({ input: 3, exported: 3 });
  });

  it('a fully quoted CSV whose last line is cut mid-field (a log being written)', async () => {
    const q = (r: Row) => COLS.map((c) => `"${r[c] ?? ''}"`).join(',');
    const text = [COLS.map((c) => `"${c}"`).join(','), q(good(0)), q(good(1)), q(good(2)).slice(0, 30)].join('\n');
    const res = await exportFile('writing.csv', text);
    expect(res.r.validation).toMatchObject({ input: 3, exported: 2, quarantined: 1, reasons: { malformed_row: 1 } });
    expect(res.q[0]).toMatchObject({ reason: 'malformed_row', source_line: 4, error: 'unterminated quoted field', row: q(good(2)).slice(0, 30) });
  });

  it('a quoted header is read as names: a missing column is named, present ones are listed as they are', async () => {
    const dir = tmp('quoted-header');
    const src = join(dir, 'no-agent.csv');
    const cols = COLS.filter((c) => c !== 'agent_id');
    writeFileSync(src, [cols.map((c) => `"${c}"`).join(','), cols.map((c) => `"${good(0)[c]}"`).join(','), `"r9","2026-03-0`].join('\n'));
    const run = runLogsSnapshot({ sources: [src], outDir: join(dir, 'out') });
    await expect(run).rejects.toThrow(
      `${src}: missing required column "agent_id" (looked for agent_id, agent, agentid, bot_id, assistant_id; columns present: ${cols.join(', ')}). Use --map agent_id=<column>.`,
    );
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('an unterminated quote mid-file costs its line only; real multi-line fields still work', async () => {
    const lines = csv([good(0), good(1), good(2), good(3), good(4)])
      .trim()
      .split('\n');
    lines[2] = lines[2].replace(',Paris', ',"Par is'); // line 3: the quote never closes
    lines[4] = lines[4].replace(',Paris', ',"Pa""r,is"'); // line 5: a quoted field (even number of quotes)
    const afterQuote = lines[5].replace('r4', 'r6').replace(',Paris', ',"x"y');
    lines.push(lines[5].replace('r4', 'r5').replace(',Paris', ',"multi\nline"'), afterQuote); // 7–8: multi-line; 9: text after a quote
    const res = await exportFile('quotes.csv', lines.join('\n') + '\n');
    expect(res.r.validation).toMatchObject({ input: 7, exported: 5, quarantined: 2 });
    expect(res.q.map((x) => [x.source_line, x.error])).toEqual([
      [3, 'unterminated quoted field'],
      [9, `text after a closing quote (column ${afterQuote.indexOf('"x"y') + 4})`],
    ]);
    const ids = col<string>(res.requests, 'request_id');
    const cities = col<string>(res.requests, 'city');
    expect(ids).toEqual(['r0', 'r2', 'r3', 'r4', 'r5']);
    expect(cities[ids.indexOf('r3')]).toBe('Pa"r,is');
    expect(cities[ids.indexOf('r5')]).toBe('multi\nline');
  });

  it('a wrong column count is a malformed line with its line number (after skipped and blank lines)', async () => {
    const lines = csv([good(0), good(1), good(2)])
      .trim()
      .split('\n');
    lines.splice(2, 0, '', '\t ', `${lines[2]},EXTRA`);
    const res = await exportFile('count.csv', lines.join('\n') + '\n');
    expect(res.r.validation).toMatchObject({ input: 4, exported: 3, quarantined: 1 });
    expect(res.q[0]).toMatchObject({ reason: 'malformed_row', source_line: 5 });
  });
});

describe('B4: quarantine JSON, keys, whitespace, .json arrays', () => {
  it('NDJSON keys differing only in case fill one column; whitespace-only lines are not rows; a tab-only user_id is missing', async () => {
    const lower = JSON.stringify(good(0));
    const upper = JSON.stringify(good(1)).replace('"ts"', '"TS"').replace('"user_id"', '"User_ID"');
    const tabUser = JSON.stringify({ ...good(2), user_id: '\t ' });
    const padded = JSON.stringify({ ...good(3), user_id: '\u00a0u9\t\r\n' });
    const res = await exportFile('case.ndjson', [lower, '\t', upper, '  \t  ', tabUser, padded, ''].join('\n'));
    expect(res.r.validation).toMatchObject({ input: 4, exported: 3, quarantined: 1, reasons: { missing_user_id: 1 } });
    expect(col<string>(res.requests, 'user_id')).toEqual(['u0', 'u1', 'u9']);
    expect(res.q[0]).toMatchObject({ source_row: 3, source_line: 5 });
  });

  it('a .json file holding an array is read element by element; a broken one says what it is', async () => {
    const ok = await exportFile('logs.json', JSON.stringify([good(0), good(1), 42]));
    expect(ok.r.validation).toMatchObject({ input: 3, exported: 2, quarantined: 1, reasons: { invalid_json: 1 } });
    expect(ok.q[0]).toMatchObject({ error: 'a JSON ubigint, not an object', row: 42 });
    const dir = tmp('json-array');
    writeFileSync(join(dir, 'broken.json'), `[${JSON.stringify(good(0))}, {"ts": `);
    const bad = runLogsSnapshot({ sources: [join(dir, 'broken.json')], outDir: join(dir, 'out') });
    await expect(bad).rejects.toBeInstanceOf(InputError);
    await expect(bad).rejects.toThrow(/broken\.json: holds a JSON array \(not one JSON object per line\) that cannot be read/);
  });
});
