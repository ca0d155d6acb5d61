import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { DEFAULT_FILTERS, defaultFilters, type Kpis, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageKpiCards from '../src/components/kpi-cards/kpi-cards.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import { sendKeys } from './helpers/commands.js';
import { EMPTY_KPIS, FakeConnector, SAMPLE_KPIS, asDataClient, fakeClient, fakeSnapshot } from './helpers/fakes.js';

const SNAPSHOT = '/.data/test-snapshot/manifest.json';
const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const METRICS = ['totalCalls', 'uniqueUsers', 'activeAgents', 'avgCallsPerUser'] as const;

const cardsOf = (el: UsageKpiCards) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="card"]:not([part~="skeleton"])')];
const card = (el: UsageKpiCards, metric: string) => el.shadowRoot!.querySelector<HTMLElement>(`[data-metric="${metric}"]`)!;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (c: HTMLElement, name: string) => c.querySelector<HTMLElement>(`[part="${name}"]`)!;
const never = <T>() => new Promise<T>(() => undefined);

async function cardsWith(answer: Parameters<typeof fakeClient>[0], first?: Kpis, filters?: UsageFilters) {
  const client = fakeClient(answer, first);
  const el = await fixture<UsageKpiCards>(html`<usage-kpi-cards .client=${client} .filters=${filters}></usage-kpi-cards>`);
  return { el, client };
}

describe('<usage-kpi-cards>', () => {
  it('is accessible with data', async () => {
    const { el } = await cardsWith(() => SAMPLE_KPIS);
    await waitUntil(() => cardsOf(el).length === 4, 'cards did not render');
    await expect(el).to.be.accessible();
  });

  it('is accessible while loading, empty and in error', async () => {
    const loading = (await cardsWith(() => never<Kpis>())).el;
    await expect(loading).to.be.accessible();
    const empty = (await cardsWith(() => EMPTY_KPIS)).el;
    await waitUntil(() => empty.shadowRoot!.querySelector('[part="empty"]'));
    await expect(empty).to.be.accessible();
    const failed = (await cardsWith(() => Promise.reject(new Error('boom')))).el;
    await waitUntil(() => failed.shadowRoot!.querySelector('[part="error"]'));
    await expect(failed).to.be.accessible();
  });

  it('renders four cards with compact values, full values in title and aria-label', async () => {
    const { el } = await cardsWith(() => SAMPLE_KPIS);
    await waitUntil(() => cardsOf(el).length === 4);
    expect(cardsOf(el).map((c) => text(part(c, 'label')))).to.deep.equal(['Total API Calls', 'Unique Users', 'Active Agents', 'Avg Calls per User']);
    const total = card(el, 'totalCalls');
    expect(text(part(total, 'value'))).to.equal('123.5K');
    expect(part(total, 'value').title).to.equal('123,456');
    expect(total.getAttribute('role')).to.equal('group');
    expect(total.getAttribute('aria-label')).to.equal('Total API Calls: 123,456. Up 12.3% vs previous 30 days (109,934).');
    expect(text(part(card(el, 'uniqueUsers'), 'value'))).to.equal('2,345');
    expect(text(part(card(el, 'activeAgents'), 'value'))).to.equal('17');
    expect(text(part(card(el, 'avgCallsPerUser'), 'value'))).to.equal('52.6');
    expect(part(card(el, 'avgCallsPerUser'), 'value').title).to.equal('52.65');
  });

  it('shows the delta with a shape, a sign and words, and n/a when the previous period is 0', async () => {
    const { el } = await cardsWith(() => SAMPLE_KPIS);
    await waitUntil(() => cardsOf(el).length === 4);
    const up = part(card(el, 'totalCalls'), 'delta');
    expect(text(up)).to.equal('▲ +12.3% vs previous 30 days');
    expect(up.classList.contains('up')).to.be.true;
    const down = part(card(el, 'uniqueUsers'), 'delta');
    expect(text(down)).to.equal('▼ -6.2% vs previous 30 days');
    expect(down.classList.contains('down')).to.be.true;
    expect(getComputedStyle(up).color).not.to.equal(getComputedStyle(down).color);
    const na = part(card(el, 'activeAgents'), 'delta');
    expect(text(na)).to.equal('n/a vs previous 30 days');
    expect(card(el, 'activeAgents').getAttribute('aria-label')).to.contain('not available');
    expect(text(part(card(el, 'avgCallsPerUser'), 'delta'))).to.equal('▲ +19.7% vs previous 30 days');
  });

  it('paints the precomputed result synchronously, before the query answers', async () => {
    const { el, client } = await cardsWith(() => never<Kpis>(), SAMPLE_KPIS);
    // fixture() awaited only the first update: the cards are already there.
    expect(cardsOf(el)).to.have.length(4);
    expect(text(part(card(el, 'totalCalls'), 'value'))).to.equal('123.5K');
    expect(client.runs).to.have.length(1); // and the real query was started
  });

  it('shows a loading skeleton while the query runs', async () => {
    const { el } = await cardsWith(() => never<Kpis>());
    expect(el.shadowRoot!.querySelectorAll('[part~="skeleton"]')).to.have.length(4);
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    expect(text(el.shadowRoot!.querySelector('[role="status"]'))).to.contain('Loading');
  });

  it('shows an empty state when nothing matches', async () => {
    const { el } = await cardsWith(() => EMPTY_KPIS);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="empty"]'));
    expect(text(el.shadowRoot!.querySelector('[part="empty"]'))).to.contain('No API calls match these filters in the last 30 days');
    expect(cardsOf(el)).to.have.length(0);
  });

  it('shows an error with its code and retries', async () => {
    const err = Object.assign(new Error('query failed: Binder Error'), { code: 'query_failed' });
    const { el, client } = await cardsWith((_f, call) => (call === 0 ? Promise.reject(err) : SAMPLE_KPIS));
    await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'));
    const panel = el.shadowRoot!.querySelector('[part="error"]')!;
    expect(panel.getAttribute('role')).to.equal('alert');
    expect(text(panel)).to.contain('query failed: Binder Error');
    expect(text(panel.querySelector('code'))).to.equal('query_failed');
    panel.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitUntil(() => cardsOf(el).length === 4, 'retry did not render the cards');
    expect(client.runs).to.have.length(2);
  });

  it('renders hostile strings from errors as text', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const { el } = await cardsWith(() => Promise.reject(new Error(hostile)));
    await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'));
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(text(el.shadowRoot!.querySelector('.error-message'))).to.equal(hostile);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });

  it('emits usage-drilldown with the metric and a copy of the filters on click and Enter', async () => {
    const filters = defaultFilters({ departments: ['dept-eng'] });
    const { el } = await cardsWith(() => SAMPLE_KPIS, undefined, filters);
    await waitUntil(() => cardsOf(el).length === 4);
    setTimeout(() => card(el, 'uniqueUsers').click());
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.detail).to.deep.equal({ kind: 'kpi', metric: 'uniqueUsers', filters });
    expect(ev.detail.filters).not.to.equal(filters);
    expect(ev.bubbles && ev.composed).to.be.true;

    card(el, 'activeAgents').focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev2 = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev2.detail).to.include({ kind: 'kpi', metric: 'activeAgents' });
  });

  it('is one Tab stop; the arrow keys reach every card in order', async () => {
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.prepend(before);
    try {
      const { el } = await cardsWith(() => SAMPLE_KPIS);
      await waitUntil(() => cardsOf(el).length === 4);
      before.focus();
      const now = () => (el.shadowRoot!.activeElement as HTMLElement | null)?.dataset.metric ?? 'none';
      await sendKeys({ press: 'Tab' });
      const reached = [now()];
      for (let i = 0; i < 3; i++) {
        await sendKeys({ press: 'ArrowRight' });
        reached.push(now());
      }
      expect(reached).to.deep.equal([...METRICS]);
      expect(cardsOf(el).filter((c) => c.tabIndex === 0)).to.have.length(1);
      await sendKeys({ press: 'Home' });
      expect(now()).to.equal(METRICS[0]);
      await sendKeys({ press: 'Tab' });
      expect(now(), 'Tab leaves the cards').to.equal('none');
    } finally {
      before.remove();
    }
  });

  it('takes the client and the filters from <usage-provider>, and follows usage-filter-change', async () => {
    const client = fakeClient((f) => (f.environments.includes('staging') ? EMPTY_KPIS : SAMPLE_KPIS));
    const provider = await fixture<UsageProvider>(html` <usage-provider .client=${asDataClient(client)}><usage-kpi-cards></usage-kpi-cards></usage-provider> `);
    const el = provider.querySelector('usage-kpi-cards')!;
    await waitUntil(() => cardsOf(el).length === 4, 'cards did not render from context');
    expect(client.runs[0]).to.deep.equal(DEFAULT_FILTERS);

    el.emit('usage-filter-change', { detail: { filters: { environments: ['staging'] } } });
    await elementUpdated(provider);
    expect(provider.filters.environments).to.deep.equal(['staging']);
    expect(provider.filters.agentStatuses).to.deep.equal(['active']);
    await waitUntil(() => el.shadowRoot!.querySelector('[part="empty"]'), 'cards did not rerun with the new filters');
    expect(client.runs.at(-1)!.environments).to.deep.equal(['staging']);
  });

  it('says the KPIs are unavailable (with the code) when the provider failed to load', async () => {
    const { source } = await fakeSnapshot({ tamper: 'requests' });
    const provider = await fixture<UsageProvider>(html`
      <usage-provider .source=${source} .connector=${new FakeConnector()}><usage-kpi-cards></usage-kpi-cards></usage-provider>
    `);
    const el = provider.querySelector('usage-kpi-cards')!;
    await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'cards did not show the load failure');
    expect(text(el.shadowRoot!.querySelector('[part="error"]'))).to.equal('The KPIs are unavailable: the usage data could not be loaded (checksum_mismatch).');
    expect(el.shadowRoot!.querySelector('[part="retry-button"]'), 'the provider owns the retry').to.equal(null);
    await expect(provider).to.be.accessible();
  });

  describe('never shows a figure under a period it was not computed for', () => {
    /**
     * Like UsageDataClient while DuckDB-WASM starts: precomputed rows exist for the default 30 days
     * only, and run() answers them at once; anything else is answered as `answer` says.
     */
    function engineStarting(answer: (f: UsageFilters) => Kpis | Promise<Kpis>) {
      const runs: UsageFilters[] = [];
      const precomputed = (_m: unknown, f: UsageFilters) =>
        'preset' in f.timeRange && f.timeRange.preset === '30d' && f.departments.length === 0 && f.environments.length === 1 ? SAMPLE_KPIS : undefined;
      return { runs, precomputed, run: async (m: unknown, f: UsageFilters) => (runs.push(f), precomputed(m, f) ?? answer(f)) };
    }
    const DAYS_7 = defaultFilters({ timeRange: { preset: '7d' } });
    const OTHER_7D: Kpis = { ...SAMPLE_KPIS, totalCalls: { value: 777, previous: 700, delta: 0.1 } };

    /** Every card's value with the period its delta names, e.g. ['123,456', 'previous 30 days']. */
    const shownPairs = (el: UsageKpiCards) =>
      cardsOf(el).map((c) => [part(c, 'value').title, text(c.querySelector('.delta-note')).replace(/^vs /, '')] as const);

    it('switching 30 → 7 days while the engine starts shows a pending state, not the 30-day figures under "previous 7 days"', async () => {
      let release7d!: (k: Kpis) => void;
      const client = engineStarting((f) => (f === DAYS_7 ? new Promise<Kpis>((r) => (release7d = r)) : never<Kpis>()));
      const el = await fixture<UsageKpiCards>(html`<usage-kpi-cards .client=${client}></usage-kpi-cards>`);
      expect(shownPairs(el)[0]).to.deep.equal(['123,456', 'previous 30 days']);

      el.filters = DAYS_7;
      await el.updateComplete;
      for (const [value, period] of shownPairs(el)) expect(period === 'previous 7 days' && value === '123,456', `${value} shown under ${period}`).to.be.false;
      expect(el.shadowRoot!.querySelectorAll('[part~="skeleton"]')).to.have.length(4);
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');

      release7d(OTHER_7D);
      await waitUntil(() => cardsOf(el).length === 4, '7-day cards did not render');
      expect(shownPairs(el)[0]).to.deep.equal(['777', 'previous 7 days']);
    });

    it('after a completed 30-day answer, a pending 7-day query does not relabel the 30-day figures', async () => {
      const client = engineStarting((f) => (f === DAYS_7 ? never<Kpis>() : SAMPLE_KPIS));
      const el = await fixture<UsageKpiCards>(
        html`<usage-kpi-cards .client=${client} .filters=${defaultFilters({ departments: ['dept-a'] })}></usage-kpi-cards>`,
      );
      await waitUntil(() => cardsOf(el).length === 4, 'cards did not render');
      el.filters = DAYS_7;
      await el.updateComplete;
      expect(shownPairs(el).filter(([, period]) => period === 'previous 7 days')).to.deep.equal([]);
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
    });

    it('keeps the figures (busy) with their own period label while another filter of the same period reruns', async () => {
      const client = engineStarting((f) => (f.departments.length ? never<Kpis>() : SAMPLE_KPIS));
      const el = await fixture<UsageKpiCards>(html`<usage-kpi-cards .client=${client} .filters=${defaultFilters({ environments: [] })}></usage-kpi-cards>`);
      await waitUntil(() => cardsOf(el).length === 4, 'cards did not render');
      el.filters = defaultFilters({ environments: [], departments: ['dept-a'] });
      await el.updateComplete;
      expect(shownPairs(el)[0]).to.deep.equal(['123,456', 'previous 30 days']);
      expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('true');
      expect(cardsOf(el)[0].getAttribute('part')).to.equal('card stale');
    });
  });

  it('uses a theme token for the card surface and parts for styling', async () => {
    const { el } = await cardsWith(() => SAMPLE_KPIS);
    await waitUntil(() => cardsOf(el).length === 4);
    el.style.setProperty('--usage-kpi-background', 'rgb(1, 2, 3)');
    expect(getComputedStyle(card(el, 'totalCalls')).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(card(el, 'totalCalls').getAttribute('part')).to.equal('card');
  });
});

// ---------------------------------------------------------------------------------------------
// Against the real generated snapshot (.data/test-snapshot), counted independently in plain JS.

interface Expected {
  calls: number;
  users: number;
  agents: number;
  prevCalls: number;
  prevUsers: number;
  prevAgents: number;
}

async function fetchTable(url: string): Promise<Table> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}

/** Epoch ms of an Arrow timestamp cell, whatever the Arrow build hands back. */
function toMs(v: unknown, unitDivisor: number): number {
  if (typeof v === 'bigint') return Number(v) / unitDivisor;
  if (v instanceof Date) return v.getTime();
  return Number(v);
}

/** Counts the KPIs under production + active agents for [end - days, end) and the period before. */
async function countKpis(days: number): Promise<{ expected: Expected; manifest: { time_range: { end: string } } }> {
  const res = await fetch(SNAPSHOT);
  if (!res.ok) {
    throw new Error(
      `${SNAPSHOT} → HTTP ${res.status}: generate it with pnpm exporter demo --requests 20000 --days 120 --seed 7 --end 2026-11-01T00:00:00Z --out .data/test-snapshot`,
    );
  }
  const manifest = (await res.json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
  const base = new URL(SNAPSHOT, location.href);
  const [requests, agents] = await Promise.all([
    fetchTable(new URL(manifest.tables.requests.file, base).href),
    fetchTable(new URL(manifest.tables.agents.file, base).href),
  ]);
  const active = new Set<string>();
  const agentId = agents.getChild('agent_id')!;
  const status = agents.getChild('agent_status')!;
  for (let i = 0; i < agents.numRows; i++) if (String(status.get(i)) === 'active') active.add(String(agentId.get(i)));

  const end = Date.parse(manifest.time_range.end);
  const span = days * 86_400_000;
  const start = end - span;
  const prevStart = start - span;
  const ts = requests.getChild('ts')!;
  const env = requests.getChild('environment')!;
  const user = requests.getChild('user_id')!;
  const agent = requests.getChild('agent_id')!;
  const tsType = String(requests.schema.fields.find((f) => f.name === 'ts')!.type);
  const divisor = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
  const cur = { calls: 0, users: new Set<string>(), agents: new Set<string>() };
  const prev = { calls: 0, users: new Set<string>(), agents: new Set<string>() };
  for (let i = 0; i < requests.numRows; i++) {
    if (env.get(i) !== 'production') continue;
    const a = String(agent.get(i));
    if (!active.has(a)) continue;
    const t = toMs(ts.get(i), divisor);
    const bucket = t >= start && t < end ? cur : t >= prevStart && t < start ? prev : undefined;
    if (!bucket) continue;
    bucket.calls++;
    bucket.users.add(String(user.get(i)));
    bucket.agents.add(a);
  }
  return {
    manifest,
    expected: {
      calls: cur.calls,
      users: cur.users.size,
      agents: cur.agents.size,
      prevCalls: prev.calls,
      prevUsers: prev.users.size,
      prevAgents: prev.agents.size,
    },
  };
}

const fullNumber = (v: number, decimals = 0) => new Intl.NumberFormat('en-US', { maximumFractionDigits: decimals }).format(v);
const deltaText = (cur: number, prev: number) => {
  if (prev === 0) return 'n/a';
  const pct = Math.round(((cur - prev) / prev) * 1000) / 10;
  return pct > 0 ? `▲ +${pct.toFixed(1)}%` : pct < 0 ? `▼ -${Math.abs(pct).toFixed(1)}%` : `▬ ${pct.toFixed(1)}%`;
};

async function providerWithCards(filters?: UsageFilters) {
  const provider = await fixture<UsageProvider>(html`
    <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${filters ?? defaultFilters()}>
      <usage-kpi-cards></usage-kpi-cards>
    </usage-provider>
  `);
  const el = provider.querySelector('usage-kpi-cards')!;
  return { provider, el };
}

function expectCards(el: UsageKpiCards, e: Expected, days: number) {
  const period = `vs previous ${days} days`;
  const avg = e.users === 0 ? 0 : e.calls / e.users;
  const prevAvg = e.prevUsers === 0 ? 0 : e.prevCalls / e.prevUsers;
  const rows: [string, number, number, number][] = [
    ['totalCalls', e.calls, e.prevCalls, 0],
    ['uniqueUsers', e.users, e.prevUsers, 0],
    ['activeAgents', e.agents, e.prevAgents, 0],
    ['avgCallsPerUser', avg, prevAvg, 2],
  ];
  for (const [metric, cur, prev, decimals] of rows) {
    const c = card(el, metric);
    expect(part(c, 'value').title, `${metric} value`).to.equal(fullNumber(cur, decimals));
    expect(c.getAttribute('aria-label'), `${metric} aria-label`).to.contain(fullNumber(cur, decimals));
    expect(text(part(c, 'delta')), `${metric} delta`).to.equal(`${deltaText(cur, prev)} ${period}`);
  }
}

describe('<usage-kpi-cards> after a load failure', () => {
  it('shows the load failure (not "Loading usage KPIs…" forever) when the tables stall, also after a filter change', async () => {
    const id = `kpi${Date.now()}`;
    await fetch(`/__flaky/${id}/set?file=snapshot.duckdb&mode=stall`);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${`/__flaky/${id}/snapshot/manifest.json`} bundle-base=${BUNDLES} stall-timeout="1"
        ><usage-kpi-cards></usage-kpi-cards
      ></usage-provider>
    `);
    const el = provider.querySelector('usage-kpi-cards')!;
    const status = () => text(el.shadowRoot!.querySelector('[role="status"]'));
    await waitUntil(() => cardsOf(el).length === 4, 'precomputed cards did not paint', { timeout: 20_000 });
    // A filter the snapshot did not precompute: it waits for the tables, which never come.
    el.emit('usage-filter-change', { detail: { filters: { timeRange: { preset: '7d' } } } });
    await waitUntil(() => status() === 'Loading usage KPIs…', 'the 7-day query did not start');
    await waitUntil(() => provider.loadStatus.state === 'error', 'the stalled load did not fail', { timeout: 20_000 });
    await waitUntil(() => el.shadowRoot!.querySelector('[part="error"]'), 'the cards did not show the failure');
    expect(text(el.shadowRoot!.querySelector('[part="error"]'))).to.equal('The KPIs are unavailable: the usage data could not be loaded (fetch_timeout).');
    expect(status()).to.equal('');
    el.emit('usage-filter-change', { detail: { filters: { timeRange: { preset: '90d' } } } });
    await new Promise((r) => setTimeout(r, 300));
    expect(status(), 'a filter change after the failure').to.equal('');
    expect(text(el.shadowRoot!.querySelector('[part="error"]'))).to.contain('fetch_timeout');
    expect(el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy')).to.equal('false');
  });
});

describe('<usage-kpi-cards> over the real test snapshot', () => {
  it('renders the KPIs of the default view (production, active agents, last 30 days)', async () => {
    const { expected } = await countKpis(30);
    expect(expected.calls, 'the snapshot has requests in the last 30 days').to.be.greaterThan(0);
    const { provider, el } = await providerWithCards();
    await waitUntil(() => cardsOf(el).length === 4, 'KPI cards did not render', { timeout: 60_000, interval: 100 });
    expectCards(el, expected, 30);
    await waitUntil(() => provider.loadStatus.state === 'ready', 'snapshot did not finish loading', { timeout: 60_000, interval: 100 });
    await expect(provider).to.be.accessible();
  });

  it('runs a non-precomputed filter through DuckDB-WASM and matches the count (last 7 days)', async () => {
    const { expected } = await countKpis(7);
    const filters = defaultFilters({ timeRange: { preset: '7d' } });
    const { provider, el } = await providerWithCards(filters);
    await waitUntil(() => provider.loadStatus.state === 'ready' || provider.loadStatus.state === 'error', 'no load', { timeout: 60_000, interval: 100 });
    expect(provider.loadStatus.error).to.equal(undefined);
    await waitUntil(() => cardsOf(el).length === 4 && el.shadowRoot!.querySelector('[part="base"]')!.getAttribute('aria-busy') === 'false', 'cards', {
      timeout: 60_000,
      interval: 100,
    });
    expectCards(el, expected, 7);
  });
});
