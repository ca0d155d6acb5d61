/**
 * A2.3 Create user segment (P1). `POST /v1/actions/create-segment/count` gives the live count while
 * the builder is edited (one DuckDB query over the snapshot); `POST /v1/actions/create-segment`
 * saves it (audited, idempotent) with who may see it; `GET /v1/segments` lists the segments the
 * caller may see (their own, their departments' shared ones, the fleet's). Criteria are compiled to
 * SQL from validated values only (literals), never from text.
 */
import { CreateSegmentInput, CreateSegmentResult, SegmentCount, SegmentCountInput, SavedSegment } from '@usage-analytics/actions';
import { normaliseSegmentCriteria, savedSegmentUsersSql, toMicros } from '@usage-analytics/queries';
import { z } from 'zod';
import { audit } from '../audit.js';
import type { Db } from '../db.js';
import { IDEMPOTENCY_HEADERS, claimKey, requestHash, storeAnswer } from '../idempotency.js';
import type { UsageData } from '../usage-data.js';
import { authorise, type Caller } from './authorise.js';
import { ERRORS, callerOf, type ActionRoutes } from './context.js';

const ACTION = 'create-segment';
type Criteria = z.output<typeof SegmentCountInput>['criteria'];

/**
 * The users (with at least one request in the window) matching `c`, one row each: user, department
 * at their last request in the window, requests. `departments` further limits to the caller's.
 * The same compiler as the browser's saved-segment filter (`savedSegmentUsersSql` in queries), so
 * the count shown at save time and the filter's members agree by construction.
 */
export function segmentUsersSql(c: Criteria, usage: UsageData): string {
  return savedSegmentUsersSql(normaliseSegmentCriteria(c), { end: toMicros(usage.timeRange.end) }).text;
}

/** The criteria limited to the caller's departments (none given = theirs); a department outside theirs is refused (403, audited). */
async function scoped(db: Db, caller: Caller, criteria: Criteria): Promise<Criteria> {
  const mine = caller.actor.departments;
  if (mine.includes('*')) return criteria;
  const outside = criteria.departments.filter((d) => !mine.includes(d));
  if (outside.length) await authorise(db, caller, ACTION, { department: outside[0] });
  // None given means the caller's departments: a token naming none must not mean every department.
  if (!criteria.departments.length) await authorise(db, caller, ACTION, { own: true });
  return { ...criteria, departments: criteria.departments.length ? criteria.departments : [...mine] };
}

export async function countSegment(db: Db, usage: UsageData, caller: Caller, criteria: Criteria): Promise<SegmentCount> {
  await authorise(db, caller, ACTION, {});
  const c = await scoped(db, caller, criteria);
  const sql = segmentUsersSql(c, usage);
  const [depts, sample] = await Promise.all([
    usage.query(`SELECT coalesce(department, 'Unknown') AS department, count(*)::INTEGER AS users FROM (${sql}) GROUP BY 1 ORDER BY 2 DESC, 1`),
    usage.query(`SELECT user_id, department, requests FROM (${sql}) ORDER BY requests DESC, user_id LIMIT 20`),
  ]);
  const endMs = Date.parse(usage.timeRange.end);
  return {
    users: depts.reduce((s, d) => s + Number(d.users), 0),
    window: { start: new Date(endMs - c.windowDays * 86_400_000).toISOString(), end: usage.timeRange.end },
    departments: depts.map((d) => ({ department: String(d.department), users: Number(d.users) })),
    sample: sample.map((r) => ({ userId: String(r.user_id), department: (r.department as string | null) ?? null, requests: Number(r.requests) })),
  };
}

interface SegmentRow {
  id: string;
  name: string;
  description: string | null;
  criteria: Record<string, unknown>;
  sharing: 'private' | 'department' | 'fleet';
  departments: string[];
  owner: string;
  users_at_save: number;
  created_at: string;
}
const toSaved = (r: SegmentRow): SavedSegment => ({
  id: r.id,
  name: r.name,
  description: r.description,
  criteria: typeof r.criteria === 'string' ? JSON.parse(r.criteria) : r.criteria,
  sharing: r.sharing,
  departments: r.departments,
  owner: r.owner,
  usersAtSave: r.users_at_save,
  createdAt: r.created_at,
});
const COLUMNS = `id::text AS id, name, description, criteria, sharing, departments, owner, users_at_save, created_at::text AS created_at`;

export async function createSegment(
  db: Db,
  usage: UsageData,
  caller: Caller,
  input: z.output<typeof CreateSegmentInput>,
  key: string,
): Promise<CreateSegmentResult> {
  const { actor } = caller;
  await authorise(db, caller, ACTION, input.sharing === 'fleet' ? { fleet: true } : {});
  const criteria = await scoped(db, caller, input.criteria);
  const count = await countSegment(db, usage, caller, criteria);
  const hash = requestHash(ACTION, input);
  return db.transaction(async (tx) => {
    const replay = await claimKey(tx, actor.userId, key, ACTION, hash);
    if (replay !== undefined) return { ...(replay as CreateSegmentResult), replayed: true };
    const departments = input.sharing === 'fleet' ? ['*'] : actor.departments;
    const { rows } = await tx.query<SegmentRow>(
      `INSERT INTO segments (name, description, criteria, sharing, departments, owner, users_at_save) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [input.name, input.description ?? null, JSON.stringify(criteria), input.sharing, departments, actor.userId, count.users],
    );
    const segment = toSaved(rows[0]);
    const auditId = await audit(tx, {
      actor,
      action: ACTION,
      target: segment.id,
      outcome: 'done',
      status: 200,
      after: { segment, snapshot: usage.snapshotId },
      idempotencyKey: key,
    });
    const result: CreateSegmentResult = { action: ACTION, auditId, replayed: false, segment };
    await storeAnswer(tx, actor.userId, key, result);
    return result;
  });
}

export const createSegmentRoutes: ActionRoutes = (app, { db, usage }) => {
  app.post(
    '/v1/actions/create-segment/count',
    {
      schema: {
        summary: 'A2.3 live count: the users the criteria select now, by department, with the busiest 20',
        body: SegmentCountInput,
        response: { 200: SegmentCount, ...ERRORS },
      },
    },
    async (req) => countSegment(db, usage, callerOf(req), req.body.criteria),
  );
  app.post(
    '/v1/actions/create-segment',
    {
      schema: {
        summary: 'A2.3 Create user segment: saved with its criteria and who may see it',
        headers: IDEMPOTENCY_HEADERS,
        body: CreateSegmentInput,
        response: { 200: CreateSegmentResult, ...ERRORS },
      },
    },
    async (req) => createSegment(db, usage, callerOf(req), req.body, req.headers['idempotency-key']),
  );
  app.get(
    '/v1/segments',
    {
      schema: {
        summary: 'Saved segments the caller may see: their own, shared with their departments, shared with the fleet',
        response: { 200: z.array(SavedSegment), ...ERRORS },
      },
    },
    async (req) => {
      const { actor } = callerOf(req);
      const all = actor.departments.includes('*');
      const { rows } = await db.query<SegmentRow>(
        `SELECT ${COLUMNS} FROM segments
         WHERE owner = $1 OR sharing = 'fleet' OR (sharing = 'department' AND ($2 OR departments && $3::text[]))
         ORDER BY created_at DESC, id DESC LIMIT 500`,
        [actor.userId, all, actor.departments],
      );
      return rows.map(toSaved);
    },
  );
};
