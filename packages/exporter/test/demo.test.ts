import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import { AGENT_STATUSES, ENVIRONMENTS, EXIT_REASONS, REQUEST_STATUSES, TABLES, TABLE_NAMES, type Manifest, type TableName } from '@usage-analytics/queries';
import { runDemo } from '../src/demo/index.js';
import { verifySnapshot } from '../src/snapshot-writer.js';
import { DAY_MS, col, micros, readSnapshot, tmp, cleanupTmp } from './helpers.js';

afterAll(cleanupTmp);

const END = Date.UTC(2026, 10, 1);
const N = 60_000;
const DAYS = 120;

describe('demo: determinism', () => {
  it('same seed and end → byte-identical tables; another seed → different data', async () => {
    const a = await runDemo({ requests: 20_000, days: 45, seed: 5, end: END, outDir: tmp('det-a') });
    const b = await runDemo({ requests: 20_000, days: 45, seed: 5, end: END, outDir: tmp('det-b'), batchRows: 4096 * 2 });
    const c = await runDemo({ requests: 20_000, days: 45, seed: 6, end: END, outDir: tmp('det-c') });
    for (const name of TABLE_NAMES) {
      // Batch size changes the stream framing, so compare a and b only when framed alike.
      if (name === 'requests' || name === 'sessions') continue;
      expect(b.manifest.tables[name].sha256, name).toBe(a.manifest.tables[name].sha256);
    }
    const a2 = await runDemo({ requests: 20_000, days: 45, seed: 5, end: END, outDir: tmp('det-a2') });
    for (const name of TABLE_NAMES) expect(a2.manifest.tables[name].sha256, name).toBe(a.manifest.tables[name].sha256);
    expect(a2.manifest.ground_truth).toEqual(a.manifest.ground_truth);
    expect(c.manifest.tables.requests.sha256).not.toBe(a.manifest.tables.requests.sha256);
  }, 60_000);
});

describe('demo: consistency and shape', () => {
  let m: Manifest;
  let t: Record<TableName, Table>;
  let dir: string;
  // Requests as parallel arrays.
  let ts: number[];
  let user: string[];
  let agent: string[];
  let dept: string[];
  let status: string[];
  let session: (string | null)[];

  beforeAll(async () => {
    dir = tmp('demo');
    await runDemo({ requests: N, days: DAYS, seed: 11, end: END, outDir: dir });
    ({ manifest: m, tables: t } = readSnapshot(dir));
    ts = micros(t.requests, 'ts') as number[];
    user = col<string>(t.requests, 'user_id');
    agent = col<string>(t.requests, 'agent_id');
    dept = col<string>(t.requests, 'department_id');
    status = col<string>(t.requests, 'status');
    session = col<string | null>(t.requests, 'session_id');
  }, 60_000);

  it('writes a complete, checksum-valid snapshot with the manifest contract', () => {
    expect(verifySnapshot(dir, m)).toEqual([]);
    expect(m.format).toBe('usage-analytics-snapshot');
    expect(m.tables.requests.file).toMatch(new RegExp(`^${m.snapshot_id}/requests\\.arrows$`));
    expect(m.input_rows).toBe(N);
    expect(m.quarantine).toEqual({ rows: 0, file: null, reasons: {} });
    expect(m.time_range).toEqual({ start: new Date(END - DAYS * DAY_MS).toISOString(), end: new Date(END).toISOString() });
    for (const name of TABLE_NAMES) expect(t[name].numRows, name).toBe(m.tables[name].rows);
    expect(t.requests.numRows).toBe(N);
    expect(t.agents.numRows).toBeGreaterThanOrEqual(190);
    expect(t.intent_rules.numRows).toBeGreaterThan(3);
    // Maintenance windows: weekly and one-off, one platform-wide, one scheduled after the data.
    const mw = t.maintenance_windows;
    expect(mw.numRows).toBeGreaterThanOrEqual(5);
    expect(new Set(mw.getChild('recurrence')!.toArray() as string[])).toEqual(new Set(['weekly', 'none']));
    expect([...(mw.getChild('agent_id')!.toArray() as (string | null)[])]).toContain(null);
    expect(Math.max(...[...(mw.getChild('starts_at')!.toArray() as bigint[])].map(Number)) / 1000).toBeGreaterThan(END);
    const anomalies = m.ground_truth!.anomalies;
    expect(anomalies.length).toBeGreaterThanOrEqual(5);
    expect(anomalies.length).toBeLessThanOrEqual(7);
  });

  it('columns follow the schema order and value domains', () => {
    for (const name of TABLE_NAMES) {
      expect(
        t[name].schema.fields.map((f) => f.name),
        name,
      ).toEqual(TABLES[name].columns.map((c) => c.name));
      expect(
        t[name].schema.fields.map((f) => f.nullable),
        name,
      ).toEqual(TABLES[name].columns.map((c) => !!c.nullable));
    }
    expect(new Set(status).size).toBeLessThanOrEqual(3);
    for (const s of new Set(status)) expect(REQUEST_STATUSES).toContain(s);
    for (const e of new Set(col<string>(t.requests, 'environment'))) expect(ENVIRONMENTS).toContain(e);
    for (const e of new Set(col<string>(t.sessions, 'exit_reason'))) expect(EXIT_REASONS).toContain(e);
    for (const s of new Set(col<string>(t.agents, 'agent_status'))) expect(AGENT_STATUSES).toContain(s);
    expect(new Set(col<string>(t.agents, 'agent_status')).size).toBe(4);
    const lat = col<number>(t.requests, 'latency_ms');
    const inTok = col<number>(t.requests, 'input_tokens');
    const outTok = col<number>(t.requests, 'output_tokens');
    const cost = col<number>(t.requests, 'cost_usd');
    for (let i = 0; i < N; i++) {
      if (!(lat[i] >= 0 && inTok[i] >= 0 && outTok[i] >= 0 && cost[i] >= 0)) throw new Error(`negative value in row ${i}`);
    }
    expect(new Set(col<string>(t.requests, 'request_id')).size).toBe(N);
    // Sorted by time, inside [start, end).
    const start = (END - DAYS * DAY_MS) * 1000;
    for (let i = 0; i < N; i++) {
      if (ts[i] < start || ts[i] >= END * 1000) throw new Error(`ts out of range at ${i}`);
      if (i > 0 && ts[i] < ts[i - 1]) throw new Error(`not sorted at ${i}`);
    }
    // Nullable columns really hold nulls.
    expect(col(t.requests, 'country').some((v) => v === null)).toBe(true);
    expect(col(t.requests, 'session_id').some((v) => v === null)).toBe(true);
    expect(col(t.users, 'email').some((v) => v === null)).toBe(true);
  });

  it('every request references existing users, agents and sessions', () => {
    const users = new Set(col<string>(t.users, 'user_id'));
    const agents = new Set(col<string>(t.agents, 'agent_id'));
    const sessions = new Set(col<string>(t.sessions, 'session_id'));
    expect(users.size).toBe(t.users.numRows);
    expect(sessions.size).toBe(t.sessions.numRows);
    const caller = col<string | null>(t.requests, 'calling_agent_id');
    for (let i = 0; i < N; i++) {
      if (!users.has(user[i])) throw new Error(`unknown user ${user[i]}`);
      if (!agents.has(agent[i])) throw new Error(`unknown agent ${agent[i]}`);
      if (caller[i] !== null && !agents.has(caller[i]!)) throw new Error(`unknown caller ${caller[i]}`);
      if (session[i] !== null && !sessions.has(session[i]!)) throw new Error(`unknown session ${session[i]}`);
    }
    // Every user has requests; every session has requests.
    expect(new Set(user).size).toBe(users.size);
    expect(new Set(session.filter((s) => s !== null)).size).toBe(sessions.size);
  });

  it('users: first_seen_at = first request (or earlier history), department = latest request', () => {
    const first = new Map<string, number>();
    const lastDept = new Map<string, string>();
    for (let i = 0; i < N; i++) {
      if (!first.has(user[i])) first.set(user[i], ts[i]);
      lastDept.set(user[i], dept[i]); // rows are sorted by ts
    }
    const start = (END - DAYS * DAY_MS) * 1000;
    const ids = col<string>(t.users, 'user_id');
    const seen = micros(t.users, 'first_seen_at') as number[];
    const udept = col<string>(t.users, 'department_id');
    let before = 0;
    for (let i = 0; i < ids.length; i++) {
      const f = first.get(ids[i])!;
      if (seen[i] >= start) expect(seen[i]).toBe(f);
      else {
        before++;
        expect(seen[i]).toBeLessThanOrEqual(f);
      }
      expect(udept[i]).toBe(lastDept.get(ids[i]));
    }
    expect(before).toBeGreaterThan(0); // cohorts from before the period exist
    expect(before).toBeLessThan(ids.length);
  });

  it('sessions agree with their requests (counts, sequence, times, context, outcome)', () => {
    const byId = new Map<string, number[]>();
    for (let i = 0; i < N; i++) {
      const s = session[i];
      if (s === null) continue;
      let list = byId.get(s);
      if (!list) byId.set(s, (list = []));
      list.push(i);
    }
    const env = col<string>(t.requests, 'environment');
    const client = col<string>(t.requests, 'api_client');
    const country = col<string | null>(t.requests, 'country');
    const latency = col<number>(t.requests, 'latency_ms');
    const s = t.sessions;
    const ids = col<string>(s, 'session_id');
    const starts = micros(s, 'session_start') as number[];
    const ends = micros(s, 'session_end') as number[];
    const seq = s.getChild('agent_sequence')!;
    const rc = col<number>(s, 'request_count');
    const sc = col<number>(s, 'success_count');
    const ec = col<number>(s, 'error_count');
    const su = col<string>(s, 'user_id');
    const sd = col<string>(s, 'department_id');
    const se = col<string>(s, 'environment');
    const scl = col<string>(s, 'api_client');
    const sco = col<string | null>(s, 'country');
    const ok = col<boolean>(s, 'session_successful');
    const exit = col<string>(s, 'exit_reason');
    let long = 0;
    for (let k = 0; k < ids.length; k++) {
      const rows = byId.get(ids[k])!;
      expect(rc[k]).toBe(rows.length);
      expect(sc[k]).toBe(rows.filter((i) => status[i] === 'success').length);
      expect(ec[k]).toBe(rows.filter((i) => status[i] !== 'success').length);
      const sequence = [...(seq.get(k)!.toArray() as string[])];
      expect(sequence).toEqual(rows.map((i) => agent[i]));
      expect(starts[k]).toBe(ts[rows[0]]);
      const last = rows[rows.length - 1];
      expect(ends[k]).toBe(ts[last] + latency[last] * 1000);
      for (const i of rows) {
        if (user[i] !== su[k] || dept[i] !== sd[k] || env[i] !== se[k] || client[i] !== scl[k] || country[i] !== sco[k])
          throw new Error(`session ${ids[k]} context mismatch`);
      }
      const lastStatus = status[last];
      if (lastStatus === 'error') expect(exit[k]).toBe('error');
      else if (lastStatus === 'timeout') expect(exit[k]).toBe('timeout');
      else expect(['completed', 'user_abandoned']).toContain(exit[k]);
      expect(ok[k]).toBe(exit[k] === 'completed');
      if (rows.length >= 20) long++;
    }
    expect(long).toBeGreaterThan(0); // journeys of 20 steps exist
    expect(exit.filter((e) => e === 'user_abandoned').length).toBeGreaterThan(0);
  });

  it('agents: lifecycle fields are coherent with usage', () => {
    const ids = col<string>(t.agents, 'agent_id');
    const st = col<string>(t.agents, 'agent_status');
    const repl = col<string | null>(t.agents, 'replacement_agent_id');
    const depr = micros(t.agents, 'deprecation_date');
    const created = micros(t.agents, 'created_at') as number[];
    const idSet = new Set(ids);
    const lastUse = new Map<string, number>();
    const firstUse = new Map<string, number>();
    for (let i = 0; i < N; i++) {
      lastUse.set(agent[i], ts[i]);
      if (!firstUse.has(agent[i])) firstUse.set(agent[i], ts[i]);
    }
    for (let k = 0; k < ids.length; k++) {
      if (repl[k] !== null) expect(idSet.has(repl[k]!)).toBe(true);
      if (st[k] === 'deprecated') expect(depr[k]).not.toBeNull();
      if (st[k] === 'archived' && lastUse.has(ids[k])) expect(lastUse.get(ids[k])!).toBeLessThan(depr[k]!);
      if (firstUse.has(ids[k])) expect(firstUse.get(ids[k])!).toBeGreaterThanOrEqual(created[k]);
    }
    expect(repl.filter((r, k) => st[k] === 'deprecated' && r !== null).length).toBeGreaterThan(10);
  });

  it('has realistic shape: seasonality, concentration, geography, agent calls, growth', () => {
    const days = new Float64Array(DAYS);
    const start = (END - DAYS * DAY_MS) * 1000;
    for (const x of ts) days[Math.floor((x - start) / (DAY_MS * 1000))]++;
    const anomalyDays = new Set(m.ground_truth!.anomalies.map((a) => a.date));
    let we = 0;
    let weN = 0;
    let wd = 0;
    let wdN = 0;
    for (let d = 0; d < DAYS; d++) {
      const date = new Date(END - (DAYS - d) * DAY_MS);
      if (anomalyDays.has(date.toISOString().slice(0, 10))) continue;
      if (date.getUTCDay() === 0 || date.getUTCDay() === 6) {
        we += days[d];
        weN++;
      } else {
        wd += days[d];
        wdN++;
      }
    }
    const ratio = we / weN / (wd / wdN);
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(0.45);

    const perUser = new Map<string, number>();
    for (const u of user) perUser.set(u, (perUser.get(u) ?? 0) + 1);
    const counts = [...perUser.values()].sort((a, b) => b - a);
    const top = counts.slice(0, Math.ceil(counts.length / 10)).reduce((a, b) => a + b, 0);
    expect(top / N).toBeGreaterThan(0.4);

    expect(new Set(col<string | null>(t.requests, 'country').filter((c) => c !== null)).size).toBeGreaterThanOrEqual(40);
    const called = col<string | null>(t.requests, 'calling_agent_id').filter((c) => c !== null).length / N;
    expect(called).toBeGreaterThan(0.05);
    expect(called).toBeLessThan(0.2);
    // Chart 2.14's graph: wide (most agents on an edge), with mutual calls and longer cycles.
    const callers = col<string | null>(t.requests, 'calling_agent_id');
    const callees = col<string>(t.requests, 'agent_id');
    const edges = new Set<string>();
    callers.forEach((c, i) => c !== null && edges.add(`${c}\u0000${callees[i]}`));
    const pairs = [...edges].map((e) => e.split('\u0000') as [string, string]);
    const out = new Map<string, Set<string>>();
    for (const [s, d] of pairs) out.set(s, (out.get(s) ?? new Set()).add(d));
    const onEdge = new Set(pairs.flat());
    const mutual = pairs.filter(([s, d]) => s !== d && out.get(d)?.has(s)).length;
    const triangles = pairs.filter(([a, b]) => a !== b && [...(out.get(b) ?? [])].some((c) => c !== a && c !== b && out.get(c)?.has(a))).length;
    console.log(`demo call graph at ${N} requests: ${onEdge.size} agents, ${edges.size} edges, ${mutual} mutual, ${triangles} on 3-cycles`);
    expect(onEdge.size).toBeGreaterThanOrEqual(200);
    expect(mutual).toBeGreaterThanOrEqual(20);
    expect(triangles).toBeGreaterThanOrEqual(6);
    const prod = col<string>(t.requests, 'environment').filter((e) => e === 'production').length / N;
    expect(prod).toBeGreaterThan(0.78);
    expect(prod).toBeLessThan(0.92);
    const success = status.filter((s) => s === 'success').length / N;
    expect(success).toBeGreaterThan(0.92);
    expect(success).toBeLessThan(0.98);
    const first30 = days.slice(0, 28).reduce((a, b) => a + b, 0);
    const last30 = days.slice(DAYS - 28).reduce((a, b) => a + b, 0);
    expect(last30 / first30).toBeGreaterThan(1.25); // ~+40 % per quarter
    // Intent preferences: support → customer_support, engineering → code_gen.
    const intent = col<string>(t.requests, 'intent_category');
    const top1 = (d: string) => {
      const c = new Map<string, number>();
      for (let i = 0; i < N; i++) if (dept[i] === d) c.set(intent[i], (c.get(intent[i]) ?? 0) + 1);
      return [...c].sort((a, b) => b[1] - a[1])[0][0];
    };
    expect(top1('support')).toBe('customer_support');
    expect(top1('engineering')).toBe('code_gen');
  });

  it('v2.0 share of the flagship agents rises over the period', () => {
    const agents = col<string>(t.agents, 'agent_id');
    const versions = col<string>(t.agents, 'version');
    const flagships = new Set(agents.filter((_, i) => versions[i] === '2.0'));
    const ver = col<string>(t.requests, 'agent_version');
    const start = (END - DAYS * DAY_MS) * 1000;
    const share = (from: number, to: number) => {
      let v2 = 0;
      let all = 0;
      for (let i = 0; i < N; i++) {
        const d = (ts[i] - start) / (DAY_MS * 1000);
        if (d < from || d >= to || !flagships.has(agent[i])) continue;
        all++;
        if (ver[i] === '2.0') v2++;
        else expect(ver[i]).toBe('1.9');
      }
      return v2 / all;
    };
    const early = share(0, DAYS * 0.25);
    const mid = share(DAYS * 0.5, DAYS * 0.7);
    const late = share(DAYS * 0.85, DAYS);
    expect(early).toBeLessThan(0.1);
    expect(mid).toBeGreaterThan(early);
    expect(late).toBeGreaterThan(0.7);
  });

  it('injected anomalies are visible on their recorded dates', () => {
    const start = (END - DAYS * DAY_MS) * 1000;
    const dayIndex = (date: string) => Math.round((Date.parse(`${date}T00:00:00Z`) - (END - DAYS * DAY_MS)) / DAY_MS);
    const count = (d: number, department?: string) => {
      let n = 0;
      let errors = 0;
      for (let i = 0; i < N; i++) {
        if (Math.floor((ts[i] - start) / (DAY_MS * 1000)) !== d || (department && dept[i] !== department)) continue;
        n++;
        if (status[i] !== 'success') errors++;
      }
      return { n, errors };
    };
    const anomalyDays = new Set(m.ground_truth!.anomalies.map((a) => dayIndex(a.date)));
    const baseline = (d: number, department?: string) => {
      const same = [-14, -7, 7, 14].map((o) => d + o).filter((x) => x >= 0 && x < DAYS && !anomalyDays.has(x));
      const values = same.map((x) => count(x, department).n).sort((a, b) => a - b);
      return values[Math.floor(values.length / 2)];
    };
    for (const a of m.ground_truth!.anomalies) {
      const d = dayIndex(a.date);
      const { n, errors } = count(d, a.department_id);
      const ratio = n / baseline(d, a.department_id);
      if (a.kind === 'spike') {
        expect(ratio, `${a.date} ${a.note}`).toBeGreaterThan(1.6);
        expect(ratio, `${a.date} ${a.note}`).toBeLessThan(a.factor * 1.6);
      } else if (a.kind === 'outage') {
        expect(ratio, a.date).toBeLessThan(0.3);
        expect(errors / n, a.date).toBeGreaterThan(0.3);
      } else {
        expect(ratio, a.date).toBeLessThan(0.8);
      }
    }
  });

  it('capacity: hourly samples per resource × environment that cross warning and critical thresholds', () => {
    const c = t.capacity;
    expect(c.numRows).toBe(DAYS * 24 * 4 * 3);
    const usage = col<number>(c, 'current_usage');
    const max = col<number>(c, 'max_capacity');
    const warn = col<number>(c, 'warning_threshold');
    const crit = col<number>(c, 'critical_threshold');
    const type = col<string>(c, 'resource_type');
    for (const r of ['api_rate_limit', 'compute', 'memory', 'tokens_per_min']) {
      let w = 0;
      let k = 0;
      let n = 0;
      for (let i = 0; i < c.numRows; i++) {
        if (type[i] !== r) continue;
        n++;
        if (usage[i] / max[i] >= warn[i]) w++;
        if (usage[i] / max[i] >= crit[i]) k++;
      }
      expect(w, r).toBeGreaterThan(0);
      expect(k, r).toBeGreaterThan(0);
      expect(w / n, r).toBeLessThan(0.5);
    }
  });
});
