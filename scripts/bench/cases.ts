/**
 * The query modules the benchmark times, with the parameters each needs. Shared by the browser
 * page (DuckDB-WASM), the native run (DuckDB) and the Arquero comparison, so all three time the
 * same work under the default filters.
 */
import * as Q from '@usage-analytics/queries';

export type AnyModule = Q.QueryModule<any, any>;

/** A real agent, user and instant of the snapshot, for modules that drill into one. */
export interface Sample {
  agentId: string;
  userId: string;
  /** Epoch ms of a UTC day inside the data (drill-down bucket). */
  day: number;
  /** A cohort month (YYYY-MM) inside the data. */
  month: string;
  /** The busiest country and the busiest agent-to-agent edge. */
  country: string;
  edge: { source: string; target: string };
}

/** SQL that finds a {@link Sample}: the busiest agent and user, the day and month 15 days before the end. */
export const SAMPLE_SQL = `SELECT
  (SELECT agent_id FROM requests GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS agent_id,
  (SELECT user_id FROM requests GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS user_id,
  (SELECT epoch_ms(date_trunc('day', max(ts)) - INTERVAL 15 DAY) FROM requests)::DOUBLE AS day,
  (SELECT coalesce(country, 'Unknown') FROM requests GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1) AS country,
  (SELECT calling_agent_id FROM requests WHERE calling_agent_id IS NOT NULL GROUP BY calling_agent_id, agent_id ORDER BY count(*) DESC, 1, agent_id LIMIT 1) AS edge_source,
  (SELECT agent_id FROM requests WHERE calling_agent_id IS NOT NULL GROUP BY calling_agent_id, agent_id ORDER BY count(*) DESC, calling_agent_id, 1 LIMIT 1) AS edge_target`;

export function toSample(row: Record<string, unknown>): Sample {
  const day = Number(row.day);
  return {
    agentId: String(row.agent_id),
    userId: String(row.user_id),
    day,
    month: new Date(day).toISOString().slice(0, 7),
    country: String(row.country),
    edge: { source: String(row.edge_source), target: String(row.edge_target) },
  };
}

/** Params for modules that need them; the rest run with `undefined` (their defaults). */
export function benchParams(name: string, sample: Sample): unknown {
  switch (name) {
    case 'agentRequestLog':
    case 'agentApiClients':
    case 'agentDaily':
      return { agentId: sample.agentId };
    case 'requestsInBucket':
      return { bucketStart: sample.day, bucket: 'day' };
    case 'usersInSegment':
      return { segment: 'power' };
    case 'usersInCohortCell':
      return { cohortMonth: sample.month, monthOffset: 0 };
    case 'userJourney':
      return { userId: sample.userId };
    case 'anomalyCauses':
      return { date: new Date(sample.day).toISOString().slice(0, 10) };
    case 'usersByCallRange':
      return { min: 1, max: 10 };
    case 'requestsInHourWeekday':
      return { weekday: 3, hour: 14, timeZone: 'Europe/Berlin' };
    case 'maintenanceWindows':
      return { timeZone: 'America/New_York' };
    case 'usersInPlace':
      return { country: sample.country };
    case 'callsBetweenAgents':
      return sample.edge;
    case 'journeySessions':
    case 'journeyLinkUsers':
      // The sessions that start at the busiest agent and leave after it (any reason).
      return { step: 1, source: sample.agentId, targetKind: 'exit', target: null };
    default:
      return undefined;
  }
}

export function allModules(): AnyModule[] {
  return Object.values(Q).filter(
    (v): v is AnyModule =>
      !!v &&
      typeof v === 'object' &&
      typeof (v as AnyModule).sql === 'function' &&
      typeof (v as AnyModule).transform === 'function' &&
      typeof (v as AnyModule).name === 'string',
  );
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
