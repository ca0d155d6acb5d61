/**
 * Volume, time and structure modules on the seeded main dataset in real DuckDB-WASM, each compared
 * with an independent TypeScript reference (test/reference) under every filter scenario.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import type { UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, type Dataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import * as R from './reference/usage.js';
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
  { name: 'kpis', module: Q.kpis, params: undefined, ref: R.refKpis },
  { name: 'callsOverTime by department', module: Q.callsOverTime, params: {}, ref: R.refCallsOverTime },
  { name: 'callsOverTime by agent, hour buckets', variant: true, module: Q.callsOverTime, params: { by: 'agent', bucket: 'hour' }, ref: R.refCallsOverTime },
  { name: 'callsOverTime by status, day buckets', variant: true, module: Q.callsOverTime, params: { by: 'status', bucket: 'day' }, ref: R.refCallsOverTime },
  { name: 'callsOverTime by agent_version', variant: true, module: Q.callsOverTime, params: { by: 'agent_version' }, ref: R.refCallsOverTime },
  { name: 'callsOverTime by environment', module: Q.callsOverTime, params: { by: 'environment' }, ref: R.refCallsOverTime },
  { name: 'hourWeekday', module: Q.hourWeekday, params: undefined, ref: R.refHourWeekday },
  { name: 'intentMatrix', module: Q.intentMatrix, params: undefined, ref: R.refIntentMatrix },
  { name: 'gini (idle agents count by default)', module: Q.gini, params: {}, ref: R.refGini },
  { name: 'gini (agents with requests only)', variant: true, module: Q.gini, params: { includeIdleAgents: false }, ref: R.refGini },
  { name: 'agentHierarchy', module: Q.agentHierarchy, params: undefined, ref: R.refAgentHierarchy },
  { name: 'geography', module: Q.geography, params: undefined, ref: R.refGeography },
  { name: 'agentCallGraph', module: Q.agentCallGraph, params: undefined, ref: R.refAgentCallGraph },
  { name: 'dailySeries (window)', module: Q.dailySeries, params: {}, ref: R.refDailySeries },
  { name: 'dailySeries (all, by department)', variant: true, module: Q.dailySeries, params: { span: 'all', by: 'department' }, ref: R.refDailySeries },
  { name: 'capacityUtilisation', module: Q.capacityUtilisation, params: undefined, ref: R.refCapacityUtilisation },
  { name: 'capacitySeries', module: Q.capacitySeries, params: {}, ref: R.refCapacitySeries },
  {
    name: 'capacitySeries (memory, hour)',
    variant: true,
    module: Q.capacitySeries,
    params: { resourceType: 'memory', bucket: 'hour' },
    ref: R.refCapacitySeries,
  },
  {
    name: 'requestsInBucket (day of 2026-03-01)',
    module: Q.requestsInBucket,
    params: { bucketStart: Date.parse('2026-03-01T00:00:00Z'), bucket: 'day', limit: 7, offset: 2 },
    ref: R.refRequestsInBucket,
  },
  {
    name: 'requestsInBucket (hour, legend key)',
    variant: true,
    module: Q.requestsInBucket,
    params: { bucketStart: Date.parse('2026-02-27T10:00:00Z'), bucket: 'hour', by: 'department', key: 'sales' },
    ref: R.refRequestsInBucket,
  },
];

describe.each(SCENARIOS)('%s', (name, filters) => {
  it.each(CASES.filter((c) => !c.variant || VARIANT_SCENARIOS.has(name)))('$name matches the reference', async ({ module, params, ref }) => {
    const actual = await client.run(module, filters, params);
    expectClose(actual, ref(ds, filters, params));
  });
});
