/**
 * Small seeded snapshots for the DuckDB-WASM tests: a seeded PRNG, row generators that respect
 * `TABLES` (schema.ts), a generic Arrow IPC-stream builder and an in-memory SnapshotSource.
 *
 * Timestamps in fixture rows are integer epoch **microseconds** (exact in a JS number up to 2^53),
 * so boundary rows such as 23:59:59.999999 survive the round trip.
 */
import {
  Bool,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int32,
  List,
  RecordBatchStreamWriter,
  Table,
  TimestampMicrosecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { FORMAT_NAME, FORMAT_VERSION, TABLES, TABLE_NAMES, type Manifest, type TableName } from '@usage-analytics/queries';
import { sha256Hex } from '../src/checksum.js';
import { UsageDataClient } from '../src/client.js';
import type { Connector } from '../src/connector.js';
import type { SnapshotSource } from '../src/source.js';
import { isoToMicros, microsToIso } from './reference/instant.js';

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  weighted<T>(xs: readonly T[], ws: readonly number[]): T {
    const total = ws.reduce((a, b) => a + b, 0);
    let r = this.next() * total;
    for (let i = 0; i < xs.length; i++) {
      r -= ws[i];
      if (r < 0) return xs[i];
    }
    return xs[xs.length - 1];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------------------------------------
// Rows

export const US_PER_MS = 1000;
export const US_HOUR = 3_600_000_000;
export const US_DAY = 86_400_000_000;
/** ISO instant → exact epoch µs (all six fractional digits; the reference's own parser, not Date.parse). */
export const us = (iso: string): number => isoToMicros(iso);
/** epoch µs → ISO with all six fractional digits (exact). */
export const isoOf = (u: number): string => microsToIso(u);

export type Row = Record<string, unknown>;

export interface RequestRow extends Row {
  request_id: string;
  ts: number;
  user_id: string;
  agent_id: string;
  department_id: string;
  environment: string;
  agent_version: string;
  intent_category: string;
  status: string;
  model_family: string;
  provider: string;
  latency_ms: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  session_id: string | null;
  api_client: string;
  country: string | null;
  region: string | null;
  city: string | null;
  latitude: number | null;
  longitude: number | null;
  calling_agent_id: string | null;
}

export interface AgentRow extends Row {
  agent_id: string;
  agent_name: string;
  agent_description: string | null;
  owner_team: string;
  department_id: string;
  business_unit: string | null;
  agent_status: string;
  version: string;
  created_at: number;
  last_deployed_at: number | null;
  deprecation_date: number | null;
  replacement_agent_id: string | null;
  quality_score_avg: number | null;
  cost_per_request: number | null;
  max_requests_per_minute: number | null;
  allowed_departments: string[] | null;
  tags: string[] | null;
  documentation_url: string | null;
  support_contact: string | null;
}

export interface UserRow extends Row {
  user_id: string;
  user_name: string | null;
  email: string | null;
  department_id: string;
  first_seen_at: number;
}

export interface SessionRow extends Row {
  session_id: string;
  user_id: string;
  session_start: number;
  session_end: number;
  agent_sequence: string[];
  request_count: number;
  success_count: number;
  error_count: number;
  department_id: string;
  environment: string;
  api_client: string;
  country: string | null;
  session_successful: boolean;
  exit_reason: string;
}

export interface CapacityRow extends Row {
  ts: number;
  resource_type: string;
  environment: string;
  current_usage: number;
  max_capacity: number;
  warning_threshold: number;
  critical_threshold: number;
  unit: string;
}

export interface Dataset {
  name: string;
  /** Snapshot data range [start, end) ISO; end is the anchor of relative presets. */
  start: string;
  anchor: string;
  requests: RequestRow[];
  agents: AgentRow[];
  users: UserRow[];
  sessions: SessionRow[];
  capacity: CapacityRow[];
  intent_rules: Row[];
  /** Agent registry: planned downtime (absent = none). */
  maintenance_windows?: Row[];
  /** Optional (empty when absent). */
  forecast_history?: Row[];
}

export const tableRows = (ds: Dataset, t: TableName): Row[] => (ds[t as keyof Dataset] as Row[] | undefined) ?? [];

// ---------------------------------------------------------------------------------------------
// Generic Arrow builder from the TABLES specs

function timestampVector(values: (number | null)[]): Vector {
  const n = values.length;
  const data = new BigInt64Array(n);
  const bitmap = new Uint8Array(Math.ceil(n / 8) || 1);
  let nulls = 0;
  values.forEach((v, i) => {
    if (v === null || v === undefined) {
      nulls++;
      return;
    }
    if (!Number.isSafeInteger(v)) throw new Error(`timestamp µs must be a safe integer, got ${v}`);
    data[i] = BigInt(v);
    bitmap[i >> 3] |= 1 << (i & 7);
  });
  return makeVector(makeData({ type: new TimestampMicrosecond(), length: n, nullCount: nulls, nullBitmap: nulls > 0 ? bitmap : null, data }));
}

const DUMMY: Record<string, unknown> = { string: 'x', dict: 'x', timestamp: 0, int32: 0, float32: 0, float64: 0, bool: false, string_list: [] };

function arrowType(type: string): DataType {
  switch (type) {
    case 'string':
      return new Utf8();
    case 'dict':
      return new Dictionary(new Utf8(), new Int32());
    case 'int32':
      return new Int32();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
    case 'bool':
      return new Bool();
    case 'string_list':
      return new List(new Field('item', new Utf8(), true));
    default:
      throw new Error(`no arrow type for ${type}`);
  }
}

/** Builds table `name` (every column of its spec, in order) and returns Arrow IPC **stream** bytes. */
export function toArrowStream(name: TableName, rows: readonly Row[]): Uint8Array {
  const spec = TABLES[name];
  if (rows.length === 0) {
    // tableToIPC writes no dictionary batch for an empty table and DuckDB-WASM then rejects the stream
    // ("expected number of dictionaries"): write a zero-length slice of a one-row batch instead.
    const dummy: Row = {};
    for (const c of spec.columns) dummy[c.name] = DUMMY[c.type];
    const table = tableFromIPC(toArrowStream(name, [dummy]));
    return RecordBatchStreamWriter.writeAll([table.batches[0].slice(0, 0)]).toUint8Array(true);
  }
  const cols: Record<string, Vector> = {};
  for (const c of spec.columns) {
    const values = rows.map((r) => {
      if (!(c.name in r)) throw new Error(`${name} row lacks column ${c.name}`);
      const v = r[c.name];
      if ((v === null || v === undefined) && !c.nullable) throw new Error(`${name}.${c.name} is required, got ${v}`);
      return v ?? null;
    });
    cols[c.name] = c.type === 'timestamp' ? timestampVector(values as (number | null)[]) : vectorFromArray(values as never[], arrowType(c.type));
  }
  return tableToIPC(new Table(cols), 'stream');
}

// ---------------------------------------------------------------------------------------------
// In-memory snapshot source

export interface SnapshotFiles {
  manifest: Manifest;
  files: Map<string, Uint8Array>;
}

/** Builds the manifest (checksums, row counts) and the table files of a dataset. */
export async function buildSnapshot(ds: Dataset, id = `test-${ds.name}`): Promise<SnapshotFiles> {
  const files = new Map<string, Uint8Array>();
  const tables = {} as Manifest['tables'];
  for (const t of TABLE_NAMES) {
    const bytes = toArrowStream(t, tableRows(ds, t));
    const file = TABLES[t].file;
    files.set(file, bytes);
    tables[t] = { file, rows: tableRows(ds, t).length, bytes: bytes.length, sha256: await sha256Hex(bytes) };
  }
  const manifest: Manifest = {
    format: FORMAT_NAME,
    format_version: FORMAT_VERSION,
    snapshot_id: id,
    generated_at: '2026-03-10T12:00:00.000Z',
    source: { kind: 'demo', seed: 0, requests: ds.requests.length, days: 0 },
    time_range: { start: ds.start, end: ds.anchor },
    tables,
    input_rows: ds.requests.length,
    quarantine: { rows: 0, file: null, reasons: {} },
  };
  return { manifest, files };
}

export class MemorySource implements SnapshotSource {
  readonly location = 'memory://snapshot/manifest.json';
  readonly manifestPath = 'manifest.json';
  readonly reads: string[] = [];
  constructor(
    readonly manifest: unknown,
    readonly files: Map<string, Uint8Array>,
  ) {}
  async read(path: string): Promise<Uint8Array> {
    this.reads.push(path);
    if (path === this.manifestPath) return new TextEncoder().encode(JSON.stringify(this.manifest));
    const f = this.files.get(path);
    if (!f) throw new Error(`no such file ${path}`);
    return f;
  }
}

/** A connector view that ignores close() (several clients share one DuckDB-WASM per test file). */
export function shared(conn: Connector): Connector {
  return {
    engine: conn.engine,
    query: (sql) => conn.query(sql),
    insertArrowStream: (name, bytes) => conn.insertArrowStream(name, bytes),
    close: async () => undefined,
  };
}

/** Drops the snapshot tables so another dataset can be loaded into the same engine. */
export async function dropTables(conn: Connector): Promise<void> {
  for (const t of TABLE_NAMES) await conn.query(`DROP TABLE IF EXISTS "${t}"`);
}

/** Loads `ds` into `conn` (replacing any previous tables) through UsageDataClient and waits until ready. */
export async function openDataset(conn: Connector, ds: Dataset): Promise<UsageDataClient> {
  await dropTables(conn);
  const snap = await buildSnapshot(ds);
  const client = await UsageDataClient.open({ source: new MemorySource(snap.manifest, snap.files), connector: shared(conn) });
  await client.ready;
  return client;
}

// ---------------------------------------------------------------------------------------------
// Dimensions of the generated data

export const DEPARTMENTS = ['engineering', 'sales', 'support', "o'brien ops", '研究开发'] as const;
export const INTENTS = ['customer_support', 'code_gen', 'analysis', 'content', 'other', 'legal_review'] as const;
const ENVS = ['production', 'staging', 'development'] as const;
const CLIENTS = ['web-portal', 'python-sdk', 'slack-bot', 'jupyter'] as const;
const EXITS = ['completed', 'error', 'timeout', 'user_abandoned'] as const;
const PLACES = [
  { country: 'US', region: 'NY', city: 'New York', latitude: 40.7128, longitude: -74.006 },
  { country: 'US', region: 'CA', city: 'San Francisco', latitude: 37.7749, longitude: -122.4194 },
  { country: 'GB', region: 'England', city: 'London', latitude: 51.5074, longitude: -0.1278 },
  { country: 'DE', region: null, city: 'Berlin', latitude: 52.52, longitude: 13.405 },
  { country: 'JP', region: 'Tokyo', city: 'Tokyo', latitude: 35.6762, longitude: 139.6503 },
  { country: 'BR', region: 'SP', city: null, latitude: null, longitude: null },
  { country: null, region: null, city: null, latitude: null, longitude: null },
] as const;

interface AgentDef {
  id: string;
  name: string;
  status: string;
  dept: string;
  team: string;
  provider: string;
  model: string;
  versions: string[];
}

export const AGENT_DEFS: AgentDef[] = [
  { id: 'a01-support', name: 'Support Bot', status: 'active', dept: 'support', team: 'cx-ai', provider: 'openai', model: 'gpt-4', versions: ['1.9', '2.0'] },
  { id: 'a02-code', name: 'Code Helper', status: 'active', dept: 'engineering', team: 'devx', provider: 'anthropic', model: 'claude-3', versions: ['3.1'] },
  { id: 'a03-analyst', name: 'Analyst', status: 'active', dept: 'sales', team: 'bi', provider: 'google', model: 'gemini-1.5', versions: ['1.0', '1.1'] },
  { id: 'a04-writer', name: 'Writer <b>', status: 'active', dept: '研究开发', team: 'content', provider: 'anthropic', model: 'claude-3', versions: ['0.9'] },
  { id: "a05-o'reilly", name: "O'Reilly Helper", status: 'beta', dept: "o'brien ops", team: 'ops', provider: 'openai', model: 'gpt-4o', versions: ['0.1'] },
  { id: 'a06-router', name: 'Router', status: 'active', dept: 'engineering', team: 'platform', provider: 'openai', model: 'gpt-4o', versions: ['1.0'] },
  { id: 'a07-search', name: 'Legacy Search', status: 'deprecated', dept: 'support', team: 'cx-ai', provider: 'openai', model: 'gpt-3.5', versions: ['4.2'] },
  { id: 'a08-summarizer', name: 'Old Summarizer', status: 'deprecated', dept: 'sales', team: 'bi', provider: 'google', model: 'gemini-1.0', versions: ['2.0'] },
  { id: 'a09-archived', name: 'Archived Bot', status: 'archived', dept: 'engineering', team: 'devx', provider: 'openai', model: 'gpt-3.5', versions: ['1.0'] },
  { id: 'a10-idle', name: 'Idle Agent', status: 'beta', dept: 'sales', team: 'bi', provider: 'anthropic', model: 'claude-3', versions: ['0.1'] },
];

function agentRows(defs: readonly AgentDef[], anchorUs: number): AgentRow[] {
  return defs.map((d, i) => ({
    agent_id: d.id,
    agent_name: d.name,
    agent_description: i % 3 === 0 ? null : `${d.name} description`,
    owner_team: d.team,
    department_id: d.dept,
    business_unit: i % 2 === 0 ? 'BU-1' : null,
    agent_status: d.status,
    version: d.versions[d.versions.length - 1],
    created_at: anchorUs - (400 - i * 10) * US_DAY,
    last_deployed_at: i === 9 ? null : anchorUs - (i * 7 + 3) * US_DAY,
    deprecation_date: d.status === 'deprecated' ? anchorUs + 30 * US_DAY : null,
    replacement_agent_id: d.status === 'deprecated' ? 'a01-support' : null,
    quality_score_avg: i === 8 ? null : 6 + (i % 4),
    cost_per_request: 0.01 * (i + 1),
    max_requests_per_minute: i % 2 === 0 ? 600 : null,
    allowed_departments: i === 4 ? ["o'brien ops"] : null,
    tags: i % 2 === 0 ? ['prod', 'tier-1'] : [],
    documentation_url: null,
    support_contact: i % 2 === 0 ? `team-${d.team}@example.com` : null,
  }));
}

// ---------------------------------------------------------------------------------------------
// The main generated dataset

export const MAIN_ANCHOR = '2026-03-10T12:00:00.000Z';
export const MAIN_START = '2025-10-01T00:00:00.000Z';

/** Named boundary timestamps present in the main dataset (each holds exactly one request by `u001`). */
export const BOUNDARY_TS = {
  endOfJanuary: us('2026-01-31T23:59:59.999Z') + 999,
  startOfFebruary: us('2026-02-01T00:00:00Z'),
  endOfFebruary: us('2026-02-28T23:59:59.999Z') + 999,
  startOfMarch: us('2026-03-01T00:00:00Z'),
  windowStart30d: us(MAIN_ANCHOR) - 30 * US_DAY,
  beforeWindowStart30d: us(MAIN_ANCHOR) - 30 * US_DAY - 1,
  lastMicrosecond: us(MAIN_ANCHOR) - 1,
  prevStart30d: us(MAIN_ANCHOR) - 60 * US_DAY,
  sevenDaysBeforeEnd: us(MAIN_ANCHOR) - 7 * US_DAY,
  endOfDay: us('2026-02-20T23:59:59.999Z') + 999,
  startOfDay: us('2026-02-21T00:00:00Z'),
} as const;

interface UserPlan {
  id: string;
  dept: string;
  firstSeen: number | null;
  from: number;
  to: number;
  perDay: number;
  agents: string[];
  agentWeights: number[];
  intentWeights: number[];
  place: number;
  travel: boolean;
}

/** ~70 users, ~3–4k requests over 2025-10-01 .. 2026-03-10 12:00, 10 agents, 5 departments. */
export function makeMainDataset(seed = 42): Dataset {
  const rnd = new Rand(seed);
  const anchor = us(MAIN_ANCHOR);
  const start = us(MAIN_START);
  const agents = agentRows(AGENT_DEFS, anchor);
  const usable = AGENT_DEFS.filter((a) => a.id !== 'a10-idle').map((a) => a.id);
  const plans: UserPlan[] = [];
  const N = 70;
  for (let i = 1; i <= N; i++) {
    const id = `u${String(i).padStart(3, '0')}`;
    const dept = DEPARTMENTS[i % DEPARTMENTS.length];
    let firstSeen: number | null = null; // null = first request
    let from = start;
    let to = anchor;
    let perDay = 0.15 + rnd.next() * 0.6;
    if (i <= 15) {
      firstSeen = us('2025-04-01T00:00:00Z') + Math.floor(rnd.next() * 170) * US_DAY + rnd.int(0, 86_399) * 1_000_000;
    } else if (i <= 55) {
      from = start + Math.floor(rnd.next() * 120) * US_DAY + rnd.int(0, 86_399) * 1_000_000;
    } else {
      // first seen inside the last 30 days: "new"
      from = anchor - rnd.int(2, 29) * US_DAY - rnd.int(0, 86_399) * 1_000_000;
    }
    if (i <= 5) perDay = 2 + rnd.next() * 1.5; // power
    if (i % 7 === 3) to = anchor - rnd.int(35, 120) * US_DAY; // churned → dormant
    if (i % 11 === 5) to = anchor - rnd.int(15, 25) * US_DAY; // at risk (inactive ≥ 14 d)
    if (to <= from) to = from + 10 * US_DAY;
    const nAgents = i % 9 === 0 ? 1 : rnd.int(1, 4);
    const ags: string[] = [];
    while (ags.length < nAgents) {
      const a = rnd.pick(usable);
      if (a === 'a09-archived' && from > us('2025-11-15T00:00:00Z')) continue;
      if (!ags.includes(a)) ags.push(a);
    }
    const agentWeights = ags.map((_, k) => (i % 6 === 0 ? (k === 0 ? 30 : 1) : 1 + rnd.int(0, 4)));
    const intentWeights: number[] = INTENTS.map((_, k): number => (k === 5 ? (i % 10 === 0 ? 2 : 0) : i % 8 === 0 && k > 0 ? 0 : rnd.int(0, 5)));
    if (!intentWeights.some((w) => w > 0)) intentWeights[0] = 1;
    plans.push({ id, dept, firstSeen, from, to, perDay, agents: ags, agentWeights, intentWeights, place: i % PLACES.length, travel: i === 7 });
  }

  const requests: RequestRow[] = [];
  const mk = (p: UserPlan, t: number, forceAgent?: string): RequestRow => {
    const agent = forceAgent ?? rnd.weighted(p.agents, p.agentWeights);
    const def = AGENT_DEFS.find((a) => a.id === agent)!;
    let version = def.versions[def.versions.length - 1];
    if (def.versions.length > 1) {
      const switchAt = us('2026-02-10T00:00:00Z');
      const ramp = Math.min(1, Math.max(0, (t - switchAt) / (20 * US_DAY)));
      version = rnd.chance(ramp) ? def.versions[1] : def.versions[0];
    }
    const place = PLACES[p.travel && rnd.chance(0.4) ? (p.place + 2) % PLACES.length : p.place];
    const status = rnd.weighted(['success', 'error', 'timeout'], [90, 7, 3]);
    const input = rnd.int(50, 4000);
    const output = rnd.int(10, 1500);
    const calledBy = ['a02-code', 'a03-analyst', 'a04-writer'].includes(agent) && rnd.chance(0.15) ? rnd.pick(['a06-router', 'a01-support']) : null;
    return {
      request_id: '',
      ts: t,
      user_id: p.id,
      agent_id: agent,
      department_id: p.id === 'u012' && t < us('2026-01-15T00:00:00Z') ? 'sales' : p.dept,
      environment: rnd.weighted(ENVS, [80, 15, 5]),
      agent_version: version,
      intent_category: rnd.weighted(INTENTS, p.intentWeights),
      status,
      model_family: def.model,
      provider: def.provider,
      latency_ms: rnd.int(120, 4000),
      input_tokens: input,
      output_tokens: output,
      cost_usd: Math.round((input * 0.00001 + output * 0.00003) * 1e6) / 1e6,
      session_id: rnd.chance(0.8) ? `s-${rnd.int(1, 400)}` : null,
      api_client: rnd.pick(CLIENTS),
      country: place.country,
      region: place.region,
      city: place.city,
      latitude: place.latitude,
      longitude: place.longitude,
      calling_agent_id: calledBy,
    };
  };
  for (const p of plans) {
    const days = (p.to - p.from) / US_DAY;
    const n = Math.max(1, Math.round(days * p.perDay * (0.6 + rnd.next() * 0.8)));
    for (let k = 0; k < n; k++) {
      // working-hours bias: hour drawn from a weighted profile, day uniform
      let t = p.from + Math.floor(rnd.next() * (p.to - p.from));
      if (rnd.chance(0.6)) {
        const day = Math.floor(t / US_DAY) * US_DAY;
        t = day + rnd.int(8, 17) * US_HOUR + rnd.int(0, 3_599_999_999);
        if (t < p.from || t >= p.to) continue;
      }
      const agent =
        p.agents.includes('a09-archived') && t > us('2025-12-01T00:00:00Z') ? (p.agents.find((a) => a !== 'a09-archived') ?? 'a02-code') : undefined;
      requests.push(mk(p, t, agent));
    }
  }
  // Boundary requests, all by u001 on a01-support in production.
  const u1 = plans[0];
  for (const t of Object.values(BOUNDARY_TS)) {
    const r = mk(u1, t, 'a01-support');
    r.environment = 'production';
    requests.push(r);
  }
  requests.sort((a, b) => a.ts - b.ts || a.user_id.localeCompare(b.user_id));
  requests.forEach((r, i) => (r.request_id = `r${String(i + 1).padStart(6, '0')}`));

  const firstTs = new Map<string, number>();
  for (const r of requests) if (!firstTs.has(r.user_id)) firstTs.set(r.user_id, r.ts);
  const users: UserRow[] = plans.map((p, i) => ({
    user_id: p.id,
    user_name: i % 5 === 4 ? null : `User ${p.id}`,
    email: i % 5 === 4 ? null : `${p.id}@example.com`,
    department_id: p.dept,
    first_seen_at: p.firstSeen ?? firstTs.get(p.id) ?? p.from,
  }));
  users.push({ user_id: 'u-never', user_name: 'Never Used', email: null, department_id: 'sales', first_seen_at: us('2025-08-01T00:00:00Z') });

  // Sessions
  const sessions: SessionRow[] = [];
  for (let s = 1; s <= 300; s++) {
    const p = rnd.pick(plans);
    const st = p.from + Math.floor(rnd.next() * (p.to - p.from));
    const len = s === 1 ? 0 : s % 40 === 0 ? rnd.int(21, 26) : rnd.int(1, 6);
    const seq: string[] = [];
    for (let k = 0; k < len; k++) seq.push(rnd.chance(0.3) && k > 0 ? seq[k - 1] : rnd.weighted(p.agents, p.agentWeights));
    const exit = rnd.weighted(EXITS, [70, 12, 6, 12]);
    const errors = exit === 'error' ? rnd.int(1, Math.max(1, len)) : 0;
    sessions.push({
      session_id: `s-${s}`,
      user_id: p.id,
      session_start: st,
      session_end: st + rnd.int(1, 90) * 60_000_000,
      agent_sequence: seq,
      request_count: len,
      success_count: Math.max(0, len - errors),
      error_count: errors,
      department_id: p.dept,
      environment: rnd.weighted(ENVS, [80, 15, 5]),
      api_client: rnd.pick(CLIENTS),
      country: PLACES[p.place].country,
      session_successful: exit === 'completed',
      exit_reason: exit,
    });
  }

  // Capacity: every 12 h over the last 40 days per resource × environment.
  const capacity: CapacityRow[] = [];
  const units: Record<string, string> = { api_rate_limit: 'req/min', compute: 'vCPU', memory: 'GiB', tokens_per_min: 'tokens/min' };
  const maxes: Record<string, number> = { api_rate_limit: 6000, compute: 64, memory: 256, tokens_per_min: 2_000_000 };
  for (const res of Object.keys(units)) {
    for (const env of ENVS) {
      for (let t = anchor - 40 * US_DAY; t < anchor; t += 12 * US_HOUR) {
        capacity.push({
          ts: t,
          resource_type: res,
          environment: env,
          current_usage: Math.round(maxes[res] * (0.3 + rnd.next() * 0.75) * 100) / 100,
          max_capacity: maxes[res],
          warning_threshold: 0.75,
          critical_threshold: 0.9,
          unit: units[res],
        });
      }
    }
  }

  return {
    name: `main-${seed}`,
    start: MAIN_START,
    anchor: MAIN_ANCHOR,
    requests,
    agents,
    users,
    sessions,
    capacity,
    intent_rules: intentRules(anchor),
    maintenance_windows: maintenanceWindows(),
  };
}

/** Maintenance windows of the main dataset: weekly and one-off, platform-wide and per agent, before, inside and after the data, one hostile title. */
export function maintenanceWindows(): Row[] {
  const w = (window_id: string, agent_id: string | null, title: string, s: string, e: string, recurrence: string, until: string | null = null): Row => ({
    window_id,
    agent_id,
    title,
    starts_at: us(s),
    ends_at: us(e),
    recurrence,
    recurs_until: until === null ? null : us(until),
    created_by: 'u001',
    created_at: us('2025-09-01T00:00:00Z'),
  });
  return [
    w('mw-1', 'a01-support', 'Weekly index rebuild', '2025-10-05T02:00:00Z', '2025-10-05T05:00:00Z', 'weekly'),
    w('mw-2', null, 'Platform upgrade <img src=x onerror=alert(1)>', '2026-02-25T22:00:00Z', '2026-02-26T01:30:00Z', 'none'),
    w('mw-3', 'a07-search', 'Legacy shutdown', '2026-03-01T10:00:00Z', '2026-03-01T12:00:00Z', 'none'),
    w('mw-4', 'a02-code', 'Model swap', '2025-11-05T23:30:00Z', '2025-11-06T00:30:00Z', 'weekly', '2026-02-01T00:00:00Z'),
    w('mw-5', 'a03-analyst', 'Scheduled: data migration', '2026-03-20T03:00:00Z', '2026-03-20T05:00:00Z', 'none'),
    w('mw-6', 'a01-support', 'Old outage', '2025-06-01T00:00:00Z', '2025-06-01T04:00:00Z', 'none'),
  ];
}

function intentRules(anchorUs: number): Row[] {
  return [
    {
      rule_id: 'r1',
      rule_name: 'Tickets',
      intent_category: 'customer_support',
      rule_type: 'keyword',
      pattern: 'ticket,refund',
      ml_model_id: null,
      confidence_threshold: null,
      applicable_agents: null,
      applicable_departments: null,
      priority: 1,
      is_active: true,
      created_by: 'u001',
      last_updated_at: anchorUs - 10 * US_DAY,
    },
    {
      rule_id: 'r2',
      rule_name: 'Code',
      intent_category: 'code_gen',
      rule_type: 'regex',
      pattern: '\\bdef\\b',
      ml_model_id: null,
      confidence_threshold: null,
      applicable_agents: ['a02-code'],
      applicable_departments: ['engineering'],
      priority: 2,
      is_active: true,
      created_by: 'u002',
      last_updated_at: anchorUs - 20 * US_DAY,
    },
    {
      rule_id: 'r3',
      rule_name: 'ML',
      intent_category: 'analysis',
      rule_type: 'ml_model',
      pattern: null,
      ml_model_id: 'intent-v3',
      confidence_threshold: 0.8,
      applicable_agents: null,
      applicable_departments: null,
      priority: 3,
      is_active: false,
      created_by: 'u003',
      last_updated_at: anchorUs - 30 * US_DAY,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Small hand-made datasets for edge cases

/** A request with defaults for every column (override what a test needs). */
export function req(over: Partial<RequestRow> & { ts: number; user_id: string }): RequestRow {
  return {
    request_id: `x-${over.user_id}-${over.ts}`,
    agent_id: 'a01-support',
    department_id: 'support',
    environment: 'production',
    agent_version: '2.0',
    intent_category: 'customer_support',
    status: 'success',
    model_family: 'gpt-4',
    provider: 'openai',
    latency_ms: 500,
    input_tokens: 100,
    output_tokens: 50,
    cost_usd: 0.0025,
    session_id: null,
    api_client: 'web-portal',
    country: 'US',
    region: 'NY',
    city: 'New York',
    latitude: 40.7128,
    longitude: -74.006,
    calling_agent_id: null,
    ...over,
  };
}

export function user(id: string, firstSeen: number, dept = 'support'): UserRow {
  return { user_id: id, user_name: `User ${id}`, email: null, department_id: dept, first_seen_at: firstSeen };
}

/** Assembles a dataset from requests (+ users); agents are the standard registry; ids made unique. */
export function smallDataset(name: string, anchor: string, start: string, requests: RequestRow[], users: UserRow[], sessions: SessionRow[] = []): Dataset {
  requests.sort((a, b) => a.ts - b.ts || a.user_id.localeCompare(b.user_id));
  requests.forEach((r, i) => (r.request_id = `${name}-${String(i + 1).padStart(5, '0')}`));
  return { name, start, anchor, requests, agents: agentRows(AGENT_DEFS, us(anchor)), users, sessions, capacity: [], intent_rules: intentRules(us(anchor)) };
}

/** No requests, sessions or capacity at all (users and agents exist). */
export function emptyDataset(): Dataset {
  return smallDataset('empty', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z', [], [user('u1', us('2025-06-01T00:00:00Z'))]);
}

/** One user, a handful of requests, one before the window, boundary-exact timestamps. */
export function singleUserDataset(): Dataset {
  const anchor = '2026-03-01T00:00:00.000Z';
  const a = us(anchor);
  const ts = [a - 45 * US_DAY, a - 30 * US_DAY, a - 20 * US_DAY - 1, a - 20 * US_DAY, a - 3 * US_DAY, a - 1];
  const requests = ts.map((t, i) =>
    req({ ts: t, user_id: 'solo', intent_category: i % 2 ? 'analysis' : 'customer_support', agent_id: i === 3 ? 'a02-code' : 'a01-support' }),
  );
  const seq = (s: string[], start: number, exit: string): SessionRow => ({
    session_id: `solo-${start}`,
    user_id: 'solo',
    session_start: start,
    session_end: start + 60_000_000,
    agent_sequence: s,
    request_count: s.length,
    success_count: s.length,
    error_count: 0,
    department_id: 'support',
    environment: 'production',
    api_client: 'web-portal',
    country: 'US',
    session_successful: exit === 'completed',
    exit_reason: exit,
  });
  return smallDataset(
    'single',
    anchor,
    '2026-01-15T00:00:00.000Z',
    requests,
    [user('solo', a - 45 * US_DAY)],
    [seq(['a01-support', 'a02-code', 'a01-support'], a - 2 * US_DAY, 'completed'), seq(['a01-support'], a - 1 * US_DAY, 'user_abandoned')],
  );
}

/**
 * Ties: 20 users active in the 30-day window with calls [12, 9, 9, 9, 5×6, 2×10] plus a new user with 15
 * (21 active users → power cut ceil(2.1) = 3 ranks: newbie 1 (but "new" wins), 12 → 2, the three 9s → 3, so
 * 4 users are "power").
 * Percentiles land on tied values. Plus a user active only 40 days ago (dormant) and a new user.
 */
export function tiesDataset(): Dataset {
  const anchor = '2026-03-01T00:00:00.000Z';
  const a = us(anchor);
  const counts = [12, 9, 9, 9, 5, 5, 5, 5, 5, 5, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2];
  const requests: RequestRow[] = [];
  const users: UserRow[] = [];
  counts.forEach((n, i) => {
    const id = `t${String(i + 1).padStart(2, '0')}`;
    users.push(user(id, a - 200 * US_DAY, DEPARTMENTS[i % 3]));
    requests.push(req({ ts: a - 100 * US_DAY - i * US_HOUR, user_id: id, department_id: DEPARTMENTS[i % 3] }));
    for (let k = 0; k < n; k++) {
      requests.push(req({ ts: a - (k + 1) * US_DAY - i * 60_000_000, user_id: id, department_id: DEPARTMENTS[i % 3], intent_category: INTENTS[(i + k) % 3] }));
    }
  });
  users.push(user('dormant', a - 200 * US_DAY));
  requests.push(req({ ts: a - 40 * US_DAY, user_id: 'dormant' }));
  requests.push(req({ ts: a - 100 * US_DAY, user_id: 'dormant' }));
  users.push(user('newbie', a - 5 * US_DAY));
  for (let k = 0; k < 15; k++) requests.push(req({ ts: a - 5 * US_DAY + k * US_HOUR, user_id: 'newbie' }));
  return smallDataset('ties', anchor, isoOf(a - 200 * US_DAY), requests, users);
}
