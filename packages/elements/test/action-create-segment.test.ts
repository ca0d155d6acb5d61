/**
 * <usage-action-create-segment> against the REAL actions service (scripts/wtr-actions.mjs starts it
 * on the test snapshot and signs tokens for the roles a test asks for). The live count is checked
 * against plain code over the snapshot's Arrow rows (the same rules as the service's own test);
 * saved segments against `GET /v1/segments`. The service keeps its state for the whole run, so every
 * test that saves names its segment uniquely. Also: `fromFilters` (pure) and the tab's triggers.
 */
import { elementUpdated, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { ActionsClient, SavedSegment, SegmentCount, type SegmentCriteria } from '@usage-analytics/actions';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters } from '@usage-analytics/queries';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type UsageActionCreateSegment from '../src/components/action-create-segment/action-create-segment.component.js';
import { fromFilters, nearestWindow } from '../src/components/action-create-segment/from-filters.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import { actionsSession, api, clientFor, type Session, LONG, text, $, part, click, insideEl, waitPhase, expectEscapeCloses } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, SNAPSHOT } from './helpers/snapshot.js';

const DAY = 86_400_000;
const nf = new Intl.NumberFormat('en-US');
const uid = () => Math.random().toString(36).slice(2, 8);

// ---- the snapshot's rows, read with apache-arrow, and the segment rules in plain code ----------

interface Req {
  ts: number;
  user: string;
  agent: string;
  dept: string | null;
}
interface Rows {
  end: number;
  rows: Req[];
  firstSeen: Map<string, number>;
}

async function fetchTable(url: string): Promise<Table> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} → ${res.status}`);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}
const toMs = (v: unknown, type: string) => {
  const divisor = /MICRO/i.test(type) ? 1000 : /NANO/i.test(type) ? 1e6 : 1;
  return typeof v === 'bigint' ? Number(v) / divisor : v instanceof Date ? v.getTime() : Number(v);
};

let loaded: Promise<Rows> | undefined;
function snapshotRows(): Promise<Rows> {
  loaded ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const base = new URL(SNAPSHOT, location.href);
    const [req, users] = await Promise.all([
      fetchTable(new URL(manifest.tables.requests.file, base).href),
      fetchTable(new URL(manifest.tables.users.file, base).href),
    ]);
    const tsType = String(req.schema.fields.find((f) => f.name === 'ts')!.type);
    const [ts, user, agent, dept] = [req.getChild('ts')!, req.getChild('user_id')!, req.getChild('agent_id')!, req.getChild('department_id')!];
    const rows = Array.from({ length: req.numRows }, (_, i) => {
      const d = dept.get(i) as unknown;
      return { ts: toMs(ts.get(i), tsType), user: String(user.get(i)), agent: String(agent.get(i)), dept: d === null || d === undefined ? null : String(d) };
    });
    const fsType = String(users.schema.fields.find((f) => f.name === 'first_seen_at')!.type);
    const [uId, fs] = [users.getChild('user_id')!, users.getChild('first_seen_at')!];
    const firstSeen = new Map<string, number>();
    for (let i = 0; i < users.numRows; i++) firstSeen.set(String(uId.get(i)), toMs(fs.get(i), fsType));
    return { end: Date.parse(manifest.time_range.end), rows, firstSeen };
  })();
  return loaded;
}

/** The users `c` selects (README "User segments" for engagement), with their department and requests in the window. */
function expected({ end, rows, firstSeen }: Rows, c: SegmentCriteria): Map<string, { dept: string; n: number }> {
  const w = c.windowDays ?? 30;
  const start = end - w * DAY;
  const per = new Map<string, { n: number; last: number; dept: string | null; agents: Set<string> }>();
  const lastEver = new Map<string, number>();
  for (const r of rows) {
    if (r.ts >= end) continue;
    lastEver.set(r.user, Math.max(lastEver.get(r.user) ?? -Infinity, r.ts));
    if (r.ts < start) continue;
    const e = per.get(r.user) ?? { n: 0, last: -Infinity, dept: null, agents: new Set<string>() };
    e.n++;
    e.agents.add(r.agent);
    if (r.ts >= e.last) {
      e.last = r.ts;
      e.dept = r.dept;
    }
    per.set(r.user, e);
  }
  const counts = [...per.values()].map((e) => e.n);
  const cut = Math.ceil(0.1 * counts.length);
  const segment = (u: string, n: number) => {
    if (!firstSeen.has(u)) return undefined;
    if (lastEver.get(u)! < end - 30 * DAY) return 'dormant';
    if (firstSeen.get(u)! >= end - 30 * DAY) return 'new';
    return 1 + counts.filter((x) => x > n).length <= cut ? 'power' : 'regular';
  };
  const out = new Map<string, { dept: string; n: number }>();
  for (const [u, e] of per) {
    if (c.requests?.min !== undefined && e.n < c.requests.min) continue;
    if (c.requests?.max !== undefined && e.n > c.requests.max) continue;
    const ids = c.agents?.ids ?? [];
    if (ids.length && (c.agents?.mode === 'all' ? !ids.every((a) => e.agents.has(a)) : !ids.some((a) => e.agents.has(a)))) continue;
    if (c.departments?.length && (e.dept === null || !c.departments.includes(e.dept))) continue;
    if (c.engagement?.length && !c.engagement.includes(segment(u, e.n) as never)) continue;
    if (c.lastActiveWithinDays !== undefined && e.last < end - c.lastActiveWithinDays * DAY) continue;
    out.set(u, { dept: e.dept ?? 'Unknown', n: e.n });
  }
  return out;
}
const byDepartment = (m: Map<string, { dept: string }>) => {
  const out: Record<string, number> = {};
  for (const v of m.values()) out[v.dept] = (out[v.dept] ?? 0) + 1;
  return out;
};

// ---- the element -------------------------------------------------------------------------------

const analyst = () => actionsSession(`roles=business_analyst&departments=*&user=ba-${uid()}`);

/** A client whose count calls are recorded (the criteria each one sent). */
function recordingClient(s: Session, base = s.url) {
  const counts: SegmentCriteria[] = [];
  const client = new ActionsClient({
    baseUrl: base,
    token: () => s.token,
    fetch: (input, init) => {
      if (String(input).endsWith('/v1/actions/create-segment/count')) counts.push((JSON.parse(String(init?.body)) as { criteria: SegmentCriteria }).criteria);
      return fetch(input, init);
    },
  });
  return { client, counts };
}

async function mount(s: Session, opts: { base?: string; client?: ActionsClient } = {}) {
  const client = opts.client ?? clientFor(s, opts.base);
  const wrap = await fixture<HTMLElement>(html`<div><usage-action-create-segment .actions=${client}></usage-action-create-segment></div>`);
  const el = wrap.querySelector('usage-action-create-segment')!;
  await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  await el.updateComplete;
  return el;
}
const currentCriteria = (el: UsageActionCreateSegment) => (el as unknown as { input(): { criteria: SegmentCriteria } }).input().criteria;
/** Waits until the count on screen answers the criteria as they are now. */
async function countSettled(el: UsageActionCreateSegment) {
  await waitUntil(
    () =>
      !!el.count && JSON.stringify(el.countCriteria) === JSON.stringify(currentCriteria(el)) && part(el, 'live-count')?.getAttribute('aria-busy') === 'false',
    'the count did not follow the form',
    LONG,
  );
  await el.updateComplete;
}
const announced = (el: UsageActionCreateSegment) => text($(el, '[data-announce]'));
const segments = async (s: Session) => {
  const r = await api<unknown>(s, 'GET', '/v1/segments');
  expect(r.status).to.equal(200);
  return SavedSegment.array().parse(r.body);
};

describe('fromFilters (the tab’s filters as segment criteria)', () => {
  it('maps departments, agents (any), user segments and the nearest window; lists what does not map', () => {
    const f = defaultFilters({
      timeRange: { preset: '7d' },
      departments: ['sales', 'support'],
      agentIds: ['a1', 'a2'],
      userSegments: ['power', 'new'],
      intents: ['billing'],
      providers: ['openai', 'anthropic', 'google', 'mistral', 'cohere'],
    });
    const { criteria, unmapped } = fromFilters(f);
    expect(criteria).to.deep.equal({
      windowDays: 7,
      departments: ['sales', 'support'],
      agents: { ids: ['a1', 'a2'], mode: 'any' },
      engagement: ['power', 'new'],
    });
    expect(unmapped).to.deep.equal([
      'Intents: billing',
      'Providers: openai, anthropic, google, mistral and 1 more',
      'Agent statuses: active',
      'Environments: production',
    ]);
  });

  it('the time range: presets to the nearest window (noted when not exact), a custom range by its length (always noted)', () => {
    expect(fromFilters({ timeRange: { preset: '30d' } })).to.deep.equal({ criteria: { windowDays: 30 }, unmapped: [] });
    expect(fromFilters({ timeRange: { preset: '90d' } }).criteria.windowDays).to.equal(90);
    const h = fromFilters({ timeRange: { preset: '24h' } });
    expect(h.criteria.windowDays).to.equal(7);
    expect(h.unmapped).to.deep.equal(['Time range 24h: the segment looks at the last 7 days instead']);
    const c = fromFilters({ timeRange: { preset: 'custom', start: '2026-08-01T00:00:00Z', end: '2026-10-01T00:00:00Z' } });
    expect(c.criteria.windowDays, '61 days → 90 (nearer than 30)').to.equal(90);
    expect(c.unmapped[0]).to.match(/^Time range 2026-08-01T00:00:00Z → 2026-10-01T00:00:00Z: .*last 90 days/);
    expect(nearestWindow(18)).to.equal(7);
    expect(nearestWindow(19)).to.equal(30);
    expect(nearestWindow(60)).to.equal(90);
    expect(nearestWindow(1000)).to.equal(90);
  });

  it('an exact user list (filter or drill-down) is noted, never turned into criteria; nothing set = nothing mapped', () => {
    const r = fromFilters({ userIds: ['u1', 'u2'] }, { userIds: ['u2', 'u3'] });
    expect(r.criteria).to.deep.equal({});
    expect(r.unmapped).to.deep.equal(['The exact list of 3 users: a segment selects users by its criteria']);
    expect(fromFilters({})).to.deep.equal({ criteria: {}, unmapped: [] });
    expect(fromFilters({ userSegments: ['dormant', 'dormant'] }).criteria.engagement).to.deep.equal(['dormant']);
  });
});

describe('<usage-action-create-segment> on the real actions service', () => {
  it('opens from the keyboard as a modal, traps Tab, closes on Escape and gives focus back; axe clean', async () => {
    const s = await analyst();
    const el = await mount(s);
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Create user segment…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.open && !!el.registry, 'did not open and load', LONG);
    await countSettled(el);
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(text($(el, '#title'))).to.equal('Create a user segment');
    expect(activeElementDeep()?.id).to.equal('f-name');
    await expect(el).to.be.accessible();
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      expect(insideEl(dialog, activeElementDeep()), `Tab ${i + 1} left the dialog`).to.equal(true);
    }
    // Keyboard: an engagement box with Space.
    ($(el, 'input[name="engagement"][value="power"]') as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.values.engagement).to.deep.equal(['power']);
    await expectEscapeCloses(el, trigger);
  });

  it('the live count equals plain code over the Arrow rows for criteria combinations (including none), by department and sample; announced once settled', async () => {
    const s = await analyst();
    const data = await snapshotRows();
    const el = await mount(s);
    el.show();
    await waitUntil(() => !!el.registry, 'no registry', LONG);
    const all = expected(data, {});
    const busiest = [...all.values()].sort((a, b) => b.n - a.n);
    const dept = busiest[0].dept;
    const use = new Map<string, number>();
    for (const r of data.rows) if (r.ts >= data.end - 30 * DAY && r.ts < data.end) use.set(r.agent, (use.get(r.agent) ?? 0) + 1);
    const [a1, a2] = [...use].sort((x, y) => y[1] - x[1]).map(([a]) => a);
    const cases: SegmentCriteria[] = [
      {},
      { windowDays: 30, requests: { min: 5, max: 40 } },
      { windowDays: 30, agents: { ids: [a1, a2], mode: 'all' }, departments: [dept] },
      { windowDays: 90, engagement: ['power'], lastActiveWithinDays: 14 },
      { windowDays: 7, requests: { min: 100_000 } },
    ];
    for (const c of cases) {
      el.criteria = c;
      await el.updateComplete;
      await countSettled(el);
      const want = expected(data, c);
      const got = el.count!;
      expect(got.users, JSON.stringify(c)).to.equal(want.size);
      expect(text($(el, '[data-figure="users"]'))).to.equal(nf.format(want.size));
      expect(Object.fromEntries(got.departments.map((d) => [d.department, d.users])), JSON.stringify(c)).to.deep.equal(byDepartment(want));
      for (const u of got.sample) expect(u.requests, u.userId).to.equal(want.get(u.userId)?.n);
      const shown = [...el.shadowRoot!.querySelectorAll('[part="count-departments"] li')].map((li) => [li.getAttribute('data-department'), text(li)]);
      expect(shown).to.deep.equal(got.departments.map((d) => [d.department, `${d.department}: ${nf.format(d.users)}`]));
      expect(el.shadowRoot!.querySelectorAll('[part="count-sample"] li').length).to.equal(Math.min(20, want.size));
      expect(announced(el)).to.equal(`${nf.format(want.size)} users match.`);
      if (!want.size) expect(text(part(el, 'live-count'))).to.contain('No user matches these criteria.');
    }
    expect(expected(data, cases[3]).size, 'a non-empty engagement case').to.be.greaterThan(0);
    expect($(el, '[data-announce]')!.getAttribute('aria-live')).to.equal('polite');
    await expect(el).to.be.accessible();
  });

  it('debounced: several quick edits send one count, for the final state; the announcement waits for it', async () => {
    const s = await analyst();
    const { client, counts } = recordingClient(s);
    const el = await mount(s, { client });
    el.show();
    await countSettled(el);
    expect(counts, 'one count on open').to.have.length(1);
    const before = announced(el);
    const min = $<HTMLInputElement>(el, '#f-requests-min')!;
    min.focus();
    await sendKeys({ type: '1' });
    await sendKeys({ type: '2' });
    ($(el, 'input[name="engagement"][value="regular"]') as HTMLInputElement).click();
    el.values = { ...el.values, lastActiveWithinDays: 20 };
    await el.updateComplete;
    expect(el.values.requestsMin).to.equal(12);
    expect(announced(el), 'nothing announced while editing').to.equal(before);
    await countSettled(el);
    expect(counts).to.have.length(2);
    expect(counts[1]).to.deep.include({ requests: { min: 12 }, engagement: ['regular'], lastActiveWithinDays: 20 });
    const want = expected(await snapshotRows(), counts[1]);
    expect(el.count!.users).to.equal(want.size);
    expect(announced(el)).to.equal(`${nf.format(want.size)} users match.`);
    // An invalid state (min > max) sends nothing and keeps the last count.
    el.values = { ...el.values, requestsMax: 3 };
    await new Promise((r) => setTimeout(r, 700));
    expect(counts).to.have.length(2);
    expect(text(part(el, 'live-count'))).to.contain('updates when the criteria are valid');
  });

  it('marks bad fields inline with the schema’s messages; a service-side issue lands on its field', async () => {
    const s = await analyst();
    const el = await mount(s);
    el.show();
    await el.updateComplete;
    const expectInvalid = (id: string, field: string, message: RegExp) => {
      const input = $(el, `#${id}`)!;
      expect(input.getAttribute('aria-invalid'), field).to.equal('true');
      expect((input.getAttribute('aria-describedby') ?? '').split(' '), field).to.include(`err-${field}`);
      expect(text($(el, `[id="err-${field}"]`)), field).to.match(message);
    };
    el.values = { ...el.values, name: '   ', requestsMin: 10, requestsMax: 2, lastActiveWithinDays: 0 };
    await el.updateComplete;
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    expectInvalid('f-name', 'name', /required/);
    expectInvalid('f-requests-min', 'criteria.requests.min', /min must not exceed max/);
    expectInvalid('f-last-active', 'criteria.lastActiveWithinDays', /1|greater|least/i);
    expect(activeElementDeep()?.id).to.equal('f-name');
    await expect(el).to.be.accessible();
    // Editing a field clears its message.
    const name = $<HTMLInputElement>(el, '#f-name')!;
    name.focus();
    await sendKeys({ type: 'Heavy' });
    await el.updateComplete;
    expect(name.getAttribute('aria-invalid')).to.equal('false');

    // The service checks too: with the browser's checks off, its issue lands on the same field.
    (el as unknown as { validate: () => object }).validate = () => ({});
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure?.status).to.equal(400);
    expect(el.errors['criteria.requests.min']).to.match(/min must not exceed max/);
    expect(text(part(el, 'error'))).to.contain('criteria.requests.min');
    await click(el, 'back-button');
    expectInvalid('f-requests-min', 'criteria.requests.min', /min must not exceed max/);
    expect((await segments(s)).filter((x) => x.name === 'Heavy')).to.have.length(0);
  });

  it('Review → Confirm saves it; the result matches GET /v1/segments and the count; usage-action-complete bubbles out composed', async () => {
    const s = await analyst();
    const data = await snapshotRows();
    const el = await mount(s);
    const name = `Busy weekly ${uid()}`;
    el.show();
    await el.updateComplete;
    el.values = { ...el.values, name, description: 'More than 10 requests in a week', sharing: 'fleet', windowDays: 7, requestsMin: 10 };
    await countSettled(el);
    const want = expected(data, { windowDays: 7, requests: { min: 10 } });
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text($(el, '[data-review="name"]'))).to.equal(name);
    expect(text($(el, '[data-review="users"]'))).to.equal(nf.format(want.size));
    expect(text($(el, '[data-review="criteria"]'))).to.contain('Requests: at least 10');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('confirm-button');
    await expect(el).to.be.accessible();
    const done = new Promise<UsageActionCompleteEvent>((resolve) =>
      document.addEventListener('usage-action-complete', (e) => resolve(e as UsageActionCompleteEvent), { once: true }),
    );
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    const { detail } = await done;
    expect(detail.action).to.equal('create-segment');
    const r = el.result!;
    expect(r.replayed).to.equal(false);
    const stored = (await segments(s)).find((x) => x.id === r.segment.id)!;
    expect(stored).to.deep.equal(r.segment);
    expect(stored).to.include({ name, sharing: 'fleet', usersAtSave: want.size, description: 'More than 10 requests in a week' });
    expect(stored.criteria).to.deep.include({ windowDays: 7, requests: { min: 10 } });
    expect(text($(el, '[data-result="id"]'))).to.equal(r.segment.id);
    expect(text($(el, '[data-result="usersAtSave"]'))).to.equal(nf.format(want.size));
    expect(text($(el, '[data-result="sharing"]'))).to.contain('Everyone');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('result');
    await expect(el).to.be.accessible();
  });

  it('a lost answer shows Retry; Retry sends the same key and one segment is saved', async () => {
    const s = await analyst();
    const el = await mount(s, { base: s.proxy });
    const name = `Retry ${uid()}`;
    el.show();
    el.values = { ...el.values, name, engagement: ['regular'] };
    await countSettled(el);
    await click(el, 'review-button');
    await fetch(`${s.proxy}/__lose-next`);
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 504, retryable: true });
    expect(
      (await segments(s)).filter((x) => x.name === name),
      'the service saved it; the browser never heard',
    ).to.have.length(1);
    await click(el, 'retry-button');
    await waitPhase(el, 'result');
    expect(el.result!.replayed).to.equal(true);
    expect(text(part(el, 'result'))).to.contain('nothing was done twice');
    expect((await segments(s)).filter((x) => x.name === name)).to.have.length(1);
    const posts = ((await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string; key: string }[]).filter(
      (x) => x.method === 'POST' && x.path === '/v1/actions/create-segment',
    );
    expect(posts).to.have.length(2);
    expect(posts[0].key).to.equal(posts[1].key);
  });

  it('renders a hostile name and description as text', async () => {
    const s = await analyst();
    const el = await mount(s);
    const w = window as unknown as { pwned?: number };
    const hostile = `<img src=x onerror="window.pwned=1"> ${uid()}`;
    el.show();
    el.values = { ...el.values, name: hostile, description: '<script>window.pwned=2</script>' };
    await countSettled(el);
    await click(el, 'review-button');
    expect(text($(el, '[data-review="name"]'))).to.equal(hostile);
    expect(text($(el, '[data-review="description"]'))).to.equal('<script>window.pwned=2</script>');
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    expect(text($(el, '[data-result="name"]'))).to.equal(hostile);
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    expect(w.pwned).to.equal(undefined);
    expect((await segments(s)).find((x) => x.id === el.result!.segment.id)?.name).to.equal(hostile);
  });

  it('a role without A2.3 sees no trigger and its forced call is a 403 as text; a department outside the caller’s is refused too', async () => {
    const s = await actionsSession('roles=engineering_manager&departments=*&user=em-1');
    const el = await mount(s);
    expect(el.allowed).to.equal(false);
    expect(part(el, 'trigger')).to.equal(null);
    el.show();
    el.values = { ...el.values, name: 'Not mine' };
    await waitUntil(() => part(el, 'live-count')?.querySelector('.error'), 'no count error', LONG);
    expect(text(part(el, 'live-count'))).to.match(/count could not be loaded: .*(not allowed|may not|role)/i);
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure?.status).to.equal(403);
    expect(text(part(el, 'error'))).to.contain('Not allowed');
    expect(text(part(el, 'error'))).to.contain(el.failure!.message);
    expect(part(el, 'retry-button')).to.equal(null);
    await expect(el).to.be.accessible();

    const data = await snapshotRows();
    const depts = [...new Set(data.rows.map((r) => r.dept).filter((d): d is string => !!d))].sort();
    const [mine, other] = depts;
    const ba = await actionsSession(`roles=business_analyst&departments=${encodeURIComponent(mine)}&user=ba-${uid()}`);
    const scoped = await mount(ba);
    expect(scoped.allowed).to.equal(true);
    scoped.show();
    await waitUntil(() => scoped.me && scoped.departmentChoices.length > 0, 'no departments', LONG);
    expect(scoped.departmentChoices, 'only the caller’s departments to choose from').to.deep.equal([mine]);
    await countSettled(scoped);
    expect(scoped.count!.users, 'none chosen = the caller’s').to.equal(expected(data, { departments: [mine] }).size);
    scoped.values = { ...scoped.values, name: `Outside ${uid()}`, departments: [other] };
    await waitUntil(() => part(scoped, 'live-count')?.querySelector('.error'), 'no count error', LONG);
    await scoped.updateComplete;
    expect(text(part(scoped, 'live-count'))).to.contain('could not be loaded');
    await click(scoped, 'review-button');
    await click(scoped, 'confirm-button');
    await waitPhase(scoped, 'error');
    expect(scoped.failure?.status).to.equal(403);
    expect(text(part(scoped, 'error'))).to.contain(scoped.failure!.message);
  });
});

// ---- the tab's triggers -----------------------------------------------------------------------

let shared: Promise<UsageDataClient> | undefined;
const sharedClient = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

describe('<usage-analytics> opens A2.3 (Save as segment, header)', () => {
  async function tab(actions?: ActionsClient) {
    const el = await fixture<UsageAnalytics>(
      html`<usage-analytics .client=${await sharedClient()} .actions=${actions} no-url-state .charts=${[]}></usage-analytics>`,
    );
    await waitUntil(() => el.shadowRoot!.querySelector('usage-kpi-cards'), 'no KPI cards', LONG);
    return el;
  }
  const dialogOf = (el: UsageAnalytics) => el.shadowRoot!.querySelector('[part="tab-actions"] usage-action-create-segment') as UsageActionCreateSegment;
  const panelOf = (el: UsageAnalytics) => el.shadowRoot!.querySelector('usage-drilldown-panel') as UsageDrilldownPanel;

  it('"Save as segment" on the power users opens the builder prefilled (engagement, name, what did not map); the event stops at the tab', async () => {
    const s = await analyst();
    const el = await tab(clientFor(s));
    const dialog = dialogOf(el);
    await waitUntil(() => dialog.allowed === true, 'not allowed', LONG);
    let escaped = 0;
    const count = () => escaped++;
    document.addEventListener('usage-request-save-segment', count);
    try {
      const panel = panelOf(el);
      el.shadowRoot!.querySelector('usage-kpi-cards')!.dispatchEvent(
        new CustomEvent('usage-drilldown', {
          detail: { kind: 'segment', segment: 'power', filters: defaultFilters() },
          bubbles: true,
          composed: true,
          cancelable: true,
        }),
      );
      await waitUntil(() => panel.open && panel.rows !== undefined, 'the segment did not open', LONG);
      await elementUpdated(panel);
      const save = panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!;
      save.focus();
      save.click();
      await waitUntil(() => dialog.open, 'the builder did not open', LONG);
      expect(escaped, 'handled by the tab').to.equal(0);
      expect(dialog.values).to.deep.include({ name: 'Power users', engagement: ['power'], windowDays: 30, departments: [], agentIds: [] });
      expect(dialog.unmapped).to.deep.equal(['Agent statuses: active', 'Environments: production']);
      await countSettled(dialog);
      expect(text(part(dialog, 'unmapped-note'))).to.contain('Environments: production');
      expect(dialog.count!.users).to.equal(expected(await snapshotRows(), { engagement: ['power'] }).size);
      expect(($(dialog, '#f-name') as HTMLInputElement).value).to.equal('Power users');
      await expect(dialog).to.be.accessible();
      dialog.close();
      await dialog.updateComplete;
      expect(activeElementDeep(), 'focus back on Save as segment').to.equal(save);
      panel.close();
    } finally {
      document.removeEventListener('usage-request-save-segment', count);
    }
  });

  it('"Save as segment" on a calls-per-user range prefills requests min–max (the range’s exclusive max less one) and notes the exact user list', async () => {
    const s = await analyst();
    const el = await tab(clientFor(s));
    const dialog = dialogOf(el);
    await waitUntil(() => dialog.allowed === true, 'not allowed', LONG);
    const panel = panelOf(el);
    el.shadowRoot!.querySelector('usage-kpi-cards')!.dispatchEvent(
      new CustomEvent('usage-drilldown', {
        detail: { kind: 'call-range', min: 5, max: 10, filters: defaultFilters() },
        bubbles: true,
        composed: true,
        cancelable: true,
      }),
    );
    await waitUntil(() => panel.open && panel.rows !== undefined, 'the range did not open', LONG);
    await elementUpdated(panel);
    expect(panel.total).to.be.greaterThan(0);
    const save = panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!;
    save.focus();
    save.click();
    await waitUntil(() => dialog.open, 'the builder did not open', LONG);
    expect(dialog.values).to.deep.include({ name: 'Users with 5–9 calls', requestsMin: 5, requestsMax: 9, windowDays: 30, engagement: [] });
    expect(
      dialog.unmapped.some((u) => /^The exact list of \d+ users: a segment selects users by its criteria$/.test(u)),
      dialog.unmapped.join('; '),
    ).to.equal(true);
    await countSettled(dialog);
    expect(dialog.count!.users).to.equal(expected(await snapshotRows(), { requests: { min: 5, max: 9 } }).size);
    dialog.close();
    panel.close();
  });

  it('the header’s "Create segment…" opens it from the current filters; hidden for a role without A2.3', async () => {
    const s = await analyst();
    const data = await snapshotRows();
    const dept = [...new Set(data.rows.map((r) => r.dept).filter((d): d is string => !!d))].sort()[0];
    const el = await tab(clientFor(s));
    el.filters = defaultFilters({ timeRange: { preset: '90d' }, departments: [dept], intents: ['x-intent'] });
    await elementUpdated(el);
    const dialog = dialogOf(el);
    await waitUntil(() => dialog.allowed === true && part(dialog, 'trigger'), 'no trigger', LONG);
    const trigger = part(dialog, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Create segment…');
    trigger.click();
    await waitUntil(() => dialog.open, 'did not open', LONG);
    expect(dialog.values).to.deep.include({ windowDays: 90, departments: [dept], name: '' });
    expect(dialog.unmapped).to.include('Intents: x-intent');
    await countSettled(dialog);
    expect(dialog.count!.users).to.equal(expected(data, { windowDays: 90, departments: [dept] }).size);
    dialog.close();

    el.actions = clientFor(await actionsSession('roles=engineering_manager&departments=*&user=em-2'));
    await waitUntil(() => dialogOf(el)?.allowed === false, 'the manager was allowed', LONG);
    await elementUpdated(dialogOf(el));
    expect(part(dialogOf(el), 'trigger')).to.equal(null);
  });
});

// The count endpoint itself, for a direct sanity check of the schema used above.
describe('count endpoint schema', () => {
  it('answers SegmentCount', async () => {
    const s = await analyst();
    const r = await api<unknown>(s, 'POST', '/v1/actions/create-segment/count', { criteria: {} });
    expect(r.status).to.equal(200);
    expect(SegmentCount.parse(r.body).users).to.be.greaterThan(0);
  });
});
