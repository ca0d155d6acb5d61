/**
 * User- and agent-level modules on the seeded main dataset in real DuckDB-WASM, each compared with an
 * independent TypeScript reference (test/reference) under every filter scenario.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import type { UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, type Dataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import * as A from './reference/agents.js';
import { refAdoptionBenchmark } from './reference/adoption.js';
import * as U from './reference/users.js';
import { SCENARIOS, VARIANT_SCENARIOS } from './scenarios.js';

const ds = makeMainDataset();
let conn: WasmNodeConnector;
let client: UsageDataClient;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

interface Case {
  name: string;
  module: Q.QueryModule<any, any>;
  params: any;
  ref: (ds: Dataset, f: UsageFilters, p: any) => unknown;
  /** Runs only on VARIANT_SCENARIOS. */
  variant?: boolean;
}

const CASES: Case[] = [
  { name: 'userSegments', module: Q.userSegments, params: undefined, ref: U.refUserSegments },
  { name: 'usersInSegment (regular, page 2)', module: Q.usersInSegment, params: { segment: 'regular', limit: 5, offset: 5 }, ref: U.refUsersInSegment },
  { name: 'usersInSegment (dormant)', variant: true, module: Q.usersInSegment, params: { segment: 'dormant' }, ref: U.refUsersInSegment },
  { name: 'engagement', module: Q.engagement, params: undefined, ref: U.refEngagement },
  { name: 'atRiskUsers', module: Q.atRiskUsers, params: {}, ref: U.refAtRiskUsers },
  { name: 'callsPerUser', module: Q.callsPerUser, params: undefined, ref: U.refCallsPerUser },
  { name: 'usersByCallRange [5, 10)', module: Q.usersByCallRange, params: { min: 5, max: 10 }, ref: U.refUsersByCallRange },
  { name: 'usersByCallRange [20, ∞)', variant: true, module: Q.usersByCallRange, params: { min: 20 }, ref: U.refUsersByCallRange },
  { name: 'topUsers', module: Q.topUsers, params: {}, ref: U.refTopUsers },
  { name: 'topUsers by cost, page 2', variant: true, module: Q.topUsers, params: { sortBy: 'cost', limit: 10, offset: 10 }, ref: U.refTopUsers },
  {
    name: 'topUsers by last_active ascending',
    variant: true,
    module: Q.topUsers,
    params: { sortBy: 'last_active', descending: false, limit: 15 },
    ref: U.refTopUsers,
  },
  { name: 'topUsers by concentration', module: Q.topUsers, params: { sortBy: 'concentration', limit: 30 }, ref: U.refTopUsers },
  { name: 'topUsers by agents_used', variant: true, module: Q.topUsers, params: { sortBy: 'agents_used' }, ref: U.refTopUsers },
  { name: 'topUsers by user_id', variant: true, module: Q.topUsers, params: { sortBy: 'user_id', limit: 100 }, ref: U.refTopUsers },
  { name: 'intentDiversity', module: Q.intentDiversity, params: undefined, ref: U.refIntentDiversity },
  { name: 'retentionCohorts', module: Q.retentionCohorts, params: {}, ref: U.refRetention },
  { name: 'retentionCohorts (maxOffset 2)', variant: true, module: Q.retentionCohorts, params: { maxOffset: 2 }, ref: U.refRetention },
  { name: 'usersInCohortCell 2025-11 +2', module: Q.usersInCohortCell, params: { cohortMonth: '2025-11', monthOffset: 2 }, ref: U.refUsersInCohortCell },
  {
    name: 'usersInCohortCell 2026-01 +1',
    variant: true,
    module: Q.usersInCohortCell,
    params: { cohortMonth: '2026-01', monthOffset: 1, limit: 3 },
    ref: U.refUsersInCohortCell,
  },
  { name: 'adoptionCurve', module: Q.adoptionCurve, params: {}, ref: A.refAdoptionCurve },
  { name: 'adoptionCurve by version, top 4', variant: true, module: Q.adoptionCurve, params: { byVersion: true, limit: 4 }, ref: A.refAdoptionCurve },
  {
    name: 'adoptionCurve for chosen agents',
    module: Q.adoptionCurve,
    params: { agentIds: ['a01-support', "a05-o'reilly", 'a10-idle'] },
    ref: A.refAdoptionCurve,
  },
  {
    name: 'adoptionCurve with a 30-day forecast',
    variant: true,
    module: Q.adoptionCurve,
    params: { byVersion: true, limit: 3, forecastDays: 30 },
    ref: A.refAdoptionCurve,
  },
  { name: 'versionAdoption', module: Q.versionAdoption, params: {}, ref: A.refVersionAdoption },
  { name: 'adoptionBenchmark', module: Q.adoptionBenchmark, params: undefined, ref: refAdoptionBenchmark },
  { name: 'agentPortfolio', module: Q.agentPortfolio, params: undefined, ref: A.refAgentPortfolio },
  { name: 'sessionTransitions', module: Q.sessionTransitions, params: {}, ref: A.refSessionTransitions },
  { name: 'sessionTransitions (top 3 paths)', variant: true, module: Q.sessionTransitions, params: { topPaths: 3 }, ref: A.refSessionTransitions },
  { name: 'agentRequestLog', module: Q.agentRequestLog, params: { agentId: 'a01-support', limit: 10, offset: 3 }, ref: A.refAgentRequestLog },
  { name: 'agentRequestLog (agent id with a quote)', variant: true, module: Q.agentRequestLog, params: { agentId: "a05-o'reilly" }, ref: A.refAgentRequestLog },
  { name: 'agentApiClients', module: Q.agentApiClients, params: { agentId: 'a02-code' }, ref: A.refAgentApiClients },
  { name: 'agentDaily', module: Q.agentDaily, params: { agentId: 'a07-search' }, ref: A.refAgentDaily },
  { name: 'usersInPlace US', module: Q.usersInPlace, params: { country: 'US' }, ref: U.refUsersInPlace },
  { name: 'usersInPlace Unknown (null country)', module: Q.usersInPlace, params: { country: 'Unknown' }, ref: U.refUsersInPlace },
  {
    name: 'usersInPlace US / CA / San Francisco, page 2',
    variant: true,
    module: Q.usersInPlace,
    params: { country: 'US', region: 'CA', city: 'San Francisco', limit: 2, offset: 2 },
    ref: U.refUsersInPlace,
  },
  {
    name: 'usersInPlace DE, null region as Unknown',
    variant: true,
    module: Q.usersInPlace,
    params: { country: 'DE', region: 'Unknown' },
    ref: U.refUsersInPlace,
  },
  { name: 'usersInPlace country without rows', variant: true, module: Q.usersInPlace, params: { country: 'FR' }, ref: U.refUsersInPlace },
];

describe.each(SCENARIOS)('%s', (name, filters) => {
  it.each(CASES.filter((c) => !c.variant || VARIANT_SCENARIOS.has(name)))('$name matches the reference', async ({ module, params, ref }) => {
    const actual = await client.run(module, filters, params);
    expectClose(actual, ref(ds, filters, params));
  });
});
