/** Stand-ins for the data path: a query client, a snapshot source and an engine connector. */
import type { Connector, SnapshotSource, UsageDataClient } from '@usage-analytics/data-client';
import { FORMAT_NAME, FORMAT_VERSION, TABLE_NAMES, kpis, type Kpis, type Manifest, type UsageFilters } from '@usage-analytics/queries';

export const kpiValue = (value: number, previous: number) => ({ value, previous, delta: previous === 0 ? null : (100 * (value - previous)) / previous }); // in %, like kpis

export const SAMPLE_KPIS: Kpis = {
  totalCalls: kpiValue(123_456, 109_934), // +12.3 %
  uniqueUsers: kpiValue(2_345, 2_500), // -6.2 %
  activeAgents: kpiValue(17, 0), // n/a
  avgCallsPerUser: kpiValue(123_456 / 2_345, 109_934 / 2_500), // +19.7 %
};

export const EMPTY_KPIS: Kpis = {
  totalCalls: kpiValue(0, 0),
  uniqueUsers: kpiValue(0, 0),
  activeAgents: kpiValue(0, 0),
  avgCallsPerUser: kpiValue(0, 0),
};

export interface FakeClient {
  /** Filters of every run() call, in order. */
  runs: UsageFilters[];
  run: UsageDataClient['run'];
  precomputed: UsageDataClient['precomputed'];
  ready: Promise<void>;
}

/**
 * A query client whose `run` answers with `answer(filters, callIndex)` and whose `precomputed`
 * answers with `first` (undefined = nothing shipped).
 */
export function fakeClient(answer: (filters: UsageFilters, call: number) => Kpis | Promise<Kpis>, first?: Kpis): FakeClient {
  const runs: UsageFilters[] = [];
  const client = {
    runs,
    ready: Promise.resolve(),
    async run(module: { name: string }, filters: UsageFilters) {
      if (module !== (kpis as unknown)) throw new Error(`unexpected module ${module.name}`);
      runs.push(filters);
      return answer(filters, runs.length - 1);
    },
    precomputed(module: { name: string }) {
      if (module !== (kpis as unknown)) return undefined;
      return first;
    },
  };
  return client as unknown as FakeClient;
}

/** Casts a fake to the client type that `<usage-provider>`'s `client` property takes. */
export const asDataClient = (c: FakeClient): UsageDataClient => c as unknown as UsageDataClient;

const enc = new TextEncoder();

export async function sha256(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * An in-memory snapshot: every table file holds a few bytes; the manifest has their checksums.
 * `tamper` corrupts one table's bytes after the checksum was taken.
 */
export async function fakeSnapshot({ tamper, fail }: { tamper?: string; fail?: (path: string) => Error | undefined } = {}): Promise<{
  source: SnapshotSource & { reads: string[] };
  manifest: Manifest;
}> {
  const files = new Map<string, Uint8Array>();
  const tables = {} as Manifest['tables'];
  for (const t of TABLE_NAMES) {
    const bytes = enc.encode(`table ${t}`);
    files.set(`${t}.arrows`, bytes);
    tables[t] = { file: `${t}.arrows`, rows: 3, bytes: bytes.length, sha256: await sha256(bytes) };
  }
  if (tamper) files.set(`${tamper}.arrows`, enc.encode(`tampered ${tamper}`));
  const manifest: Manifest = {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    snapshot_id: 'fake-1',
    generated_at: '2026-11-01T00:00:00Z',
    source: { kind: 'demo', seed: 1, requests: 18, days: 1 },
    time_range: { start: '2026-10-01T00:00:00Z', end: '2026-11-01T00:00:00Z' },
    tables,
    input_rows: 18,
    quarantine: { rows: 0, file: null, reasons: {} },
  };
  files.set('manifest.json', enc.encode(JSON.stringify(manifest)));
  const reads: string[] = [];
  const source = {
    location: 'fake://snapshot/manifest.json',
    manifestPath: 'manifest.json',
    reads,
    async read(path: string): Promise<Uint8Array> {
      reads.push(path);
      const err = fail?.(path);
      if (err) throw err;
      const bytes = files.get(path);
      if (!bytes) throw new Error(`no such file: ${path}`);
      return bytes;
    },
  };
  return { source, manifest };
}

/**
 * An engine that records inserts and answers `count(*)` with the manifest's row count. Each insert
 * waits for `gate()` (resolves at once unless a test holds it).
 */
export class FakeConnector implements Connector {
  readonly engine = 'fake';
  inserted: string[] = [];
  closed = false;
  gate: () => Promise<void> = () => Promise.resolve();
  async query(sql: string) {
    if (/count\(\*\)/i.test(sql)) return [{ n: 3 }];
    return [];
  }
  async insertArrowStream(name: string): Promise<void> {
    await this.gate();
    this.inserted.push(name);
  }
  /** The snapshot's tables are not real Arrow here: record them instead of parsing. */
  async loadTable(name: string): Promise<void> {
    await this.insertArrowStream(name);
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}
