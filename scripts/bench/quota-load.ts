/**
 * A2.10 load test: the actions service as its own process (real HTTP, real database), 50 keep-alive
 * clients (node:http Agent, 50 sockets) firing `POST /quota/check` at a paced total rate (default 2,000/s) for ~15 s, across three
 * agents whose quotas run out mid-run: one 'reject', one 'throttle', one 'queue'. The run is placed
 * so a minute boundary (a window start) falls in its middle, so windows reset and the queue drains.
 *
 * Reports achieved rate and p50 / p95 / p99 latency (immediate answers; queued waits apart), and
 * checks from the responses alone: admitted per agent and window ≤ the quota, and queued checks
 * admitted in the order they joined the queue. Exit code 1 on a violation.
 *
 *   tsx scripts/bench/quota-load.ts                   # starts PostgreSQL with scripts/postgres.sh
 *   QUOTA_DATABASE_URL=postgres://… tsx …             # a running server (a fresh database is made on it)
 *   QUOTA_ENGINE=pglite tsx …                         # the service on PGlite (embedded, one connection)
 *   QUOTA_RATE=2000 QUOTA_CLIENTS=50 QUOTA_SECONDS=15 QUOTA_ALIGN=0
 * Prints one JSON line (the results) last on stdout.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent, request as httpRequest } from 'node:http';
import { runDemo } from '@usage-analytics/exporter';
import { openDb, signToken } from '@usage-analytics/actions-service';

const ROOT = resolve(import.meta.dirname, '../..');
const RATE = Number(process.env.QUOTA_RATE ?? 2000);
const CLIENTS = Number(process.env.QUOTA_CLIENTS ?? 50);
const SECONDS = Number(process.env.QUOTA_SECONDS ?? 15);
/** QUOTA_BASELINE=1: every check for an agent without a quota (HTTP + service, no counter write): the floor to compare with. */
const BASELINE = process.env.QUOTA_BASELINE === '1';
const ENGINE = process.env.QUOTA_ENGINE === 'pglite' ? 'pglite' : 'postgres';
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long';
const GATEWAY_KEY = 'bench-gateway-key-0123456789';

const log = (m: string) => process.stderr.write(`[quota-load] ${m}\n`);

interface Answer {
  admitted: boolean;
  outcome: string;
  remaining: number;
  retryAfterMs?: number;
  windowStart?: string;
  ticket?: number;
  queueSeq?: number;
}
interface Sample {
  agent: string;
  ms: number;
  status: number;
  a?: Answer;
}

/** One HTTP request on the keep-alive agent; the body parsed as JSON. */
function send(
  agent: Agent,
  base: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ statusCode: number; json: unknown }> {
  return new Promise((ok, fail) => {
    const req = httpRequest(
      new URL(path, base),
      { method, agent, headers: { ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          try {
            ok({ statusCode: res.statusCode ?? 0, json: text ? JSON.parse(text) : null });
          } catch {
            ok({ statusCode: res.statusCode ?? 0, json: text });
          }
        });
        res.on('error', fail);
      },
    );
    req.on('error', fail);
    req.end(body);
  });
}

const pct = (xs: number[], p: number) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function database(): Promise<{ url?: string; stop(): Promise<void> }> {
  if (ENGINE === 'pglite') return { url: undefined, stop: async () => undefined };
  let server = process.env.QUOTA_DATABASE_URL;
  let started = false;
  if (!server) {
    log('starting PostgreSQL (scripts/postgres.sh)');
    server = execFileSync('bash', ['scripts/postgres.sh'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
    started = true;
  }
  const name = `quota_bench_${process.pid}_${Date.now()}`;
  const admin = await openDb({ url: server });
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.close();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const c = await openDb({ url: server });
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.close();
      if (started) execFileSync('bash', ['scripts/postgres.sh', 'stop'], { cwd: ROOT, stdio: 'ignore' });
    },
  };
}

function startService(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolveStart, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/actions-service/src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /actions service: (http:\/\/\S+)/.exec(out);
      if (m) resolveStart({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before listening: ${out}`)));
  });
}

async function main(): Promise<void> {
  const snap = mkdtempSync(join(tmpdir(), 'quota-bench-'));
  await runDemo({ requests: 5_000, days: 14, seed: 7, end: Date.UTC(2026, 10, 1), outDir: snap, batchRows: 5_000, precompute: undefined });
  const db = await database();
  const port = String(20_000 + (process.pid % 20_000));
  const { child, url } = await startService({
    SNAPSHOT_DIR: snap,
    TOKEN_SECRET: SECRET,
    GATEWAY_KEY,
    PORT: port,
    LOG: '0',
    DATABASE_URL: db.url ?? '',
    PGLITE_DIR: '',
  });
  const pool = new Agent({ keepAlive: true, maxSockets: CLIENTS, keepAliveMsecs: 30_000 });
  try {
    const auth = `Bearer ${await signToken({ userId: 'bench', roles: ['platform_architect'], departments: ['*'] }, { secret: SECRET, issuer: 'usage-portal', audience: 'usage-actions' })}`;
    const agentsRes = await send(pool, url, 'GET', '/v1/registry/agents', { authorization: auth });
    const agents = (agentsRes.json as { agent_id: string }[]).map((a) => a.agent_id);
    const [R, T, Q, W] = agents;
    // Quotas that run out within the run: ~55 % of traffic to R, ~44 % to T, 1 % to Q.
    const quotas = {
      [R]: { limit: Math.round(RATE * 0.55 * SECONDS * 0.2), period: 'minute', overage: 'reject' },
      [T]: { limit: Math.round(RATE * 0.44 * SECONDS * 0.2), period: 'minute', overage: 'throttle' },
      // Warm-up only: the same code path (a counter write) without running out.
      [W]: { limit: 1_000_000_000, period: 'minute', overage: 'reject' },
      [Q]: { limit: Math.max(1, Math.round(RATE * 0.01 * SECONDS * 0.1)), period: 'minute', overage: 'queue', maxQueueWaitMs: 500 },
    } as Record<string, { limit: number; period: string; overage: string; maxQueueWaitMs?: number }>;
    for (const [agentId, q] of Object.entries(quotas)) {
      const r = await send(
        pool,
        url,
        'POST',
        '/v1/actions/request-quota',
        { authorization: auth, 'content-type': 'application/json', 'idempotency-key': `bench-${agentId}-${Date.now()}` },
        JSON.stringify({ scope: 'agent', agentId, ...q }),
      );
      if (r.statusCode !== 200) throw new Error(`setting the quota of ${agentId}: ${r.statusCode} ${JSON.stringify(r.json)}`);
    }
    const check = async (agent: string): Promise<Sample> => {
      const t = performance.now();
      const r = await send(
        pool,
        url,
        'POST',
        '/quota/check',
        { 'content-type': 'application/json', 'x-gateway-key': GATEWAY_KEY },
        JSON.stringify({ agentId: agent }),
      );
      const a = r.json as Answer;
      return { agent, ms: performance.now() - t, status: r.statusCode, a: r.statusCode === 200 ? a : undefined };
    };
    // Warm-up, 3 s: sockets and database connections open, statements prepared, code compiled.
    const free = agents[4] ?? R;
    const warmEnd = performance.now() + 3_000;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (performance.now() < warmEnd) {
          await check(W);
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );

    if (process.env.QUOTA_ALIGN !== '0') {
      const halfway = (SECONDS * 1000) / 2;
      let boundary = Math.ceil(Date.now() / 60_000) * 60_000;
      if (boundary - Date.now() < halfway + 500) boundary += 60_000;
      const wait = boundary - halfway - Date.now();
      log(`waiting ${(wait / 1000).toFixed(1)} s so that a minute boundary falls mid-run`);
      await new Promise((r) => setTimeout(r, wait));
    }
    log(`${RATE} checks/s from ${CLIENTS} clients for ${SECONDS} s on ${ENGINE}`);
    const samples: Sample[] = [];
    const interval = (1000 * CLIENTS) / RATE;
    const t0 = performance.now();
    const end = t0 + SECONDS * 1000;
    let n = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let k = 0; ; k++) {
          const due = t0 + (k + c / CLIENTS) * interval;
          if (due >= end) return;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const i = n++;
          const agent = BASELINE ? free : i % 100 === 0 ? Q : i % 100 < 56 ? R : T;
          samples.push(await check(agent).catch(() => ({ agent, ms: NaN, status: 0 })));
        }
      }),
    );
    const elapsed = (performance.now() - t0) / 1000;

    // Checks from the responses alone.
    const errors = samples.filter((s) => s.status !== 200).length;
    let violations = 0;
    const windows: Record<string, Record<string, { admitted: number; limit: number }>> = {};
    for (const [agent, q] of Object.entries(quotas)) {
      const per = new Map<string, number>();
      for (const s of samples) if (s.agent === agent && s.a?.admitted) per.set(s.a.windowStart!, (per.get(s.a.windowStart!) ?? 0) + 1);
      windows[agent] = {};
      for (const [w, count] of per) {
        windows[agent][w] = { admitted: count, limit: q.limit };
        if (count > q.limit) violations++;
      }
    }
    const queued = samples.filter((s) => s.agent === Q && s.a?.outcome === 'queued').sort((a, b) => a.a!.queueSeq! - b.a!.queueSeq!);
    let orderViolations = 0;
    for (let i = 1; i < queued.length; i++) {
      const [p, c] = [queued[i - 1].a!, queued[i].a!];
      if (c.windowStart! < p.windowStart! || (c.windowStart === p.windowStart && c.ticket! <= p.ticket!)) orderViolations++;
    }
    const immediate = samples.filter((s) => s.status === 200 && !(s.agent === Q && s.a?.outcome !== 'admitted')).map((s) => s.ms);
    const outcomes: Record<string, number> = {};
    for (const s of samples) outcomes[s.a?.outcome ?? 'error'] = (outcomes[s.a?.outcome ?? 'error'] ?? 0) + 1;
    const result = {
      engine: ENGINE,
      targetRate: RATE,
      clients: CLIENTS,
      seconds: Number(elapsed.toFixed(2)),
      checks: samples.length,
      achievedRate: Math.round(samples.length / elapsed),
      errors,
      outcomes,
      latencyMs: { p50: pct(immediate, 50), p95: pct(immediate, 95), p99: pct(immediate, 99), max: Math.max(...immediate) },
      queueWaitMs: {
        n: queued.length,
        p50: pct(
          queued.map((s) => s.ms),
          50,
        ),
        max: Math.max(0, ...queued.map((s) => s.ms)),
      },
      windows,
      windowViolations: violations,
      queueOrderViolations: orderViolations,
    };
    log(
      `${result.checks} checks in ${result.seconds} s = ${result.achievedRate}/s; p50 ${result.latencyMs.p50.toFixed(2)} ms, p95 ${result.latencyMs.p95.toFixed(2)} ms, p99 ${result.latencyMs.p99.toFixed(2)} ms; ` +
        `outcomes ${JSON.stringify(outcomes)}; queued and admitted in order: ${queued.length}; violations: windows ${violations}, queue order ${orderViolations}; errors ${errors}`,
    );
    console.log(JSON.stringify(result));
    if (violations || orderViolations || errors) process.exitCode = 1;
  } finally {
    pool.destroy();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await db.stop();
    rmSync(snap, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
