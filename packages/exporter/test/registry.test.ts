/** The actions service's registry laid over a new snapshot's agents table (issue 10: effects flow back into the data). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/index.js';
import type { RegistryRow } from '../src/registry.js';
import { runCli, cleanupTmp, tmp } from './helpers.js';
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import type { Manifest } from '@usage-analytics/queries';

const END = Date.UTC(2026, 10, 1);

function agents(out: string) {
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
  const t = tableFromIPC(readFileSync(join(out, m.tables.agents.file)));
  return new Map(
    t.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      return [
        String(o.agent_id),
        {
          ...o,
          tags: o.tags ? [...(o.tags as Iterable<string>)] : null,
          allowed_departments: o.allowed_departments ? [...(o.allowed_departments as Iterable<string>)] : null,
        },
      ];
    }),
  );
}

describe('--registry', () => {
  let base: Map<string, Record<string, unknown>>;
  let ids: string[];
  beforeAll(async () => {
    const out = tmp('reg-base');
    await runDemo({ requests: 5000, days: 20, seed: 5, end: END, outDir: out });
    base = agents(out);
    ids = [...base.keys()].sort();
  }, 120_000);
  afterAll(() => cleanupTmp());

  it('applies only rows an action changed; every other agent and column is copied as it was', async () => {
    const [a, b, c] = ids;
    const registry: RegistryRow[] = [
      { agent_id: a, status: 'deprecated', sunset_date: '2027-01-15', replacement_agent_id: b, max_requests_per_minute: null, source: 'action' },
      { agent_id: b, status: 'active', sunset_date: null, replacement_agent_id: null, max_requests_per_minute: 120, source: 'action' },
      // a snapshot-sourced row never overrides the logs
      { agent_id: c, status: 'archived', sunset_date: null, replacement_agent_id: null, max_requests_per_minute: null, source: 'snapshot' },
      { agent_id: 'agt-gone', status: 'deprecated', sunset_date: null, replacement_agent_id: null, max_requests_per_minute: null, source: 'action' },
    ];
    const out = tmp('reg');
    let report: unknown;
    await runDemo({ requests: 5000, days: 20, seed: 5, end: END, outDir: out, registry, onRegistry: (r) => (report = r) });
    expect(report).toEqual({ applied: 2, unknown: ['agt-gone'] });
    const after = agents(out);
    expect(after.size).toBe(base.size);
    expect(after.get(a)).toEqual({ ...base.get(a), agent_status: 'deprecated', deprecation_date: Date.UTC(2027, 0, 15), replacement_agent_id: b });
    expect(after.get(b)).toEqual({ ...base.get(b), agent_status: 'active', max_requests_per_minute: 120 });
    for (const id of ids.slice(2)) expect(after.get(id), id).toEqual(base.get(id));
  }, 120_000);

  it('the CLI reads it from a file and reports it; a bad registry fails before any work, naming the row and field', () => {
    const dir = tmp('reg-cli');
    const good = join(dir, 'registry.json');
    writeFileSync(
      good,
      JSON.stringify([
        { agent_id: ids[0], status: 'deprecated', sunset_date: '2027-01-15', replacement_agent_id: ids[1], max_requests_per_minute: null, source: 'action' },
      ]),
    );
    const ok = runCli([
      'demo',
      '--requests',
      '3000',
      '--days',
      '10',
      '--end',
      '2026-11-01',
      '--out',
      join(dir, 'out'),
      '--registry',
      good,
      '--precompute',
      'none',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('registry: 1 agent(s) changed by actions applied');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ agent_id: 'x', status: 'gone', source: 'action' }]));
    const r = runCli(['demo', '--requests', '3000', '--days', '10', '--out', join(dir, 'out2'), '--registry', bad]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('row 0 (x): status must be one of active, beta, deprecated, archived');
    const missing = runCli(['demo', '--requests', '3000', '--days', '10', '--out', join(dir, 'out3'), '--registry', 'http://127.0.0.1:9/v1/registry/agents']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('the actions service could not be reached');
  }, 180_000);
});
