/**
 * Saved segments (A2.3) as filters, in real Chromium against the REAL actions service
 * (scripts/wtr-actions.mjs, on the test snapshot) and real DuckDB-WASM: a segment created through
 * the service appears in the filter bar's "User segment" list under "Saved segments" (its hostile
 * name inert text); selecting it shows a chip and the KPI cards' unique users and calls equal plain
 * code over the snapshot's Arrow rows for its members; a `usage-action-complete` for
 * `create-segment` refreshes the list; a link's `ss=` ids are resolved once listed, unknown ones
 * dropped with a console warning.
 */
import { elementUpdated, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { CreateSegmentResult, newIdempotencyKey, type SavedSegment } from '@usage-analytics/actions';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageFilterBar from '../src/components/filter-bar/filter-bar.component.js';
import type UsageKpiCards from '../src/components/kpi-cards/kpi-cards.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import { defaultFilters, normaliseSegmentCriteria, type SavedSegmentFilter } from '@usage-analytics/queries';
import type { UsageFilterChangeEvent } from '../src/events/usage-filter-change.js';
import { actionsSession, api, clientFor, type Session } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';

const SNAPSHOT = '/.data/test-snapshot/manifest.json';
const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';
const LONG = { timeout: 60_000, interval: 100 };
const DAY_MS = 86_400_000;
const HOSTILE = '<img src=x onerror="window.__pwned=1"> Heavy users ‮';

const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

interface Row {
  ms: number;
  user: string;
  agent: string;
  env: string;
}
interface Snapshot {
  endMs: number;
  rows: Row[];
  activeAgents: Set<string>;
}

let snapshot: Promise<Snapshot> | undefined;
/** The test snapshot's requests and agents, read with apache-arrow (no DuckDB). */
function loadSnapshot(): Promise<Snapshot> {
  snapshot ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const table = async (name: string): Promise<Table> =>
      tableFromIPC(new Uint8Array(await (await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href)).arrayBuffer()));
    const [requests, agents] = await Promise.all([table('requests'), table('agents')]);
    const col = (t: Table, c: string) => t.getChild(c)!;
    const [ts, user, agent, env] = ['ts', 'user_id', 'agent_id', 'environment'].map((c) => col(requests, c));
    const rows: Row[] = Array.from({ length: requests.numRows }, (_, i) => ({
      ms: Number(ts.get(i)), // Timestamp(µs) reads as epoch ms (with the µs as a fraction)
      user: String(user.get(i)),
      agent: String(agent.get(i)),
      env: String(env.get(i)),
    }));
    const activeAgents = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(col(agents, 'agent_status').get(i)) === 'active') activeAgents.add(String(col(agents, 'agent_id').get(i)));
    return { endMs: Date.parse(manifest.time_range.end), rows, activeAgents };
  })();
  return snapshot;
}

/** Members of `{requests: {min}}` over the last 30 days (any department: the caller has `*`). */
function membersWithAtLeast(s: Snapshot, min: number): Set<string> {
  const n = new Map<string, number>();
  for (const r of s.rows) if (r.ms >= s.endMs - 30 * DAY_MS && r.ms < s.endMs) n.set(r.user, (n.get(r.user) ?? 0) + 1);
  return new Set([...n].filter(([, k]) => k >= min).map(([u]) => u));
}

/** The default view (30 d, production, active agents) of the members: calls and unique users. */
function kpisOf(s: Snapshot, members: Set<string>) {
  const rows = s.rows.filter(
    (r) => r.ms >= s.endMs - 30 * DAY_MS && r.ms < s.endMs && r.env === 'production' && s.activeAgents.has(r.agent) && members.has(r.user),
  );
  return { calls: rows.length, users: new Set(rows.map((r) => r.user)).size };
}

let runId = 0;
/**
 * A Business Analyst of every department, a user of their own (the list shows their segments and the fleet's).
 * Other test files share the service and may have shared segments with the fleet: the tests compare
 * with what the service lists for this user, not with an empty list.
 */
const analyst = () => actionsSession(`roles=business_analyst&departments=*&user=seg-${Date.now()}-${runId++}`);

async function createSegment(s: Session, name: string, criteria: unknown): Promise<SavedSegment> {
  const res = await clientFor(s).perform('create-segment', { name, criteria, sharing: 'private' }, CreateSegmentResult, {
    idempotencyKey: newIdempotencyKey(),
  });
  return res.segment;
}

const barRoot = (bar: UsageFilterBar) => bar.shadowRoot!;
const cardValue = (cards: UsageKpiCards, metric: string) => cards.shadowRoot!.querySelector<HTMLElement>(`[data-metric="${metric}"] [part="value"]`)?.title;

describe('saved segments in the filter bar (real actions service, real DuckDB-WASM)', () => {
  it('lists a segment created through the service, filters the KPIs to its members (= plain code) and refreshes on create-segment', async () => {
    const s = await analyst();
    const snap = await loadSnapshot();
    const seg = await createSegment(s, HOSTILE, { requests: { min: 8 } });
    const members = membersWithAtLeast(snap, 8);
    expect(members.size, 'the criteria select someone').to.be.greaterThan(0);
    expect(seg.usersAtSave, "the service's count at save = plain code").to.equal(members.size);

    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .actions=${clientFor(s)}>
        <usage-filter-bar></usage-filter-bar>
        <usage-kpi-cards></usage-kpi-cards>
      </usage-provider>
    `);
    const bar = provider.querySelector('usage-filter-bar')!;
    const cards = provider.querySelector('usage-kpi-cards')!;
    await waitUntil(() => provider.savedSegments?.state === 'ready', 'the saved segments did not load', LONG);
    const listed = (await api<SavedSegment[]>(s, 'GET', '/v1/segments')).body;
    expect(listed.map((x) => x.id)).to.include(seg.id);
    expect(provider.savedSegments!.segments.map((x) => x.id)).to.have.members(listed.map((x) => x.id));
    const at = 4 + provider.savedSegments!.segments.findIndex((x) => x.id === seg.id);

    // The list: the four engagement segments, then the group "Saved segments" with the name as text.
    (barRoot(bar).querySelector('#userSegments-trigger') as HTMLButtonElement).click();
    await elementUpdated(bar);
    const listbox = barRoot(bar).querySelector('#userSegments-listbox')!;
    const options = [...listbox.querySelectorAll('[role="option"]')];
    expect(options.map(text)).to.deep.equal([
      'Power (top 10%)',
      'Regular',
      'New (30d)',
      'Dormant (30d+)',
      ...provider.savedSegments!.segments.map((x) => text({ textContent: x.name } as Element)),
    ]);
    expect(text(options[at])).to.equal(text({ textContent: HOSTILE } as Element));
    const group = listbox.querySelector('[role="group"]')!;
    expect(text(barRoot(bar).getElementById(group.getAttribute('aria-labelledby')!))).to.equal('Saved segments');
    expect(group.contains(options[at])).to.equal(true);
    expect(listbox.querySelector('img'), 'the name is text, not markup').to.equal(null);
    await expect(bar).to.be.accessible();

    // Select it: the provider's filters carry its criteria, a chip names it, the KPIs are its members'.
    await waitUntil(() => cardValue(cards, 'uniqueUsers') !== undefined, 'the KPI cards did not paint', LONG);
    (options[at] as HTMLElement).click();
    await elementUpdated(bar);
    expect(provider.filters.savedSegments.map((x) => [x.id, x.name])).to.deep.equal([[seg.id, HOSTILE]]);
    expect(provider.filters.savedSegments[0].criteria.requests).to.deep.equal({ min: 8 });
    const chips = [...barRoot(bar).querySelectorAll('[part="chip"]')].map(text);
    expect(chips).to.deep.include(`Saved segment: ${text({ textContent: HOSTILE } as Element)} ×`);
    const want = kpisOf(snap, members);
    expect(want.users, 'members in the default view').to.be.greaterThan(0);
    await waitUntil(() => cardValue(cards, 'uniqueUsers') === nf.format(want.users), `unique users never became ${want.users}`, LONG);
    expect(cardValue(cards, 'totalCalls')).to.equal(nf.format(want.calls));
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);

    // Another segment created elsewhere; a create-segment completion bubbling up refreshes the list.
    const second = await createSegment(s, 'Light users', { requests: { max: 2 } });
    cards.dispatchEvent(
      new CustomEvent('usage-action-complete', { detail: { action: 'create-segment', result: { segment: second } }, bubbles: true, composed: true }),
    );
    await waitUntil(() => provider.savedSegments?.segments.some((x) => x.id === second.id), 'the list did not refresh', LONG);
    await elementUpdated(bar);
    expect([...barRoot(bar).querySelectorAll('#userSegments-listbox [role="group"] [role="option"]')].map(text)).to.include.members([
      text({ textContent: HOSTILE } as Element),
      'Light users',
    ]);

    // Removing the chip removes the filter.
    (barRoot(bar).querySelector('[part="chip-remove"]') as HTMLButtonElement).click();
    await elementUpdated(bar);
    expect(provider.filters.savedSegments).to.deep.equal([]);
  });

  it('standalone (savedSegments property): keyboard reaches the group, search finds a name, the change carries the criteria', async () => {
    const segments: SavedSegmentFilter[] = [
      { id: 'a', name: 'Alpha <i>team</i>', criteria: normaliseSegmentCriteria({ requests: { min: 3 } }) },
      { id: 'b', name: 'Beta', criteria: normaliseSegmentCriteria({ windowDays: 7, engagement: ['new'] }) },
    ];
    const bar = await fixture<UsageFilterBar>(
      html`<usage-filter-bar .filters=${defaultFilters()} .savedSegments=${{ state: 'ready', segments }}></usage-filter-bar>`,
    );
    const seen: UsageFilterChangeEvent['detail'][] = [];
    bar.addEventListener('usage-filter-change', (e) => void seen.push(e.detail));
    (barRoot(bar).querySelector('#userSegments-trigger') as HTMLButtonElement).focus();
    await sendKeys({ press: 'ArrowDown' });
    await elementUpdated(bar);
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'Space' }); // Beta
    await elementUpdated(bar);
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'Enter' }); // Power
    await elementUpdated(bar);
    await sendKeys({ type: 'alpha' }); // type-ahead into the search: only Alpha is left
    await elementUpdated(bar);
    expect([...barRoot(bar).querySelectorAll('#userSegments-listbox [role="option"]')].map(text)).to.deep.equal(['Alpha <i>team</i>']);
    await sendKeys({ press: 'Enter' });
    await elementUpdated(bar);
    expect(seen.map((d) => [d.filters.userSegments, d.filters.savedSegments?.map((x) => x.id)])).to.deep.equal([
      [[], ['b']],
      [['power'], ['b']],
      [['power'], ['b', 'a']],
    ]);
    expect(bar.filters!.savedSegments.map((x) => x.criteria)).to.deep.equal([segments[1].criteria, segments[0].criteria]);
    expect(text(barRoot(bar).querySelector('#userSegments-value'))).to.equal('3 selected');
    expect(barRoot(bar).querySelector('i'), 'names are text').to.equal(null);
  });

  it('without an actions client the list has no saved segments', async () => {
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES}><usage-filter-bar></usage-filter-bar></usage-provider>
    `);
    const bar = provider.querySelector('usage-filter-bar')!;
    await elementUpdated(bar);
    expect(provider.savedSegments).to.equal(undefined);
    expect(barRoot(bar).querySelector('#userSegments-listbox [role="group"]')).to.equal(null);
    expect([...barRoot(bar).querySelectorAll('#userSegments-listbox [role="option"]')].length).to.equal(4);
  });

  it('says so in the list when the service cannot be reached; another action completing does not reload', async () => {
    const s = await analyst();
    const { url: closed } = (await (await fetch('/__actions/closed-port')).json()) as { url: string };
    const provider = await fixture<UsageProvider>(html`
      <usage-provider .actions=${clientFor(s, closed)}><usage-filter-bar></usage-filter-bar></usage-provider>
    `);
    const bar = provider.querySelector('usage-filter-bar')!;
    await waitUntil(() => provider.savedSegments?.state === 'error', 'the failure was not reported', LONG);
    await elementUpdated(bar);
    const note = barRoot(bar).querySelector('[part="saved-segments-note"]');
    expect(text(note)).to.match(/^Saved segments could not be loaded: The actions service at .* could not be reached/);
    expect(note!.getAttribute('role')).to.equal('alert');
    // Pointed at the real service: listed (none yet for this user); a deprecation completing does not reload.
    provider.actions = clientFor(s);
    await waitUntil(() => provider.savedSegments?.state === 'ready', 'the list did not load', LONG);
    const list = provider.savedSegments;
    bar.dispatchEvent(new CustomEvent('usage-action-complete', { detail: { action: 'deprecate-agent', result: {} }, bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(provider.savedSegments).to.equal(list);
    await elementUpdated(bar);
    // None of this user's own; the fleet's (from other test files sharing the service) may be there.
    const listed = (await api<SavedSegment[]>(s, 'GET', '/v1/segments')).body;
    expect(list!.segments.map((x) => x.id)).to.have.members(listed.map((x) => x.id));
    if (listed.length === 0) expect(text(barRoot(bar).querySelector('[part="saved-segments-note"]'))).to.equal('No saved segments yet.');
    else expect(listed.every((x) => x.sharing === 'fleet')).to.equal(true);
  });

  it("resolves a link's saved-segment ids once listed; an unknown id is dropped with a warning", async () => {
    const s = await analyst();
    const snap = await loadSnapshot();
    const seg = await createSegment(s, 'Linked', { requests: { min: 12 } });
    const before = location.href;
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
    try {
      history.replaceState(null, '', `${location.pathname}?ss=${encodeURIComponent(seg.id)},no-such-segment&keep=1`);
      const tab = await fixture<UsageAnalytics>(html`<usage-analytics src=${SNAPSHOT} bundle-base=${BUNDLES} .actions=${clientFor(s)}></usage-analytics>`);
      await waitUntil(() => tab.filters.savedSegments?.length === 1, 'the link was not resolved', LONG);
      expect(tab.filters.savedSegments[0]).to.include({ id: seg.id, name: 'Linked' });
      expect(warnings.join('\n')).to.contain('"no-such-segment"');
      expect(warnings.join('\n')).not.to.contain(JSON.stringify(seg.id));
      const params = new URLSearchParams(location.search);
      expect(params.get('ss')).to.equal(seg.id);
      expect(params.get('keep')).to.equal('1');
      // The KPI cards of the tab show the members' numbers.
      const cards = tab.shadowRoot!.querySelector('usage-kpi-cards')!;
      const want = kpisOf(snap, membersWithAtLeast(snap, 12));
      await waitUntil(() => cardValue(cards, 'uniqueUsers') === nf.format(want.users), `unique users never became ${want.users}`, LONG);
    } finally {
      console.warn = warn;
      history.replaceState(null, '', before);
    }
  });
});
