#!/usr/bin/env -S npx tsx
/**
 * usage-exporter: request logs or demo data → versioned Arrow snapshots (see README.md).
 *   pnpm exporter demo --requests 1000000 --days 180 --seed 42 --out data/demo
 *   pnpm exporter snapshot --source 'logs/*.parquet' --out data/live [--watch]
 *   pnpm exporter verify data/live
 * The commands are a table (name, options, run); cli-table.ts parses strictly and prints usage.
 */
import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseMicros } from '@usage-analytics/queries';
import { type Command, type OptionSpec, type OptionValues, flag, intOption, numberOption, runCommandLine, str, strs } from './cli-table.js';
import { runDemo } from './demo/index.js';
import { parseMappings } from './column-map.js';
import { parseUnits, parseValueMaps } from './value-transforms.js';
import { dryRun, formatDryRun } from './dry-run.js';
import { PRESETS, getPreset, withPreset } from './presets.js';
import { CliError, VerifyError } from './errors.js';
import type { LogFormat } from './logs-reader.js';
import { DEFAULT_MAX_QUARANTINE, runLogsSnapshot } from './logs-snapshot.js';
import { precomputeDefaultView } from './precompute.js';
import { loadRegistry, type RegistryApplied } from './registry.js';
import { PII_COLUMNS, type PrecomputeHook, readManifest, verifySnapshot } from './snapshot-writer.js';
import { watchSnapshots } from './watch.js';

const PROGRAM = 'usage-exporter';
const FORMATS: readonly LogFormat[] = ['parquet', 'csv', 'ndjson', 'duckdb'];

/** Options of both commands that write a snapshot. */
const OUTPUT_OPTIONS: Record<string, OptionSpec> = {
  out: { type: 'string', arg: 'DIR', help: 'versioned output folder (required)' },
  keep: { type: 'string', arg: 'N', help: 'snapshot versions to keep (default 3)' },
  precompute: {
    type: 'string',
    arg: 'default|none|MODULE',
    help: "first-paint results: the default view's queries (default), none, or a module exporting a precompute hook",
  },
  registry: {
    type: 'string',
    arg: 'FILE|URL',
    help: "the actions service's agent registry (GET /v1/registry/agents, or that JSON in a file) laid over the agents table; a URL is read with Authorization: Bearer $ACTIONS_TOKEN at each write",
  },
  'publish-pii': {
    type: 'string',
    multiple: true,
    arg: PII_COLUMNS.map((c) => c.split('.')[1]).join('|'),
    help: 'publish this PII column as it is (default: none; withheld columns are all-null in the published table, full in private/)',
  },
};

function required(v: OptionValues, name: string, command: string): string {
  const s = str(v, name);
  if (!s) throw new CliError(`${command}: --${name} is required`, { field: name });
  return s;
}

/** `--end`: a real ISO date or date-time, floored to its UTC day. */
function parseEnd(v: OptionValues): number | undefined {
  const s = str(v, 'end');
  if (s === undefined) return undefined;
  const us = parseMicros(s);
  if (us === null) throw new CliError(`--end: not a date: ${JSON.stringify(s)} (YYYY-MM-DD or an ISO date-time)`, { field: 'end', value: s });
  return Math.floor(us / 86_400_000_000) * 86_400_000;
}

/** Default: precompute the default view (first paint); `none` skips it; else a module path. */
async function loadPrecompute(v: OptionValues): Promise<PrecomputeHook | undefined> {
  const module = str(v, 'precompute');
  if (module === undefined || module === 'default') return precomputeDefaultView;
  if (module === 'none') return undefined;
  const mod = (await import(pathToFileURL(resolve(module)).href)) as { default?: PrecomputeHook; precompute?: PrecomputeHook };
  const hook = mod.precompute ?? mod.default;
  if (typeof hook !== 'function') throw new CliError(`--precompute ${module}: no default or "precompute" export`, { field: 'precompute', value: module });
  return hook;
}

async function outputOptions(v: OptionValues, command: string) {
  const publishPii = strs(v, 'publish-pii');
  const known = PII_COLUMNS.flatMap((c) => [c, c.split('.')[1]]);
  for (const p of publishPii) {
    if (!known.includes(p))
      throw new CliError(`--publish-pii: not a PII column: ${JSON.stringify(p)} (PII columns: ${PII_COLUMNS.join(', ')})`, { field: 'publish-pii', value: p });
  }
  const from = str(v, 'registry');
  // Checked once now (a bad file or an unreachable service fails before any work), then read at each write.
  if (from) await loadRegistry(from);
  return {
    outDir: required(v, 'out', command),
    keep: intOption(v, 'keep', 3, 1),
    precompute: await loadPrecompute(v),
    publishPii,
    ...(from
      ? {
          registry: () => loadRegistry(from),
          onRegistry: (r: RegistryApplied) =>
            console.log(
              `registry: ${r.applied} agent(s) changed by actions applied${r.unknown.length ? `; ${r.unknown.length} not in this snapshot: ${r.unknown.slice(0, 5).join(', ')}` : ''}`,
            ),
        }
      : {}),
  };
}

/** --map, --preset, --map-values, --unit. */
function readOptions(v: OptionValues) {
  const name = str(v, 'preset');
  const preset = name === undefined ? undefined : getPreset(name);
  return {
    mapping: parseMappings(strs(v, 'map')),
    preferred: preset?.columns ?? {},
    transforms: withPreset(preset, { valueMaps: parseValueMaps(strs(v, 'map-values')), units: parseUnits(strs(v, 'unit')) }),
  };
}

/** Exit code of a snapshot written but not published (too many rows quarantined). */
export const HELD_EXIT = 4;

/** A share option: a number in 0…1. */
function shareOption(v: OptionValues, name: string, def: number): number {
  const s = str(v, name);
  if (s === undefined) return def;
  const n = /^\s*$/.test(s) ? NaN : Number(s);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new CliError(`--${name} must be a share from 0 to 1 (0.5 = 50 %), got ${JSON.stringify(s)}`, { field: name, value: s });
  return n;
}

const fmt = (n: number) => n.toLocaleString('en-US');

const demo: Command = {
  name: 'demo',
  summary: 'Generate a deterministic synthetic snapshot',
  options: {
    requests: { type: 'string', arg: 'N', help: 'exact number of request rows (default 1000000)' },
    days: { type: 'string', arg: 'D', help: 'length of the period in days (default 180)' },
    seed: { type: 'string', arg: 'S', help: 'same seed + same --end → byte-identical tables (default 42)' },
    end: { type: 'string', arg: 'DATE', help: 'data ends at this UTC midnight (default: today 00:00 UTC)' },
    'batch-rows': { type: 'string', arg: 'N', help: 'Arrow record batch size (default 262144)' },
    ...OUTPUT_OPTIONS,
  },
  async run(v, _p, io) {
    const t0 = performance.now();
    const r = await runDemo({
      requests: intOption(v, 'requests', 1_000_000, 1),
      days: intOption(v, 'days', 180, 1),
      seed: intOption(v, 'seed', 42),
      end: parseEnd(v),
      batchRows: str(v, 'batch-rows') === undefined ? undefined : intOption(v, 'batch-rows', 0, 1),
      ...(await outputOptions(v, 'demo')),
    });
    const m = r.manifest;
    const bytes = Object.values(m.tables).reduce((s, t) => s + t.bytes, 0);
    io.out(
      `demo snapshot ${r.id}: ${fmt(m.tables.requests.rows)} requests, ${fmt(m.tables.users.rows)} users, ${fmt(m.tables.sessions.rows)} sessions, ` +
        `${(bytes / 1e6).toFixed(1)} MB, ${m.time_range.start} → ${m.time_range.end}, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    io.out(
      `  anomalies: ${m.ground_truth?.anomalies.map((a) => `${a.date} ${a.kind} ×${a.factor}${a.department_id ? ` (${a.department_id})` : ''}`).join(', ') || 'none'}`,
    );
    return 0;
  },
};

const snapshot: Command = {
  name: 'snapshot',
  summary: 'Export request logs (Parquet, CSV, NDJSON, DuckDB) to a snapshot',
  positionals: { synopsis: '[SOURCE...]', min: 0, max: Infinity },
  options: {
    source: { type: 'string', multiple: true, arg: 'FILE|GLOB', help: 'request log file or glob (positional arguments are sources too)' },
    format: { type: 'string', arg: FORMATS.join('|'), help: 'source format (default: from the extension)' },
    table: { type: 'string', arg: 'NAME', help: 'table to read from DuckDB database sources (default requests)' },
    map: { type: 'string', multiple: true, arg: 'TARGET=SOURCE', help: 'column mapping' },
    'map-values': {
      type: 'string',
      multiple: true,
      arg: 'TARGET=PATTERN:VALUE,…',
      help: 'value map applied before validation, e.g. status=200:success,5xx:error,408:timeout (patterns: exact, 4xx/5xx, *); one flag per column',
    },
    unit: { type: 'string', multiple: true, arg: 'TARGET=UNIT', help: "the source column's unit: latency=s|ms|us|ns, cost=usd|cents|micro_usd" },
    users: { type: 'string', arg: 'FILE', help: 'optional users table file' },
    agents: { type: 'string', arg: 'FILE', help: 'optional agents table file' },
    sessions: { type: 'string', arg: 'FILE', help: 'optional sessions table file' },
    capacity: { type: 'string', arg: 'FILE', help: 'optional capacity table file' },
    'maintenance-windows': { type: 'string', arg: 'FILE', help: 'optional maintenance windows file (agent registry)' },
    watch: { type: 'boolean', help: 'keep polling the sources and export a new version when they change' },
    interval: { type: 'string', arg: 'SECONDS', help: 'polling interval of --watch (default 2, at least 0.2)' },
    'full-paths': {
      type: 'boolean',
      help: 'record absolute source paths in the published manifest (default: relative to the working directory, else the file name)',
    },
    'max-quarantine': {
      type: 'string',
      arg: 'SHARE',
      help: 'largest share (0…1) of input rows that may be quarantined; above it the new version is written but not published (exit 4) (default 0.5)',
    },
    preset: {
      type: 'string',
      arg: Object.keys(PRESETS).join('|'),
      help: "a gateway's export shape: its columns, value maps and units (see README; --map, --map-values, --unit override it)",
    },
    'dry-run': {
      type: 'boolean',
      help: 'list every required column at once (found, samples, guessed source, suggested --unit/--map-values) and write nothing (--out not needed)',
    },
    force: { type: 'boolean', help: 'publish the snapshot even when more than --max-quarantine of its rows were quarantined' },
    ...OUTPUT_OPTIONS,
  },
  async run(v, positionals, io) {
    const sources = [...strs(v, 'source'), ...positionals];
    if (sources.length === 0) throw new CliError('snapshot: --source <file|glob> is required', { field: 'source' });
    const format = str(v, 'format');
    if (format !== undefined && !(FORMATS as readonly string[]).includes(format)) {
      throw new CliError(`--format must be ${FORMATS.join(', ')}; got ${JSON.stringify(format)}`, { field: 'format', value: format });
    }
    if (flag(v, 'dry-run')) {
      const files = await dryRun({ sources, format: format as LogFormat | undefined, ...readOptions(v) });
      for (const line of formatDryRun(files)) io.out(line);
      return 0;
    }
    const interval = numberOption(v, 'interval', 2, 0.2);
    if (str(v, 'interval') !== undefined && !flag(v, 'watch')) throw new CliError('--interval only applies with --watch', { field: 'interval' });
    const opts = {
      sources,
      format: format as LogFormat | undefined,
      table: str(v, 'table'),
      ...readOptions(v),
      users: str(v, 'users'),
      agents: str(v, 'agents'),
      sessions: str(v, 'sessions'),
      capacity: str(v, 'capacity'),
      maintenance_windows: str(v, 'maintenance-windows'),
      fullPaths: flag(v, 'full-paths'),
      maxQuarantine: shareOption(v, 'max-quarantine', DEFAULT_MAX_QUARANTINE),
      force: flag(v, 'force'),
      ...(await outputOptions(v, 'snapshot')),
    };
    if (flag(v, 'watch')) {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      io.out(`watching ${sources.join(' ')} every ${interval} s → ${opts.outDir} (Ctrl-C to stop)`);
      await watchSnapshots({ ...opts, intervalMs: interval * 1000, signal: controller.signal, log: io.out });
      return 0;
    }
    const t0 = performance.now();
    const r = await runLogsSnapshot(opts);
    const q = r.validation;
    io.out(
      `snapshot ${r.id}: ${fmt(q.input)} input rows → ${fmt(q.exported)} exported, ${fmt(q.quarantined)} quarantined (${((performance.now() - t0) / 1000).toFixed(2)} s)`,
    );
    if (q.quarantined > 0) {
      for (const [reason, n] of Object.entries(q.reasons).sort((a, b) => b[1] - a[1])) io.out(`  ${reason}: ${fmt(n)}`);
      io.out(`  quarantined rows (private): ${resolve(r.privateDir!, r.privateManifest!.quarantine!.file)}`);
    }
    for (const w of r.warnings) io.out(`  warning: ${w}`);
    if (r.held) {
      io.err(`error: snapshot ${r.id} NOT published: ${r.held}`);
      io.err(`  the live snapshot was kept (${resolve(opts.outDir, 'manifest.json')} unchanged); the new version is in ${r.dir}`);
      io.err(`  check the mapping (--map, --map-values, --unit) or publish anyway with --force`);
      return HELD_EXIT;
    }
    return 0;
  },
};

const verify: Command = {
  name: 'verify',
  summary: 'Check that DIR/manifest.json points at a complete, checksum-valid snapshot',
  positionals: { synopsis: 'DIR', min: 1, max: 1 },
  options: {},
  async run(_v, [dir], io) {
    const m = readManifest(dir);
    if (!m) throw new VerifyError(`${dir}: no manifest.json`, [`no manifest.json`], { field: dir });
    const problems = verifySnapshot(dir, m);
    if (problems.length > 0) throw new VerifyError(problems.map((p) => `${dir}: ${p}`).join('\n'), problems, { field: dir });
    io.out(`${dir}: snapshot ${m.snapshot_id} OK (${fmt(m.tables.requests.rows)} requests)`);
    return 0;
  },
};

export const COMMANDS: readonly Command[] = [demo, snapshot, verify];

export function main(argv: string[]): Promise<number> {
  return runCommandLine(PROGRAM, COMMANDS, argv, { out: (l) => console.log(l), err: (l) => console.error(l) });
}

// Run when executed (not when imported by a test).
if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
