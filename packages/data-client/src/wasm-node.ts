/**
 * DuckDB-WASM in Node through the blocking build (tests, benchmarks). Arrow crosses the boundary
 * as IPC bytes because duckdb-wasm's CJS build has its own apache-arrow copy (TOOLCHAIN trap 1).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Row } from '@usage-analytics/queries';
import { arrowToRows, type ArrowLikeTable, type Connector } from './connector.js';
import { SnapshotError } from './errors.js';

const require = createRequire(import.meta.url);

interface BlockingDb {
  registerFileBuffer(name: string, buffer: Uint8Array): void;
  dropFile(name: string): void;
}

interface BlockingConn {
  query(sql: string): ArrowLikeTable;
  insertArrowFromIPCStream(bytes: Uint8Array, opts: { name: string; create?: boolean }): void;
  close(): void;
}

export class WasmNodeConnector implements Connector {
  readonly engine = 'duckdb-wasm (node, blocking)';
  private constructor(
    private readonly db: BlockingDb,
    private readonly conn: BlockingConn,
  ) {}

  static async create(): Promise<WasmNodeConnector> {
    const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs');
    const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs'));
    const bundles = {
      mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: join(dist, 'duckdb-node-mvp.worker.cjs') },
      eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: join(dist, 'duckdb-node-eh.worker.cjs') },
    };
    const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
    await db.instantiate();
    db.open({ query: { castBigIntToDouble: true, castDecimalToDouble: true } });
    return new WasmNodeConnector(db, db.connect());
  }

  async query(sql: string): Promise<Row[]> {
    try {
      return arrowToRows(this.conn.query(sql));
    } catch (e) {
      throw new SnapshotError('query_failed', `query failed: ${(e as Error).message}`, { sql, cause: e });
    }
  }

  async insertArrowStream(name: string, bytes: Uint8Array): Promise<void> {
    this.conn.insertArrowFromIPCStream(bytes, { name, create: true });
  }

  async registerFile(name: string, bytes: Uint8Array | null): Promise<void> {
    if (bytes) this.db.registerFileBuffer(name, bytes);
    else this.db.dropFile(name);
  }

  async close(): Promise<void> {
    this.conn.close();
  }
}
