/** Every query module with typical parameters and its reference, for the edge-case and injection suites. */
import * as Q from '@usage-analytics/queries';
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset } from './fixtures.js';
import * as A from './reference/agents.js';
import * as U from './reference/users.js';
import * as R from './reference/usage.js';
import { refAdoptionBenchmark } from './reference/adoption.js';
import { refAnomalyCauses } from './reference/anomaly-causes.js';
import { refUserJourney } from './reference/user-journey.js';
import { refMaintenanceWindows, refRequestsInHourWeekday } from './reference/time-zone.js';
import { refForecastHistory } from './reference/forecast-history.js';
import { refJourneyLinkUsers, refJourneySankey, refJourneySessions } from './reference/journey.js';
import { refCallGraph, refCallsBetweenAgents } from './reference/call-graph.js';

export interface ModuleCase {
  name: string;
  module: Q.QueryModule<any, any>;
  params: any;
  ref: (ds: Dataset, f: UsageFilters, p: any) => unknown;
}

export const ALL_MODULES: ModuleCase[] = [
  { name: 'kpis', module: Q.kpis, params: undefined, ref: R.refKpis },
  { name: 'callsOverTime', module: Q.callsOverTime, params: { by: 'agent' }, ref: R.refCallsOverTime },
  { name: 'userSegments', module: Q.userSegments, params: undefined, ref: U.refUserSegments },
  { name: 'usersInSegment', module: Q.usersInSegment, params: { segment: 'power' }, ref: U.refUsersInSegment },
  { name: 'engagement', module: Q.engagement, params: undefined, ref: U.refEngagement },
  { name: 'atRiskUsers', module: Q.atRiskUsers, params: {}, ref: U.refAtRiskUsers },
  { name: 'callsPerUser', module: Q.callsPerUser, params: undefined, ref: U.refCallsPerUser },
  { name: 'usersByCallRange', module: Q.usersByCallRange, params: { min: 1 }, ref: U.refUsersByCallRange },
  { name: 'usersInPlace', module: Q.usersInPlace, params: { country: 'US' }, ref: U.refUsersInPlace },
  { name: 'gini', module: Q.gini, params: { includeIdleAgents: true }, ref: R.refGini },
  { name: 'agentHierarchy', module: Q.agentHierarchy, params: undefined, ref: R.refAgentHierarchy },
  { name: 'hourWeekday', module: Q.hourWeekday, params: undefined, ref: R.refHourWeekday },
  { name: 'intentMatrix', module: Q.intentMatrix, params: undefined, ref: R.refIntentMatrix },
  { name: 'retentionCohorts', module: Q.retentionCohorts, params: {}, ref: U.refRetention },
  { name: 'usersInCohortCell', module: Q.usersInCohortCell, params: { cohortMonth: '2026-01', monthOffset: 1 }, ref: U.refUsersInCohortCell },
  { name: 'adoptionCurve', module: Q.adoptionCurve, params: { byVersion: true }, ref: A.refAdoptionCurve },
  { name: 'versionAdoption', module: Q.versionAdoption, params: {}, ref: A.refVersionAdoption },
  { name: 'adoptionBenchmark', module: Q.adoptionBenchmark, params: { days: 14 }, ref: refAdoptionBenchmark },
  { name: 'sessionTransitions', module: Q.sessionTransitions, params: {}, ref: A.refSessionTransitions },
  { name: 'journeySankey', module: Q.journeySankey, params: { topN: 3, steps: 20 }, ref: refJourneySankey },
  {
    name: 'journeySessions',
    module: Q.journeySessions,
    params: { step: 1, source: 'a01-support', targetKind: 'exit', target: null },
    ref: refJourneySessions,
  },
  {
    name: 'journeyLinkUsers',
    module: Q.journeyLinkUsers,
    params: { step: 1, source: null, targetKind: 'agent', target: null, topN: 1 },
    ref: refJourneyLinkUsers,
  },
  { name: 'topUsers', module: Q.topUsers, params: {}, ref: U.refTopUsers },
  { name: 'intentDiversity', module: Q.intentDiversity, params: undefined, ref: U.refIntentDiversity },
  { name: 'capacityUtilisation', module: Q.capacityUtilisation, params: undefined, ref: R.refCapacityUtilisation },
  { name: 'capacitySeries', module: Q.capacitySeries, params: {}, ref: R.refCapacitySeries },
  { name: 'agentCallGraph', module: Q.agentCallGraph, params: undefined, ref: R.refAgentCallGraph },
  { name: 'agentCallGraph (either end)', module: Q.agentCallGraph, params: { agentMatch: 'either' }, ref: (d, f) => refCallGraph(d, f, 'either') },
  { name: 'callsBetweenAgents', module: Q.callsBetweenAgents, params: { source: 'a06-router', target: 'a02-code' }, ref: refCallsBetweenAgents },
  { name: 'geography', module: Q.geography, params: undefined, ref: R.refGeography },
  { name: 'agentPortfolio', module: Q.agentPortfolio, params: undefined, ref: A.refAgentPortfolio },
  { name: 'dailySeries', module: Q.dailySeries, params: { span: 'all' }, ref: R.refDailySeries },
  // usageForecast = dailySeries' SQL + the forecast package (tested on its own): the reference feeds the reference series to it.
  { name: 'usageForecast', module: Q.usageForecast, params: { horizon: 14 }, ref: refUsageForecast },
  { name: 'forecastHistory', module: Q.forecastHistory, params: { scope: 'fleet' }, ref: refForecastHistory },
  { name: 'agentRequestLog', module: Q.agentRequestLog, params: { agentId: 'a01-support' }, ref: A.refAgentRequestLog },
  { name: 'agentApiClients', module: Q.agentApiClients, params: { agentId: 'a01-support' }, ref: A.refAgentApiClients },
  { name: 'agentDaily', module: Q.agentDaily, params: { agentId: 'a01-support' }, ref: A.refAgentDaily },
  {
    name: 'requestsInBucket',
    module: Q.requestsInBucket,
    params: { bucketStart: Date.parse('2026-02-26T00:00:00Z'), bucket: 'day' },
    ref: R.refRequestsInBucket,
  },
  { name: 'userJourney', module: Q.userJourney, params: { userId: 'u001' }, ref: refUserJourney },
  { name: 'anomalyCauses', module: Q.anomalyCauses, params: { date: '2026-02-26' }, ref: refAnomalyCauses },
  { name: 'maintenanceWindows', module: Q.maintenanceWindows, params: { timeZone: 'America/New_York' }, ref: refMaintenanceWindows },
  {
    name: 'requestsInHourWeekday',
    module: Q.requestsInHourWeekday,
    params: { weekday: 3, hour: 14, timeZone: 'Europe/Berlin' },
    ref: refRequestsInHourWeekday,
  },
];

function refUsageForecast(ds: Dataset, f: UsageFilters, p: Q.UsageForecastParams) {
  const daily = R.refDailySeries(ds, f, { span: 'all' }) as Q.DailySeriesResult;
  const rows = daily.series.flatMap((s) => s.points.map((pt) => ({ key: s.key, date: pt.date, requests: pt.value, users: pt.users, partial: pt.partial })));
  // The transform is pure: feeding it the reference rows gives the expected result.
  return Q.usageForecast.transform(rows, undefined as never, p);
}

/** Names of every module exported by @usage-analytics/queries (to check ALL_MODULES is complete). */
export const exportedModuleNames = (): string[] =>
  Object.values(Q)
    .filter(
      (v): v is Q.QueryModule<any, any> =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as unknown as Q.QueryModule).sql === 'function' &&
        typeof (v as unknown as Q.QueryModule).transform === 'function',
    )
    .map((m) => m.name)
    .sort();
