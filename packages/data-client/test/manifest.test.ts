/** parseManifest: every field the client relies on is checked, with a message that says what is wrong and the manifest path at fault. */
import { describe, expect, it } from 'vitest';
import { FORMAT_NAME, FORMAT_VERSION, TABLE_NAMES, isUsageError, type Manifest } from '@usage-analytics/queries';
import { SnapshotError, parseManifest, snapshotPathProblem } from '../src/index.js';

const SHA = 'ab'.repeat(32);

function valid(): Manifest {
  const tables = Object.fromEntries(
    TABLE_NAMES.map((t) => [t, { file: `20260301T000000Z-abc/${t}.arrows`, rows: 10, bytes: 100, sha256: SHA }]),
  ) as Manifest['tables'];
  return {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    snapshot_id: '20260301T000000Z-abc',
    generated_at: '2026-03-01T00:00:01.000Z',
    source: { kind: 'demo', seed: 1, requests: 10, days: 1 },
    time_range: { start: '2026-02-01T00:00:00.000Z', end: '2026-03-01T09:30:00.123457Z' },
    tables,
    input_rows: 10,
    quarantine: { rows: 0, file: null, reasons: {} },
    precomputed: { file: '20260301T000000Z-abc/precomputed.json', bytes: 10, sha256: SHA },
  };
}

const bytes = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
const LOC = 'https://example.test/snapshots/manifest.json';

/** The error parseManifest throws for `edit(valid manifest)`. */
function errorFor(edit: (m: Record<string, any>) => void): SnapshotError {
  const m = valid() as unknown as Record<string, any>;
  edit(m);
  try {
    parseManifest(bytes(m), LOC);
  } catch (e) {
    expect(e).toBeInstanceOf(SnapshotError);
    expect(isUsageError(e)).toBe(true);
    return e as SnapshotError;
  }
  throw new Error('parseManifest accepted the manifest');
}

describe('parseManifest', () => {
  it('accepts a valid manifest and keeps its µs end exactly as written', () => {
    const m = parseManifest(bytes(valid()), LOC);
    expect(m.time_range.end).toBe('2026-03-01T09:30:00.123457Z');
    expect(m.tables.users.file).toBe('20260301T000000Z-abc/users.arrows');
  });

  it('says a string format_version is a string, not "version 1; this client reads version 1"', () => {
    const e = errorFor((m) => (m.format_version = '1'));
    expect(e.code).toBe('invalid_manifest');
    expect(e.field).toBe('format_version');
    expect(e.message).toBe(`${LOC}: format_version is a string ("1"); it must be the number 1`);
    expect(e.message).not.toMatch(/reads version/);
  });

  it('keeps unsupported_version for another number, with field format_version', () => {
    const e = errorFor((m) => (m.format_version = 2));
    expect(e).toMatchObject({ code: 'unsupported_version', field: 'format_version', detail: { expected: '1', actual: '2' } });
  });

  it('rejects a reversed time_range instead of answering "No API calls match"', () => {
    const e = errorFor((m) => (m.time_range = { start: '2026-03-01T00:00:00Z', end: '2026-02-01T00:00:00Z' }));
    expect(e).toMatchObject({ code: 'invalid_manifest', field: 'time_range' });
    expect(e.message).toBe(`${LOC}: time_range is reversed: start 2026-03-01T00:00:00Z is after end 2026-02-01T00:00:00Z`);
  });

  it('rejects an empty time_range when there are requests, and accepts it for an empty export', () => {
    const e = errorFor((m) => (m.time_range = { start: '2026-03-01T00:00:00Z', end: '2026-03-01T00:00:00Z' }));
    expect(e).toMatchObject({ code: 'invalid_manifest', field: 'time_range' });
    expect(e.message).toMatch(/time_range is empty \(start = end = 2026-03-01T00:00:00Z\) although the requests table has 10 rows$/);
    const empty = valid();
    empty.tables.requests.rows = 0;
    empty.time_range = { start: '2026-03-01T00:00:00Z', end: '2026-03-01T00:00:00Z' };
    expect(parseManifest(bytes(empty), LOC).tables.requests.rows).toBe(0);
  });

  it('names impossible or missing time bounds', () => {
    expect(errorFor((m) => (m.time_range.end = '2026-02-30T00:00:00Z'))).toMatchObject({
      field: 'time_range.end',
      message: expect.stringMatching(/day 30 does not exist in 2026-02$/),
    });
    expect(errorFor((m) => (m.time_range.start = 1767225600000))).toMatchObject({
      field: 'time_range.start',
      message: expect.stringMatching(/is a number \(1767225600000\); it must be an ISO 8601 UTC instant/),
    });
    expect(errorFor((m) => delete m.time_range)).toMatchObject({
      field: 'time_range',
      message: expect.stringMatching(/time_range is missing; it must be \{start, end\}/),
    });
    expect(errorFor((m) => delete m.generated_at)).toMatchObject({ field: 'generated_at' });
  });

  it('checks rows, bytes and sha256 types of every table and of precomputed', () => {
    expect(errorFor((m) => (m.tables.users.rows = '10'))).toMatchObject({
      field: 'tables.users.rows',
      message: expect.stringContaining('tables.users.rows is "10"; it must be a whole number >= 0'),
    });
    expect(errorFor((m) => (m.tables.users.rows = -1))).toMatchObject({ field: 'tables.users.rows' });
    expect(errorFor((m) => (m.tables.sessions.rows = 1.5))).toMatchObject({ field: 'tables.sessions.rows' });
    expect(errorFor((m) => (m.tables.agents.bytes = null))).toMatchObject({ field: 'tables.agents.bytes' });
    expect(errorFor((m) => (m.tables.agents.sha256 = SHA.toUpperCase()))).toMatchObject({
      field: 'tables.agents.sha256',
      message: expect.stringContaining('64 lowercase hex digits'),
    });
    expect(errorFor((m) => (m.precomputed.sha256 = 'abc'))).toMatchObject({ field: 'precomputed.sha256' });
    expect(errorFor((m) => delete m.tables.capacity)).toMatchObject({
      field: 'tables.capacity',
      message: expect.stringContaining('the snapshot lacks table "capacity"'),
    });
    expect(errorFor((m) => (m.tables.users.file = 42))).toMatchObject({
      field: 'tables.users.file',
      message: expect.stringContaining('is a number, not a string'),
    });
    expect(errorFor((m) => (m.snapshot_id = ''))).toMatchObject({ field: 'snapshot_id' });
    expect(errorFor((m) => (m.input_rows = -3))).toMatchObject({ field: 'input_rows' });
  });

  it('checks the database file entry when there is one (bytes required, sha256, a path inside the snapshot)', () => {
    const db = { file: '20260301T000000Z-abc/snapshot.duckdb', bytes: 1000, sha256: SHA, storage_version: 'v1.4.0' };
    const m = { ...valid(), database: db };
    expect(parseManifest(bytes(m), LOC).database).toEqual(db);
    expect(errorFor((m) => (m.database = { ...db, sha256: 'abc' }))).toMatchObject({ field: 'database.sha256' });
    expect(errorFor((m) => (m.database = { ...db, bytes: undefined }))).toMatchObject({ field: 'database.bytes' });
    expect(errorFor((m) => (m.database = { ...db, bytes: -1 }))).toMatchObject({ field: 'database.bytes' });
    expect(errorFor((m) => (m.database = { ...db, file: '../snapshot.duckdb' }))).toMatchObject({ field: 'database.file' });
    expect(errorFor((m) => (m.database = 'snapshot.duckdb'))).toMatchObject({ field: 'database' });
  });

  it('accepts the optional brotli sidecar entry (database.br) and checks it when present; a manifest without it stays valid', () => {
    const db = { file: '20260301T000000Z-abc/snapshot.duckdb', bytes: 1000, sha256: SHA, storage_version: 'v1.4.0' };
    const br = { file: '20260301T000000Z-abc/snapshot.duckdb.br', bytes: 700 };
    expect(parseManifest(bytes({ ...valid(), database: { ...db, br } }), LOC).database).toEqual({ ...db, br });
    expect(parseManifest(bytes({ ...valid(), database: db }), LOC).database).toEqual(db);
    expect(errorFor((m) => (m.database = { ...db, br: 'snapshot.duckdb.br' }))).toMatchObject({ field: 'database.br' });
    expect(errorFor((m) => (m.database = { ...db, br: { ...br, file: '/abs/snapshot.duckdb.br' } }))).toMatchObject({ field: 'database.br.file' });
    expect(errorFor((m) => (m.database = { ...db, br: { ...br, bytes: 1.5 } }))).toMatchObject({ field: 'database.br.bytes' });
    expect(errorFor((m) => (m.database = { ...db, br: { file: br.file } }))).toMatchObject({ field: 'database.br.bytes' });
  });

  it('refuses table and precomputed paths that leave the snapshot folder (field = the manifest path)', () => {
    const outside = [
      'http://other-host/users.arrows',
      'HTTPS://other-host/users.arrows',
      'javascript:alert(1)',
      'data:application/octet-stream;base64,AAAA',
      '//other-host/users.arrows',
      '/etc/passwd',
      '../users.arrows',
      '20260301T000000Z-abc/../../secret/users.arrows',
      '..',
      '%2e%2e/users.arrows',
      '%2E%2E%2Fusers.arrows',
      '..\\users.arrows',
      '\\\\other-host\\share\\users.arrows',
      'users.arrows\u0000.png',
      '',
    ];
    for (const file of outside) {
      const e = errorFor((m) => (m.tables.users.file = file));
      expect(e.code, file).toBe('invalid_manifest');
      expect(e.field, file).toBe('tables.users.file');
      expect(e.message, file).toMatch(/^https:\/\/example\.test\/snapshots\/manifest\.json: tables\.users\.file \(.*\) (is|has|contains)/);
    }
    expect(errorFor((m) => (m.precomputed.file = '//cdn.evil/precomputed.json'))).toMatchObject({
      field: 'precomputed.file',
      message: expect.stringContaining('protocol-relative'),
    });
    expect(errorFor((m) => (m.tables.agents.file = 'http://other-host/a.arrows')).message).toContain(
      'is an absolute URL; table paths must be relative to the manifest',
    );
    // Names that merely contain dots stay allowed.
    for (const ok of ['users.arrows', './users.arrows', 'v1..2/users.arrows', 'a/b/c.arrows', 'x..arrows']) expect(snapshotPathProblem(ok), ok).toBe(null);
  });

  it('accepts a quarantine entry without a file (it stays on the server) and checks its shape', () => {
    const m = valid() as unknown as Record<string, any>;
    m.quarantine = { rows: 3, reasons: { missing_user: 3 } };
    expect(parseManifest(bytes(m), LOC).quarantine.rows).toBe(3);
    m.quarantine = { rows: 3, file: null, reasons: {} };
    expect(() => parseManifest(bytes(m), LOC)).not.toThrow();
    expect(errorFor((x) => (x.quarantine = { rows: 'three' }))).toMatchObject({ field: 'quarantine.rows' });
    expect(errorFor((x) => (x.quarantine = { rows: 1, file: 7 }))).toMatchObject({ field: 'quarantine.file' });
  });

  it('reports a non-object manifest, another format and invalid JSON', () => {
    expect(() => parseManifest(bytes([1, 2]), LOC)).toThrow(/is an array, not an object/);
    expect(errorFor((m) => (m.format = 'parquet-dump'))).toMatchObject({ code: 'unsupported_format', field: 'format' });
    expect(() => parseManifest(new TextEncoder().encode('{not json'), LOC)).toThrow(SnapshotError);
  });
});
