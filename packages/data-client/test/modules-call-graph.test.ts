/**
 * Chart 2.14's modules (agentCallGraph with both `agentMatch` modes, callsBetweenAgents) in real
 * DuckDB-WASM on the seeded main dataset with extra agent-to-agent calls (a cycle, a mutual pair and
 * a self-call), against plain TypeScript written from the module docs, under every filter scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import { WasmNodeConnector, type UsageDataClient } from '../src/node.js';
import { makeMainDataset, openDataset, type Dataset } from './fixtures.js';
import { expectClose } from './helpers.js';
import { refCallsBetweenAgents as refCalls, refCallGraph as refGraph } from './reference/call-graph.js';
import { SCENARIOS } from './scenarios.js';

/** The main dataset plus calls that close cycles: a02 → a01 (with a06/a01 → a02: a01 ↔ a02), a05 ↔ a02, a03 → a03. */
function withCycles(): Dataset {
  const ds = makeMainDataset();
  ds.requests.forEach((r, i) => {
    if (r.calling_agent_id !== null) return;
    if (r.agent_id === 'a01-support' && i % 9 === 0) r.calling_agent_id = 'a02-code';
    else if (r.agent_id === "a05-o'reilly" && i % 5 === 0) r.calling_agent_id = 'a02-code';
    else if (r.agent_id === 'a02-code' && i % 31 === 0) r.calling_agent_id = "a05-o'reilly";
    else if (r.agent_id === 'a03-analyst' && i % 47 === 0) r.calling_agent_id = 'a03-analyst';
  });
  return ds;
}

const ds = withCycles();
let conn: WasmNodeConnector;
let client: UsageDataClient;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  client = await openDataset(conn, ds);
}, 30_000);
afterAll(async () => conn?.close());

describe.each(SCENARIOS)('%s', (_name, filters) => {
  it('agentCallGraph (agentIds on the called agent) matches the reference', async () => {
    expectClose(await client.run(Q.agentCallGraph, filters, undefined), refGraph(ds, filters));
  });
  it('agentCallGraph (agentIds on either end) matches the reference', async () => {
    expectClose(await client.run(Q.agentCallGraph, filters, { agentMatch: 'either' }), refGraph(ds, filters, 'either'));
  });
  it('callsBetweenAgents matches the reference (a cycle edge, a mutual edge, a self-call; paged)', async () => {
    for (const p of [
      { source: 'a02-code', target: 'a01-support', limit: 7, offset: 3 },
      { source: "a05-o'reilly", target: 'a02-code' },
      { source: 'a03-analyst', target: 'a03-analyst', limit: 5 },
      { source: 'a06-router', target: 'a03-analyst', offset: 1 },
    ]) {
      expectClose(await client.run(Q.callsBetweenAgents, filters, p), refCalls(ds, filters, p));
    }
  });
});

describe('agent call graph', () => {
  const all = (over: Partial<UsageFilters> = {}) => defaultFilters({ agentStatuses: [], environments: [], timeRange: { preset: '90d' }, ...over });

  it('the data has a cycle, a mutual pair and a self-call', async () => {
    const g = await client.run(Q.agentCallGraph, all(), undefined);
    const has = (s: string, t: string) => g.edges.some((e) => e.source === s && e.target === t);
    expect(has('a01-support', 'a02-code') && has('a02-code', 'a01-support')).toBe(true);
    expect(has("a05-o'reilly", 'a02-code') && has('a02-code', "a05-o'reilly")).toBe(true);
    expect(has('a03-analyst', 'a03-analyst')).toBe(true);
  });

  it("agentIds of a caller only: 'called' has no edges, 'either' has its outgoing edges and its callees' full volumes", async () => {
    const f = all({ agentIds: ['a06-router'] });
    const called = await client.run(Q.agentCallGraph, f, undefined);
    expect(called.edges).toHaveLength(0);
    expect(called.nodes).toHaveLength(0);
    const either = await client.run(Q.agentCallGraph, f, { agentMatch: 'either' });
    expect(either.edges.length).toBeGreaterThan(0);
    expect(either.edges.every((e) => e.source === 'a06-router')).toBe(true);
    const full = await client.run(Q.agentCallGraph, all(), undefined);
    for (const n of either.nodes) expect(n.requests).toBe(full.nodes.find((x) => x.agentId === n.agentId)!.requests);
  });

  it("each edge's calls equal callsBetweenAgents' total, under agentIds too", async () => {
    for (const f of [all(), all({ agentIds: ['a02-code'] }), defaultFilters()]) {
      const g = await client.run(Q.agentCallGraph, f, { agentMatch: 'either' });
      for (const e of g.edges) {
        const rows = await client.run(Q.callsBetweenAgents, f, { source: e.source, target: e.target, limit: 1 });
        expect(rows[0]?.total ?? 0, `${e.source} → ${e.target}`).toBe(e.calls);
      }
    }
  });

  it('an empty range gives an empty graph and no calls', async () => {
    const f = all({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } });
    expect(await client.run(Q.agentCallGraph, f, { agentMatch: 'either' })).toEqual({ nodes: [], edges: [] });
    expect(await client.run(Q.callsBetweenAgents, f, { source: 'a06-router', target: 'a02-code' })).toEqual([]);
  });

  it('refuses bad parameters, naming them', async () => {
    await expect(client.run(Q.agentCallGraph, all(), { agentMatch: 'both' as never })).rejects.toThrow(/agentMatch/);
    await expect(client.run(Q.callsBetweenAgents, all(), { source: '', target: 'a02-code' })).rejects.toThrow(/source/);
    await expect(client.run(Q.callsBetweenAgents, all(), { source: 'a06-router' } as never)).rejects.toThrow(/target/);
    await expect(client.run(Q.callsBetweenAgents, all(), { source: 'a06-router', target: 'a02-code', limit: 0 })).rejects.toThrow(/limit/);
  });
});
