/**
 * A2.4 Export user list (P1). `POST /v1/actions/export-users` checks the caller (role, and that the
 * filters' departments are theirs), counts the rows and records the job (audited: who exported
 * which filters and fields, what was redacted). `GET /v1/exports/:id/download` then streams the
 * file straight from DuckDB, chunk by chunk with backpressure (1M users never sit in memory), as
 * CSV (csv-stringify) or a JSON array; `GET /v1/exports/:id` reports progress and
 * `DELETE /v1/exports/:id` cancels. Names and e-mails are read only for roles in PII_ROLES; for
 * the others the columns are empty and listed as redacted — enforced in the SQL, not the UI.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { ExportProgress, ExportUsersInput, ExportUsersResult, PII_FIELDS, PII_ROLES, type ExportField } from '@usage-analytics/actions';
import { isUsageError, makeContext, segmentSql, whereSql, type UsageFilters } from '@usage-analytics/queries';
import { stringify } from 'csv-stringify';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db } from '../db.js';
import { HttpError } from '../errors.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import type { UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'export-users';
/** A job can be downloaded for this long after it was made. */
const JOB_TTL_MS = 60 * 60 * 1000;

interface Job {
  id: string;
  owner: string;
  sql: string;
  format: 'csv' | 'json';
  fields: ExportField[];
  total: number;
  written: number;
  status: ExportProgress['status'];
  error: string | null;
  created: number;
}

const COLUMNS: Record<ExportField, string> = {
  user_id: 'u.user_id::VARCHAR',
  department: 'u.department::VARCHAR',
  segment: "coalesce(seg.segment, 'unknown')",
  requests: 'u.requests::INTEGER',
  active_days: 'u.active_days::INTEGER',
  agents_used: 'u.agents_used::INTEGER',
  first_seen: "strftime(u.first_seen, '%Y-%m-%dT%H:%M:%S.%gZ')",
  last_seen: "strftime(u.last_seen, '%Y-%m-%dT%H:%M:%S.%gZ')",
  name: 'users.user_name::VARCHAR',
  email: 'users.email::VARCHAR',
};

/** The export's SQL: one row per user with a request under the filters, busiest first. Redacted fields are NULL in the SQL itself. */
export function exportSql(filters: UsageFilters, usage: UsageData, fields: readonly ExportField[], redacted: ReadonlySet<string>): string {
  const ctx = makeContext(filters, usage.timeRange.end, usage.timeRange.start);
  const select = fields.map((f) => `${redacted.has(f) ? 'NULL::VARCHAR' : COLUMNS[f]} AS "${f}"`).join(', ');
  return `WITH f AS (SELECT user_id, agent_id, ts, department_id FROM requests WHERE ${whereSql(ctx).text}),
u AS (SELECT user_id, count(*) AS requests, count(DISTINCT CAST(ts AS DATE)) AS active_days, count(DISTINCT agent_id) AS agents_used,
             min(ts) AS first_seen, max(ts) AS last_seen, arg_max(department_id, ts) AS department FROM f GROUP BY user_id),
seg AS (${segmentSql(ctx.range).text})
SELECT ${select}
FROM u LEFT JOIN seg ON seg.user_id::VARCHAR = u.user_id::VARCHAR LEFT JOIN users ON users.user_id::VARCHAR = u.user_id::VARCHAR
ORDER BY u.requests DESC, u.user_id::VARCHAR`;
}

/** Registers the routes; each app gets its own job table. */
export const exportUsersRoutes: ActionRoutes = (app, { db, usage }) => {
  const jobs = new Map<string, Job>();
  const sweep = () => {
    for (const [id, j] of jobs) if (Date.now() - j.created > JOB_TTL_MS && j.status !== 'running') jobs.delete(id);
  };
  const jobOf = (id: string, caller: Caller): Job => {
    const job = jobs.get(id);
    if (!job) throw new HttpError(404, 'not_found', 'no such export (exports last an hour and do not survive a restart): start it again', 'id');
    if (job.owner !== caller.actor.userId) throw new HttpError(403, 'forbidden', 'this export belongs to another user');
    return job;
  };

  {
    app.post(
      '/v1/actions/export-users',
      {
        schema: {
          summary: 'A2.4 Export user list: counts the users under the filters and makes a download (CSV or JSON, chosen fields, PII by role)',
          headers: IDEMPOTENCY_HEADERS,
          body: ExportUsersInput,
          response: { 200: ExportUsersResult, ...ERRORS },
        },
      },
      async (req) => {
        sweep();
        return createExport(db, usage, jobs, callerOf(req), req.body, req.headers['idempotency-key']);
      },
    );
    app.get(
      '/v1/exports/:id',
      { schema: { summary: 'A2.4 progress of an export', params: z.object({ id: z.string().max(100) }), response: { 200: ExportProgress, ...ERRORS } } },
      async (req) => {
        const j = jobOf(req.params.id, callerOf(req));
        return { jobId: j.id, status: j.status, rowsWritten: j.written, totalRows: j.total, error: j.error };
      },
    );
    app.delete(
      '/v1/exports/:id',
      {
        schema: {
          summary: 'A2.4 cancel an export (a running download stops at its next chunk)',
          params: z.object({ id: z.string().max(100) }),
          response: { 200: ExportProgress, ...ERRORS },
        },
      },
      async (req) => {
        const j = jobOf(req.params.id, callerOf(req));
        if (j.status !== 'done') j.status = 'cancelled';
        return { jobId: j.id, status: j.status, rowsWritten: j.written, totalRows: j.total, error: j.error };
      },
    );
    app.get(
      '/v1/exports/:id/download',
      { schema: { summary: 'A2.4 the file, streamed (text/csv or application/json)', params: z.object({ id: z.string().max(100) }) } },
      async (req, reply) => {
        const j = jobOf(req.params.id, callerOf(req));
        if (j.status === 'cancelled') throw new HttpError(409, 'conflict', 'this export was cancelled', 'id');
        if (j.status === 'running') throw new HttpError(409, 'conflict', 'this export is being downloaded already', 'id');
        j.status = 'running';
        j.written = 0;
        const rows = Readable.from(chunks(usage, j), { objectMode: true });
        const file = `users-${new Date().toISOString().slice(0, 10)}.${j.format}`;
        reply.header('content-disposition', `attachment; filename="${file}"`).header('x-total-rows', String(j.total));
        if (j.format === 'csv') {
          reply.type('text/csv; charset=utf-8');
          return reply.send(rows.pipe(stringify({ header: true, columns: j.fields, cast: { boolean: (b) => String(b) } })));
        }
        reply.type('application/json; charset=utf-8');
        return reply.send(Readable.from(jsonArray(rows)));
      },
    );
  }
};

/** The job's rows one by one, counting progress; stops when cancelled or when the client goes away (the generator is returned). */
async function* chunks(usage: UsageData, job: Job): AsyncGenerator<Record<string, unknown>> {
  try {
    for await (const chunk of usage.stream(job.sql)) {
      if (job.status === 'cancelled') return;
      for (const row of chunk) yield row;
      job.written += chunk.length;
    }
    job.status = 'done';
  } catch (e) {
    job.status = 'failed';
    job.error = (e as Error).message;
    throw e;
  } finally {
    if (job.status === 'running') job.status = 'cancelled';
  }
}

async function* jsonArray(rows: AsyncIterable<unknown>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const row of rows) {
    yield `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
    first = false;
  }
  yield '\n]\n';
}

async function createExport(db: Db, usage: UsageData, jobs: Map<string, Job>, caller: Caller, input: z.output<typeof ExportUsersInput>, key: string) {
  const { actor } = caller;
  // Scope: the filters' departments must be the caller's; none given means the caller's own.
  const filters = { ...input.filters } as unknown as UsageFilters;
  const mine = actor.departments;
  const outside = mine.includes('*') ? [] : filters.departments.filter((d) => !mine.includes(d));
  // A token naming no department must not mean every department (an empty filter would select them all).
  await authorise(db, caller, ACTION, outside.length ? { department: outside[0] } : { own: !mine.includes('*') && filters.departments.length === 0 });
  if (!mine.includes('*') && filters.departments.length === 0) filters.departments = [...mine];
  const mayPii = actor.roles.some((r) => (PII_ROLES as readonly string[]).includes(r));
  const redacted = new Set(mayPii ? [] : input.fields.filter((f) => PII_FIELDS.includes(f)));
  let sql: string;
  try {
    sql = exportSql(filters, usage, input.fields, redacted);
  } catch (e) {
    if (isUsageError(e)) {
      const field = `filters.${e.field ?? ''}`.replace(/\.$/, '');
      throw new HttpError(400, 'validation', `${field}: ${e.message}`, field, [{ field, message: e.message }]);
    }
    throw e;
  }
  const hash = requestHash(ACTION, input);
  const total = Number((await usage.query(`SELECT count(*)::INTEGER AS n FROM (${sql})`))[0].n);
  return db.transaction(async (tx) => {
    const replay = await claimKey(tx, actor.userId, key, ACTION, hash);
    if (replay !== undefined) {
      const r = replay as z.infer<typeof ExportUsersResult>;
      if (!jobs.has(r.jobId)) jobs.set(r.jobId, newJob(r.jobId, actor.userId, sql, input, total));
      return { ...r, replayed: true };
    }
    const id = randomUUID();
    const auditId = await audit(tx, {
      actor,
      action: ACTION,
      target: filters.departments.length ? filters.departments.join(',') : '*',
      outcome: 'done',
      status: 200,
      after: { jobId: id, filters, format: input.format, fields: input.fields, redacted: [...redacted], rows: total, snapshot: usage.snapshotId },
      idempotencyKey: key,
    });
    jobs.set(id, newJob(id, actor.userId, sql, input, total));
    const result = {
      action: ACTION,
      auditId,
      replayed: false,
      jobId: id,
      totalRows: total,
      format: input.format,
      fields: input.fields,
      redacted: [...redacted],
      downloadUrl: `/v1/exports/${id}/download`,
      progressUrl: `/v1/exports/${id}`,
    };
    await storeAnswer(tx, actor.userId, key, result);
    return result;
  });
}

function newJob(id: string, owner: string, sql: string, input: z.output<typeof ExportUsersInput>, total: number): Job {
  return { id, owner, sql, format: input.format, fields: input.fields, total, written: 0, status: 'ready', error: null, created: Date.now() };
}
