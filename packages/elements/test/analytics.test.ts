import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ActionsClient } from '@usage-analytics/actions';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { DEFAULT_FILTERS, defaultFilters, makeContext, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import { LitElement } from 'lit';
import '../src/index.js';
import type UsageAgentDetail from '../src/components/analytics/agent-detail.component.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageFilterBar from '../src/components/filter-bar/filter-bar.component.js';
import type UsageKpiCards from '../src/components/kpi-cards/kpi-cards.component.js';
import type { UsageLevelChangeEvent } from '../src/events/usage-level-change.js';
import { define } from '../src/internal/usage-element.js';
import { sendKeys } from './helpers/commands.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import { deepActiveElement } from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type UsageTopUsers from '../src/components/top-users/top-users.component.js';
import type { TimeBucketDrilldown, UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import { CHART_SLOTS } from '../src/components/analytics/chart-slots.js';
import { renamedSnapshot } from './helpers/hostile-snapshot.js';
import { loadSnapshot } from './helpers/snapshot.js';

const SNAPSHOT = '/.data/test-snapshot/manifest.json';
const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const LONG = { timeout: 60_000, interval: 50 };

// ---- independent counts from the snapshot's Arrow files ------------------------------------

interface Data {
  end: number;
  requests: Table;
  activeAgents: Set<string>;
  tsDivisor: number;
}
let data: Promise<Data> | undefined;

function loadData(): Promise<Data> {
  data ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const table = async (name: string) => tableFromIPC(new Uint8Array(await (await fetch(new URL(manifest.tables[name].file, base))).arrayBuffer()));
    const [requests, agents] = await Promise.all([table('requests'), table('agents')]);
    const activeAgents = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(agents.getChild('agent_status')!.get(i)) === 'active') activeAgents.add(String(agents.getChild('agent_id')!.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    return { end: Date.parse(manifest.time_range.end), requests, activeAgents, tsDivisor: /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1 };
  })();
  return data;
}

/** Production requests in the last `days` days, by default only of active agents. */
async function countRequests({ days = 30, department, agent }: { days?: number; department?: string; agent?: string } = {}) {
  const { end, requests, activeAgents, tsDivisor } = await loadData();
  const start = end - days * 86_400_000;
  const col = (n: string) => requests.getChild(n)!;
  const [ts, env, dept, ag] = [col('ts'), col('environment'), col('department_id'), col('agent_id')];
  let n = 0;
  const byAgent = new Map<string, number>();
  const byDept = new Map<string, number>();
  for (let i = 0; i < requests.numRows; i++) {
    if (env.get(i) !== 'production') continue;
    const a = String(ag.get(i));
    if (agent ? a !== agent : !activeAgents.has(a)) continue;
    const v = ts.get(i) as unknown;
    const t = typeof v === 'bigint' ? Number(v) / tsDivisor : Number(v);
    if (t < start || t >= end) continue;
    const d = String(dept.get(i));
    if (department && d !== department) continue;
    n++;
    byAgent.set(a, (byAgent.get(a) ?? 0) + 1);
    byDept.set(d, (byDept.get(d) ?? 0) + 1);
  }
  return { n, byAgent, byDept };
}

/** Distinct production users of `agent` before the end, and those whose first such request is in the last `days` days. */
async function agentUsers(agent: string, days: number) {
  const { end, requests, tsDivisor } = await loadData();
  const start = end - days * 86_400_000;
  const col = (n: string) => requests.getChild(n)!;
  const [ts, env, ag, user] = [col('ts'), col('environment'), col('agent_id'), col('user_id')];
  const first = new Map<string, number>();
  for (let i = 0; i < requests.numRows; i++) {
    if (env.get(i) !== 'production' || String(ag.get(i)) !== agent) continue;
    const v = ts.get(i) as unknown;
    const t = typeof v === 'bigint' ? Number(v) / tsDivisor : Number(v);
    if (t >= end) continue;
    const u = String(user.get(i));
    first.set(u, Math.min(first.get(u) ?? Infinity, t));
  }
  return { total: first.size, fresh: [...first.values()].filter((t) => t >= start).length };
}

// ---- helpers -------------------------------------------------------------------------------

let shared: Promise<UsageDataClient> | undefined;
/** One DuckDB-WASM client over the test snapshot for the tests that do not exercise `src`. */
const sharedClient = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

const inner = <T extends Element>(el: UsageAnalytics, sel: string) => el.shadowRoot!.querySelector<T>(sel)!;
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const kpis = (el: UsageAnalytics) => inner<UsageKpiCards>(el, 'usage-kpi-cards');
const bar = (el: UsageAnalytics) => inner<UsageFilterBar>(el, 'usage-filter-bar');
const fmt = (n: number) => new Intl.NumberFormat('en-US').format(n);

/** The Total API Calls card once it shows fresh figures. */
async function totalCalls(cards: UsageKpiCards, expected: number) {
  await waitUntil(
    () => {
      const base = cards.shadowRoot?.querySelector('[part="base"]');
      const value = cards.shadowRoot?.querySelector<HTMLElement>('[data-metric="totalCalls"] [part="value"]');
      return base?.getAttribute('aria-busy') === 'false' && value?.title === fmt(expected);
    },
    `Total API Calls did not become ${fmt(expected)}`,
    LONG,
  );
}

async function tab(opts: { query?: string; src?: boolean; noUrl?: boolean; charts?: UsageAnalytics['charts']; client?: UsageDataClient } = {}) {
  if (opts.query !== undefined) history.replaceState(null, '', `${location.pathname}${location.search}${opts.query}`);
  const client = opts.src ? undefined : (opts.client ?? (await sharedClient()));
  const el = await fixture<UsageAnalytics>(
    opts.src
      ? html`<usage-analytics src=${SNAPSHOT} bundle-base=${BUNDLES}></usage-analytics>`
      : html`<usage-analytics .client=${client} ?no-url-state=${!!opts.noUrl} .charts=${opts.charts ?? []}></usage-analytics>`,
  );
  // A link is checked against the snapshot before the view shows.
  await waitUntil(() => !el.shadowRoot!.querySelector('[part="link-status"]'), 'the link was not checked', LONG);
  return el;
}

/**
 * The shared client behind a proxy that records the filters of every query and first-paint lookup,
 * so a test can check that none of them was invalid (an unknown value, a range the queries refuse).
 */
async function spiedClient(): Promise<{ client: UsageDataClient; seen: UsageFilters[]; invalid: () => Promise<string[]> }> {
  const real = await sharedClient();
  const seen: UsageFilters[] = [];
  const client = new Proxy(real, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop === 'run' || prop === 'precomputed') {
        return (module: unknown, filters: UsageFilters, ...rest: unknown[]) => {
          seen.push(filters);
          return (value as (...a: unknown[]) => unknown).call(target, module, filters, ...rest);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const invalid = async () => {
    const dims = await real.dimensions();
    const bad: string[] = [];
    for (const f of seen) {
      try {
        makeContext(f, real.anchor, real.dataStart, dims);
      } catch (e) {
        bad.push((e as Error).message);
      }
    }
    return bad;
  };
  return { client, seen, invalid };
}

/** Every element of the tab (through shadow roots) that shows an error. */
function errorsIn(root: Element | ShadowRoot): string[] {
  const out: string[] = [];
  const visit = (node: Element | ShadowRoot) => {
    for (const el of node.querySelectorAll('*')) {
      if (el.matches('[part="error"], [role="alert"]') && text(el)) out.push(text(el));
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(root);
  return out;
}

/** Counts history.pushState calls while the test runs (restore() puts the original back). */
function countPushes() {
  const orig = history.pushState;
  const counter = { n: 0, restore: () => void (history.pushState = orig) };
  history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    counter.n++;
    return orig.apply(this, args);
  };
  return counter;
}

/** The most two lines of `el`'s text can measure (line-height "normal" is about 1.2 × the font size). */
const twoLines = (el: Element) => 2 * 1.5 * parseFloat(getComputedStyle(el).fontSize);
const noticeOf = (el: UsageAnalytics) => el.shadowRoot!.querySelectorAll('[part="notice"]');

async function chooseDepartment(el: UsageAnalytics, department: string) {
  const fb = bar(el);
  fb.shadowRoot!.querySelector<HTMLElement>('#departments-trigger')!.click();
  await waitUntil(
    () => [...fb.shadowRoot!.querySelectorAll('#departments-listbox [role="option"]')].some((o) => text(o) === department),
    'departments did not load',
    LONG,
  );
  [...fb.shadowRoot!.querySelectorAll<HTMLElement>('#departments-listbox [role="option"]')].find((o) => text(o) === department)!.click();
}

describe('<usage-analytics>', () => {
  const start = location.href;
  afterEach(() => history.replaceState(null, '', start));

  it('renders provider, filter bar and KPI cards with the default view’s real numbers (src), and is accessible', async () => {
    const { n } = await countRequests();
    const el = await tab({ src: true });
    expect(inner(el, 'usage-provider')).to.exist;
    expect(bar(el)).to.exist;
    await totalCalls(kpis(el), n);
    expect(text(inner(el, '[part="level"]'))).to.equal('Level 1 Fleet view: the whole organisation');
    expect(inner(el, '[part="breadcrumb"] [aria-current="page"]').textContent).to.equal('Fleet');
    expect(location.href, 'the default view writes nothing to the URL').to.equal(start);
    await expect(el).to.be.accessible();
  });

  it('updates the KPI cards to a chosen department’s count, records it in the URL, and Back restores the previous filters', async () => {
    const all = await countRequests();
    const department = [...all.byDept.entries()].sort((a, b) => b[1] - a[1])[1][0];
    const { n } = await countRequests({ department });
    const el = await tab();
    await totalCalls(kpis(el), all.n);

    // Count pushState calls: history.length is capped at 50 by Chromium, so it cannot count entries in a long run.
    const orig = history.pushState;
    let pushes = 0;
    history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
      pushes++;
      return orig.apply(this, args);
    };
    await chooseDepartment(el, department);
    await totalCalls(kpis(el), n);
    expect(pushes).to.equal(1);
    expect(new URLSearchParams(location.search).get('d')).to.equal(department);
    expect(location.search).to.contain('wtr-session-id=');
    expect(el.filters).to.deep.equal(defaultFilters({ departments: [department] }));
    expect(text(inner(el, '[part="level"]'))).to.equal('Level 2 Filtered subset (1 filter)');

    const pop = oneEvent(window, 'popstate');
    history.back();
    await pop;
    await elementUpdated(el);
    expect(el.filters).to.deep.equal(DEFAULT_FILTERS);
    expect(inner<HTMLElement & { filters: unknown }>(el, 'usage-provider').filters).to.deep.equal(DEFAULT_FILTERS);
    await totalCalls(kpis(el), all.n);
    expect(pushes, 'restoring did not write a new entry').to.equal(1);
    history.pushState = orig;
    expect(text(bar(el).shadowRoot!.querySelector('#departments-value'))).to.equal('All');
  });

  it('opens the view a link describes: filters and level 3 from the URL, with the agent’s real request count', async () => {
    const week = await countRequests({ days: 7 });
    const agent = [...week.byAgent.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
    const { n } = await countRequests({ days: 7, agent });
    const el = await tab({ query: `&t=7d&level=agent:${agent}` });
    expect(el.level).to.deep.equal({ kind: 'agent', agentId: agent });
    expect(el.filters.timeRange).to.deep.equal({ preset: '7d' });
    expect(text(inner(el, '[part="level"]'))).to.equal(`Level 3 Agent detail: ${agent}`);
    const detail = inner<UsageAgentDetail>(el, 'usage-agent-detail');
    const table = (id: string) => detail.shadowRoot!.querySelector(`[data-table="${id}"]`);
    await waitUntil(() => table('daily') && table('clients') && table('log'), 'agent detail tables did not render', LONG);
    const daily = [...table('daily')!.querySelectorAll('tbody tr')].map((tr) => Number(tr.children[1].textContent!.replace(/,/g, '')));
    expect(daily.reduce((s, v) => s + v, 0)).to.equal(n);
    expect(text(table('log')!.querySelector('caption'))).to.equal(`Showing ${Math.min(25, n)} of ${fmt(n)} requests`);
    const clientRequests = [...table('clients')!.querySelectorAll('tbody tr')].map((tr) => Number(tr.children[1].textContent!.replace(/,/g, '')));
    expect(clientRequests.reduce((s, v) => s + v, 0)).to.equal(n);
    await totalCalls(kpis(el), n);

    // Adoption: every user of the agent before the end, and the first-time users of the week.
    const users = await agentUsers(agent, 7);
    await waitUntil(() => detail.shadowRoot!.querySelector('[data-section="adoption"] .summary'), 'adoption did not render', LONG);
    const adoption = text(detail.shadowRoot!.querySelector('[data-section="adoption"] .summary'));
    expect(adoption).to.match(new RegExp(`^${fmt(users.total)} users have used this agent`));
    expect(adoption).to.contain(`${fmt(users.total - users.fresh)} before`);
    expect(adoption).to.contain(`${fmt(users.fresh)} new since`);
    const freshRows = [...table('adoption')!.querySelectorAll('tbody tr')].map((tr) => Number(tr.children[1].textContent!.replace(/,/g, '')));
    expect(freshRows.reduce((s, v) => s + v, 0)).to.equal(users.fresh);
    // The agent's own top users and retention cohorts, under the agent's filters.
    // Also its adoption by version (the chart keyed by agent-id), its calls per user and when it is used (issue 8).
    const agentCharts = [...el.shadowRoot!.querySelectorAll('.agent-charts [part="chart"]')] as (UsageTopUsers & { filters?: { agentIds: string[] } })[];
    expect(agentCharts.map((c) => c.localName)).to.deep.equal([
      'usage-top-users',
      'usage-adoption-curve',
      'usage-retention-cohorts',
      'usage-calls-per-user',
      'usage-forecast',
      'usage-time-heatmap',
      'usage-journey-sankey',
      'usage-dependency-graph',
      'usage-geo-map',
    ]);
    for (const c of agentCharts) {
      if (c.localName === 'usage-adoption-curve') expect(c.getAttribute('agent-id')).to.equal(agent);
      else if (c.localName === 'usage-forecast') expect([c.getAttribute('scope'), c.getAttribute('scope-key')]).to.deep.equal(['agent', agent]);
      else expect(c.filters?.agentIds).to.deep.equal([agent]);
    }
    await Promise.all(agentCharts.map((c) => c.settled()));
    await expect(el).to.be.accessible();

    // A user of the log opens their journey in the drill-down panel.
    const userButton = table('log')!.querySelector<HTMLButtonElement>('[part="user-button"]')!;
    const drill = oneEvent(el, 'usage-drilldown');
    userButton.click();
    const ev = (await drill) as UsageDrilldownEvent;
    expect(ev.detail).to.include({ kind: 'user', userId: text(userButton) });
    const panel = inner<UsageDrilldownPanel>(el, 'usage-drilldown-panel');
    await waitUntil(() => panel.open, 'the journey panel did not open', LONG);
    panel.close();

    // Show more pages the log.
    if (n > 25) {
      detail.shadowRoot!.querySelector<HTMLElement>('[part="more-button"]')!.click();
      await waitUntil(() => table('log')!.querySelectorAll('tbody tr').length === Math.min(50, n), 'the log did not page', LONG);
    }
    // Back (the button) goes to the fleet and records it.
    inner<HTMLElement>(el, '[part="back-button"]').click();
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'fleet' });
    expect(location.search).not.to.contain('level=');
    expect(location.search).to.contain('t=7d');
  });

  it('handles an agent drill-down from inside (level 3, URL, event) unless a listener prevents it; Back returns', async () => {
    const el = await tab();
    await waitUntil(() => el.shadowRoot!.querySelector('usage-kpi-cards'));
    const source = kpis(el);
    const levels: unknown[] = [];
    el.addEventListener('usage-level-change', (e) => levels.push((e as UsageLevelChangeEvent).detail.level));

    const veto = (e: Event) => e.preventDefault();
    document.addEventListener('usage-drilldown', veto);
    source.dispatchEvent(
      new CustomEvent('usage-drilldown', { detail: { kind: 'agent', agentId: 'agt-code-assistant' }, bubbles: true, composed: true, cancelable: true }),
    );
    await Promise.resolve();
    await elementUpdated(el);
    expect(el.level.kind, 'a prevented drill-down is left to the host').to.equal('fleet');
    document.removeEventListener('usage-drilldown', veto);

    source.dispatchEvent(
      new CustomEvent('usage-drilldown', { detail: { kind: 'agent', agentId: 'agt-code-assistant' }, bubbles: true, composed: true, cancelable: true }),
    );
    await Promise.resolve();
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'agent', agentId: 'agt-code-assistant' });
    expect(levels).to.deep.equal([{ kind: 'agent', agentId: 'agt-code-assistant' }]);
    expect(new URLSearchParams(location.search).get('level')).to.equal('agent:agt-code-assistant');
    expect(inner(el, 'usage-agent-detail').getAttribute('agent-id')).to.equal('agt-code-assistant');
    expect([...el.shadowRoot!.querySelectorAll('[part="breadcrumb"] li')].map(text)).to.deep.equal(['Fleet', 'Agent agt-code-assistant']);

    const pop = oneEvent(window, 'popstate');
    history.back();
    await pop;
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'fleet' });
    expect(el.shadowRoot!.querySelector('usage-agent-detail')).to.equal(null);
    expect(levels.at(-1)).to.deep.equal({ kind: 'fleet' });
  });

  it('narrows to a department on a department drill-down (a filtered subset, in the URL)', async () => {
    const el = await tab();
    await waitUntil(() => el.shadowRoot!.querySelector('usage-kpi-cards'));
    kpis(el).dispatchEvent(
      new CustomEvent('usage-drilldown', {
        detail: { kind: 'department', department: 'support', filters: defaultFilters() },
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await Promise.resolve();
    await elementUpdated(el);
    expect(el.filters.departments).to.deep.equal(['support']);
    expect(new URLSearchParams(location.search).get('d')).to.equal('support');
    expect(el.level.kind).to.equal('fleet');
  });

  it('shows the provider’s load error (role=alert, code, Retry) when the snapshot is missing', async () => {
    const el = await fixture<UsageAnalytics>(
      html`<usage-analytics src="/packages/elements/test/fixtures/does-not-exist/manifest.json" bundle-base=${BUNDLES} no-url-state></usage-analytics>`,
    );
    const provider = inner<HTMLElement>(el, 'usage-provider');
    await waitUntil(() => provider.shadowRoot?.querySelector('[part="error"]'), 'no load error', LONG);
    expect(text(provider.shadowRoot!.querySelector('[part="error-code"]'))).to.equal('fetch_failed');
    await waitUntil(() => kpis(el).shadowRoot?.querySelector('[part="error"]'), 'the cards did not say why they are empty');
    await expect(el).to.be.accessible();
  });

  it('compares departments (level 2): a KPI row per department, a breadcrumb back to the fleet', async () => {
    const all = await countRequests();
    const [a, b] = [...all.byDept.entries()].sort((x, y) => y[1] - x[1]).map(([d]) => d);
    const [na, nb] = [(await countRequests({ department: a })).n, (await countRequests({ department: b })).n];
    const el = await tab();
    const select = inner<HTMLSelectElement>(el, '[part="compare-select"]');
    select.value = 'department';
    select.dispatchEvent(new Event('change'));
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'compare', by: 'department' });
    expect(text(inner(el, '[part="level-hint"]'))).to.equal('Choose 2–5 departments in the filter bar to compare them.');
    expect(new URLSearchParams(location.search).get('level')).to.equal('compare');

    await chooseDepartment(el, a);
    await chooseDepartment(el, b);
    await elementUpdated(el);
    expect(text(inner(el, '[part="level"]'))).to.equal(`Level 2 Comparing departments: ${a} vs ${b}`);
    const rows = [...el.shadowRoot!.querySelectorAll<UsageKpiCards>('[part="compare"] usage-kpi-cards')];
    expect(rows.map((r) => r.label)).to.deep.equal([`KPIs: ${a}`, `KPIs: ${b}`]);
    await totalCalls(rows[0], na);
    await totalCalls(rows[1], nb);
    await totalCalls(kpis(el), na + nb);
    expect(new URLSearchParams(location.search).get('d')).to.equal(`${a},${b}`);
    await expect(el).to.be.accessible();

    const six = [...all.byDept.keys()].slice(0, 6);
    el.filters = defaultFilters({ departments: six });
    await elementUpdated(el);
    expect(text(inner(el, '[part="level-hint"]'))).to.equal('Only the first 5 of the 6 selected departments are compared.');
    expect(el.shadowRoot!.querySelectorAll('[part="compare"] usage-kpi-cards')).to.have.length(5);
    el.filters = defaultFilters({ departments: [a, b] });
    await elementUpdated(el);

    inner<HTMLElement>(el, '[part="breadcrumb"] button').click();
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'fleet' });
    expect(el.filters.departments, 'the fleet keeps the filters').to.deep.equal([a, b]);
  });

  it('compares production with staging: choosing Environments selects both', async () => {
    const el = await tab();
    const select = inner<HTMLSelectElement>(el, '[part="compare-select"]');
    select.value = 'environment';
    select.dispatchEvent(new Event('change'));
    await elementUpdated(el);
    expect(el.filters.environments).to.deep.equal(['production', 'staging']);
    expect(el.level).to.deep.equal({ kind: 'compare', by: 'environment' });
    const q = new URLSearchParams(location.search);
    expect([q.get('env'), q.get('level'), q.get('by')]).to.deep.equal(['production,staging', 'compare', 'environment']);
    expect([...el.shadowRoot!.querySelectorAll<UsageKpiCards>('[part="compare"] usage-kpi-cards')].map((r) => r.label)).to.deep.equal([
      'KPIs: production',
      'KPIs: staging',
    ]);
  });

  it('compares agent versions: the two most used by default, with their calls', async () => {
    const el = await tab();
    const select = inner<HTMLSelectElement>(el, '[part="compare-select"]');
    select.value = 'agent_version';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => el.level.kind === 'compare' && el.level.values?.length === 2, 'versions were not chosen', LONG);
    await elementUpdated(el);
    const rows = [...el.shadowRoot!.querySelectorAll('.version-table tbody tr')].map((tr) => text(tr.children[0]));
    expect(rows).to.deep.equal((el.level as { values: string[] }).values);
    expect(new URLSearchParams(location.search).get('cv')).to.equal(rows.join(','));
    await expect(el).to.be.accessible();
  });

  it('the filter bar’s compare hint switches to the comparison', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}&d=engineering,support`);
    const el = await tab();
    const fb = bar(el);
    fb.shadowRoot!.querySelector<HTMLElement>('#departments-trigger')!.click();
    await elementUpdated(fb);
    fb.shadowRoot!.querySelector<HTMLElement>('[part="compare-hint"]')!.click();
    await elementUpdated(el);
    expect(el.level).to.deep.equal({ kind: 'compare', by: 'department' });
  });

  it('with no-url-state, neither reads nor writes the URL', async () => {
    const el = await tab({ query: '&t=7d', noUrl: true });
    expect(el.filters.timeRange).to.deep.equal({ preset: '30d' });
    const at = location.href;
    await chooseDepartment(el, 'engineering');
    await elementUpdated(el);
    expect(el.filters.departments).to.deep.equal(['engineering']);
    expect(location.href).to.equal(at);
  });

  it('renders hostile strings from a link as inert text, and says which values were ignored', async () => {
    const evil = '<img src=x onerror="window.__pwned=1">';
    const rtl = 'סוכן\u202Eevil';
    const long = 'y'.repeat(3000);
    const el = await tab({ query: `&d=${encodeURIComponent(evil)},${encodeURIComponent(long)}&s=bogus&level=agent:${encodeURIComponent(rtl)}` });
    // An agent the snapshot lacks: the fleet is shown (issue 7 B8; it used to stay at level 3 with errors).
    expect(el.level).to.deep.equal({ kind: 'fleet' });
    const notice = text(inner(el, '[part="notice"]'));
    expect(notice).to.contain('not in this snapshot');
    expect(notice).to.contain('"bogus"');
    // Values are quoted as text (clipped in the summary); the markup stays inert.
    expect(notice).to.contain('"<img src=x onerror=');
    expect(notice).to.contain(JSON.stringify(rtl));
    expect(el.filters.departments, 'unknown departments are dropped').to.deep.equal([]);
    expect(new URLSearchParams(location.search).has('d')).to.equal(false);
    expect(new URLSearchParams(location.search).has('level')).to.equal(false);
    const all = [el.shadowRoot!, bar(el).shadowRoot!];
    for (const r of all) expect(r.querySelector('img, script')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    el.style.width = '500px';
    await elementUpdated(el);
    expect(inner<HTMLElement>(el, '.tab').scrollWidth).to.be.at.most(500);
    await expect(el).to.be.accessible();
  });

  it('renders a chart slot only once its tag is registered, lays charts out one column when narrow, and takes host charts in the charts slot', async () => {
    const tag = `usage-test-chart-${Math.random().toString(36).slice(2)}`;
    const el = await tab({
      charts: [
        { id: 't1', tag, title: 'Test chart', wide: false },
        { id: 't2', tag: 'usage-kpi-cards', title: 'KPIs again' },
        { id: 'bad', tag: 'not a tag<script>', title: 'Invalid' },
      ],
    });
    const slots = () => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part="chart-slot"]')].map((s) => s.dataset.chart);
    expect(slots()).to.deep.equal(['t2']);
    define(tag, class extends LitElement {});
    await waitUntil(() => slots().length === 2, 'the slot did not appear once defined');
    expect(slots()).to.deep.equal(['t1', 't2']);

    const hosted = document.createElement('usage-kpi-cards');
    hosted.slot = 'charts';
    hosted.label = 'Hosted KPIs';
    el.append(hosted);
    await waitUntil(
      () => hosted.shadowRoot?.querySelector('[data-metric="totalCalls"] [part="value"]'),
      'a slotted chart did not get the provider’s client',
      LONG,
    );

    const grid = inner<HTMLElement>(el, '[part="grid"]');
    const columns = () => getComputedStyle(grid).gridTemplateColumns.split(' ').length;
    el.style.display = 'block';
    el.style.width = '400px';
    await elementUpdated(el);
    expect(columns()).to.equal(1);
    el.style.width = '1200px';
    await elementUpdated(el);
    expect(columns()).to.equal(2);
  });

  it('skip links: the first Tab shows "Skip to filters"; arrows choose a section, Enter moves focus there (filters, key figures, charts, each chart)', async () => {
    const el = await tab({ charts: CHART_SLOTS.filter((c) => c.id === '2.2' || c.id === '2.4') });
    await waitUntil(() => kpis(el).shadowRoot?.querySelector('[data-metric="totalCalls"]'), 'cards', LONG);
    const sr = el.shadowRoot!;
    const nav = sr.querySelector<HTMLElement>('[part="skip-links"]')!;
    const links = [...nav.querySelectorAll<HTMLAnchorElement>('[part="skip-link"]')];
    const names = links.map((a) => text(a));
    expect(names.slice(0, 3)).to.deep.equal(['Skip to filters', 'Skip to key figures', 'Skip to charts']);
    const slots = [...sr.querySelectorAll<HTMLElement>('[part="chart-slot"]')];
    expect(slots.map((s) => s.dataset.chart)).to.deep.equal(['2.2', '2.4']);
    expect(names.slice(3)).to.deep.equal(slots.map((s) => `Skip to ${s.getAttribute('aria-label')}`));
    expect(links.filter((a) => a.tabIndex === 0)).to.have.length(1);
    expect(nav.getBoundingClientRect().width, 'hidden until focused').to.be.at.most(1);
    const before = document.createElement('button');
    document.body.prepend(before);
    const deep = () => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      return a;
    };
    try {
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(deep()).to.equal(links[0]);
      expect(links[0].getBoundingClientRect().width, 'shown when focused').to.be.greaterThan(20);
      await sendKeys({ press: 'ArrowRight' });
      expect(deep()).to.equal(links[1]);
      const url = location.href;
      await sendKeys({ press: 'Enter' });
      const kpiRegion = sr.querySelector<HTMLElement>('#skip-kpis')!;
      expect(deep()).to.equal(kpiRegion);
      expect(kpiRegion.getAttribute('aria-label')).to.equal('Key figures');
      expect(location.href, 'the URL is left alone').to.equal(url);
      await sendKeys({ press: 'Tab' });
      expect(deep()?.getAttribute('part')).to.equal('card');
      // The last link goes to the last chart's slot; Tab then enters that chart.
      links.at(-1)!.focus();
      await sendKeys({ press: 'Enter' });
      expect(deep()).to.equal(slots.at(-1));
      await sendKeys({ press: 'Tab' });
      let n: Node | null = deep();
      while (n && n !== slots.at(-1)) n = n.parentNode ?? (n as ShadowRoot).host ?? null;
      expect(n, 'focus went into the last chart').to.equal(slots.at(-1));
      expect(nav.getBoundingClientRect().width, 'hidden again').to.be.at.most(1);
    } finally {
      before.remove();
    }
  });

  it('lets Tab reach the compare selector, every filter control and the KPI cards', async () => {
    const el = await tab();
    await waitUntil(() => kpis(el).shadowRoot?.querySelector('[data-metric="totalCalls"]'), 'cards', LONG);
    const before = document.createElement('button');
    document.body.prepend(before);
    try {
      before.focus();
      const reached: string[] = [];
      const now = () => {
        let a: Element | null = document.activeElement;
        while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
        return a?.getAttribute('part') ?? a?.getAttribute('name') ?? a?.id ?? '?';
      };
      for (let i = 0; i < 11; i++) {
        await sendKeys({ press: 'Tab' });
        reached.push(now());
      }
      // The KPI cards are one stop (roving tabindex): the arrow keys reach the other three.
      for (let i = 0; i < 3; i++) {
        await sendKeys({ press: 'ArrowRight' });
        reached.push(now());
      }
      const trigger = 'filter-trigger';
      expect(reached).to.deep.equal([
        'skip-link',
        'compare-select',
        'time',
        trigger,
        trigger,
        trigger,
        trigger,
        trigger,
        trigger,
        'more-button',
        'card',
        'card',
        'card',
        'card',
      ]);
    } finally {
      before.remove();
    }
  });
});

describe('<usage-agent-detail>', () => {
  it('shows each section’s error with a Retry that runs the query again', async () => {
    let calls = 0;
    const client = {
      run: async () => {
        calls++;
        throw Object.assign(new Error('<b>query failed</b>'), { code: 'query_failed' });
      },
      precomputed: () => undefined,
    };
    const el = await fixture<UsageAgentDetail>(html`<usage-agent-detail agent-id="agt-1" .client=${client} .filters=${defaultFilters()}></usage-agent-detail>`);
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[part="error"]').length === 4, 'errors did not show');
    const first = el.shadowRoot!.querySelector('[part="error"]')!;
    expect(first.getAttribute('role')).to.equal('alert');
    expect(text(first.querySelector('.error-message'))).to.equal('<b>query failed</b>');
    expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    await expect(el).to.be.accessible();
    const before = calls;
    first.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitUntil(() => calls === before + 1);
  });

  it('says so when no agent is set', async () => {
    const el = await fixture<UsageAgentDetail>(html`<usage-agent-detail></usage-agent-detail>`);
    expect(text(el.shadowRoot!.querySelector('[part="empty"]'))).to.equal('No agent selected.');
  });
});

describe('<usage-analytics> drill-down panel', () => {
  const start = location.href;
  afterEach(() => history.replaceState(null, '', start));
  const panelOf = (el: UsageAnalytics) => inner<UsageDrilldownPanel>(el, 'usage-drilldown-panel');

  it('opens the panel with exactly the requests of a time bucket (Enter on 2.1), Escape closes it and focus returns to the chart', async () => {
    const el = await tab({ noUrl: true, charts: [{ id: '2.1', tag: 'usage-api-calls', title: 'Total API Calls', wide: true }] });
    await waitUntil(() => el.shadowRoot!.querySelector('usage-api-calls'), 'no chart');
    const chart = inner<UsageApiCalls>(el, 'usage-api-calls');
    await waitUntil(() => chart.layout && chart.shadowRoot!.querySelector('.plot'), 'the chart did not paint', LONG);
    const plot = chart.shadowRoot!.querySelector<HTMLElement>('.plot')!;
    plot.focus();
    const seen = oneEvent(el, 'usage-drilldown');
    await sendKeys({ press: 'ArrowLeft' });
    await sendKeys({ press: 'Enter' });
    const detail = ((await seen) as UsageDrilldownEvent).detail as TimeBucketDrilldown;
    expect(detail.kind).to.equal('time-bucket');
    const panel = panelOf(el);
    await waitUntil(() => panel.open && panel.rows !== undefined, 'the panel did not open', LONG);
    // Independent count: production requests of active agents in [bucketStart, bucketEnd).
    const snap = await loadSnapshot();
    const [b0, b1] = [Date.parse(detail.bucketStart), Date.parse(detail.bucketEnd)];
    const want = snap.requests.filter(
      (r) =>
        r.t >= b0 && r.t < b1 && r.environment === 'production' && snap.activeAgents.has(r.agent) && (!detail.department || r.department === detail.department),
    ).length;
    expect(want).to.be.greaterThan(0);
    expect(panel.total).to.equal(want);
    expect(panel.rows!.length).to.equal(Math.min(50, want));
    await elementUpdated(panel);
    const dialog = panel.shadowRoot!.querySelector('dialog')!;
    expect([dialog.open, dialog.getAttribute('role'), dialog.getAttribute('aria-modal')]).to.deep.equal([true, 'dialog', 'true']);
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await elementUpdated(panel);
    expect(panel.open).to.equal(false);
    expect(deepActiveElement()).to.equal(plot);
  });

  it('opens a user journey from 2.7 Top Users unless the host prevents the drill-down; focus returns to the user cell', async () => {
    const el = await tab({ noUrl: true, charts: [{ id: '2.7', tag: 'usage-top-users', title: 'Top Users', wide: true }] });
    await waitUntil(() => el.shadowRoot!.querySelector('usage-top-users'), 'no top users (is the tag registered?)');
    const top = inner<UsageTopUsers>(el, 'usage-top-users');
    await waitUntil(() => top.table?.shadowRoot?.querySelector('button.drill'), 'no rows', LONG);
    const userButton = () => top.table!.shadowRoot!.querySelector<HTMLButtonElement>('td[data-key="userId"] button')!;
    const panel = panelOf(el);

    const veto = (e: Event) => e.preventDefault();
    document.addEventListener('usage-drilldown', veto);
    userButton().click();
    await Promise.resolve();
    await elementUpdated(el);
    expect(panel.open, 'a prevented drill-down is left to the host').to.equal(false);
    document.removeEventListener('usage-drilldown', veto);

    userButton().focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => panel.open && panel.rows !== undefined, 'the journey did not open', LONG);
    const first = top.data![0];
    expect(panel.detail).to.deep.include({ kind: 'user', userId: first.userId });
    expect(panel.total).to.equal(first.calls);
    await elementUpdated(panel);
    expect(panel.shadowRoot!.querySelectorAll('[part="session"]').length).to.be.greaterThan(0);
    expect(el.level.kind, 'a user drill-down stays at the fleet level').to.equal('fleet');
    await sendKeys({ press: 'Escape' });
    await elementUpdated(panel);
    expect(panel.open).to.equal(false);
    expect(deepActiveElement()).to.equal(userButton());

    // A department cell narrows the filters (one dispatch point).
    top.table!.shadowRoot!.querySelector<HTMLButtonElement>('td[data-key="departmentId"] button')!.click();
    await Promise.resolve();
    await elementUpdated(el);
    expect(el.filters.departments).to.deep.equal([first.departmentId]);
  });

  it('opens the users of a segment and of a cohort cell; "Save as segment" bubbles out of the tab', async () => {
    const el = await tab({ noUrl: true });
    await waitUntil(() => el.shadowRoot!.querySelector('usage-kpi-cards'));
    const panel = panelOf(el);
    kpis(el).dispatchEvent(
      new CustomEvent('usage-drilldown', {
        detail: { kind: 'segment', segment: 'power', filters: defaultFilters() },
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await waitUntil(() => panel.open && panel.rows !== undefined, 'the segment did not open', LONG);
    expect(panel.total).to.be.greaterThan(0);
    await elementUpdated(panel);
    setTimeout(() => panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!.click());
    const saved = (await oneEvent(el, 'usage-request-save-segment')) as CustomEvent<{ filters: { userSegments: string[] } }>;
    expect(saved.detail.filters.userSegments).to.deep.equal(['power']);
    panel.close();
  });
});

describe('<usage-analytics> a link the snapshot cannot show (issue 7 B8)', () => {
  const start = location.href;
  let pushes: ReturnType<typeof countPushes>;
  beforeEach(() => {
    pushes = countPushes();
  });
  afterEach(() => {
    pushes.restore();
    history.replaceState(null, '', start);
  });
  const params = () => new URLSearchParams(location.search);

  it('cleans unknown departments, intents and agents once, before any chart queries: one notice, the URL rewritten in place', async () => {
    const snap = await loadSnapshot();
    const known = snap.departments[1];
    const spy = await spiedClient();
    const el = await tab({
      client: spy.client,
      charts: CHART_SLOTS,
      query: `&t=7d&d=${known},no-such-dept,${encodeURIComponent('<b>x</b>')}&i=no-such-intent&a=agt-nope`,
    });
    await el.settled();
    expect(el.filters).to.deep.equal(defaultFilters({ timeRange: { preset: '7d' }, departments: [known] }));
    expect(await spy.invalid(), 'a query ran with filters the snapshot refuses').to.deep.equal([]);
    expect(spy.seen.length, 'the charts queried').to.be.greaterThan(3);
    expect(errorsIn(el.shadowRoot!)).to.deep.equal([]);
    expect(noticeOf(el)).to.have.length(1);
    const notice = text(noticeOf(el)[0]);
    expect(notice)
      .to.contain('"no-such-dept"')
      .and.contain('"<b>x</b>"')
      .and.contain('"no-such-intent"')
      .and.contain('"agt-nope"')
      .and.contain('not in this snapshot');
    expect([params().get('t'), params().get('d'), params().has('i'), params().has('a')]).to.deep.equal(['7d', known, false, false]);
    expect(pushes.n, 'cleaning rewrites the entry, it does not add one').to.equal(0);
    await totalCalls(kpis(el), (await countRequests({ days: 7, department: known })).n);
    await expect(el).to.be.accessible();
  });

  it('shows the fleet (with the notice) for level=agent:<unknown>, and never queries for that agent', async () => {
    const spy = await spiedClient();
    const el = await tab({ client: spy.client, query: '&level=agent:agt-gone-since-2019' });
    await el.settled();
    expect(el.level).to.deep.equal({ kind: 'fleet' });
    expect(el.shadowRoot!.querySelector('usage-agent-detail')).to.equal(null);
    expect(text(inner(el, '[part="level"]'))).to.equal('Level 1 Fleet view: the whole organisation');
    expect(text(noticeOf(el)[0])).to.contain('agent "agt-gone-since-2019" (not in this snapshot; the fleet is shown)');
    expect(params().has('level')).to.equal(false);
    expect(spy.seen.some((f) => f.agentIds.includes('agt-gone-since-2019'))).to.equal(false);
    expect(errorsIn(el.shadowRoot!)).to.deep.equal([]);
    await totalCalls(kpis(el), (await countRequests()).n);
  });

  it('drops compared values the snapshot lacks (departments) or that do not exist (environments)', async () => {
    const snap = await loadSnapshot();
    const [a, b] = snap.departments;
    const spy = await spiedClient();
    const el = await tab({ client: spy.client, query: `&level=compare&cv=${a},atlantis,${b}` });
    await el.settled();
    expect(el.level).to.deep.equal({ kind: 'compare', by: 'department', values: [a, b] });
    expect(text(noticeOf(el)[0])).to.contain('compared value "atlantis" (not in this snapshot)');
    expect(params().get('cv')).to.equal(`${a},${b}`);
    expect(await spy.invalid()).to.deep.equal([]);
    el.remove();

    history.replaceState(
      null,
      '',
      `${location.pathname}${start.slice(start.indexOf('?'))}&env=production,staging&level=compare&by=environment&cv=production,moon`,
    );
    const env = await tab({ client: spy.client });
    expect(env.level).to.deep.equal({ kind: 'compare', by: 'environment', values: ['production'] });
    expect(text(noticeOf(env)[0])).to.contain('"moon"');
    expect(params().get('cv')).to.equal('production');
  });

  it('drops compared agent versions that have no calls in the period, once the period’s versions are known', async () => {
    const el = await tab({ query: '&level=compare&by=agent_version&cv=no-such-version' });
    await waitUntil(() => el.level.kind === 'compare' && el.level.values?.length === 2, 'the two most used versions were not chosen', LONG);
    expect((el.level as { values: string[] }).values).not.to.include('no-such-version');
    expect(text(noticeOf(el)[0])).to.contain('compared version "no-such-version" (no calls in this period)');
    expect(params().get('cv')).not.to.contain('no-such-version');
    expect(pushes.n).to.equal(0);
  });

  it('refuses a range outside the years 1700–2200 (t=0001-01-01..9999-12-31) with the notice instead of "too many day buckets"', async () => {
    const spy = await spiedClient();
    const el = await tab({ client: spy.client, charts: CHART_SLOTS, query: '&t=0001-01-01..9999-12-31' });
    await el.settled();
    expect(el.filters.timeRange).to.deep.equal(DEFAULT_FILTERS.timeRange);
    expect(text(noticeOf(el)[0]))
      .to.contain('time range "0001-01-01..9999-12-31"')
      .and.contain('year 1 is outside 1700–2200');
    expect(params().has('t')).to.equal(false);
    expect(errorsIn(el.shadowRoot!)).to.deep.equal([]);
    expect(await spy.invalid()).to.deep.equal([]);
  });

  it('cuts a custom range that reaches far beyond the data to the data’s days, with the real count; drops one far from any data', async () => {
    const snap = await loadSnapshot();
    const first = snap.manifest.time_range.start.slice(0, 10);
    const last = snap.manifest.time_range.end.slice(0, 10);
    const days = Math.round((Date.parse(last) - Date.parse(first)) / 86_400_000);
    const spy = await spiedClient();
    const el = await tab({ client: spy.client, charts: CHART_SLOTS, query: '&t=1990-01-01..2100-01-01' });
    await el.settled();
    expect(el.filters.timeRange).to.deep.equal({ preset: 'custom', start: first, end: last });
    expect(text(noticeOf(el)[0])).to.contain(`cut to the data, ${first}..${last}`);
    expect(params().get('t')).to.equal(`${first}..${last}`);
    expect(errorsIn(el.shadowRoot!)).to.deep.equal([]);
    await totalCalls(kpis(el), (await countRequests({ days })).n);
    el.remove();

    history.replaceState(null, '', start);
    const far = await tab({ client: spy.client, query: '&t=2150-01-01..2150-02-01' });
    expect(far.filters.timeRange).to.deep.equal(DEFAULT_FILTERS.timeRange);
    expect(text(noticeOf(far)[0])).to.contain(`far from the data (${first}..${last}); the default range is shown`);
    expect(params().has('t')).to.equal(false);
    expect(pushes.n).to.equal(0);
    expect(await spy.invalid()).to.deep.equal([]);
  });

  it('summarises 5,000 unknown departments in a notice of at most two lines', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => `dept-${i}`);
    const el = await tab({ query: `&d=${many.join(',')}` });
    const notice = noticeOf(el);
    expect(notice).to.have.length(1);
    const p = notice[0].querySelector<HTMLElement>('.notice-text')!;
    expect(text(p)).to.contain('5,000 departments (not in this snapshot): "dept-0", "dept-1", "dept-2", …');
    expect(p.getBoundingClientRect().height).to.be.at.most(twoLines(p));
    expect(notice[0].getBoundingClientRect().height).to.be.below(120);
    expect(p.title).to.equal(text(p));
    expect(el.filters.departments).to.deep.equal([]);
    await expect(el).to.be.accessible();
  });

  it('keeps a 10,000-character agent id (markup) at level 3 to one line in the breadcrumb and two in the heading: the page is as tall as for any agent', async () => {
    const { n, byAgent } = await countRequests();
    const agent = [...byAgent.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0][0];
    const hostile = `<img src=x onerror="window.__pwned=1">${'\u05D0x'.repeat(4981)}`;
    expect(hostile.length).to.equal(10_000);
    const source = await renamedSnapshot({ agents: { [agent]: hostile } });
    const renamed = await UsageDataClient.open({ source, connector: new WasmBrowserConnector({ bundleBase: BUNDLES }) });
    const heightAt = async (client: UsageDataClient, id: string) => {
      history.replaceState(null, '', `${location.pathname}${start.slice(start.indexOf('?'))}&level=agent:${encodeURIComponent(id)}`);
      const el = await tab({ client, charts: [] });
      el.style.display = 'block';
      el.style.width = '900px';
      await el.settled();
      await totalCalls(kpis(el), byAgent.get(agent)!);
      return { el, height: el.getBoundingClientRect().height };
    };
    try {
      const normal = await heightAt(await sharedClient(), agent);
      normal.el.remove();
      const { el, height } = await heightAt(renamed, hostile);
      expect(el.level.kind === 'agent' && el.level.agentId === hostile, 'level 3 of the renamed agent').to.equal(true);
      expect(n).to.be.greaterThan(0);
      expect(Math.abs(height - normal.height), `page height ${height} px vs ${normal.height} px for the same agent's data`).to.be.below(40);
      const crumb = inner<HTMLElement>(el, '[part="breadcrumb"] [aria-current="page"]');
      expect(crumb.title === `Agent ${hostile}`, 'the whole id is in the tooltip').to.equal(true);
      expect(text(crumb) === `Agent ${hostile}`, 'the whole id stays in the DOM for screen readers').to.equal(true);
      expect(crumb.getBoundingClientRect().height).to.be.below(40);
      const level = inner<HTMLElement>(el, '[part="level"]');
      expect(level.title === `Agent detail: ${hostile}`, 'the whole title is in the tooltip').to.equal(true);
      expect(level.getBoundingClientRect().height).to.be.at.most(twoLines(level));
      expect(inner<HTMLElement>(el, '.tab').scrollWidth).to.be.at.most(900);
      const detail = inner<UsageAgentDetail>(el, 'usage-agent-detail');
      for (const root of [el.shadowRoot!, detail.shadowRoot!, bar(el).shadowRoot!]) expect(root.querySelector('img, script')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      await expect(el).to.be.accessible();
    } finally {
      await renamed.close();
    }
  });
});

describe('<usage-analytics> actions at Level 3 (issue 10)', () => {
  /** A real token and the real actions service's URL, from the test server (scripts/wtr-actions.mjs). */
  const actionsFor = async (roles: string) => {
    const res = await fetch(`/__actions/session?roles=${roles}&departments=*`);
    const s = (await res.json()) as { url: string; token: string };
    return new ActionsClient({ baseUrl: s.url, token: () => s.token });
  };
  const agentActions = (el: UsageAnalytics) => el.shadowRoot!.querySelector('[part="agent-actions"]');

  it('shows the agent’s actions to a role that may perform them, hides them from one that may not, and none without a client', async () => {
    const { byAgent } = await countRequests({ days: 30 });
    const agent = [...byAgent.keys()].sort()[0];
    const el = await tab({ query: `&level=agent:${encodeURIComponent(agent)}`, noUrl: false });
    expect(agentActions(el)).to.equal(null);

    el.actions = await actionsFor('director_ai_ml');
    await elementUpdated(el);
    expect(agentActions(el)!.querySelector('usage-action-request-quota')?.getAttribute('agent-id')).to.equal(agent);
    expect(el.shadowRoot!.querySelector('[part="tab-actions"] usage-action-export-users')).to.not.equal(null);
    const dialog = () => agentActions(el)!.querySelector('usage-action-deprecate-agent') as HTMLElement & { allowed?: boolean; agentId: string };
    expect(dialog().agentId).to.equal(agent);
    await waitUntil(() => dialog().allowed === true, 'the director was not allowed', LONG);
    expect(dialog().shadowRoot!.querySelector('[part="trigger"]')).to.not.equal(null);
    await expect(el).to.be.accessible();

    el.actions = await actionsFor('finance');
    await waitUntil(() => dialog().allowed === false, 'finance was allowed', LONG);
    await elementUpdated(dialog());
    expect(dialog().shadowRoot!.querySelector('[part="trigger"]')).to.equal(null);
  });
});
