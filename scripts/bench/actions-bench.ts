/**
 * The actions service on a benchmark snapshot (default `.bench/snap-1000000`, made by `pnpm bench`),
 * in-process, on PGlite and on a PostgreSQL server (scripts/postgres.sh): A2.2 preview and
 * deprecation of the three busiest agents (PR2.5: notifications queued ≤ 5 s for 10,000 users), the
 * A2.1 audience preview, the A2.3 live count, and the A2.4 export of every user as CSV (time, rows
 * and the process's peak RSS growth while streaming). Prints one JSON line last on stdout.
 *
 *   tsx scripts/bench/actions-bench.ts [snapshotDir]      ACTIONS_ENGINES=pglite,postgres
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { signToken, startService, type RunningService } from '@usage-analytics/actions-service';

const ROOT = resolve(import.meta.dirname, '../..');
const SNAP = resolve(process.argv[2] ?? join(ROOT, '.bench/snap-1000000'));
const ENGINES = (process.env.ACTIONS_ENGINES ?? 'pglite,postgres').split(',');
const SECRET = 'bench-secret-that-is-at-least-32-bytes-long';
const AUTH = { secret: SECRET, issuer: 'usage-portal', audience: 'usage-actions' };
const log = (m: string) => process.stderr.write(`[actions-bench] ${m}\n`);

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { ms: performance.now() - t0, value };
}

async function post(svc: RunningService, url: string, body: unknown, token: string, key?: string) {
  const res = await svc.app.inject({
    method: 'POST',
    url,
    payload: body as object,
    headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 300)}`);
  return res.json() as Record<string, unknown>;
}

async function runEngine(engine: string): Promise<Record<string, unknown>> {
  let url: string | undefined;
  if (engine === 'postgres') url = execFileSync('bash', ['scripts/postgres.sh'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop();
  const svc = await startService({ databaseUrl: url, snapshotDir: SNAP, auth: AUTH, port: 0, outbox: false });
  try {
    const director = await signToken(
      { userId: 'bench', roles: ['director_ai_ml', 'product_manager', 'business_analyst', 'customer_success'], departments: ['*'] },
      AUTH,
    );
    const agents = (await svc.usage.query(
      `SELECT agent_id::VARCHAR AS id, count(DISTINCT user_id)::INTEGER AS users FROM requests WHERE ts >= (SELECT max(ts) FROM requests) - INTERVAL 30 DAY GROUP BY 1 ORDER BY 2 DESC LIMIT 4`,
    )) as { id: string; users: number }[];
    const replacement = agents[3].id;
    const sunset = new Date(Date.now() + 45 * 86_400_000).toISOString().slice(0, 10);
    const deprecations = [];
    for (const a of agents.slice(0, 3)) {
      const preview = await timed(() => post(svc, '/v1/actions/deprecate-agent/preview', { agentId: a.id }, director));
      const body = {
        agentId: a.id,
        replacementAgentId: replacement,
        sunsetDate: sunset,
        migrationGuideUrl: 'https://docs.example/m',
        notification: { subject: 'Moving off {{agent}}', body: 'Use {{replacement}}.' },
      };
      const done = await timed(() => post(svc, '/v1/actions/deprecate-agent', body, director, `bench-${engine}-${a.id}`.slice(0, 200)));
      deprecations.push({ agent: a.id, users: preview.value.usersAffected, previewMs: preview.ms, performMs: done.ms, queued: done.value.notificationsQueued });
      log(
        `${engine}: A2.2 ${a.id}: ${preview.value.usersAffected} users, preview ${preview.ms.toFixed(0)} ms, deprecate + ${done.value.notificationsQueued} notices queued ${done.ms.toFixed(0)} ms`,
      );
    }
    const promote = await timed(() => post(svc, '/v1/actions/promote-agent/preview', { agentId: replacement, audience: {} }, director));
    const count = await timed(() =>
      post(svc, '/v1/actions/create-segment/count', { criteria: { requests: { min: 5 }, engagement: ['power', 'regular'] } }, director),
    );
    const job = await post(
      svc,
      '/v1/actions/export-users',
      {
        filters: { timeRange: { preset: '90d' } },
        format: 'csv',
        fields: ['user_id', 'department', 'segment', 'requests', 'active_days', 'agents_used', 'first_seen', 'last_seen', 'email'],
      },
      director,
      `bench-export-${engine}`,
    );
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const t0 = performance.now();
    const res = await fetch(`${svc.url}${job.downloadUrl as string}`, { headers: { authorization: `Bearer ${director}` } });
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    const exportMs = performance.now() - t0;
    clearInterval(timer);
    log(
      `${engine}: A2.1 audience ${promote.ms.toFixed(0)} ms, A2.3 count ${count.ms.toFixed(0)} ms, A2.4 export ${job.totalRows} users ${(bytes / 1e6).toFixed(1)} MB in ${exportMs.toFixed(0)} ms, RSS +${((peak - rss0) / 1e6).toFixed(0)} MB`,
    );
    return {
      engine,
      deprecations,
      promotePreviewMs: promote.ms,
      audience: promote.value.audienceSize,
      segmentCountMs: count.ms,
      segmentUsers: count.value.users,
      export: { rows: job.totalRows, bytes, ms: exportMs, rssGrowthMB: (peak - rss0) / 1e6 },
    };
  } finally {
    await svc.close();
    if (engine === 'postgres') execFileSync('bash', ['scripts/postgres.sh', 'stop'], { cwd: ROOT, stdio: 'ignore' });
  }
}

const out: Record<string, unknown>[] = [];
for (const e of ENGINES) out.push(await runEngine(e));
process.stdout.write(`${JSON.stringify({ snapshot: SNAP, results: out })}\n`);
