import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, type JourneySankey, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type UsageJourneySankey from '../src/components/journey-sankey/journey-sankey.component.js';
import type { JourneyLinkDrilldown, UsageDrilldownEvent } from '../src/events/usage-drilldown.js';
import type { UsageRequestSaveSegmentEvent } from '../src/events/usage-request-save-segment.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageJourneySankey) => el.shadowRoot!;
const frameOf = (el: UsageJourneySankey) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const links = (el: UsageJourneySankey) => [...root(el).querySelectorAll<SVGPathElement>('svg path.link')];
const nodes = (el: UsageJourneySankey) => [...root(el).querySelectorAll<SVGGElement>('svg g.node')];
const tooltip = (el: UsageJourneySankey) => root(el).querySelector<HTMLElement>('[role="tooltip"]');
const deepActive = () => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---- independent figures from the snapshot's Arrow files (no DuckDB, no query module)

interface Sess {
  id: string;
  user: string;
  start: number;
  seq: string[];
  env: string;
  exit: string;
}
let loaded: Promise<{ end: number; sessions: Sess[]; active: Set<string> }> | undefined;
function loadSessions() {
  loaded ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const table = async (name: string) => tableFromIPC(new Uint8Array(await (await fetch(new URL(manifest.tables[name].file, base))).arrayBuffer()));
    const [sessions, agents] = await Promise.all([table('sessions'), table('agents')]);
    const active = new Set<string>();
    for (let i = 0; i < agents.numRows; i++)
      if (String(agents.getChild('agent_status')!.get(i)) === 'active') active.add(String(agents.getChild('agent_id')!.get(i)));
    const tsType = String(sessions.schema.fields.find((f) => f.name === 'session_start')!.type);
    const div = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const [id, user, start, seq, env, exit] = ['session_id', 'user_id', 'session_start', 'agent_sequence', 'environment', 'exit_reason'].map((n) =>
      sessions.getChild(n)!,
    );
    const out: Sess[] = [];
    for (let i = 0; i < sessions.numRows; i++) {
      const v = start.get(i) as unknown;
      const list = seq.get(i) as Iterable<unknown> | null;
      out.push({
        id: String(id.get(i)),
        user: String(user.get(i)),
        start: typeof v === 'bigint' ? Number(v) / div : Number(v),
        seq: list ? [...list].map(String) : [],
        env: String(env.get(i)),
        exit: String(exit.get(i) ?? 'unknown'),
      });
    }
    return { end: Date.parse(manifest.time_range.end), sessions: out, active };
  })();
  return loaded;
}

interface Expected {
  sessions: number;
  users: number;
  allUsers: number;
  nodes: Map<string, { sessions: number; users: number; reasons?: Map<string, number> }>;
  links: Map<string, { sessions: number; users: number; ids: Sess[] }>;
}

/** The chart's figures under the PRD defaults (30 days, production, sessions touching an active agent). */
async function independent(topN = 8, steps = 10, anchor?: { mode: 'start' | 'end'; agentId: string }, agentIds?: string[]): Promise<Expected> {
  const { end, sessions, active } = await loadSessions();
  const inFilter = sessions.filter(
    (s) =>
      s.start >= end - 30 * DAY &&
      s.start < end &&
      s.env === 'production' &&
      s.seq.length > 0 &&
      (agentIds ? s.seq.some((a) => agentIds.includes(a)) : s.seq.some((a) => active.has(a))),
  );
  const wins: { s: Sess; cells: [number, string][]; ended: boolean }[] = [];
  for (const s of inFilter) {
    let from = 0;
    let to = Math.min(s.seq.length, steps);
    let col = 1;
    if (anchor?.mode === 'start') {
      from = s.seq.indexOf(anchor.agentId);
      if (from < 0) continue;
      to = Math.min(s.seq.length, from + steps);
    } else if (anchor?.mode === 'end') {
      to = s.seq.lastIndexOf(anchor.agentId) + 1;
      if (to === 0) continue;
      from = Math.max(0, to - steps);
      col = steps - (to - from) + 1;
    }
    wins.push({ s, cells: s.seq.slice(from, to).map((a, i) => [col + i, a]), ended: to === s.seq.length });
  }
  const count = new Map<string, number>();
  for (const w of wins) for (const [c, a] of w.cells) count.set(`${c}\u0000${a}`, (count.get(`${c}\u0000${a}`) ?? 0) + 1);
  const kept = new Set<string>();
  const byCol = new Map<number, [string, number][]>();
  for (const [k, n] of count) {
    const [c, a] = k.split('\u0000');
    const list = byCol.get(Number(c)) ?? [];
    byCol.set(Number(c), list);
    list.push([a, n]);
  }
  for (const [c, list] of byCol) for (const [a] of list.sort((x, y) => y[1] - x[1] || cmp(x[0], y[0])).slice(0, topN)) kept.add(`${c}\u0000${a}`);
  const id = (c: number, a: string) => (kept.has(`${c}\u0000${a}`) ? `a:${c}:${a}` : `o:${c}`);
  const nodeSets = new Map<string, { sessions: number; users: Set<string>; reasons?: Map<string, number> }>();
  const linkSets = new Map<string, { sessions: number; users: Set<string>; ids: Sess[] }>();
  const add = <T extends { sessions: number; users: Set<string> }>(m: Map<string, T>, k: string, s: Sess, make: () => T) => {
    const t = m.get(k) ?? make();
    m.set(k, t);
    t.sessions++;
    t.users.add(s.user);
    return t;
  };
  for (const w of wins) {
    const ids = w.cells.map(([c, a]) => id(c, a));
    ids.forEach((n, i) => {
      add(nodeSets, n, w.s, () => ({ sessions: 0, users: new Set() }));
      if (i) add(linkSets, `${ids[i - 1]}>${n}`, w.s, () => ({ sessions: 0, users: new Set(), ids: [] })).ids.push(w.s);
    });
    const last = w.cells[w.cells.length - 1][0];
    const t = w.ended ? `x:${last}` : 'c';
    const node = add(nodeSets, t, w.s, () => ({ sessions: 0, users: new Set(), reasons: new Map() }));
    if (w.ended) node.reasons!.set(w.s.exit, (node.reasons!.get(w.s.exit) ?? 0) + 1);
    add(linkSets, `${ids[ids.length - 1]}>${t}`, w.s, () => ({ sessions: 0, users: new Set(), ids: [] })).ids.push(w.s);
  }
  return {
    sessions: wins.length,
    users: new Set(wins.map((w) => w.s.user)).size,
    allUsers: new Set(inFilter.map((s) => s.user)).size,
    nodes: new Map([...nodeSets].map(([k, v]) => [k, { sessions: v.sessions, users: v.users.size, reasons: v.reasons }])),
    links: new Map([...linkSets].map(([k, v]) => [k, { sessions: v.sessions, users: v.users.size, ids: v.ids }])),
  };
}

function expectMatches(d: JourneySankey, want: Expected) {
  expect(d.sessions).to.equal(want.sessions);
  expect(d.users).to.equal(want.users);
  expect(d.allUsers).to.equal(want.allUsers);
  expect(d.nodes.map((n) => n.id).sort()).to.deep.equal([...want.nodes.keys()].sort());
  for (const n of d.nodes) {
    const w = want.nodes.get(n.id)!;
    expect([n.sessions, n.users], n.id).to.deep.equal([w.sessions, w.users]);
    expect(n.usersPct, n.id).to.be.closeTo((100 * w.users) / want.allUsers, 1e-9);
    if (n.kind === 'exit') expect(Object.fromEntries(n.reasons.map((r) => [r.reason, r.sessions]))).to.deep.equal(Object.fromEntries(w.reasons!));
  }
  expect(d.links.map((l) => `${l.source}>${l.target}`).sort()).to.deep.equal([...want.links.keys()].sort());
  for (const l of d.links) {
    const w = want.links.get(`${l.source}>${l.target}`)!;
    expect([l.sessions, l.users], `${l.source}>${l.target}`).to.deep.equal([w.sessions, w.users]);
  }
}

let shared: Promise<UsageDataClient> | undefined;
const client = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

async function real(filters: UsageFilters = defaultFilters(), attrs: { topN?: number; anchor?: string } = {}) {
  const c = await client();
  const wrap = await fixture<HTMLDivElement>(
    html`<div style="width: 1100px">
      <usage-journey-sankey .client=${c} .filters=${filters} locale="en-US" top-n=${attrs.topN ?? 8} anchor-agent=${attrs.anchor ?? ''}></usage-journey-sankey>
    </div>`,
  );
  const el = wrap.querySelector('usage-journey-sankey')!;
  await painted(el);
  return el;
}

async function painted(el: UsageJourneySankey) {
  await waitUntil(
    () => el.data && el.layout && links(el).length === el.data.links.length && nodes(el).length === el.data.nodes.length,
    'the Sankey did not paint',
    LONG,
  );
  await elementUpdated(el);
}

describe('<usage-journey-sankey> on the real snapshot', () => {
  it('nodes, links, exits and users equal an independent count over the sessions; drawn, labelled, exported; accessible', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    expect(d.sessions).to.be.greaterThan(0);
    expectMatches(d, want);
    // Every node and link drawn, named with its sessions and users (text, not only colour), as counted independently.
    const nf = (n: number) => n.toLocaleString('en-US');
    links(el).forEach((p, i) => {
      const l = d.links[i];
      const w = want.links.get(`${l.source}>${l.target}`)!;
      expect(p.getAttribute('aria-label'), `${l.source}>${l.target}`).to.contain(
        `${nf(w.sessions)} ${w.sessions === 1 ? 'session' : 'sessions'}, ${nf(w.users)} ${w.users === 1 ? 'user' : 'users'} (`,
      );
    });
    nodes(el).forEach((g, i) => {
      const w = want.nodes.get(d.nodes[i].id)!;
      expect(g.getAttribute('aria-label'), d.nodes[i].id).to.contain(
        `${nf(w.sessions)} ${w.sessions === 1 ? 'session' : 'sessions'}, ${nf(w.users)} ${w.users === 1 ? 'user' : 'users'} (`,
      );
    });
    const busiest = d.links.filter((l) => l.target.startsWith('a:')).sort((a, b) => b.sessions - a.sessions)[0];
    const path = links(el)[d.links.indexOf(busiest)];
    expect(path.getAttribute('aria-label'))
      .to.contain(`${busiest.sessions.toLocaleString('en-US')} sessions`)
      .and.contain(`${busiest.users.toLocaleString('en-US')} user`);
    const exit = d.nodes.find((n) => n.kind === 'exit')!;
    const exitEl = nodes(el).find((g) => g.getAttribute('aria-label')!.startsWith(`Exit after step ${exit.step}:`))!;
    expect(exitEl.classList.contains('node-exit')).to.equal(true);
    expect(exitEl.querySelector('rect')!.getAttribute('fill')).to.match(/^url\(#/); // hatched
    expect(exitEl.getAttribute('aria-label')).to.contain(exit.reasons[0].reason === 'user_abandoned' ? 'abandoned' : exit.reasons[0].reason);
    expect([...root(el).querySelectorAll('svg [tabindex="0"]')]).to.have.length(1);
    expect(text(root(el).querySelector('[part="summary"]'))).to.contain(`${want.sessions.toLocaleString('en-US')} sessions`);
    expect(frameOf(el).rows).to.have.length(d.links.length);
    expect(
      frameOf(el)
        .csv()
        .replace(/^\uFEFF/, '')
        .split(/\r?\n/)[0],
    ).to.equal('Step,From,To (next step),Sessions,Users,Share of users %,Exit reasons');
    expect(frameOf(el).pngTarget!()).to.equal(root(el).querySelector('svg'));
    await expect(el).to.be.accessible();
  });

  it('a link click drills to its sessions; the panel lists them paged (independent ids) and "Save as segment" emits their users', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    const l = d.links.filter((x) => x.target.startsWith('a:')).sort((a, b) => b.sessions - a.sessions)[0];
    setTimeout(() => links(el)[d.links.indexOf(l)].dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })));
    const ev = (await oneEvent(el, 'usage-drilldown')) as UsageDrilldownEvent;
    expect(ev.cancelable && ev.bubbles && ev.composed).to.equal(true);
    const detail = ev.detail as JourneyLinkDrilldown;
    const src = d.nodes.find((n) => n.id === l.source)!;
    const tgt = d.nodes.find((n) => n.id === l.target)!;
    expect(detail).to.deep.include({
      kind: 'journey-link',
      step: src.step,
      source: src.agentId,
      targetKind: 'agent',
      target: tgt.agentId,
      sessions: l.sessions,
      topN: 8,
      steps: 10,
      anchor: null,
    });
    expect(detail.filters).to.deep.equal(defaultFilters());

    const expected = want.links.get(`${l.source}>${l.target}`)!.ids.sort((a, b) => b.start - a.start || cmp(a.id, b.id));
    const wrap = await fixture<HTMLElement>(html`<div><usage-drilldown-panel .client=${await client()}></usage-drilldown-panel></div>`);
    const panel = wrap.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;
    panel.show(detail);
    await waitUntil(() => panel.rows, 'panel rows', LONG);
    await elementUpdated(panel);
    expect(panel.total).to.equal(l.sessions);
    expect(text(panel.shadowRoot!.querySelector('[part="title"]'))).to.equal(`Sessions: ${detail.label}`);
    expect((panel.rows as { sessionId: string }[]).map((r) => r.sessionId)).to.deep.equal(expected.slice(0, 50).map((s) => s.id));
    expect((panel.rows as { path: string[] }[])[0].path).to.deep.equal(expected[0].seq);
    if (l.sessions > 50) {
      panel.shadowRoot!.querySelector<HTMLButtonElement>('button.next')!.click();
      await waitUntil(() => panel.rows && panel.page === 1 && (panel.rows[0] as { sessionId: string }).sessionId === expected[50].id, 'page 2', LONG);
    }
    setTimeout(() => panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!.click());
    const save = (await oneEvent(panel, 'usage-request-save-segment')) as UsageRequestSaveSegmentEvent;
    expect(save.detail.source).to.equal('journey-link');
    expect(save.detail.userIds).to.deep.equal([...new Set(expected.map((s) => s.user))].sort(cmp));
    await expect(panel).to.be.accessible();
    panel.close();
  });

  it('an exit node and an other node drill to their sessions (independent totals)', async () => {
    const want = await independent();
    const el = await real();
    const d = el.data!;
    const wrap = await fixture<HTMLElement>(html`<div><usage-drilldown-panel .client=${await client()}></usage-drilldown-panel></div>`);
    const panel = wrap.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;
    for (const kind of ['exit', 'other'] as const) {
      const n = d.nodes.filter((x) => x.kind === kind).sort((a, b) => b.sessions - a.sessions)[0];
      setTimeout(() => nodes(el)[d.nodes.indexOf(n)].dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true })));
      const detail = (await oneEvent(el, 'usage-drilldown')).detail as JourneyLinkDrilldown;
      expect(detail).to.deep.include(
        kind === 'exit' ? { targetKind: 'exit', anySource: true, step: n.step } : { targetKind: 'through', source: null, step: n.step },
      );
      panel.show(detail);
      await waitUntil(() => panel.rows && panel.total === want.nodes.get(n.id)!.sessions, `${kind} node sessions`, LONG);
      panel.close();
    }
  });

  it('keyboard: one tab stop; arrows walk nodes and links, right jumps a step; focus shows the tooltip; Enter drills; Escape hides', async () => {
    const el = await real();
    const d = el.data!;
    // Tab from the last enabled control lands on the diagram's one tab stop.
    root(el).querySelector<HTMLSelectElement>('select.anchor-mode')!.focus();
    await sendKeys({ press: 'Tab' });
    const items = el.layout!.items;
    expect(deepActive()).to.equal(el.layout!.element(0));
    expect(items[0].type).to.equal('node');
    await waitUntil(() => tooltip(el), 'no tooltip on focus');
    await sendKeys({ press: 'ArrowDown' });
    expect(deepActive()).to.equal(el.layout!.element(1));
    expect(items[1].type).to.equal('link'); // a node is followed by its outgoing links
    await elementUpdated(el);
    expect(text(root(el).querySelector('[role="status"]'))).to.contain('→');
    await sendKeys({ press: 'ArrowRight' });
    const at = el.layout!.active;
    expect(items[at].type).to.equal('node');
    expect(items[at].type === 'node' && items[at].node.column).to.equal(2);
    // Back to the first link and Enter: its sessions.
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowDown' });
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const ev = (await oneEvent(el, 'usage-drilldown')).detail as JourneyLinkDrilldown;
    expect(ev.kind).to.equal('journey-link');
    const first = items[1].type === 'link' ? items[1].link : undefined;
    expect(`${ev.step}`).to.equal(first!.source.split(':')[1]);
    // Enter on an agent node: the agent's detail.
    await sendKeys({ press: 'Home' });
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    const agent = (await oneEvent(el, 'usage-drilldown')).detail as { kind: string; agentId: string };
    expect(agent.kind).to.equal('agent');
    expect(agent.agentId).to.equal(d.nodes.find((n) => n.id === (items[0].type === 'node' ? items[0].node.id : ''))!.agentId);
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(tooltip(el)).to.equal(null);
  });

  it('controls: top 5 per step, then journeys starting at an agent, then ending at it — each equal to the independent count', async () => {
    const el = await real();
    const select = (cls: string) => root(el).querySelector<HTMLSelectElement>(`select.${cls}`)!;
    const set = async (cls: string, value: string) => {
      const s = select(cls);
      s.value = value;
      s.dispatchEvent(new Event('change'));
      await waitUntil(
        () => el.data && !root(el).querySelector('usage-chart-frame[busy]') && el.layout && links(el).length === el.data.links.length,
        'repaint',
        LONG,
      );
    };
    await set('top-n', '5');
    await waitUntil(() => el.data!.topN === 5, 'top 5', LONG);
    expectMatches(el.data!, await independent(5));
    const agent = el.data!.nodes.find((n) => n.kind === 'agent')!.agentId!;
    await set('anchor-mode', 'start');
    await waitUntil(() => el.data!.anchor?.mode === 'start', 'anchored', LONG);
    expect(el.anchorAgent).to.equal(agent);
    expectMatches(el.data!, await independent(5, 10, { mode: 'start', agentId: agent }));
    await set('anchor-mode', 'end');
    await waitUntil(() => el.data!.anchor?.mode === 'end', 'anchored at the end', LONG);
    expectMatches(el.data!, await independent(5, 10, { mode: 'end', agentId: agent }));
    await set('steps', '5');
    await waitUntil(() => el.data!.steps === 5, '5 steps', LONG);
    expectMatches(el.data!, await independent(5, 5, { mode: 'end', agentId: agent }));
    await expect(el).to.be.accessible();
  });

  it('Level 3: an agent filter with anchor-agent shows the journeys from that agent', async () => {
    const { sessions } = await loadSessions();
    const byAgent = new Map<string, number>();
    for (const s of sessions) for (const a of new Set(s.seq)) byAgent.set(a, (byAgent.get(a) ?? 0) + 1);
    const agentId = [...byAgent].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0][0];
    const el = await real(defaultFilters({ agentIds: [agentId], agentStatuses: [] }), { anchor: agentId });
    expectMatches(el.data!, await independent(8, 10, { mode: 'start', agentId }, [agentId]));
    expect(el.data!.nodes.filter((n) => n.step === 1 && n.kind !== 'exit').map((n) => n.agentId)).to.deep.equal([agentId]);
  });
});

// ---- a stand-in client: states and hostile names

const hostile = '<img src=x onerror="window.__pwnedSankey=1">';
const answer = (agent = 'a1', over: Partial<JourneySankey> = {}): JourneySankey => ({
  steps: 10,
  topN: 8,
  anchor: null,
  sessions: 3,
  users: 2,
  allSessions: 3,
  allUsers: 2,
  continued: 0,
  earlier: 0,
  nodes: [
    { id: `a:1:${agent}`, kind: 'agent', step: 1, column: 1, agentId: agent, sessions: 3, users: 2, usersPct: 100, otherAgents: 0, reasons: [] },
    { id: 'a:2:b', kind: 'agent', step: 2, column: 2, agentId: 'b', sessions: 2, users: 1, usersPct: 50, otherAgents: 0, reasons: [] },
    {
      id: 'x:1',
      kind: 'exit',
      step: 1,
      column: 2,
      agentId: null,
      sessions: 1,
      users: 1,
      usersPct: 50,
      otherAgents: 0,
      reasons: [{ reason: 'error', sessions: 1, users: 1 }],
    },
    {
      id: 'x:2',
      kind: 'exit',
      step: 2,
      column: 3,
      agentId: null,
      sessions: 2,
      users: 1,
      usersPct: 50,
      otherAgents: 0,
      reasons: [{ reason: 'completed', sessions: 2, users: 1 }],
    },
  ],
  links: [
    { source: `a:1:${agent}`, target: 'a:2:b', step: 1, sessions: 2, users: 1, usersPct: 50, reasons: [] },
    { source: `a:1:${agent}`, target: 'x:1', step: 1, sessions: 1, users: 1, usersPct: 50, reasons: [{ reason: 'error', sessions: 1, users: 1 }] },
    { source: 'a:2:b', target: 'x:2', step: 2, sessions: 2, users: 1, usersPct: 50, reasons: [{ reason: 'completed', sessions: 2, users: 1 }] },
  ],
  ...over,
});

async function standIn(run: () => unknown) {
  const c = chartClient({ journeySankey: run });
  const wrap = await fixture<HTMLDivElement>(html`<div style="width: 900px"><usage-journey-sankey .client=${c}></usage-journey-sankey></div>`);
  return { el: wrap.querySelector('usage-journey-sankey')!, c };
}

describe('<usage-journey-sankey> with a stand-in client', () => {
  it('shows loading, empty and error (Retry re-runs), each accessible', async () => {
    const { el: loading } = await standIn(() => new Promise(() => undefined));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const { el: empty } = await standIn(() => answer('a1', { sessions: 0, users: 0, nodes: [], links: [] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    let n = 0;
    const { el: failed } = await standIn(() => {
      n++;
      return Promise.reject(Object.assign(new Error('<b>boom</b>'), { code: 'query_failed' }));
    });
    await waitUntil(() => frameOf(failed).state === 'error');
    await expect(failed).to.be.accessible();
    failed.retry();
    await waitUntil(() => n === 2, 'Retry did not re-run');
  });

  it('paints the snapshot’s precomputed first paint while the query runs', async () => {
    const c = chartClient({}, { journeySankey: answer('a1') });
    const wrap = await fixture<HTMLDivElement>(html`<div style="width: 900px"><usage-journey-sankey .client=${c}></usage-journey-sankey></div>`);
    const el = wrap.querySelector('usage-journey-sankey')!;
    await painted(el);
    expect(frameOf(el).state).to.equal('ready');
    expect(el.data?.sessions).to.equal(answer('a1').sessions);
  });

  it('passes the view to the query and renders hostile agent names as inert text', async () => {
    const { el, c } = await standIn(() => answer(hostile));
    await painted(el);
    expect((c as unknown as { runs: { module: string; params: unknown }[] }).runs[0]).to.deep.include({
      module: 'journeySankey',
      params: { topN: 8, steps: 10 },
    });
    expect(root(el).querySelector('img')).to.equal(null);
    expect((window as { __pwnedSankey?: number }).__pwnedSankey).to.equal(undefined);
    const label = [...root(el).querySelectorAll('svg text.node-label')].map((t) => t.textContent ?? '');
    expect(label.some((t) => t.startsWith('<img'))).to.equal(true);
    expect(nodes(el)[0].getAttribute('aria-label')).to.contain(hostile);
    // Hover a link: the tooltip names both ends as text.
    links(el)[0].dispatchEvent(new PointerEvent('pointermove', { bubbles: true, composed: true }));
    await waitUntil(() => tooltip(el), 'no tooltip on hover');
    expect(text(tooltip(el)!.querySelector('.tooltip-title'))).to.equal(`${hostile} at step 1 → b at step 2`);
    expect(tooltip(el)!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
