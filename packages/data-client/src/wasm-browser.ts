/**
 * DuckDB-WASM in a Worker (browser). Started lazily through one shared promise: the first query or
 * insert pays the ~2 s instantiation, everything else awaits the same promise. DuckDB's own JS is
 * imported dynamically, so it is a separate chunk that first paint does not wait for.
 */
import type * as duckdb from '@duckdb/duckdb-wasm';
import type { Row } from '@usage-analytics/queries';
import { arrowToRows, type Connector } from './connector.js';
import { SnapshotError } from './errors.js';

export interface WasmBrowserOptions {
  /** URL of a folder serving duckdb-{mvp,eh}.wasm and duckdb-browser-{mvp,eh}.worker.js. */
  bundleBase?: string | URL;
}

export class WasmBrowserConnector implements Connector {
  readonly engine = 'duckdb-wasm (worker)';
  private started?: Promise<duckdb.AsyncDuckDBConnection>;
  private db?: duckdb.AsyncDuckDB;
  private worker?: Worker;

  constructor(private readonly options: WasmBrowserOptions = {}) {}

  /** Starts the worker (idempotent); resolves when a connection is ready. */
  start(): Promise<duckdb.AsyncDuckDBConnection> {
    this.started ??= (async () => {
      // Loaded on demand so the page's first paint does not wait for DuckDB's JS.
      const duckdb = await import('@duckdb/duckdb-wasm');
      const base = new URL(String(this.options.bundleBase ?? './duckdb/'), document.baseURI);
      const bundles: duckdb.DuckDBBundles = {
        mvp: { mainModule: new URL('duckdb-mvp.wasm', base).href, mainWorker: new URL('duckdb-browser-mvp.worker.js', base).href },
        eh: { mainModule: new URL('duckdb-eh.wasm', base).href, mainWorker: new URL('duckdb-browser-eh.worker.js', base).href },
      };
      const bundle = await duckdb.selectBundle(bundles);
      this.worker = new Worker(bundle.mainWorker!);
      this.db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), this.worker);
      await this.db.instantiate(bundle.mainModule, bundle.pthreadWorker);
      await this.db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
      return this.db.connect();
    })();
    return this.started;
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

  async close(): Promise<void> {
    if (!this.started) return;
    const conn = await this.started;
    await conn.close();
    await this.db?.terminate();
    this.worker?.terminate();
  }
}
