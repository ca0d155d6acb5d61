/** Pure checks of every module's SQL text: user values only inside quoted literals, one statement, a total order. */
import { describe, expect, it } from 'vitest';
import * as Q from '../src/index.js';

const HOSTILE = ["'; DROP TABLE requests; --", "x' OR '1'='1", "' UNION SELECT email FROM users --", '🚀 研究 \\', "''"];
const anchor = new Date('2026-03-10T12:00:00Z');
const dataStart = new Date('2025-10-01T00:00:00Z');

const modules = Object.values(Q).filter(
  (v): v is Q.QueryModule<any, any> =>
    typeof v === 'object' &&
    v !== null &&
    typeof (v as unknown as Q.QueryModule).sql === 'function' &&
    typeof (v as unknown as Q.QueryModule).transform === 'function',
);

const PARAMS: Record<string, unknown> = {
  usersInSegment: { segment: 'power' },
  usersInCohortCell: { cohortMonth: '2026-01', monthOffset: 1 },
  agentRequestLog: { agentId: HOSTILE[0] },
  agentApiClients: { agentId: HOSTILE[1] },
  agentDaily: { agentId: HOSTILE[2] },
  requestsInBucket: { bucketStart: Date.parse('2026-03-01T00:00:00Z'), by: 'agent', key: HOSTILE[3] },
  adoptionCurve: { agentIds: HOSTILE },
  versionAdoption: { agentIds: HOSTILE },
  capacitySeries: { resourceType: HOSTILE[0] },
  userJourney: { userId: HOSTILE[0] },
  anomalyCauses: { date: '2026-02-26' },
  requestsInHourWeekday: { weekday: 7, hour: 1, timeZone: 'America/New_York' },
  hourWeekday: { timeZone: 'Asia/Kolkata' },
  maintenanceWindows: { timeZone: 'Europe/Berlin' },
  journeySankey: { anchor: { mode: 'end', agentId: HOSTILE[0] } },
  journeySessions: { step: 2, source: HOSTILE[1], targetKind: 'agent', target: HOSTILE[2], anchor: { mode: 'start', agentId: HOSTILE[3] } },
  journeyLinkUsers: { step: 1, source: HOSTILE[4], targetKind: 'exit', target: HOSTILE[0] },
  usersInPlace: { country: HOSTILE[0], region: HOSTILE[1], city: HOSTILE[4] },
  callsBetweenAgents: { source: HOSTILE[1], target: HOSTILE[2] },
};

/** Removes every single-quoted literal ('' escapes included); what is left is SQL we wrote. */
const stripLiterals = (sql: string) => sql.replace(/'(?:[^']|'')*'/g, "'…'");

function hostileCtx(): Q.QueryContext {
  return Q.makeContext(
    Q.defaultFilters({
      departments: HOSTILE,
      intents: HOSTILE,
      providers: HOSTILE,
      modelFamilies: HOSTILE,
      agentIds: HOSTILE,
      userIds: HOSTILE,
      userSegments: ['power', 'dormant'],
      requestStatuses: ['error'],
      agentStatuses: ['active', 'beta'],
    }),
    anchor,
    dataStart,
  );
}

describe('module SQL', () => {
  it('has 28 uniquely named modules', () => {
    expect(modules.length).toBeGreaterThanOrEqual(28);
    expect(new Set(modules.map((m) => m.name)).size).toBe(modules.length);
  });

  it.each(modules.map((m) => [m.name, m] as const))('%s keeps hostile values inside literals', (name, m) => {
    const sql = m.sql(hostileCtx(), PARAMS[name] ?? {}).text;
    const code = stripLiterals(sql);
    expect(code).not.toMatch(/DROP|UNION SELECT email|OR '1'|研究|🚀/);
    expect(code.split("'…'").join('')).not.toContain("'"); // balanced quotes
    expect(code).not.toContain(';'); // one statement
    expect(code).toMatch(/ORDER BY [^)]*$/); // the outermost statement is ordered
  });

  it.each(modules.map((m) => [m.name, m] as const))('%s transforms an empty result', (name, m) => {
    const ctx = hostileCtx();
    expect(() => m.transform([], ctx, PARAMS[name] ?? {})).not.toThrow();
  });
});

describe('module parameters', () => {
  const ctx = Q.makeContext(Q.defaultFilters(), anchor, dataStart);
  it.each([
    ['topUsers limit', () => Q.topUsers.sql(ctx, { limit: 0 }), /limit/],
    ['hourWeekday timeZone', () => Q.hourWeekday.sql(ctx, { timeZone: "UTC' OR 1=1 --" }), /timeZone/],
    ['maintenanceWindows upcomingDays', () => Q.maintenanceWindows.sql(ctx, { upcomingDays: 400 }), /upcomingDays/],
    ['requestsInHourWeekday weekday', () => Q.requestsInHourWeekday.sql(ctx, { weekday: 0, hour: 3 }), /weekday/],
    ['requestsInHourWeekday timeZone', () => Q.requestsInHourWeekday.sql(ctx, { weekday: 1, hour: 3, timeZone: '; DROP TABLE requests' }), /timeZone/],
    ['topUsers offset', () => Q.topUsers.sql(ctx, { offset: 1.5 }), /offset/],
    ['topUsers sortBy', () => Q.topUsers.sql(ctx, { sortBy: 'email' as never }), /sortBy.*email/],
    ['callsOverTime by', () => Q.callsOverTime.sql(ctx, { by: 'DROP' as never }), /by.*DROP/],
    ['callsOverTime bucket', () => Q.callsOverTime.sql(ctx, { bucket: 'week' as never }), /bucket.*week/],
    ['adoptionCurve limit', () => Q.adoptionCurve.sql(ctx, { limit: 11 }), /limit/],
    ['usersInCohortCell month', () => Q.usersInCohortCell.sql(ctx, { cohortMonth: '2026-13', monthOffset: 0 }), /cohortMonth/],
    ['usersInCohortCell offset', () => Q.usersInCohortCell.sql(ctx, { cohortMonth: '2026-01', monthOffset: -1 }), /monthOffset/],
    ['usersInSegment segment', () => Q.usersInSegment.sql(ctx, { segment: 'vip' as never }), /segment.*vip/],
    ['agentDaily agentId', () => Q.agentDaily.sql(ctx, { agentId: '' }), /agentId/],
    ['requestsInBucket bucketStart', () => Q.requestsInBucket.sql(ctx, { bucketStart: Number.NaN }), /bucketStart/],
    ['dailySeries span', () => Q.dailySeries.sql(ctx, { span: 'year' as never }), /span/],
    ['sessionTransitions topPaths', () => Q.sessionTransitions.sql(ctx, { topPaths: -2 }), /topPaths/],
    ['usersByCallRange min', () => Q.usersByCallRange.sql(ctx, { min: '1 OR 1=1' as never }), /min/],
    ['usersByCallRange max', () => Q.usersByCallRange.sql(ctx, { max: Number.NaN }), /max/],
    ['gini includeIdleAgents', () => Q.gini.sql(ctx, { includeIdleAgents: 'no' as never }), /includeIdleAgents/],
    ['adoptionCurve agentIds', () => Q.adoptionCurve.sql(ctx, { agentIds: [1] as never }), /agentIds/],
    ['versionAdoption agentIds', () => Q.versionAdoption.sql(ctx, { agentIds: 'a01' as never }), /agentIds/],
    ['usageForecast horizon', () => Q.usageForecast.sql(ctx, { horizon: 0 }), /horizon/],
    ['usageForecast model', () => Q.usageForecast.sql(ctx, { model: 'prophet' as never }), /model.*prophet/],
    ['usageForecast threshold', () => Q.usageForecast.sql(ctx, { threshold: -1 }), /threshold/],
    ['journeySankey topN', () => Q.journeySankey.sql(ctx, { topN: 51 }), /topN/],
    ['journeySankey steps', () => Q.journeySankey.sql(ctx, { steps: 0 }), /steps/],
    ['journeySankey anchor.mode', () => Q.journeySankey.sql(ctx, { anchor: { mode: 'middle' as never, agentId: 'a' } }), /anchor.mode.*middle/],
    ['journeySessions targetKind', () => Q.journeySessions.sql(ctx, { step: 1, source: 'a', targetKind: 'DROP' as never, target: null }), /targetKind.*DROP/],
    ['journeySessions step', () => Q.journeySessions.sql(ctx, { step: 10, source: 'a', targetKind: 'agent', target: 'b' }), /step/],
    ['usersInPlace country', () => Q.usersInPlace.sql(ctx, { country: '' }), /country/],
    ['usersInPlace city', () => Q.usersInPlace.sql(ctx, { country: 'FR', city: 3 as never }), /city/],
  ])('%s is validated', (_n, fn, msg) => {
    expect(fn).toThrow(Q.ParamError);
    expect(fn).toThrow(msg);
    try {
      fn();
    } catch (e) {
      expect(Q.isUsageError(e) && e.code).toBe('invalid_param');
      expect((e as Q.ParamError).field).toBe(String(msg.source.split('.*')[0]));
    }
  });

  it('refuses more than MAX_BUCKETS zero-filled buckets', () => {
    const wide = Q.makeContext(Q.defaultFilters({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2026-01-01' } }), anchor, dataStart);
    expect(() => Q.callsOverTime.sql(wide, { bucket: 'hour' })).toThrow(Q.ParamError);
    expect(() => Q.callsOverTime.sql(wide, { bucket: 'day' })).not.toThrow();
  });
});

describe('bucket arithmetic', () => {
  it('counts the UTC buckets a window touches', () => {
    const d = (s: string) => Q.toMicros(s);
    expect(Q.bucketCount(d('2026-02-08T12:00:00Z'), d('2026-03-10T12:00:00Z'), 'day')).toBe(31);
    expect(Q.bucketCount(d('2026-02-01T00:00:00Z'), d('2026-03-01T00:00:00Z'), 'day')).toBe(28);
    expect(Q.bucketCount(d('2026-03-10T11:00:00Z'), d('2026-03-10T12:00:00Z'), 'hour')).toBe(1);
    expect(Q.bucketCount(d('2026-03-10T10:30:00Z'), d('2026-03-10T11:30:00Z'), 'hour')).toBe(2);
    expect(Q.daysTouched(d('2026-03-09T23:59:59.999Z'), d('2026-03-10T00:00:00.001Z'))).toBe(2);
  });
});
