/**
 * `snapshot --watch`: polls the sources every few seconds; when the set of files or their size /
 * mtime changes and then stays the same for one more poll (so half-written files are not read),
 * exports a new snapshot version. One line per export (or failure) with its duration.
 */
import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { expandSources } from './logs-reader.js';
import { type LogsSnapshotOptions, type LogsSnapshotResult, runLogsSnapshot } from './logs-snapshot.js';

export interface WatchOptions extends LogsSnapshotOptions {
  intervalMs?: number;
  /** Stops the loop. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onExport?: (result: LogsSnapshotResult) => void;
}

async function signature(expand: (p: string[]) => Promise<string[]>, sources: string[]): Promise<string> {
  let files: string[];
  try {
    files = await expand(sources);
  } catch {
    return '';
  }
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${f}\t${s.size}\t${s.mtimeMs}`;
      } catch {
        return `${f}\t?`;
      }
    })
    .join('\n');
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export async function watchSnapshots(opts: WatchOptions): Promise<void> {
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const interval = opts.intervalMs ?? 2000;
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  const expand = (p: string[]) => expandSources(conn, p);
  let exported = '';
  let candidate = await signature(expand, opts.sources);
  let stable = true; // export the initial state right away
  try {
    while (!opts.signal?.aborted) {
      if (candidate !== '' && candidate !== exported && stable) {
        const t0 = performance.now();
        try {
          const r = await runLogsSnapshot(opts);
          const s = ((performance.now() - t0) / 1000).toFixed(2);
          log(
            `${new Date().toISOString()} snapshot ${r.id}: ${r.validation.exported} rows exported, ${r.validation.quarantined} quarantined, ${r.manifest.source.kind === 'logs' ? r.manifest.source.inputs.length : 0} files, ${s} s`,
          );
          for (const w of r.warnings) log(`  warning: ${w}`);
          if (r.held) log(`  NOT published (the live snapshot was kept): ${r.held}`);
          opts.onExport?.(r);
        } catch (e) {
          const s = ((performance.now() - t0) / 1000).toFixed(2);
          log(`${new Date().toISOString()} export failed after ${s} s: ${(e as Error).message}`);
        }
        exported = candidate;
      }
      await sleep(interval, opts.signal);
      if (opts.signal?.aborted) break;
      const next = await signature(expand, opts.sources);
      stable = next === candidate;
      candidate = next;
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
