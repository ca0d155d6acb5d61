/**
 * Reads and checks `manifest.json` before anything else is fetched: every field the client relies
 * on has its type and range checked, with a message that says what is wrong and `field` set to the
 * manifest path at fault (`format_version`, `time_range.end`, `tables.users.file`, …).
 *
 * File paths must stay inside the snapshot's own folder: relative, no `..`, no scheme or host, no
 * leading slash, no backslash or encoded dot/slash. The sources check the resolved location again.
 */
import { FORMAT_NAME, FORMAT_VERSION, OPTIONAL_TABLES, TABLE_NAMES, describeValue, instantProblem, parseMicros, type Manifest } from '@usage-analytics/queries';
import { SnapshotError } from './errors.js';

const td = new TextDecoder();
const SHA256 = /^[0-9a-f]{64}$/;

/** Why `path` may not be read as a snapshot file, or `null` when it is a plain path inside the snapshot's folder. */
export function snapshotPathProblem(path: unknown): string | null {
  if (typeof path !== 'string') return `is ${kind(path)}, not a string`;
  if (path === '') return 'is empty';
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return 'is an absolute URL; table paths must be relative to the manifest';
  if (path.startsWith('//')) return 'is a protocol-relative URL (//host/…); table paths must be relative to the manifest';
  if (path.startsWith('/')) return 'is an absolute path; table paths must be relative to the manifest';
  if (path.includes('\\')) return 'contains a backslash';
  if (/%(2e|2f|5c)/i.test(path)) return 'contains an encoded dot, slash or backslash';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'contains a control character';
  if (path.split(/[?#]/)[0].split('/').includes('..')) return 'has a ".." segment; it must stay inside the snapshot folder';
  return null;
}

/** Parses and validates a manifest; `location` names it in messages. Throws a {@link SnapshotError}. */
export function parseManifest(bytes: Uint8Array, location: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(td.decode(bytes));
  } catch (e) {
    throw new SnapshotError('invalid_manifest', `${location} is not valid JSON: ${(e as Error).message}`, { file: location });
  }
  const fail = (field: string, problem: string): never => {
    throw new SnapshotError('invalid_manifest', `${location}: ${field} ${problem}`, { file: location, field });
  };
  if (!isObject(m)) return fail('(the whole manifest)', `is ${kind(m)}, not an object`);
  if (m.format !== FORMAT_NAME) {
    throw new SnapshotError('unsupported_format', `${location} is not a ${FORMAT_NAME} manifest (format = ${describeValue(m.format)})`, {
      file: location,
      field: 'format',
    });
  }
  const version = m.format_version;
  if (typeof version !== 'number') {
    fail('format_version', `is ${kind(version)} (${describeValue(version)}); it must be the number ${FORMAT_VERSION}`);
  } else if (version !== FORMAT_VERSION) {
    throw new SnapshotError('unsupported_version', `${location} has format version ${version}; this client reads version ${FORMAT_VERSION}`, {
      file: location,
      field: 'format_version',
      expected: String(FORMAT_VERSION),
      actual: String(version),
    });
  }
  if (typeof m.snapshot_id !== 'string' || m.snapshot_id === '') fail('snapshot_id', `is ${describeValue(m.snapshot_id)}; it must be a non-empty string`);
  checkInstant(m.generated_at, 'generated_at', fail);

  const tables = m.tables;
  if (!isObject(tables)) return fail('tables', `is ${kind(tables)}, not an object`);
  for (const t of TABLE_NAMES) {
    const e = tables[t];
    if (e === undefined && OPTIONAL_TABLES.includes(t)) continue; // written before the table existed: loaded empty
    if (e === undefined) fail(`tables.${t}`, `is missing: the snapshot lacks table "${t}"`);
    checkFile(e, `tables.${t}`, fail);
    const entry = e as Record<string, unknown>;
    if (!isCount(entry.rows)) fail(`tables.${t}.rows`, `is ${describeValue(entry.rows)}; it must be a whole number >= 0`);
  }
  if (m.precomputed !== undefined) checkFile(m.precomputed, 'precomputed', fail);
  if (m.database !== undefined) {
    checkFile(m.database, 'database', fail);
    const db = m.database as Record<string, unknown>;
    if (!isCount(db.bytes)) fail('database.bytes', `is ${describeValue(db.bytes)}; it must be a whole number >= 0`);
    // Optional (exporters since the brotli sidecar): the precompressed copy a static host may send with Content-Encoding: br.
    if (db.br !== undefined) {
      if (!isObject(db.br)) fail('database.br', `is ${kind(db.br)}; it must be {file, bytes} or absent`);
      const br = db.br as Record<string, unknown>;
      const problem = snapshotPathProblem(br.file);
      if (problem) fail('database.br.file', `(${describeValue(br.file)}) ${problem}`);
      if (!isCount(br.bytes)) fail('database.br.bytes', `is ${describeValue(br.bytes)}; it must be a whole number >= 0`);
    }
  }

  const range = m.time_range;
  if (!isObject(range)) return fail('time_range', `is ${kind(range)}; it must be {start, end} (ISO UTC instants)`);
  const start = checkInstant(range.start, 'time_range.start', fail);
  const end = checkInstant(range.end, 'time_range.end', fail);
  const requests = (tables.requests as { rows: number }).rows;
  if (end < start) fail('time_range', `is reversed: start ${range.start} is after end ${range.end}`);
  if (end === start && requests > 0) fail('time_range', `is empty (start = end = ${range.start}) although the requests table has ${requests} rows`);

  if (m.input_rows !== undefined && !isCount(m.input_rows)) fail('input_rows', `is ${describeValue(m.input_rows)}; it must be a whole number >= 0`);
  // The quarantine stays on the server (the browser never reads it): only its shape is checked, and `file` may be absent.
  const q = m.quarantine;
  if (q !== undefined) {
    if (!isObject(q)) fail('quarantine', `is ${kind(q)}, not an object`);
    const quarantine = q as Record<string, unknown>;
    if (!isCount(quarantine.rows)) fail('quarantine.rows', `is ${describeValue(quarantine.rows)}; it must be a whole number >= 0`);
    if (quarantine.file !== undefined && quarantine.file !== null && typeof quarantine.file !== 'string')
      fail('quarantine.file', `is ${kind(quarantine.file)}; it must be a string, null or absent`);
  }
  return m as unknown as Manifest;
}

type Fail = (field: string, problem: string) => never;

function checkFile(e: unknown, field: string, fail: Fail): void {
  if (!isObject(e)) fail(field, `is ${kind(e)}; it must be {file, rows, bytes, sha256}`);
  const entry = e as Record<string, unknown>;
  const problem = snapshotPathProblem(entry.file);
  if (problem) fail(`${field}.file`, `(${describeValue(entry.file)}) ${problem}`);
  if (typeof entry.sha256 !== 'string' || !SHA256.test(entry.sha256))
    fail(`${field}.sha256`, `is ${describeValue(entry.sha256)}; it must be 64 lowercase hex digits`);
  if (entry.bytes !== undefined && !isCount(entry.bytes)) fail(`${field}.bytes`, `is ${describeValue(entry.bytes)}; it must be a whole number >= 0`);
}

function checkInstant(v: unknown, field: string, fail: Fail): number {
  if (typeof v !== 'string') fail(field, `is ${kind(v)}${v === undefined ? '' : ` (${describeValue(v)})`}; it must be an ISO 8601 UTC instant (a string)`);
  const problem = instantProblem(v);
  if (problem !== null) fail(field, `is ${describeValue(v)}: ${problem}`);
  const us = parseMicros(v);
  return us ?? fail(field, `is ${describeValue(v)}: not an instant this client can represent`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** "a string", "null", "an array", … for messages. */
function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'missing';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'missing' : `a ${t}`;
}
