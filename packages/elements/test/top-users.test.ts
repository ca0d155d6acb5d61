import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, type TopUser } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import { csvParseRows } from 'd3-dsv';
import '../src/index.js';
import type UsageDataTable from '../src/components/data-table/data-table.component.js';
import type UsageTopUsers from '../src/components/top-users/top-users.component.js';
import { concentrationText } from '../src/components/top-users/top-users.data.js';
import type { UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

// ---- independent figures from requests.arrows (default filters: last 30 days, production, active agents)

interface UserFig {
  calls: number;
  cost: number;
}
let expected: Promise<{ users: Map<string, UserFig>; totalCost: number }> | undefined;

function independent() {
  expected ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const table = async (name: string) => tableFromIPC(new Uint8Array(await (await fetch(new URL(manifest.tables[name].file, base))).arrayBuffer()));
    const [requests, agents] = await Promise.all([table('requests'), table('agents')]);
    const active = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(agents.getChild('agent_status')!.get(i)) === 'active') active.add(String(agents.getChild('agent_id')!.get(i)));
    const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
    const div = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const end = Date.parse(manifest.time_range.end);
    const start = end - 30 * DAY;
    const col = (n: string) => requests.getChild(n)!;
    const [ts, env, ag, user, cost] = [col('ts'), col('environment'), col('agent_id'), col('user_id'), col('cost_usd')];
    const users = new Map<string, UserFig>();
    let totalCost = 0;
    for (let i = 0; i < requests.numRows; i++) {
      if (env.get(i) !== 'production' || !active.has(String(ag.get(i)))) continue;
      const v = ts.get(i) as unknown;
      const t = typeof v === 'bigint' ? Number(v) / div : Number(v);
      if (t < start || t >= end) continue;
      const u = String(user.get(i));
      const c = Number(cost.get(i) ?? 0);
      const f = users.get(u) ?? { calls: 0, cost: 0 };
      f.calls++;
      f.cost += c;
      users.set(u, f);
      totalCost += c;
    }
    return { users, totalCost };
  })();
  return expected;
}

let shared: Promise<UsageDataClient> | undefined;
const client = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

const tableOf = (el: UsageTopUsers) => el.shadowRoot!.querySelector<UsageDataTable<TopUser>>('usage-data-table')!;
const bodyRows = (el: UsageTopUsers) => [...tableOf(el).shadowRoot!.querySelectorAll('tbody tr')];
const cell = (tr: Element, key: string) => tr.querySelector(`td[data-key="${key}"]`)!;

async function ready(el: UsageTopUsers, rows?: number) {
  await waitUntil(() => el.data && tableOf(el) && (rows === undefined ? bodyRows(el).length > 0 : el.data.length === rows), 'no rows', LONG);
  await elementUpdated(el);
  await elementUpdated(tableOf(el));
}

async function real(attrs: { viewAll?: boolean } = {}) {
  const c = await client();
  const el = await fixture<UsageTopUsers>(
    html`<usage-top-users .client=${c} .filters=${defaultFilters()} ?view-all=${!!attrs.viewAll} locale="en-US"></usage-top-users>`,
  );
  return el;
}

const row = (over: Partial<TopUser>): TopUser => ({
  rank: 1,
  userId: 'u1',
  userName: 'Ada',
  departmentId: 'engineering',
  calls: 10,
  primaryIntent: 'coding',
  cost: 1.5,
  costShare: 50,
  topAgent: 'a1',
  concentration: 50,
  risk: 'normal',
  agentsUsed: 2,
  lastActive: Date.UTC(2026, 1, 1),
  intentsUsed: 1,
  intentDiversity: 0,
  totalUsers: 2,
  ...over,
});
const fake = (rows: TopUser[] | Error) => ({
  run: async () => {
    if (rows instanceof Error) throw rows;
    return rows;
  },
  precomputed: () => undefined,
});

describe('<usage-top-users>', () => {
  it('shows the top 20 users by calls; calls, cost and share of cost equal an independent count; accessible', async () => {
    const { users, totalCost } = await independent();
    const el = await real();
    await ready(el);
    const want = [...users.entries()].sort((a, b) => b[1].calls - a[1].calls || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).slice(0, 20);
    expect(el.data!.map((r) => r.userId)).to.deep.equal(want.map(([u]) => u));
    for (const [i, [u, f]] of want.entries()) {
      const got = el.data![i];
      expect(got.calls, `calls of ${u}`).to.equal(f.calls);
      expect(got.cost, `cost of ${u}`).to.be.closeTo(f.cost, 1e-6);
      expect(got.costShare!, `cost share of ${u}`).to.be.closeTo((100 * f.cost) / totalCost, 1e-9);
    }
    const trs = bodyRows(el);
    expect(trs).to.have.length(20);
    expect(text(cell(trs[0], 'userId'))).to.equal(want[0][0]);
    expect(text(cell(trs[0], 'calls'))).to.equal(new Intl.NumberFormat('en-US').format(want[0][1].calls));
    expect(el.totalUsers).to.equal(users.size);
    expect(text(el.shadowRoot!.querySelector('[part="note"]'))).to.contain(`Showing 20 of ${new Intl.NumberFormat('en-US').format(users.size)} users`);
    await expect(el).to.be.accessible();
  });

  it('"View all" pages through every user of the window (offset/limit + total)', async () => {
    const { users } = await independent();
    const el = await real();
    await ready(el);
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="view-all-button"]')!.click();
    await ready(el, users.size);
    expect(el.viewAll).to.equal(true);
    expect(new Set(el.data!.map((r) => r.userId))).to.deep.equal(new Set(users.keys()));
    expect(el.data!.every((r) => r.calls === users.get(r.userId)!.calls)).to.equal(true);
    expect(el.shadowRoot!.querySelector('[part="view-all-button"]')!.getAttribute('aria-pressed')).to.equal('true');
  });

  it('sorts by any column, searches by user id or name, exports the shown rows as CSV', async () => {
    const rows = [
      row({ rank: 1, userId: 'u-b', userName: 'Zoë Quinn', calls: 30, cost: 1, concentration: 95, risk: 'high', topAgent: 'agt-x' }),
      row({ rank: 2, userId: 'u-a', userName: 'Ada Lovelace', calls: 20, cost: 5, departmentId: 'sales' }),
      row({ rank: 3, userId: 'u-c', userName: null, calls: 10, cost: 3 }),
    ];
    const el = await fixture<UsageTopUsers>(html`<usage-top-users .client=${fake(rows)} locale="en-US"></usage-top-users>`);
    await ready(el);
    const table = tableOf(el);
    const ids = () => bodyRows(el).map((tr) => text(cell(tr, 'userId')));
    expect(ids()).to.deep.equal(['u-b', 'u-a', 'u-c']);
    table.shadowRoot!.querySelector<HTMLButtonElement>('button.sort[data-key="cost"]')!.click();
    await elementUpdated(table);
    expect(ids()).to.deep.equal(['u-b', 'u-c', 'u-a']);
    table.shadowRoot!.querySelector<HTMLButtonElement>('button.sort[data-key="cost"]')!.click();
    await elementUpdated(table);
    expect(ids()).to.deep.equal(['u-a', 'u-c', 'u-b']);
    for (const key of ['userName', 'departmentId', 'primaryIntent', 'calls', 'costShare', 'concentration', 'agentsUsed', 'lastActive', 'rank']) {
      expect(table.shadowRoot!.querySelector(`button.sort[data-key="${key}"]`), key).to.exist;
    }
    // "High risk" is said in text, not only by colour.
    expect(
      text(
        cell(
          bodyRows(el).find((tr) => text(cell(tr, 'userId')) === 'u-b')!,
          'concentration',
        ),
      ),
    ).to.equal('High risk · 95% on agt-x');
    expect(concentrationText({ concentration: 50, topAgent: 'a' })).to.equal('50% on a');

    table.search = 'lovelace';
    await elementUpdated(table);
    expect(ids()).to.deep.equal(['u-a']);
    table.search = 'U-C';
    await elementUpdated(table);
    expect(ids()).to.deep.equal(['u-c']);
    table.search = 'engineering'; // not the user: department is searchable too, cost is not
    await elementUpdated(table);
    expect(ids()).to.deep.equal(['u-c', 'u-b']);
    const csv = csvParseRows(table.csv().replace(/^\uFEFF/, ''));
    expect(csv[0]).to.deep.equal([
      'Rank',
      'User ID',
      'Name',
      'Department',
      'Primary intent',
      'Calls',
      'Cost impact',
      'Share of cost',
      'Concentration risk',
      'Agents used',
      'Last active',
    ]);
    expect(csv.slice(1).map((r) => r[1])).to.deep.equal(['u-c', 'u-b']);
  });

  it('a user id emits a cancelable user drill-down, a department a department drill-down (keyboard too)', async () => {
    const filters = defaultFilters({ timeRange: { preset: '7d' } });
    const el = await fixture<UsageTopUsers>(
      html`<usage-top-users .client=${fake([row({ userId: 'u-7', userName: 'Grace', departmentId: 'support' })])} .filters=${filters}></usage-top-users>`,
    );
    await ready(el);
    const tr = bodyRows(el)[0];
    setTimeout(() => cell(tr, 'userId').querySelector('button')!.click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.cancelable && ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ kind: 'user', userId: 'u-7', userName: 'Grace', filters: { ...filters, userIds: ['u-7'] } });

    cell(tr, 'departmentId').querySelector('button')!.focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const dep = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(dep.detail).to.deep.equal({ kind: 'department', department: 'support', filters: { ...filters, departments: ['support'] } });
  });

  it('keyboard reaches the view-all button, the search box, the sort headers and the drill cells (Tab between lists, arrows inside)', async () => {
    const el = await fixture<UsageTopUsers>(
      html`<div><button id="before">before</button><usage-top-users .client=${fake([row({ totalUsers: 30 })])}></usage-top-users></div>`,
    );
    const top = el.querySelector('usage-top-users') as UsageTopUsers;
    await ready(top);
    el.querySelector<HTMLElement>('#before')!.focus();
    const now = () => {
      let a: Element | null = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      const part = a?.getAttribute('part') ?? '';
      const key = a?.closest('td')?.getAttribute('data-key') ?? a?.getAttribute('data-key') ?? '';
      return `${part}:${key}`;
    };
    // Tab from stop to stop; at each, the arrow keys walk its list (toolbar, sort headers, drill cells: one stop each).
    const reached = new Set<string>();
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      if (!top.contains(document.activeElement) && document.activeElement !== top) break;
      stops.push(now());
      for (let j = 0; j < 8; j++) {
        reached.add(now());
        await sendKeys({ press: 'ArrowRight' });
      }
    }
    expect(stops, 'Tab stops in the chart').to.have.length.within(4, 8);
    expect(
      stops.filter((p) => p.startsWith('drill-button')),
      'the drill cells are one stop',
    ).to.have.length(1);
    expect(
      stops.filter((p) => p.startsWith('sort-button')),
      'the sort headers are one stop',
    ).to.have.length(1);
    expect([...reached]).to.include.members([
      'view-all-button:',
      'search:',
      'sort-button:userId',
      'sort-button:calls',
      'drill-button:userId',
      'drill-button:departmentId',
    ]);
  });

  it('renders hostile names (markup, very long, right-to-left) as inert text', async () => {
    const hostile = ['<img src=x onerror="window.__pwned=1">', 'x'.repeat(300), 'مستخدم عربي', '=HYPERLINK("http://evil")'];
    const el = await fixture<UsageTopUsers>(
      html`<usage-top-users
        .client=${fake(hostile.map((h, i) => row({ rank: i + 1, userId: `u${i}`, userName: h, departmentId: h, primaryIntent: h, topAgent: h })))}
      ></usage-top-users>`,
    );
    await ready(el);
    const trs = bodyRows(el);
    expect(trs.map((tr) => text(cell(tr, 'userName')))).to.deep.equal(hostile);
    expect(tableOf(el).shadowRoot!.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    await expect(el).to.be.accessible();
  });

  it('shows the empty state, and the error state whose Retry runs the query again', async () => {
    const empty = await fixture<UsageTopUsers>(html`<usage-top-users .client=${fake([])}></usage-top-users>`);
    const frame = () => empty.shadowRoot!.querySelector('usage-chart-frame')!;
    await waitUntil(() => frame().state === 'empty', 'no empty state');
    let calls = 0;
    const failing = {
      run: async () => {
        calls++;
        throw Object.assign(new Error('boom'), { code: 'query_failed' });
      },
      precomputed: () => undefined,
    };
    const el = await fixture<UsageTopUsers>(html`<usage-top-users .client=${failing}></usage-top-users>`);
    const f = el.shadowRoot!.querySelector('usage-chart-frame')!;
    await waitUntil(() => f.state === 'error', 'no error state');
    expect(f.error?.message).to.equal('boom');
    el.retry();
    await waitUntil(() => calls === 2, 'retry did not rerun');
  });
});
