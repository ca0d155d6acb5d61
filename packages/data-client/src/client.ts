/**
 * UsageDataClient: opens a snapshot, loads its tables into an engine, and runs query modules
 * through the coordinator. The same API in the browser (worker) and in Node (tests, benchmarks).
 */
import {
  TABLE_NAMES,
  makeContext,
  type Sql,
  toMicros,
  type Micros,
  type Dimensions,
  type Manifest,
  type ManifestTable,
  type QueryContext,
  type QueryModule,
  type Row,
  type TableName,
  type UsageFilters,
} from '@usage-analytics/queries';
import { sha256Hex } from './checksum.js';
import type { Connector } from './connector.js';
import { Coordinator, type RequestOptions } from './coordinator.js';
import { SnapshotError, isSnapshotError } from './errors.js';
import { parseManifest } from './manifest.js';
import type { SnapshotSource } from './source.js';

export interface LoadProgress {
  phase: 'manifest' | 'fetch' | 'verify' | 'insert' | 'ready';
  table?: TableName;
  /** Tables done / total. */
  done: number;
  total: number;
}

export interface OpenOptions {
  source: SnapshotSource;
  connector: Connector;
  /** Verify sha256 of every file (default true). */
  verify?: boolean;
  onProgress?: (p: LoadProgress) => void;
  /**
   * How a snapshot whose manifest lists a DuckDB database file (`database`) is loaded, when the
   * connector can take a file (`registerFile`). The file is fetched, checked and ATTACHed read-only;
   * then `'views'` (the default) makes each table a view over it: every filter is answerable as soon
   * as it is attached, and the engine holds the file's compressed columns rather than a copy of them
   * (the first scan of a column reads its blocks: cold queries are slower, warm ones about equal —
   * see the README's Speed section); `'copy'` copies every table into memory (ENUM types kept) and
   * detaches the file (the default on DuckDB-WASM's threaded COI build, where reads through views
   * failed with "offset is out of bounds" in 1.32); `'arrow'` ignores the file and loads the Arrow
   * streams (as for a snapshot without the file).
   */
  database?: 'copy' | 'views' | 'arrow';
}

/** Precomputed first-paint results shipped in the snapshot (rows keyed by SQL text). */
export interface Precomputed {
  entries: { name: string; sql: string; rows: Row[] }[];
  /** The filter dimensions ({@link dimensionsOf}), so filter bars and colour domains need not wait for the tables. */
  dimensions?: Dimensions;
}

/** The values each filter dimension can take, read from loaded tables (one engine or the other). */
export async function dimensionsOf(connector: Pick<Connector, 'query'>): Promise<Dimensions> {
  const distinct = async (col: string, table = 'requests') =>
    (await connector.query(`SELECT DISTINCT ${col} AS v FROM ${table} WHERE ${col} IS NOT NULL ORDER BY v`)).map((r) => String(r.v));
  return {
    departments: await distinct('department_id'),
    intents: await distinct('intent_category'),
    providers: await distinct('provider'),
    modelFamilies: await distinct('model_family'),
    agentIds: await distinct('agent_id', 'agents'),
  };
}

const td = new TextDecoder();
/** Database files attached so far on this page (each gets its own file name and alias). */
let attached = 0;

/** Options of {@link UsageDataClient.run}: the coordinator's, and the time zone of the query. */
export interface RunOptions extends RequestOptions {
  /** IANA time zone of days, hours and months (default UTC; see `makeContext`). */
  timeZone?: string;
}

/**
 * A read failure as a SnapshotError naming what was read: the source's own SnapshotError keeps its
 * code (`fetch_timeout`, `fetch_failed` with a network hint, `invalid_manifest` for a path outside
 * the snapshot), anything else (HTTP 404, a missing file) is `fetch_failed`. `field` is the file.
 */
function readFailure(e: unknown, what: string, file: string, table?: TableName): SnapshotError {
  const code = isSnapshotError(e) ? e.code : 'fetch_failed';
  return new SnapshotError(code, `cannot read ${what}: ${(e as Error)?.message ?? String(e)}`, { file, table, field: file, cause: e });
}

export class UsageDataClient {
  readonly coordinator: Coordinator;
  /** Resolves when every table is in the engine (rejects with a SnapshotError). */
  readonly ready: Promise<void>;
  private dims?: Dimensions;
  private readonly precomputedBySql = new Map<string, Row[]>();

  private constructor(
    readonly manifest: Manifest,
    readonly connector: Connector,
    private readonly source: SnapshotSource,
    precomputed: Precomputed | undefined,
    private readonly options: OpenOptions,
    engine: Promise<unknown> | undefined,
  ) {
    this.coordinator = new Coordinator(connector, manifest.snapshot_id);
    for (const e of precomputed?.entries ?? []) this.precomputedBySql.set(e.sql, e.rows);
    if (isDimensions(precomputed?.dimensions)) this.dims = precomputed.dimensions;
    this.ready = this.loadTables(engine);
    this.ready.catch(() => undefined); // surfaced through run()/ready to whoever awaits
  }

  /** Reads and checks a source's current manifest (e.g. to see whether a newer snapshot exists). */
  static async readManifest(source: SnapshotSource): Promise<Manifest> {
    let bytes: Uint8Array;
    try {
      bytes = await source.read(source.manifestPath);
    } catch (e) {
      throw readFailure(e, `manifest ${source.location}`, source.location);
    }
    return parseManifest(bytes, source.location);
  }

  /**
   * Reads the manifest (and precomputed first-paint results), then starts loading tables in the
   * background. Resolves before the tables are loaded: await {@link ready} or just call {@link run}.
   */
  static async open(options: OpenOptions): Promise<UsageDataClient> {
    const { source } = options;
    options.onProgress?.({ phase: 'manifest', done: 0, total: TABLE_NAMES.length });
    // The engine starts now, while the manifest, the first paint's rows and the tables download
    // (DuckDB-WASM: fetching and compiling its wasm); its failure surfaces where it is first needed.
    const engine = options.connector.start?.().then(() => mark('usage:engine-ready'));
    engine?.catch(() => undefined);
    const manifest = await UsageDataClient.readManifest(source);
    let precomputed: Precomputed | undefined;
    if (manifest.precomputed) {
      try {
        const pbytes = await source.read(manifest.precomputed.file);
        if (options.verify !== false) await checkSum(pbytes, manifest.precomputed.sha256, manifest.precomputed.file);
        precomputed = JSON.parse(td.decode(pbytes)) as Precomputed;
      } catch {
        precomputed = undefined; // first paint just waits for the engine
      }
    }
    return new UsageDataClient(manifest, options.connector, source, precomputed, options, engine);
  }

  /** The data end (exclusive), exact µs: the anchor of relative presets. */
  get anchor(): Micros {
    return toMicros(this.manifest.time_range.end);
  }
  /** The first request's time, exact µs. */
  get dataStart(): Micros {
    return toMicros(this.manifest.time_range.start);
  }
  get snapshotId(): string {
    return this.manifest.snapshot_id;
  }

  /** `engine`: the engine's start, begun by {@link open}; a download that fails first is still reported first. */
  private async loadTables(engine: Promise<unknown> | undefined): Promise<void> {
    const { database } = this.options;
    if (this.manifest.database && database !== 'arrow' && this.connector.registerFile) return this.loadDatabase(this.manifest.database, database, engine);
    return this.loadStreams(engine);
  }

  /** Fetches and checks the snapshot's database file, ATTACHes it and makes its tables the engine's (see {@link OpenOptions.database}). */
  private async loadDatabase(entry: NonNullable<Manifest['database']>, requested: 'copy' | 'views' | undefined, engine?: Promise<unknown>): Promise<void> {
    const { source, onProgress, verify = true } = this.options;
    const total = TABLE_NAMES.length;
    let bytes: Uint8Array;
    let actual: string | undefined;
    try {
      // entry.bytes: the decoded size, the download's total when the file comes with Content-Encoding (a host sending snapshot.duckdb.br).
      if (verify && source.readHashed) ({ bytes, sha256: actual } = await source.readHashed(entry.file, entry.bytes));
      else bytes = await source.read(entry.file, entry.bytes);
    } catch (e) {
      // A server that does not publish the file (one set up before it existed: HTTP 403/404/410) still serves the streams.
      if (/\bHTTP (403|404|410)\b/.test((e as Error)?.message ?? '')) return this.loadStreams(engine);
      throw readFailure(e, `database file ${entry.file}`, entry.file);
    }
    if (verify) await checkSum(bytes, entry.sha256, entry.file, undefined, actual);
    mark('usage:database-downloaded');
    // One name per client: a connector may hold two snapshots' files at once (an update in place).
    const name = `snapshot-${this.manifest.snapshot_id}-${++attached}.duckdb`;
    const alias = `__snapshot_${attached}`;
    const fail = (what: string, e: unknown, table?: TableName): never => {
      // An engine that cannot start (engine_failed, fetch_timeout) keeps its code, as in the Arrow path.
      if (isSnapshotError(e) && e.code !== 'query_failed') throw e;
      throw new SnapshotError('load_failed', `${what} (${entry.file}) into ${this.connector.engine}: ${(e as Error)?.message ?? String(e)}`, {
        file: entry.file,
        table,
        cause: e,
      });
    };
    let mode: 'copy' | 'views' = requested ?? 'views';
    try {
      await engine;
      if (!requested && this.connector.threaded) mode = 'copy';
      await this.connector.registerFile!(name, bytes);
      await this.connector.query(`ATTACH '${name}' AS ${alias} (READ_ONLY)`);
    } catch (e) {
      fail('cannot attach the database file', e);
    }
    mark('usage:database-attached');
    let done = 0;
    for (const t of TABLE_NAMES) {
      onProgress?.({ phase: 'insert', table: t, done, total });
      // The file holds the tables the manifest lists; an optional table an older snapshot leaves out is created empty.
      if (!(this.manifest.tables[t] as ManifestTable | undefined)) {
        await (await loader()).createEmptyTable(this.connector, t);
      } else {
        try {
          const what = mode === 'copy' ? 'TABLE' : 'VIEW';
          await this.connector.query(`CREATE OR REPLACE ${what} "${t}" AS SELECT * FROM ${alias}."${t}"`);
        } catch (e) {
          fail(`cannot load table "${t}"`, e, t);
        }
        await this.checkRows(t);
      }
      done++;
    }
    if (mode === 'copy') {
      // Everything is in memory now: the file's bytes need not stay in the engine.
      await this.connector.query(`DETACH ${alias}`);
      await this.connector.registerFile!(name, null);
    }
    onProgress?.({ phase: 'ready', done, total });
  }

  /** Checks a loaded table's row count against the manifest. */
  private async checkRows(t: TableName): Promise<void> {
    let n: unknown;
    try {
      [{ n }] = await this.connector.query(`SELECT count(*) AS n FROM "${t}"`);
    } catch (e) {
      throw new SnapshotError(
        'load_failed',
        `table "${t}" (${this.manifest.tables[t].file}) did not load into ${this.connector.engine}: ${(e as Error).message}`,
        {
          table: t,
          cause: e,
        },
      );
    }
    if (Number(n) !== this.manifest.tables[t].rows) {
      throw new SnapshotError('load_failed', `table "${t}" loaded ${n} rows, manifest says ${this.manifest.tables[t].rows}`, { table: t });
    }
  }

  /** Loads every table from its Arrow stream (snapshots without a database file, or `database: 'arrow'`). */
  private async loadStreams(engine?: Promise<unknown>): Promise<void> {
    const { source, onProgress, verify = true } = this.options;
    const total = TABLE_NAMES.length;
    let done = 0;
    // Fetch all in parallel, insert in order (one engine connection).
    // Optional tables an older snapshot leaves out are created empty (manifest.ts lets them be absent).
    const fetches = TABLE_NAMES.map(async (t) => {
      const entry = this.manifest.tables[t] as ManifestTable | undefined;
      if (!entry) return undefined;
      let bytes: Uint8Array;
      let actual: string | undefined;
      try {
        if (verify && source.readHashed) ({ bytes, sha256: actual } = await source.readHashed(entry.file));
        else bytes = await source.read(entry.file);
      } catch (e) {
        throw readFailure(e, `table "${t}" (${entry.file})`, entry.file, t);
      }
      if (verify) await checkSum(bytes, entry.sha256, entry.file, t, actual);
      return bytes;
    });
    fetches.forEach((p) => p.catch(() => undefined));
    for (let i = 0; i < total; i++) {
      const t = TABLE_NAMES[i];
      const bytes = await fetches[i];
      await engine; // started in open(); its failure keeps its code (engine_failed, fetch_timeout)
      onProgress?.({ phase: 'insert', table: t, done, total });
      if (!bytes) {
        await (await loader()).createEmptyTable(this.connector, t);
        done++;
        continue;
      }
      try {
        if (this.connector.loadTable) await this.connector.loadTable(t, bytes);
        else await (await loader()).loadTable(this.connector, t, bytes, { file: this.manifest.tables[t].file });
      } catch (e) {
        // The file's own faults (not Arrow, wrong columns) and an engine that cannot start keep their code.
        if (isSnapshotError(e) && e.code !== 'query_failed') throw e;
        throw new SnapshotError('load_failed', `cannot load table "${t}" into ${this.connector.engine}: ${(e as Error).message}`, { table: t, cause: e });
      }
      await this.checkRows(t);
      done++;
    }
    onProgress?.({ phase: 'ready', done, total });
  }

  /** The values each filter dimension can take (for validation and the filter bar). */
  async dimensions(): Promise<Dimensions> {
    if (this.dims) return this.dims;
    await this.ready;
    this.dims = await dimensionsOf(this.connector);
    return this.dims;
  }

  /**
   * Builds the query context (validates filters structurally; values against dimensions once loaded).
   * `timeZone` (IANA, default UTC) is the zone of days, hours and months in zone-aware modules.
   */
  context(filters: UsageFilters, dims: Dimensions | undefined = this.dims, timeZone?: string): QueryContext {
    return makeContext(filters, this.anchor, this.dataStart, dims, { timeZone });
  }

  /**
   * Synchronous first-paint result, when the snapshot shipped this exact query. The shipped rows are
   * UTC: in another `timeZone` a zone-aware module's SQL differs, so it finds nothing and waits for the engine.
   */
  precomputed<P, R>(module: QueryModule<P, R>, filters: UsageFilters, params: P, timeZone?: string): R | undefined {
    const ctx = this.context(filters, this.dims, timeZone);
    const rows = this.precomputedBySql.get(module.sql(ctx, params).text);
    return rows ? module.transform(rows, ctx, params) : undefined;
  }

  /** Runs a query module under the filters, through the coordinator. */
  async run<P, R>(module: QueryModule<P, R>, filters: UsageFilters, params: P, options: RunOptions = {}): Promise<R> {
    const ctx0 = this.context(filters, this.dims, options.timeZone);
    const sql0 = module.sql(ctx0, params);
    const pre = this.precomputedBySql.get(sql0.text);
    if (pre) return module.transform(pre, ctx0, params);
    await this.ready;
    const ctx = this.context(filters, await this.dimensions(), options.timeZone);
    const sql = module.sql(ctx, params);
    const rows = await this.coordinator.request(sql, { label: module.name, ...options });
    return module.transform(rows, ctx, params);
  }

  /** A statement built with the `sql` tag, through the coordinator (drill-downs, tools). */
  async sql(sql: Sql, options: RequestOptions = {}): Promise<Row[]> {
    await this.ready;
    return this.coordinator.request(sql, options);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.connector.close();
  }
}

/** The table loader (and apache-arrow with it) as a separate chunk: first paint from precomputed rows does not parse it. */
let loaderModule: Promise<typeof import('./loader.js')> | undefined;
const loader = () => (loaderModule ??= import('./loader.js'));

function isDimensions(d: unknown): d is Dimensions {
  const o = d as Record<string, unknown> | undefined;
  return (
    !!o &&
    (['departments', 'intents', 'providers', 'modelFamilies', 'agentIds'] as const).every(
      (k) => Array.isArray(o[k]) && (o[k] as unknown[]).every((v) => typeof v === 'string'),
    )
  );
}

/** Compares a file's SHA-256 (`actual`, when the source already hashed it; else computed here) with the manifest's. */
async function checkSum(bytes: Uint8Array, expected: string, file: string, table?: TableName, actual?: string): Promise<void> {
  actual ??= await sha256Hex(bytes);
  if (actual !== expected) {
    throw new SnapshotError('checksum_mismatch', `checksum mismatch for ${file}: expected ${expected.slice(0, 12)}…, got ${actual.slice(0, 12)}…`, {
      file,
      table,
      expected,
      actual,
    });
  }
}

/**
 * A mark on the page's performance timeline for a step of the load (`pnpm bench` prints them):
 * `usage:engine-ready`, `usage:database-downloaded` (fetched and checked), `usage:database-attached`.
 */
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}
