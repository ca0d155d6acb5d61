/**
 * DuckDB-WASM in a Worker (browser). Started lazily through one shared promise: the first query or
 * insert pays the ~2 s instantiation, everything else awaits the same promise. DuckDB's own JS is
 * imported dynamically, so it is a separate chunk that first paint does not wait for.
 *
 * Starting cannot hang: a worker script that does not load (a wrong `bundleBase`) fails at once
 * naming the missing file; the engine's files are probed (HEAD) as the start begins, and a missing
 * or unreachable one (404, CORS) fails it at once; a silent start past the stall timeout probes
 * them again (a missing or unanswering one fails the start); the overall timeout bounds the rest. A failed start
 * is forgotten, so the next query (a Retry) starts again.
 */
import type * as duckdb from '@duckdb/duckdb-wasm';
import type { Row } from '@usage-analytics/queries';
import { arrowToRows, type Connector } from './connector.js';
import { SnapshotError } from './errors.js';
import { resolveLimits, type FetchLimits } from './fetch.js';

export interface WasmBrowserOptions extends FetchLimits {
  /** URL of a folder serving duckdb-{mvp,eh}.wasm and duckdb-browser-{mvp,eh}.worker.js (default {@link getBundleBase}). */
  bundleBase?: string | URL;
  /**
   * Use DuckDB-WASM's threaded (COI) build when the page is cross-origin isolated (served with
   * `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy: require-corp`) and
   * the bundle folder serves duckdb-coi.wasm, duckdb-browser-coi.worker.js and
   * duckdb-browser-coi.pthread.worker.js; otherwise the single-threaded EH build. Default false:
   * on this 2-core machine the threaded demo tab was slower (`pnpm bench`, 1M, 2026-12-08:
   * data-ready 10.7 vs 5.2 s, filter changes in view median 627 vs 355 ms, WASM memory 384 vs
   * 69 MB: the pthread workers' start and compile, and the threaded build copies the tables).
   */
  threads?: boolean;
}

let defaultBase: string | URL | undefined;
/** Folders an engine was instantiated from on this page (their files are there: no need to probe them first). */
const servedBases = new Set<string>();

/**
 * Sets the folder of the DuckDB-WASM files for every connector without its own `bundleBase` (a
 * `<usage-provider>` without `bundle-base`); `undefined` restores the default, `./duckdb/` next to
 * the page. The one-script embed (`usage-analytics.js`) sets it to the `duckdb/` folder next to itself.
 * Read when the engine starts, so it may be called any time before the first query.
 */
export function setBundleBase(base: string | URL | undefined): void {
  defaultBase = base === undefined ? undefined : new URL(String(base), document.baseURI);
}

/** The folder a connector without `bundleBase` loads the DuckDB-WASM files from (absolute). */
export function getBundleBase(): URL {
  return new URL(String(defaultBase ?? './duckdb/'), document.baseURI);
}

/**
 * A worker running `url`. A worker script must be same-origin, so one on another origin (the embed
 * on a CDN) is started from a same-origin Blob that `importScripts` it, as duckdb-wasm's docs show
 * for jsDelivr; a script that fails to load then throws inside the worker, which fires `error` as a
 * missing same-origin script does.
 */
function startWorker(url: string): { worker: Worker; blob?: string } {
  if (new URL(url).origin === location.origin) return { worker: new Worker(url) };
  const blob = URL.createObjectURL(new Blob([`importScripts(${JSON.stringify(url)});`], { type: 'text/javascript' }));
  return { worker: new Worker(blob), blob };
}

export class WasmBrowserConnector implements Connector {
  readonly engine = 'duckdb-wasm (worker)';
  private started?: Promise<duckdb.AsyncDuckDBConnection>;
  private db?: duckdb.AsyncDuckDB;
  private worker?: Worker;
  /** Whether the started engine is DuckDB-WASM's threaded (COI) build. */
  threaded = false;

  constructor(private readonly options: WasmBrowserOptions = {}) {
    resolveLimits(options); // a bad limit fails here, not at the first query
  }

  /** Starts the worker (idempotent); resolves when a connection is ready, rejects with `engine_failed` or `fetch_timeout`. */
  start(): Promise<duckdb.AsyncDuckDBConnection> {
    this.started ??= this.boot().catch((e: unknown) => {
      this.started = undefined;
      this.teardown();
      throw e;
    });
    return this.started;
  }

  private async boot(): Promise<duckdb.AsyncDuckDBConnection> {
    let duckdb: typeof import('@duckdb/duckdb-wasm');
    try {
      // Loaded on demand so the page's first paint does not wait for DuckDB's JS.
      duckdb = await import('@duckdb/duckdb-wasm');
    } catch (e) {
      throw new SnapshotError('engine_failed', `the query engine's JavaScript could not be loaded: ${(e as Error).message}`, { cause: e });
    }
    const base = this.options.bundleBase === undefined ? getBundleBase() : new URL(String(this.options.bundleBase), document.baseURI);
    const bundles: duckdb.DuckDBBundles = {
      mvp: { mainModule: new URL('duckdb-mvp.wasm', base).href, mainWorker: new URL('duckdb-browser-mvp.worker.js', base).href },
      eh: { mainModule: new URL('duckdb-eh.wasm', base).href, mainWorker: new URL('duckdb-browser-eh.worker.js', base).href },
    };
    // Threads only where they can run (SharedArrayBuffer needs cross-origin isolation) and the files are there.
    const coi = {
      mainModule: new URL('duckdb-coi.wasm', base).href,
      mainWorker: new URL('duckdb-browser-coi.worker.js', base).href,
      pthreadWorker: new URL('duckdb-browser-coi.pthread.worker.js', base).href,
    };
    const threads = this.options.threads === true && globalThis.crossOriginIsolated === true && (await served(Object.values(coi)));
    if (threads) bundles.coi = coi;
    const bundle = await duckdb.selectBundle(bundles);
    const maximumThreads = bundle.pthreadWorker ? Math.max(1, Math.min(navigator.hardwareConcurrency || 1, 4)) : undefined;
    this.threaded = maximumThreads !== undefined;
    const files = [bundle.mainWorker!, bundle.mainModule];
    const { worker, blob } = startWorker(bundle.mainWorker!);
    this.worker = worker;
    const clock = new EngineClock(this.options, files, base);
    const failed = new Promise<never>((_, reject) => {
      // A worker script that cannot load fires `error` and nothing else: DuckDB would wait forever.
      worker.addEventListener('error', (ev) => {
        ev.preventDefault();
        void diagnose(files, base, clock.probeMs).then((e) =>
          reject(
            e ?? new SnapshotError('engine_failed', `the query engine could not start: ${ev.message || 'its worker script did not run'}`, { file: files[0] }),
          ),
        );
      });
      clock.start(reject);
      // DuckDB's worker does not report a wasm it cannot fetch (a 404, a CORS block): its
      // instantiate() waits on. So the files are probed at once, and a missing or unreachable one
      // fails the start now; a probe that is merely slow decides nothing (the clock does). Not
      // again for a folder that already started an engine on this page (each probe of the 34 MB
      // wasm costs the server a read; after that the stall clock still covers a folder gone bad).
      if (!servedBases.has(base.href))
        void diagnose(files, base, clock.probeMs).then((e) => {
          if (e?.code === 'engine_failed') reject(e);
        });
    });
    failed.catch(() => undefined); // once started, a late worker error has no one to tell
    try {
      return await Promise.race([
        failed,
        (async () => {
          const db = (this.db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker));
          try {
            await db.instantiate(bundle.mainModule, bundle.pthreadWorker, () => clock.tick());
          } catch (e) {
            const reason = (e as Error)?.message ?? String(e);
            throw (
              (await diagnose(files, base, clock.probeMs)) ??
              new SnapshotError('engine_failed', `the query engine could not start: ${reason}`, { file: files[1], cause: e })
            );
          }
          clock.tick();
          servedBases.add(base.href);
          await db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true }, ...(maximumThreads ? { maximumThreads } : {}) });
          return db.connect();
        })(),
      ]);
    } finally {
      clock.stop();
      if (blob) URL.revokeObjectURL(blob); // the worker has read it (or failed) by now
    }
  }

  private teardown(): void {
    void this.db?.terminate().catch(() => undefined);
    this.worker?.terminate();
    this.db = undefined;
    this.worker = undefined;
  }

  async query(sql: string): Promise<Row[]> {
    const conn = await this.start();
    try {
      return arrowToRows(await conn.query(sql));
    } catch (e) {
      throw new SnapshotError('query_failed', `query failed: ${(e as Error).message}`, { sql, cause: e });
    }
  }

  async insertArrowStream(name: string, bytes: Uint8Array): Promise<void> {
    const conn = await this.start();
    await conn.insertArrowFromIPCStream(bytes, { name, create: true });
  }

  async registerFile(name: string, bytes: Uint8Array | null): Promise<void> {
    await this.start();
    if (bytes) await this.db!.registerFileBuffer(name, bytes);
    else await this.db!.dropFile(name);
  }

  async close(): Promise<void> {
    if (!this.started) return;
    const conn = await this.started.catch(() => undefined);
    await conn?.close();
    await this.db?.terminate().catch(() => undefined);
    this.teardown();
  }
}

/**
 * The engine start's two clocks. DuckDB reports the wasm download's progress only now and then (not
 * while chunks arrive < 20 ms apart), so silence alone does not prove a stall: when the stall clock
 * runs out, the engine's files are probed, and only a file that is missing or does not answer fails
 * the start; otherwise it waits on, up to the overall timeout.
 */
class EngineClock {
  readonly stallMs: number;
  readonly timeoutMs: number;
  /** How long a probe waits for a file's headers: the stall limit, but never under 10 s (a busy dev server can take a second to answer HEAD on a 34 MB file). */
  get probeMs(): number {
    return Math.max(this.stallMs, 10_000);
  }
  private last = Date.now();
  private readonly t0 = Date.now();
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;

  constructor(
    limits: FetchLimits,
    private readonly files: string[],
    private readonly base: URL,
  ) {
    ({ stallMs: this.stallMs, timeoutMs: this.timeoutMs } = resolveLimits(limits));
  }

  tick(): void {
    this.last = Date.now();
  }

  start(fail: (e: SnapshotError) => void): void {
    const wake = async (): Promise<void> => {
      if (this.stopped) return;
      const now = Date.now();
      if (this.timeoutMs > 0 && now - this.t0 >= this.timeoutMs) {
        return fail(
          new SnapshotError(
            'fetch_timeout',
            `the query engine did not start within ${this.timeoutMs / 1000} s while loading ${this.files[1]} (bundle-base ${this.base.href})`,
            {
              file: this.files[1],
            },
          ),
        );
      }
      if (this.stallMs > 0 && now - this.last >= this.stallMs) {
        const problem = await diagnose(this.files, this.base, this.probeMs);
        if (this.stopped) return;
        if (problem) return fail(problem);
        this.last = Date.now(); // the files are served: a download without progress reports, wait on
      }
      const due = [this.stallMs > 0 ? this.last + this.stallMs : Infinity, this.timeoutMs > 0 ? this.t0 + this.timeoutMs : Infinity];
      const next = Math.min(...due);
      if (next !== Infinity) this.timer = setTimeout(() => void wake(), Math.max(0, next - Date.now()));
    };
    void wake();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

/** True when every URL answers a HEAD with 2xx within 5 s (the COI build's files are optional in a bundle folder). */
async function served(urls: string[]): Promise<boolean> {
  const ok = await Promise.all(
    urls.map((url) =>
      fetch(url, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(5_000) }).then(
        (r) => r.ok,
        () => false,
      ),
    ),
  );
  return ok.every(Boolean);
}

/**
 * Probes the engine's files (HEAD, each within `ms`) and returns the error for the first one that
 * is missing (`engine_failed`, with its HTTP status), does not answer (`fetch_timeout`) or cannot
 * be reached (`engine_failed`: network or CORS); `undefined` when all are served.
 */
async function diagnose(files: string[], base: URL, ms: number): Promise<SnapshotError | undefined> {
  const hint = `check bundle-base (${base.href}), the folder that serves the DuckDB-WASM files (duckdb-*.wasm, duckdb-browser-*.worker.js)`;
  for (const url of files) {
    const name = url.slice(url.lastIndexOf('/') + 1);
    const status = await fetch(url, { method: 'HEAD', cache: 'no-store', signal: AbortSignal.timeout(ms) }).then(
      (r) => (r.ok ? 0 : r.status),
      (e: unknown) => ((e as Error)?.name === 'TimeoutError' ? 'timeout' : 'network'),
    );
    if (status === 0 || status === 405 || status === 501) continue; // served, or a server without HEAD: no verdict
    if (status === 'timeout')
      return new SnapshotError('fetch_timeout', `the query engine could not start: ${name} did not answer within ${ms / 1000} s at ${url}; ${hint}`, {
        file: url,
      });
    if (status === 404 || status === 410)
      return new SnapshotError(
        'engine_failed',
        `the query engine could not start: its files were not found at ${base.href} (${name} answers HTTP ${status}); set bundle-base to the folder holding duckdb-*.wasm and duckdb-browser-*.worker.js (with the one-script embed: the duckdb/ folder next to usage-analytics.js, or setBasePath())`,
        { file: url },
      );
    const how =
      status === 'network'
        ? 'could not be fetched (network, or CORS: a folder on another origin must send Access-Control-Allow-Origin)'
        : `answers HTTP ${status}`;
    return new SnapshotError('engine_failed', `the query engine could not start: ${name} ${how} at ${url}; ${hint}`, { file: url });
  }
  return undefined;
}
