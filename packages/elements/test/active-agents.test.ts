import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { agentPortfolio, defaultFilters, versionAdoption, type AgentPortfolio, type UsageFilters, type VersionAdoptionRow } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageActiveAgents from '../src/components/active-agents/active-agents.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDataTable from '../src/components/data-table/data-table.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageActiveAgents) => el.shadowRoot!;
const frameOf = (el: UsageActiveAgents) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageActiveAgents) => root(el).querySelector<SVGSVGElement>('svg.matrix')!;
const cells = (el: UsageActiveAgents) => [...svg(el).querySelectorAll<SVGGElement>('g.cell')];
const cell = (el: UsageActiveAgents, r: number, c: number) => svg(el).querySelector<SVGGElement>(`g.cell[data-row="${r}"][data-col="${c}"]`)!;
const tableOf = (el: UsageActiveAgents) => root(el).querySelector('usage-data-table') as UsageDataTable;
const tooltip = (el: UsageActiveAgents) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const painted = (el: UsageActiveAgents) =>
  waitUntil(() => el.layout && cells(el).length > 0 && tableOf(el)?.shadowRoot?.querySelector('tbody tr'), 'matrix did not paint', { timeout: 30_000 });
const T = Date.UTC(2026, 9, 20);

interface A {
  id: string;
  name?: string;
  status: string;
  band: string;
  requests: number;
  version?: string;
  department?: string;
  top?: string[];
}

/** An AgentPortfolio through the module's own transform. */
function portfolio(agents: A[], cuts: [number, number] | null = [10, 100]): AgentPortfolio {
  return agentPortfolio.transform(
    agents.map((a) => ({
      agent_id: a.id,
      agent_name: a.name ?? a.id,
      agent_status: a.status,
      version: a.version ?? '1.0',
      owner_team: 'team',
      department_id: a.department ?? 'engineering',
      last_deployed: T - 10 * DAY,
      deprecation: null,
      requests: a.requests,
      users: Math.ceil(a.requests / 10),
      last_ms: a.requests ? T : null,
      per_day: a.requests / 30,
      band: a.band,
      top_users: a.top ?? [],
      q1: cuts?.[0] ?? null,
      q2: cuts?.[1] ?? null,
    })),
    undefined as never,
    undefined,
  );
}

const SAMPLE = portfolio([
  { id: 'agt-a', name: 'Alpha', status: 'active', band: 'high', requests: 500, top: ['usr-1', 'usr-2'] },
  { id: 'agt-b', name: 'Beta bot', status: 'active', band: 'medium', requests: 50 },
  { id: 'agt-c', status: 'active', band: 'low', requests: 5 },
  { id: 'agt-d', status: 'beta', band: 'high', requests: 300 },
  { id: 'agt-e', status: 'deprecated', band: 'none', requests: 0 },
  { id: 'agt-f', status: 'deprecated', band: 'low', requests: 2 },
]);

function adoption(rows: { date: string; agent_id: string; agent_version: string; requests: number }[]): VersionAdoptionRow[] {
  return versionAdoption.transform(rows, undefined as never, {});
}
const VERSIONS = adoption([
  { date: '2026-10-01', agent_id: 'agt-a', agent_version: '1.9', requests: 8 },
  { date: '2026-10-01', agent_id: 'agt-a', agent_version: '2.0', requests: 2 },
  { date: '2026-10-02', agent_id: 'agt-a', agent_version: '1.9', requests: 2 },
  { date: '2026-10-02', agent_id: 'agt-a', agent_version: '2.0', requests: 8 },
  { date: '2026-10-01', agent_id: 'agt-b', agent_version: '1.0', requests: 4 },
  { date: '2026-10-02', agent_id: 'agt-b', agent_version: '1.0', requests: 4 },
]);

const answering = (p: AgentPortfolio = SAMPLE, v: VersionAdoptionRow[] = VERSIONS) => chartClient({ agentPortfolio: () => p, versionAdoption: () => v });

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 900px"><usage-active-agents .client=${client} .filters=${filters}></usage-active-agents></div>`,
  );
  const el = div.querySelector('usage-active-agents')!;
  await elementUpdated(el);
  return el;
}

describe('<usage-active-agents> with a stand-in client', () => {
  it('is accessible with data, loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering(portfolio([], null)), defaultFilters({ departments: ['sales'] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No agents are owned by the selected departments');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ agentPortfolio: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('draws statuses × intensity bands with counts and totals, and lists every agent', async () => {
    const el = await chartWith(answering());
    await painted(el);
    expect(cells(el)).to.have.length(4 * 4);
    expect([...svg(el).querySelectorAll('.row-header title')].map((t) => t.textContent)).to.deep.equal(['active', 'beta', 'deprecated', 'archived']);
    expect([...svg(el).querySelectorAll('.col-header title')].map((t) => t.textContent)).to.deep.equal(['No usage', 'Low', 'Medium', 'High']);
    expect(cell(el, 0, 3).getAttribute('aria-label')).to.equal('active × high usage: 1 agent');
    expect(cell(el, 2, 0).getAttribute('aria-label')).to.equal('deprecated × no usage: 1 agent');
    expect([...svg(el).querySelectorAll('.row-total .total-label')].map((t) => t.textContent)).to.deep.equal(['3', '1', '2', '0']);
    expect(text(root(el).querySelector('[slot="legend"]'))).to.contain('6 agents:');
    const table = tableOf(el);
    expect(table.rows).to.have.length(6);
    const first = [...table.shadowRoot!.querySelectorAll('tbody tr')][0];
    expect([...first.querySelectorAll('td')].map(text).slice(0, 6)).to.deep.equal(['Alpha', 'agt-a', 'active', '1.0', '500', '50']);
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Status,Usage intensity,Agents');
    expect(csv).to.include('beta,high,1');
  });

  it('click on a cell, a status and an agent emits the right usage-drilldown', async () => {
    const filters = defaultFilters({ environments: ['staging'] });
    const el = await chartWith(answering(), filters);
    await painted(el);
    setTimeout(() =>
      cell(el, 0, 2)
        .querySelector('rect')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })),
    );
    let ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'agent-status', status: 'active', band: 'medium', filters: { ...filters, agentStatuses: ['active'] } });
    setTimeout(() =>
      svg(el)
        .querySelector('.row-header[data-row="2"] text')!
        .dispatchEvent(new MouseEvent('click', { bubbles: true })),
    );
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.equal({ kind: 'agent-status', status: 'deprecated', filters: { ...filters, agentStatuses: ['deprecated'] } });
    const button = [...tableOf(el).shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="drill-button"]')].find((b) => text(b) === 'Beta bot')!;
    setTimeout(() => button.click());
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.equal({ kind: 'agent', agentId: 'agt-b', filters: { ...filters, agentIds: ['agt-b'] } });
    expect(filters.agentStatuses).to.deep.equal(['active']);
  });

  it('hover or focus on an agent shows requests, top users and last deployment', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const row = tableOf(el).shadowRoot!.querySelector('tbody tr')!;
    row.querySelector('td:nth-child(5)')!.dispatchEvent(new PointerEvent('pointerover', { bubbles: true, composed: true }));
    await elementUpdated(el);
    let tip = tooltip(el)!;
    expect(text(tip.querySelector('.tooltip-title'))).to.equal('Alpha');
    const rows = [...tip.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(rows).to.deep.include(['Requests', '500']);
    expect(rows).to.deep.include(['Top users', 'usr-1, usr-2']);
    expect(rows).to.deep.include(['Last deployed', 'Oct 10, 2026']);
    tableOf(el).shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="drill-button"]')[1].focus();
    await elementUpdated(el);
    tip = tooltip(el)!;
    expect(text(tip.querySelector('.tooltip-title'))).to.equal('agt-d');
  });

  it('Tab reaches the matrix; arrows move; Enter drills; Escape hides the tooltip', async () => {
    const el = await chartWith(answering());
    await painted(el);
    root(el).querySelector<HTMLButtonElement>('[part="version-button"]')!.focus();
    let guard = 0;
    while (!cell(el, 0, 0).matches(':focus') && guard++ < 10) await sendKeys({ press: 'Tab' });
    expect(cell(el, 0, 0).matches(':focus'), 'Tab did not reach the matrix').to.equal(true);
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowRight' });
    await elementUpdated(el);
    expect(cell(el, 1, 3).matches(':focus')).to.equal(true);
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal('beta × high usage');
    expect(text(tooltip(el))).to.contain('over 100 requests');
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.include({ kind: 'agent-status', status: 'beta', band: 'high' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('the version toggle shows new vs old adoption for agents with two or more versions', async () => {
    const client = answering();
    const el = await chartWith(client);
    await painted(el);
    expect(client.runs.some((r) => r.module === 'versionAdoption')).to.equal(false);
    const button = root(el).querySelector<HTMLButtonElement>('[part="version-button"]')!;
    button.click();
    await elementUpdated(el);
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    await waitUntil(() => root(el).querySelector('svg.adoption-svg path.adoption-line'), 'adoption lines did not draw');
    expect([...root(el).querySelectorAll('[part="version-select"] option')].map((o) => o.textContent)).to.deep.equal(['agt-a']);
    expect([...root(el).querySelectorAll('.versions li')].map(text)).to.deep.equal(['Old 1.9: 10 requests (50.0 %)', 'New 2.0: 10 requests (50.0 %)']);
    expect(root(el).querySelector('svg.adoption-svg')!.getAttribute('aria-label')).to.contain('version 2.0 50.0 % of the period, 80.0 % on 2026-10-02');
    expect([...root(el).querySelectorAll('path.adoption-line')].map((p) => p.getAttribute('data-version'))).to.deep.equal(['1.9', '2.0']);
    await expect(el).to.be.accessible();
  });

  it('renders hostile agent names (markup, very long, right-to-left) as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedAgents=1">';
    const rtl = 'وكيل الدعم';
    const el = await chartWith(
      answering(
        portfolio([
          { id: 'agt-x', name: hostile, status: 'active', band: 'high', requests: 50, top: [hostile] },
          { id: 'agt-y', name: rtl + 'z'.repeat(300), status: '<b>odd</b>', band: 'low', requests: 1 },
        ]),
      ),
    );
    await painted(el);
    expect(root(el).querySelector('img')).to.equal(null);
    expect(tableOf(el).shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwnedAgents?: number }).__pwnedAgents).to.equal(undefined);
    expect(text(tableOf(el).shadowRoot!.querySelector('[part="drill-button"]'))).to.equal(hostile);
    expect([...svg(el).querySelectorAll('.row-header title')].map((t) => t.textContent)).to.include('<b>odd</b>');
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

interface RegistryAgent {
  id: string;
  status: string;
  department: string;
}

async function registry(): Promise<RegistryAgent[]> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables.agents.file, new URL(SNAPSHOT, location.href)).href);
  const t = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
  const out: RegistryAgent[] = [];
  for (let i = 0; i < t.numRows; i++)
    out.push({
      id: String(t.getChild('agent_id')!.get(i)),
      status: String(t.getChild('agent_status')!.get(i)),
      department: String(t.getChild('department_id')!.get(i)),
    });
  return out;
}

function countBy<T>(xs: T[], key: (x: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return m;
}

describe('<usage-active-agents> over the real snapshot', () => {
  it('counts agents per status from the registry, their usage, and only the department’s agents under a department filter', async () => {
    const snap = await loadSnapshot();
    const agents = await registry();
    const start = snap.end - 30 * DAY;
    // Requests per agent under the default filters, the agent-status filter ignored (production, last 30 days).
    const requests = new Map<string, number>();
    for (const r of snap.requests)
      if (r.t >= start && r.t < snap.end && r.environment === 'production') requests.set(r.agent, (requests.get(r.agent) ?? 0) + 1);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-active-agents></usage-active-agents></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-active-agents')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    const statuses = ['active', 'beta', 'deprecated', 'archived'];
    const perStatus = countBy(agents, (a) => a.status);
    const nf = new Intl.NumberFormat('en-US');
    expect([...svg(el).querySelectorAll('.row-total .total-label')].map((t) => t.textContent)).to.deep.equal(
      statuses.map((s) => nf.format(perStatus.get(s) ?? 0)),
    );
    // The "no usage" column: registry agents without a request.
    const none = countBy(
      agents.filter((a) => !requests.get(a.id)),
      (a) => a.status,
    );
    statuses.forEach((s, r) => {
      const n = none.get(s) ?? 0;
      expect(cell(el, r, 0).getAttribute('aria-label'), s).to.equal(`${s} × no usage: ${nf.format(n)} ${n === 1 ? 'agent' : 'agents'}`);
    });
    // The list: every registry agent, with its request count.
    const data = el.data!;
    expect(data.agents).to.have.length(agents.length);
    const top = [...data.agents].sort((a, b) => b.requests - a.requests)[0];
    expect(top.requests).to.equal(Math.max(...requests.values()));
    const firstRow = tableOf(el).shadowRoot!.querySelector('tbody tr')!;
    expect(text(firstRow.querySelector('td[data-key="requests"]'))).to.equal(nf.format(top.requests));
    await expect(provider).to.be.accessible();
    // Filter by department: only that department's agents.
    const dept = 'support';
    provider.filters = defaultFilters({ departments: [dept] });
    const own = agents.filter((a) => a.department === dept);
    await waitUntil(() => el.data?.agents.length === own.length && !frameOf(el).busy, 'department filter', { timeout: 30_000 });
    await waitUntil(() => tableOf(el).rows.length === own.length);
    const perStatusDept = countBy(own, (a) => a.status);
    await waitUntil(
      () =>
        [...svg(el).querySelectorAll('.row-total .total-label')].map((t) => t.textContent).join() ===
        statuses.map((s) => nf.format(perStatusDept.get(s) ?? 0)).join(),
      'department totals',
      { timeout: 10_000 },
    );
  });
});
