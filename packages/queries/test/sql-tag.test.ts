import { describe, expect, it } from 'vitest';
import * as Q from '../src/index.js';
import { Sql, and, constant, ident, join, literal, sql, sqlText } from '../src/index.js';

describe('sql`…` (SQL safe by type)', () => {
  it('interpolates fragments, finite numbers, booleans, bigints and null', () => {
    const dept = "o'brien";
    const q = sql`SELECT * FROM requests WHERE department_id = ${literal(dept)} AND n > ${3} AND ok = ${true} AND big = ${12n} AND x IS ${null}`;
    expect(q).toBeInstanceOf(Sql);
    expect(q.text).toBe("SELECT * FROM requests WHERE department_id = 'o''brien' AND n > 3 AND ok = TRUE AND big = 12 AND x IS NULL");
  });

  it('refuses a plain string at compile time and at run time', () => {
    const userText = "x'; DROP TABLE requests; --";
    // @ts-expect-error a string is not an SqlArg: it must go through literal(), ident() or constant()
    expect(() => sql`SELECT ${userText}`).toThrow(/strings go through literal/);
    expect(() => sql`SELECT ${Number.NaN}`).toThrow(/finite/);
    expect(() => sql`SELECT ${Number.POSITIVE_INFINITY}`).toThrow(/finite/);
  });

  it('constant() takes string literal types only', () => {
    expect(constant('department_id').text).toBe('department_id');
    const unit: 'hour' | 'day' = Math.random() < 2 ? 'hour' : 'day';
    expect(constant(unit).text).toBe('hour');
    const wide: string = 'department_id';
    // @ts-expect-error the wide string type is refused: user text cannot become SQL through constant()
    expect(constant(wide).text).toBe('department_id');
  });

  it('an Sql cannot be forged from raw text', () => {
    // @ts-expect-error the constructor wants the module's private token
    expect(() => new Sql(Symbol('fake'), 'DROP TABLE requests')).toThrow(/sql`/);
    expect(() => sqlText({ text: 'DROP TABLE requests' } as unknown as Sql)).toThrow(/Sql fragment/);
    expect(() => (sql as unknown as (s: string[]) => Sql)(['SELECT 1'])).toThrow(/tagged template/);
  });

  it('join() and and() combine fragments', () => {
    expect(join([sql`a`, ident('b c'), literal(1)]).text).toBe('a, "b c", 1');
    expect(join([sql`SELECT 1`, sql`SELECT 2`], '\nUNION ALL\n').text).toBe('SELECT 1\nUNION ALL\nSELECT 2');
    expect(and([]).text).toBe('TRUE');
    expect(and([sql`a = 1`, sql`b = 2`]).text).toBe('(a = 1) AND (b = 2)');
  });

  it('every query module returns an Sql value', () => {
    const ctx = Q.makeContext(Q.defaultFilters(), '2026-03-10T12:00:00Z', '2025-10-01T00:00:00Z');
    const params: Record<string, unknown> = {
      agentRequestLog: { agentId: 'a' },
      agentApiClients: { agentId: 'a' },
      agentDaily: { agentId: 'a' },
      requestsInBucket: { bucketStart: Date.parse('2026-03-01T00:00:00Z') },
      usersInSegment: { segment: 'power' },
      usersInCohortCell: { cohortMonth: '2026-01', monthOffset: 1 },
      userJourney: { userId: 'u' },
      anomalyCauses: { date: '2026-03-01' },
      requestsInHourWeekday: { weekday: 1, hour: 0 },
      usersInPlace: { country: 'FR' },
      callsBetweenAgents: { source: 'a', target: 'b' },
      journeySessions: { step: 1, source: 'a', targetKind: 'exit', target: null },
      journeyLinkUsers: { step: 1, source: 'a', targetKind: 'exit', target: null },
    };
    const modules = (Object.values(Q) as unknown[]).filter(
      (v): v is Q.QueryModule<unknown, unknown> => typeof v === 'object' && v !== null && 'sql' in v && 'transform' in v && 'name' in v,
    );
    expect(modules.length).toBeGreaterThanOrEqual(28);
    for (const m of modules) expect(m.sql(ctx, params[m.name] ?? {}), m.name).toBeInstanceOf(Sql);
  });
});
