#!/usr/bin/env -S npx tsx
/**
 * usage-exporter: request logs or demo data → versioned Arrow snapshots (see README.md).
 *   pnpm exporter demo --requests 1000000 --days 180 --seed 42 --out data/demo
 *   pnpm exporter snapshot --source 'logs/*.parquet' --out data/live [--watch]
 *   pnpm exporter verify data/live
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { runDemo } from './demo/index.js';
import { parseMappings } from './column-map.js';
import { InputError, type LogFormat } from './logs-reader.js';
import { runLogsSnapshot } from './logs-snapshot.js';
import { precomputeDefaultView } from './precompute.js';
import { type PrecomputeHook, readManifest, verifySnapshot } from './snapshot-writer.js';
import { watchSnapshots } from './watch.js';

const USAGE = `usage-exporter <command> [options]

Commands:
  demo       Generate a deterministic synthetic snapshot
             --requests N (1000000)  --days D (180)  --seed S (42)  --out DIR
             [--end YYYY-MM-DD]  data ends at that UTC midnight (default: today 00:00 UTC)
  snapshot   Export request logs (Parquet, CSV, NDJSON, DuckDB) to a snapshot
             --source <file|glob>... (repeatable; extra positional args are sources too)  --out DIR
             [--format parquet|csv|ndjson|duckdb]  [--table NAME] (DuckDB sources, default requests)
             [--map target=source]... [--users F] [--agents F] [--sessions F] [--capacity F]
             [--watch [--interval SECONDS]]
  verify     Check that DIR/manifest.json points at a complete, checksum-valid snapshot
             verify DIR

Common: [--keep N] snapshot versions to keep (3)  [--precompute default|none|MODULE] results shipped
        for first paint: the default view's queries (default), none, or a module exporting a
        precompute hook (default export or "precompute") run before the manifest is written.
Exit codes: 0 ok, 1 failure, 2 bad input or usage (nothing is written).`;

class UsageError extends Error {}

function int(v: string | undefined, name: string, def: number): number {
  if (v === undefined) return def;
  const n = Number(v.replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer, got "${v}"`);
  return n;
}

function parseEnd(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v.length === 10 ? `${v}T00:00:00Z` : v);
  if (Number.isNaN(t)) throw new UsageError(`--end: not a date: "${v}"`);
  return Math.floor(t / 86_400_000) * 86_400_000;
}

/** Default: precompute the default view (first paint); `none` skips it; else a module path. */
async function loadPrecompute(module: string | undefined): Promise<PrecomputeHook | undefined> {
  if (module === undefined || module === 'default') return precomputeDefaultView;
  if (module === 'none') return undefined;
  const mod = (await import(pathToFileURL(resolve(module)).href)) as { default?: PrecomputeHook; precompute?: PrecomputeHook };
  const hook = mod.precompute ?? mod.default;
  if (typeof hook !== 'function') throw new UsageError(`--precompute ${module}: no default or "precompute" export`);
  return hook;
}

const fmt = (n: number) => n.toLocaleString('en-US');

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      requests: { type: 'string' },
      days: { type: 'string' },
      seed: { type: 'string' },
      end: { type: 'string' },
      out: { type: 'string' },
      source: { type: 'string', multiple: true },
      format: { type: 'string' },
      table: { type: 'string' },
      map: { type: 'string', multiple: true },
      users: { type: 'string' },
      agents: { type: 'string' },
      sessions: { type: 'string' },
      capacity: { type: 'string' },
      watch: { type: 'boolean' },
      interval: { type: 'string' },
      keep: { type: 'string' },
      precompute: { type: 'string' },
      'batch-rows': { type: 'string' },
    },
  });
  const keep = int(values.keep, 'keep', 3);
  if (keep < 1) throw new UsageError('--keep must be at least 1');
  const precompute = await loadPrecompute(values.precompute);

  if (command === 'demo') {
    if (!values.out) throw new UsageError('demo: --out DIR is required');
    const t0 = performance.now();
    const r = await runDemo({
      requests: int(values.requests, 'requests', 1_000_000),
      days: int(values.days, 'days', 180),
      seed: int(values.seed, 'seed', 42),
      end: parseEnd(values.end),
      outDir: values.out,
      batchRows: values['batch-rows'] ? int(values['batch-rows'], 'batch-rows', 0) : undefined,
      precompute,
      keep,
    });
    const bytes = Object.values(r.manifest.tables).reduce((s, t) => s + t.bytes, 0);
    console.log(
      `demo snapshot ${r.id}: ${fmt(r.manifest.tables.requests.rows)} requests, ${fmt(r.manifest.tables.users.rows)} users, ${fmt(r.manifest.tables.sessions.rows)} sessions, ` +
        `${(bytes / 1e6).toFixed(1)} MB, ${r.manifest.time_range.start} → ${r.manifest.time_range.end}, ${((performance.now() - t0) / 1000).toFixed(2)} s`,
    );
    console.log(`  anomalies: ${r.manifest.ground_truth?.anomalies.map((a) => `${a.date} ${a.kind} ×${a.factor}${a.department_id ? ` (${a.department_id})` : ''}`).join(', ') || 'none'}`);
    return 0;
  }

  if (command === 'snapshot') {
    const sources = [...(values.source ?? []), ...positionals];
    if (sources.length === 0) throw new UsageError('snapshot: --source <file|glob> is required');
    if (!values.out) throw new UsageError('snapshot: --out DIR is required');
    const format = values.format as LogFormat | undefined;
    if (format && !['parquet', 'csv', 'ndjson', 'duckdb'].includes(format)) throw new UsageError(`--format must be parquet, csv, ndjson or duckdb`);
    const opts = {
      sources,
      outDir: values.out,
      format,
      table: values.table,
      mapping: parseMappings(values.map ?? []),
      users: values.users,
      agents: values.agents,
      sessions: values.sessions,
      capacity: values.capacity,
      precompute,
      keep,
    };
    if (values.watch) {
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      process.once('SIGTERM', () => controller.abort());
      const interval = Math.max(0.2, Number(values.interval ?? 2));
      console.log(`watching ${sources.join(' ')} every ${interval} s → ${values.out} (Ctrl-C to stop)`);
      await watchSnapshots({ ...opts, intervalMs: interval * 1000, signal: controller.signal });
      return 0;
    }
    const t0 = performance.now();
    const r = await runLogsSnapshot(opts);
    const v = r.validation;
    console.log(`snapshot ${r.id}: ${fmt(v.input)} input rows → ${fmt(v.exported)} exported, ${fmt(v.quarantined)} quarantined (${((performance.now() - t0) / 1000).toFixed(2)} s)`);
    if (v.quarantined > 0) {
      for (const [reason, n] of Object.entries(v.reasons).sort((a, b) => b[1] - a[1])) console.log(`  ${reason}: ${fmt(n)}`);
      console.log(`  quarantined rows: ${resolve(r.dir, r.manifest.quarantine.file!)}`);
    }
    for (const w of r.warnings) console.log(`  warning: ${w}`);
    return 0;
  }

  if (command === 'verify') {
    const dir = values.out ?? positionals[0];
    if (!dir) throw new UsageError('verify: DIR is required');
    const m = readManifest(dir);
    if (!m) {
      console.error(`${dir}: no manifest.json`);
      return 1;
    }
    const problems = verifySnapshot(dir, m);
    if (problems.length > 0) {
      for (const p of problems) console.error(`${dir}: ${p}`);
      return 1;
    }
    console.log(`${dir}: snapshot ${m.snapshot_id} OK (${fmt(m.tables.requests.rows)} requests)`);
    return 0;
  }

  throw new UsageError(`unknown command "${command}"`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      console.error(`error: ${(e as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else if (e instanceof InputError || (e instanceof Error && e.message.startsWith('--map'))) {
      console.error(`error: ${e.message}`);
      process.exitCode = 2;
    } else {
      console.error(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      process.exitCode = 1;
    }
  },
);
