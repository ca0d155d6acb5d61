import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { agentHierarchy, defaultFilters, type Gini, type HierarchyNode, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageAgentDistribution from '../src/components/agent-distribution/agent-distribution.component.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownDetail } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageAgentDistribution) => el.shadowRoot!;
const frameOf = (el: UsageAgentDistribution) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageAgentDistribution) => root(el).querySelector<SVGSVGElement>('.plot svg')!;
const tiles = (el: UsageAgentDistribution) => [...svg(el).querySelectorAll<SVGElement>('.tile')];
/** The shape of a tile (a leaf is its own shape; a parent holds one). */
const shape = (t: SVGElement) => (t.matches('.tile-fill') ? t : t.querySelector(':scope > .tile-fill')!);
const tile = (el: UsageAgentDistribution, level: string, label: string) =>
  tiles(el).find((g) => g.getAttribute('data-level') === level && g.getAttribute('aria-label')!.startsWith(`${label[0].toUpperCase()}${label.slice(1)}`))!;
const tooltip = (el: UsageAgentDistribution) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const focused = (el: UsageAgentDistribution) => root(el).activeElement as Element | null;
const painted = (el: UsageAgentDistribution) => waitUntil(() => el.layout && tiles(el).length > 0, 'chart did not paint', { timeout: 30_000 });
const click = (node: Element) => node.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));

interface Leaf {
  dept: string;
  agent: string;
  name?: string;
  intent: string;
  requests: number;
  users: number;
  cost?: number;
  quality?: number | null;
}

/** A hierarchy through the module's own transform (the GROUPING SETS rows it reads). */
function hierarchyOf(leaves: Leaf[]): HierarchyNode {
  const rows: Record<string, unknown>[] = [];
  const add = (d: string | null, a: string | null, i: string | null, ls: Leaf[]) =>
    ls.length &&
    rows.push({
      department_id: d,
      agent_id: a,
      intent_category: i,
      requests: ls.reduce((s, l) => s + l.requests, 0),
      users: Math.max(...ls.map((l) => l.users)),
      cost: ls.reduce((s, l) => s + (l.cost ?? l.requests * 0.01), 0),
      agent_name: a ? (ls[0].name ?? a) : null,
      quality: a ? (ls[0].quality ?? null) : null,
    });
  add(null, null, null, leaves);
  for (const d of new Set(leaves.map((l) => l.dept))) {
    const dl = leaves.filter((l) => l.dept === d);
    add(d, null, null, dl);
    for (const a of new Set(dl.map((l) => l.agent))) {
      const al = dl.filter((l) => l.agent === a);
      add(d, a, null, al);
      for (const l of al) add(d, a, l.intent, [l]);
    }
  }
  return agentHierarchy.transform(rows, undefined as never, undefined);
}

const SAMPLE = hierarchyOf([
  { dept: 'engineering', agent: 'agt-code', name: 'Code Helper', intent: 'code_gen', requests: 600, users: 40, quality: 8.5 },
  { dept: 'engineering', agent: 'agt-code', name: 'Code Helper', intent: 'analysis', requests: 200, users: 20, quality: 8.5 },
  { dept: 'engineering', agent: 'agt-router', name: 'Router', intent: 'other', requests: 100, users: 50 },
  { dept: 'support', agent: 'agt-support', name: 'Support Bot', intent: 'customer_support', requests: 300, users: 10, quality: 7 },
  { dept: 'support', agent: 'agt-code', name: 'Code Helper', intent: 'code_gen', requests: 30, users: 3, quality: 8.5 },
  { dept: 'sales', agent: 'agt-analyst', name: 'Analyst', intent: 'analysis', requests: 70, users: 7 },
]);

const conc = (n: number, total: number, k: number, share: number | null, g: number | null) => ({
  gini: g,
  n,
  total,
  topShare: share,
  top: 'x',
  topDecileCount: k,
  topDecileShare: share,
});
const GINI: Gini = { agents: conc(12, 1300, 2, 72.5, 0.61), users: conc(95, 1300, 10, 35.25, 0.4) };

const answering = (h: HierarchyNode = SAMPLE, g: Gini = GINI) => chartClient({ agentHierarchy: () => h, gini: () => g });

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters(), view: 'treemap' | 'sunburst' = 'treemap') {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 820px"><usage-agent-distribution .client=${client} .filters=${filters} view=${view}></usage-agent-distribution></div>`,
  );
  const el = div.querySelector('usage-agent-distribution')!;
  await elementUpdated(el);
  return el;
}

describe('<usage-agent-distribution> with a stand-in client', () => {
  it('is accessible with data (both views), loading, empty and in error', async () => {
    const el = await chartWith(answering());
    await painted(el);
    await expect(el).to.be.accessible();
    el.view = 'sunburst';
    await waitUntil(() => el.layout?.kind === 'sunburst');
    await expect(el).to.be.accessible();
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(answering(hierarchyOf([])));
    await waitUntil(() => frameOf(empty).state === 'empty');
    expect(text(frameOf(empty).shadowRoot!.querySelector('[part="empty"]'))).to.contain('No requests match these filters');
    await expect(empty).to.be.accessible();
    const failed = await chartWith(
      chartClient({ agentHierarchy: () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) }),
    );
    await waitUntil(() => frameOf(failed).state === 'error');
    expect(text(frameOf(failed).shadowRoot!.querySelector('[part="error"]'))).to.contain('query failed: boom');
    await expect(failed).to.be.accessible();
  });

  it('draws every node nested as a tree, sized by requests, with the Gini readings and the intensity legend', async () => {
    const el = await chartWith(answering());
    await painted(el);
    // 3 departments, 5 department-agent pairs, 6 intents.
    expect(tiles(el)).to.have.length(3 + 5 + 6);
    expect(svg(el).getAttribute('role')).to.equal('tree');
    const eng = tile(el, 'department', 'department engineering');
    expect(eng.getAttribute('aria-label')).to.equal('Department engineering: 900 requests, 69.2% of all');
    expect(eng.getAttribute('aria-expanded')).to.equal('true');
    expect(eng.querySelectorAll(':scope > g[role="group"] > .tile')).to.have.length(2);
    expect(tile(el, 'intent', 'intent code_gen').matches('rect[role="treeitem"]')).to.equal(true);
    // Area ∝ requests within the top level (treemap rectangles of the departments, padding aside).
    const area = (g: SVGElement) => {
      const r = shape(g);
      return Number(r.getAttribute('width')) * Number(r.getAttribute('height'));
    };
    const sales = tile(el, 'department', 'department sales');
    expect(area(eng) / area(sales)).to.be.closeTo(900 / 70, 900 / 70 / 10);
    // Shares at each level sum to exactly 100.0 (DA2.2).
    const rows = frameOf(el).rows as { level: string; share: number }[];
    for (const level of ['Department', 'Agent', 'Intent']) {
      const sum = rows.filter((r) => r.level === level).reduce((s, r) => s + Math.round(r.share * 10), 0);
      expect(sum, level).to.equal(1000);
    }
    const reading = text(root(el).querySelector('[part="reading"]'));
    expect(reading).to.contain('Agents — Gini 0.61 across 12 agents: the top 10 % of agents (2 of 12) take 72.5% of requests.');
    expect(reading).to.contain('Users — Gini 0.40 across 95 users: the top 10 % of users (10 of 95) take 35.3% of requests.');
    expect(root(el).querySelector('.ramp-bar')!.getAttribute('aria-label')).to.match(/^Colour scale from 0 to [\d.]+( or more)? requests per user$/);
    const csv = frameOf(el).csv().trim().split('\n');
    expect(csv[0]).to.equal('Level,Path,Department,Agent ID,Intent,Requests,Users,Cost,Share of all requests,Share of parent,Requests per user,Quality score');
    expect(csv).to.have.length(1 + 14);
    expect(csv[1]).to.match(/^Department,engineering,engineering,,,900,50,/);
  });

  it('reads one top agent in the singular, and says when there is nothing to measure', async () => {
    const few: Gini = { agents: conc(7, 1300, 1, 46.2, 0.35), users: { ...conc(0, 0, 0, null, null), top: null } };
    const el = await chartWith(answering(SAMPLE, few));
    await painted(el);
    await waitUntil(() => el.concentration);
    expect(text(root(el).querySelector('[data-reading="agents"]'))).to.equal(
      'Agents — Gini 0.35 across 7 agents: the top 10 % of agents (1 of 7) takes 46.2% of requests.',
    );
    expect(text(root(el).querySelector('[data-reading="users"]'))).to.equal('Users — No requests to measure how concentrated users are.');
  });

  it('colours by requests per user on a sequential scale (busier users, other colour)', async () => {
    const el = await chartWith(answering());
    await painted(el);
    const fill = (g: SVGElement) => shape(g).getAttribute('fill');
    // support 330 requests / 10 users = 33 per user vs engineering 900 / 50 = 18: different colours.
    expect(fill(tile(el, 'department', 'department support'))).to.not.equal(fill(tile(el, 'department', 'department engineering')));
    // Labels only where they fit: every label is narrower than its tile (treemap) or its ring (sunburst).
    const labels = [...svg(el).querySelectorAll<SVGTextElement>('text.tile-label')];
    expect(labels.length).to.be.greaterThan(3);
    for (const t of labels) {
      const n = el.layout!.nodes[Number(t.getAttribute('data-i'))];
      expect(t.getComputedTextLength(), t.textContent!).to.be.within(1, n.x1 - n.x0);
    }
    el.view = 'sunburst';
    await waitUntil(() => el.layout?.kind === 'sunburst');
    for (const t of svg(el).querySelectorAll<SVGTextElement>('text.tile-label')) {
      const n = el.layout!.nodes[Number(t.getAttribute('data-i'))];
      expect(t.getComputedTextLength(), t.textContent!).to.be.within(1, n.y1 - n.y0);
    }
  });

  it('hover shows usage stats, cost and the quality score', async () => {
    const el = await chartWith(answering());
    await painted(el);
    shape(tile(el, 'intent', 'intent code_gen')).dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
    await elementUpdated(el);
    expect(text(tooltip(el)?.querySelector('.tooltip-title'))).to.equal('Intent: code_gen');
    shape(tile(el, 'agent', 'agent Code Helper')).dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
    await elementUpdated(el);
    const rows = [...tooltip(el)!.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal('Agent: Code Helper (agt-code)');
    expect(rows).to.deep.equal([
      ['Requests', '800'],
      ['Share of all requests', '61.5%'],
      ['Share of parent', '88.9%'],
      ['Users', '40'],
      ['Requests per user', '20'],
      ['Cost', '$8.00'],
      ['Quality score', '8.5 / 10'],
    ]);
    svg(el).dispatchEvent(new PointerEvent('pointerleave'));
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('click zooms into a tile, the breadcrumb and Escape go back up', async () => {
    const el = await chartWith(answering());
    await painted(el);
    click(shape(tile(el, 'department', 'department engineering')));
    await waitUntil(() => el.layout?.top.length === 2, 'zoom into engineering');
    expect(el.zoom).to.deep.equal(['engineering']);
    expect(tiles(el)).to.have.length(2 + 3);
    expect([...root(el).querySelectorAll('[part="breadcrumb"] li')].map(text)).to.deep.equal(['All departments', 'engineering']);
    // Clicking an intent zooms into its agent.
    click(shape(tile(el, 'intent', 'intent analysis')));
    await waitUntil(() => el.zoom.length === 2, 'zoom into the agent');
    expect(el.zoom).to.deep.equal(['engineering', 'agt-code']);
    expect(tiles(el).map((g) => g.getAttribute('data-level'))).to.deep.equal(['intent', 'intent']);
    expect(frameOf(el).rows).to.have.length(2);
    root(el).querySelector<HTMLButtonElement>('[part="crumb"]')!.click();
    await waitUntil(() => el.zoom.length === 0 && tiles(el).length === 14, 'breadcrumb back to the top');
  });

  it('keyboard: Tab reaches the tree, arrows move, Enter zooms, Backspace and Escape go up, focus shows the tooltip', async () => {
    const el = await chartWith(answering());
    await painted(el);
    root(el).querySelector<HTMLButtonElement>('[part="view-toggle"] button')!.focus();
    let guard = 0;
    while (!focused(el)?.matches('.tile') && guard++ < 20) await sendKeys({ press: 'Tab' });
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Department engineering/);
    await elementUpdated(el);
    expect(text(tooltip(el)?.querySelector('.tooltip-title'))).to.equal('Department: engineering');
    // Focus announces every figure.
    expect(text(root(el).querySelector('[role="status"]'))).to.equal(
      'Department engineering: 900 requests, 69.2% of all, 69.2% of parent, 50 users, 18 requests per user, cost $9.00, 2 agents',
    );
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Department support/);
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Agent Support Bot/);
    await elementUpdated(el);
    const tip = [...tooltip(el)!.querySelectorAll('tr')].map((tr) => [text(tr.querySelector('th')), text(tr.querySelector('td'))]);
    expect(tip).to.deep.include(['Quality score', '7 / 10']);
    expect(tip).to.deep.include(['Cost', '$3.00']);
    expect(root(el).querySelector('[part="agent-button"]')).to.not.equal(null);
    await sendKeys({ press: 'ArrowLeft' });
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Department support/);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.zoom.join() === 'support' && focused(el)?.matches('.tile'), 'Enter zooms and focuses the first tile');
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Agent Support Bot/);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.zoom.join() === 'support,agt-support' && focused(el)?.matches('.tile'));
    await sendKeys({ press: 'Backspace' });
    await waitUntil(() => el.zoom.join() === 'support' && focused(el)?.matches('.tile'));
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Agent Support Bot/);
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => el.zoom.length === 0 && focused(el)?.matches('.tile'));
    expect(focused(el)?.getAttribute('aria-label')).to.match(/^Department support/);
  });

  it('a zoom path the new data no longer has shrinks to what is left (filter change)', async () => {
    const onlySupport = hierarchyOf([{ dept: 'support', agent: 'agt-support', name: 'Support Bot', intent: 'customer_support', requests: 30, users: 3 }]);
    const client = chartClient({ agentHierarchy: (f) => (f.departments.length ? onlySupport : SAMPLE), gini: () => GINI });
    const el = await chartWith(client);
    await painted(el);
    el.zoomTo(['engineering', 'agt-code']);
    await waitUntil(() => el.layout?.top.length === 2);
    el.filters = defaultFilters({ departments: ['support'] });
    await waitUntil(() => el.data === onlySupport && el.zoom.length === 0 && tiles(el).length === 3, 'zoom did not reset');
    expect(text(root(el).querySelector('[part="breadcrumb"]'))).to.equal('All departments');
  });

  it('"Open agent detail" and "Open department view" emit usage-drilldown with narrowed filters; the sunburst zooms too', async () => {
    const filters = defaultFilters({ environments: ['staging'] });
    const el = await chartWith(answering(), filters, 'sunburst');
    await painted(el);
    expect(el.layout!.kind).to.equal('sunburst');
    expect(svg(el).querySelectorAll('path.tile-fill')).to.have.length(14);
    click(shape(tile(el, 'agent', 'agent Support Bot')));
    await waitUntil(() => el.zoom.join() === 'support,agt-support');
    const agentButton = root(el).querySelector<HTMLButtonElement>('[part="agent-button"]')!;
    expect(text(agentButton)).to.equal('Open agent detail: Support Bot');
    setTimeout(() => agentButton.click());
    let ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.cancelable && ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'agent', agentId: 'agt-support', filters: { ...filters, agentIds: ['agt-support'] } });
    setTimeout(() => root(el).querySelector<HTMLButtonElement>('[part="department-button"]')!.click());
    ev = (await oneEvent(el, 'usage-drilldown')) as CustomEvent<UsageDrilldownDetail>;
    expect(ev.detail).to.deep.equal({ kind: 'department', department: 'support', filters: { ...filters, departments: ['support'] } });
    expect(filters.departments).to.deep.equal([]);
    // The centre goes up.
    click(svg(el).querySelector('circle.centre')!);
    await waitUntil(() => el.zoom.join() === 'support');
  });

  it('renders hostile names (markup, very long, right-to-left) as inert text', async () => {
    const hostile = '<img src=x onerror="window.__pwnedDistribution=1">';
    const long = `وكيل الدعم ${'long-name-'.repeat(30)}`;
    const el = await chartWith(
      answering(
        hierarchyOf([
          { dept: hostile, agent: 'agt-x', name: hostile, intent: '<script>window.__pwnedDistribution=2</script>', requests: 500, users: 5 },
          { dept: 'sales', agent: 'agt-y', name: long, intent: 'analysis', requests: 400, users: 4 },
        ]),
      ),
    );
    await painted(el);
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwnedDistribution?: number }).__pwnedDistribution).to.equal(undefined);
    expect(tile(el, 'agent', `agent ${hostile}`)).to.not.equal(undefined);
    const labels = [...svg(el).querySelectorAll('text.tile-label')].map((t) => t.textContent!);
    expect(labels.some((l) => l.startsWith('<img'))).to.equal(true);
    // Long names are ellipsized to their tile.
    expect(labels.filter((l) => l.startsWith('وكيل')).every((l) => l.endsWith('…') && l.length < long.length)).to.equal(true);
    click(shape(tile(el, 'department', `department ${hostile}`)));
    await waitUntil(() => el.zoom.length === 1);
    expect(text(root(el).querySelector('[part="breadcrumb"] li[aria-current]'))).to.equal(hostile);
    expect(root(el).querySelector('img, script')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently with apache-arrow.

async function fetchTable(name: string): Promise<Table> {
  const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

interface Counted {
  requests: number;
  users: Set<string>;
  children: Map<string, Counted>;
}

describe('<usage-agent-distribution> over the real snapshot', () => {
  it('matches requests, exact users and Gini top-10 % shares counted from the rows, per level; department filter keeps only that department', async () => {
    const [requests, agents] = await Promise.all([fetchTable('requests'), fetchTable('agents')]);
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
    const end = Date.parse(manifest.time_range.end);
    const start = end - 30 * DAY;
    const active = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(agents.getChild('agent_status')!.get(i)) === 'active') active.add(String(agents.getChild('agent_id')!.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const col = (n: string) => requests.getChild(n)!;
    const [ts, dept, env, agent, intent, user] = ['ts', 'department_id', 'environment', 'agent_id', 'intent_category', 'user_id'].map(col);
    const top: Counted = { requests: 0, users: new Set(), children: new Map() };
    const perAgent = new Map<string, number>();
    const perUser = new Map<string, number>();
    const child = (c: Counted, k: string) => {
      let x = c.children.get(k);
      if (!x) c.children.set(k, (x = { requests: 0, users: new Set(), children: new Map() }));
      return x;
    };
    for (let i = 0; i < requests.numRows; i++) {
      const v = ts.get(i) as unknown;
      const t = typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
      const a = String(agent.get(i));
      if (t < start || t >= end || String(env.get(i)) !== 'production' || !active.has(a)) continue;
      const u = String(user.get(i));
      const d = dept.get(i);
      perAgent.set(a, (perAgent.get(a) ?? 0) + 1);
      perUser.set(u, (perUser.get(u) ?? 0) + 1);
      if (d === null || d === undefined) continue;
      for (const c of [top, child(top, String(d)), child(child(top, String(d)), a), child(child(child(top, String(d)), a), String(intent.get(i)))]) {
        c.requests++;
        c.users.add(u);
      }
    }
    for (const a of active) if (!perAgent.has(a)) perAgent.set(a, 0);
    const decile = (m: Map<string, number>) => {
      const xs = [...m.entries()].sort((p, q) => q[1] - p[1] || (p[0] < q[0] ? -1 : 1));
      const k = Math.ceil(xs.length / 10);
      const total = xs.reduce((s, x) => s + x[1], 0);
      return { n: xs.length, k, share: (100 * xs.slice(0, k).reduce((s, x) => s + x[1], 0)) / total };
    };

    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
        <div style="width: 900px"><usage-agent-distribution></usage-agent-distribution></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-agent-distribution')!;
    await waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy && el.concentration, 'chart did not render', { timeout: 60_000, interval: 100 });
    await painted(el);
    const data = el.data!;
    let nodes = 0;
    const compare = (n: HierarchyNode, c: Counted, path: string) => {
      expect(n.requests, path).to.equal(c.requests);
      expect(n.users, path).to.equal(c.users.size);
      expect(n.children.map((x) => x.key).sort(), path).to.deep.equal([...c.children.keys()].sort());
      if (n.children.length) expect(Math.round(n.children.reduce((s, x) => s + x.shareOfParent * 10, 0)), `${path} shares of parent`).to.equal(1000);
      for (const x of n.children) {
        nodes++;
        compare(x, c.children.get(x.key)!, `${path}/${x.key}`);
      }
    };
    compare(data, top, '');
    expect(nodes).to.be.greaterThan(50);
    expect(tiles(el)).to.have.length(nodes);
    const rows = frameOf(el).rows as { level: string; share: number }[];
    for (const level of ['Department', 'Agent', 'Intent'])
      expect(
        rows.filter((r) => r.level === level).reduce((s, r) => s + Math.round(r.share * 10), 0),
        level,
      ).to.equal(1000);
    const g = el.concentration!;
    const da = decile(perAgent);
    const du = decile(perUser);
    expect([g.agents.n, g.agents.topDecileCount]).to.deep.equal([da.n, da.k]);
    expect(g.agents.topDecileShare).to.be.closeTo(da.share, 1e-9);
    expect([g.users.n, g.users.topDecileCount]).to.deep.equal([du.n, du.k]);
    expect(g.users.topDecileShare).to.be.closeTo(du.share, 1e-9);
    const pct = (v: number) => new Intl.NumberFormat('en-US', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(v / 100);
    expect(text(root(el).querySelector('[data-reading="agents"]'))).to.contain(`the top 10 % of agents (${da.k} of ${da.n}) take`);
    expect(text(root(el).querySelector('[data-reading="agents"]'))).to.contain(`${pct(da.share)} of requests`);
    await expect(provider).to.be.accessible();

    // Filter by department: only that department's agents.
    const d = [...top.children.keys()].sort()[0];
    provider.filters = defaultFilters({ departments: [d] });
    await waitUntil(() => el.data?.children.length === 1 && el.data.children[0].key === d && !frameOf(el).busy, 'department filter', { timeout: 30_000 });
    const only = el.data!.children[0];
    expect(only.children.map((x) => x.key).sort()).to.deep.equal([...top.children.get(d)!.children.keys()].sort());
    expect(only.share).to.equal(100);
  });
});
