/**
 * The service's PostgreSQL: embedded (PGlite, PostgreSQL compiled to WASM, in a folder or in
 * memory) by default, a real server when `DATABASE_URL` is set (node-postgres pool). Both behind
 * one small interface: parameterised queries and transactions. Everything the service writes goes
 * through `transaction`, so an action's state, audit row and outbox rows commit together or not at all.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<{ rows: T[] }>;
}

export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** A hot query as a named prepared statement on a server (parsed and planned once per connection); PGlite runs it as is. */
  prepared<T = Record<string, unknown>>(name: string, text: string, params?: unknown[]): Promise<{ rows: T[] }>;
  /** Runs `fn` in one transaction (READ COMMITTED; rows it must not race on are locked explicitly). */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface DbOptions {
  /** postgres://… : a real server. */
  url?: string;
  /** PGlite's data folder; default in memory (lost at exit). */
  dataDir?: string;
}

/** Opens the database the options name: a server when `url` is given, else PGlite. */
export async function openDb(options: DbOptions = {}): Promise<Db> {
  return options.url ? openPostgres(options.url) : openPglite(options.dataDir);
}

async function openPglite(dataDir?: string): Promise<Db> {
  const db = await PGlite.create(dataDir ? { dataDir } : undefined);
  return {
    kind: 'pglite',
    async query<T>(text: string, params?: unknown[]) {
      const r = await db.query<T>(text, params);
      return { rows: r.rows };
    },
    async prepared<T>(_name: string, text: string, params?: unknown[]) {
      const r = await db.query<T>(text, params);
      return { rows: r.rows };
    },
    // PGlite is one connection: its transactions run one at a time, in order.
    transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      return db.transaction((tx) =>
        fn({
          async query<R>(text: string, params?: unknown[]) {
            const r = await tx.query<R>(text, params);
            return { rows: r.rows };
          },
        }),
      );
    },
    async close() {
      await db.close();
    },
  };
}

async function openPostgres(url: string): Promise<Db> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client's error (server restart) must not crash the service; the next query reconnects.
  pool.on('error', () => undefined);
  await pool.query('SELECT 1');
  return {
    kind: 'postgres',
    async query<T>(text: string, params?: unknown[]) {
      const r = await pool.query(text, params);
      return { rows: r.rows as T[] };
    },
    async prepared<T>(name: string, text: string, params?: unknown[]) {
      const r = await pool.query({ name, text, values: params });
      return { rows: r.rows as T[] };
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn({
          async query<R>(text: string, params?: unknown[]) {
            const r = await client.query(text, params);
            return { rows: r.rows as R[] };
          },
        });
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}
