/**
 * <usage-action-promote-agent> against the REAL actions service (scripts/wtr-actions.mjs starts it
 * on the test snapshot and signs tokens for the roles a test asks for). Campaigns stay stored for
 * the whole run, so every test that stores one takes an agent no other test touched (from the
 * middle of the registry: the deprecate tests take theirs from the start, the quota tests from the
 * end). The audience sizes are checked against a count over the snapshot's Arrow rows.
 */
import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ActionsClient, PromoteAgentResult, PromotePreview, newIdempotencyKey, utcDay, type PromoteAgentInput } from '@usage-analytics/actions';
import { defaultFilters } from '@usage-analytics/queries';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { tableFromIPC, type Table } from 'apache-arrow';
import '../src/index.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type UsageActionPromoteAgent from '../src/components/action-promote-agent/action-promote-agent.component.js';
import type UsageAdoptionCurve from '../src/components/adoption-curve/adoption-curve.component.js';
import { dayNumber } from '../src/components/adoption-curve/adoption-curve.data.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { AudienceSegment, PromotionCampaign } from '../src/components/action-promote-agent/action-promote-agent.component.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import { actionsSession, api, clientFor, type Session, LONG, text, $, part, click, insideEl, waitPhase, expectEscapeCloses } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const nf = new Intl.NumberFormat('en-US');

interface Agent {
  agent_id: string;
  agent_name: string;
  department_id: string | null;
  status: string;
}

const session = (query = 'roles=product_manager&departments=*&user=pm-promote') => actionsSession(query);
const pm = () => session();

const registry = async (s: Session) => (await api<Agent[]>(s, 'GET', '/v1/registry/agents')).body;
const previewOf = async (s: Session, input: { agentId: string; audience: Partial<PromoteAgentInput['audience']> }) => {
  const r = await api<unknown>(s, 'POST', '/v1/actions/promote-agent/preview', input);
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
  return PromotePreview.parse(r.body);
};
const campaignsOf = async (s: Session, agentId: string) =>
  (await api<PromotionCampaign[]>(s, 'GET', `/v1/campaigns?agentId=${encodeURIComponent(agentId)}`)).body;

/** Agents handed out in this file, from the middle of the registry. */
const taken = new Set<string>();
async function pickAgent(s: Session): Promise<Agent> {
  const all = await registry(s);
  const middle = [...all.slice(Math.floor(all.length / 3)), ...all.slice(0, Math.floor(all.length / 3))];
  for (const a of middle) {
    if (a.status !== 'active' || taken.has(a.agent_id)) continue;
    taken.add(a.agent_id);
    return a;
  }
  throw new Error('no active agent left in the registry');
}

async function mount(s: Session, agentId: string, base?: string) {
  const wrap = await fixture<HTMLElement>(
    html`<div><usage-action-promote-agent agent-id=${agentId} .actions=${clientFor(s, base)}></usage-action-promote-agent></div>`,
  );
  const el = wrap.querySelector('usage-action-promote-agent')!;
  await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  await el.updateComplete;
  return el;
}
/** Waits until the preview on screen answers the audience as it is now (and the registry and campaigns are there). */
async function previewSettled(el: UsageActionPromoteAgent) {
  await waitUntil(
    () => {
      const p = el.preview as PromotePreview | undefined;
      const want = el.previewInput;
      const now = el['input']() as PromoteAgentInput;
      return (
        !!p &&
        !!want &&
        el.registry !== undefined &&
        el.campaigns !== undefined &&
        p.agentId === now.agentId &&
        JSON.stringify(want.audience) ===
          JSON.stringify({ departments: now.audience.departments, segments: now.audience.segments, excludeCurrentUsers: now.audience.excludeCurrentUsers })
      );
    },
    'the preview did not follow the form',
    LONG,
  );
  await el.updateComplete;
}
const figure = (el: UsageActionPromoteAgent, name: string) => text($(el, `[data-figure="${name}"]`));
const fill = (el: UsageActionPromoteAgent, over: Partial<UsageActionPromoteAgent['values']> = {}) => {
  el.values = { ...el.values, subject: 'Meet the agent', body: 'It answers access questions.\nTry it today.', ...over };
};

// ---------------------------------------------------------------------------------------------
// The audience, counted over the snapshot's Arrow rows (the service's definitions: segments as of
// the data's end, 2.2's rules; current users = a request to the agent in the last 30 days).

async function table(name: string, manifest: { tables: Record<string, { file: string }> }): Promise<Table> {
  const res = await fetch(new URL(manifest.tables[name].file, new URL(SNAPSHOT, location.href)).href);
  return tableFromIPC(new Uint8Array(await res.arrayBuffer()));
}
const msOf = (v: unknown): number => (typeof v === 'bigint' ? Number(v) / 1000 : v instanceof Date ? v.getTime() : Number(v));

interface Person {
  userId: string;
  department: string | null;
  segment: string;
  /** Agents used in the last 30 days. */
  agents: Set<string>;
}
let people: Promise<Person[]> | undefined;
function snapshotPeople(): Promise<Person[]> {
  people ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const end = Date.parse(manifest.time_range.end);
    const start = end - 30 * DAY;
    const [requests, users] = await Promise.all([table('requests', manifest), table('users', manifest)]);
    const ts = requests.getChild('ts')!;
    const ru = requests.getChild('user_id')!;
    const ra = requests.getChild('agent_id')!;
    const last = new Map<string, number>();
    const n = new Map<string, number>();
    const used = new Map<string, Set<string>>();
    for (let i = 0; i < requests.numRows; i++) {
      const t = msOf(ts.get(i));
      if (t >= end) continue;
      const u = String(ru.get(i));
      last.set(u, Math.max(last.get(u) ?? -Infinity, t));
      if (t >= start) {
        n.set(u, (n.get(u) ?? 0) + 1);
        if (!used.has(u)) used.set(u, new Set());
        used.get(u)!.add(String(ra.get(i)));
      }
    }
    // Power: rank by window requests (ties share a rank) within the top ceil(10 %) of the users active in the window.
    const counts = [...n.values()];
    const cut = Math.ceil(0.1 * counts.length);
    const rank = (c: number) => 1 + counts.filter((x) => x > c).length;
    const uid = users.getChild('user_id')!;
    const dep = users.getChild('department_id')!;
    const first = users.getChild('first_seen_at')!;
    const out: Person[] = [];
    for (let i = 0; i < users.numRows; i++) {
      const u = String(uid.get(i));
      if (!last.has(u)) continue;
      const d = dep.get(i) as string | null;
      const segment = last.get(u)! < start ? 'dormant' : msOf(first.get(i)) >= start ? 'new' : rank(n.get(u) ?? 0) <= cut ? 'power' : 'regular';
      out.push({ userId: u, department: d === null || d === undefined ? null : String(d), segment, agents: used.get(u) ?? new Set() });
    }
    return out;
  })();
  return people;
}
async function expectedAudience(agentId: string, a: { departments: string[]; segments: string[]; excludeCurrentUsers: boolean }) {
  const all = (await snapshotPeople()).filter(
    (p) => (!a.departments.length || (p.department !== null && a.departments.includes(p.department))) && (!a.segments.length || a.segments.includes(p.segment)),
  );
  const current = all.filter((p) => p.agents.has(agentId));
  const reached = a.excludeCurrentUsers ? all.filter((p) => !p.agents.has(agentId)) : all;
  const byDept = new Map<string, number>();
  for (const p of reached) byDept.set(p.department ?? 'Unknown', (byDept.get(p.department ?? 'Unknown') ?? 0) + 1);
  return { size: reached.length, current: current.length, byDept };
}

describe('<usage-action-promote-agent> on the real actions service', () => {
  it('opens from the keyboard as a modal, traps Tab, closes on Escape and gives focus back; axe clean', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Promote agent…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await previewSettled(el);
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(text($(el, '#title'))).to.equal(`Promote ${agent.agent_name}`);
    expect($(el, '#f-agentId'), 'agent-id fixes the agent').to.equal(null);
    expect([...el.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="channels"]')].map((i) => [i.value, i.checked])).to.deep.equal([
      ['email', true],
      ['in_app', true],
      ['docs', false],
    ]);
    expect($(el, '#f-docsBanner'), 'no banner field unless the docs channel is ticked').to.equal(null);
    expect(insideEl(dialog, activeElementDeep())).to.equal(true);
    await expect(el).to.be.accessible();
    for (let i = 0; i < 12; i++) {
      await sendKeys({ press: 'Tab' });
      expect(insideEl(dialog, activeElementDeep()), `Tab ${i + 1} left the dialog`).to.equal(true);
    }
    // Keyboard: Space on the docs checkbox adds the banner field.
    ($(el, 'input[name="channels"][value="docs"]') as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(el.values.channels).to.deep.equal(['email', 'in_app', 'docs']);
    expect($(el, '#f-docsBanner')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await expectEscapeCloses(el, trigger);
  });

  it('marks each bad field inline with the schema’s message; a rule the service checks lands on its field too', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    const yesterday = utcDay(new Date(Date.now() - DAY));
    el.values = { ...el.values, channels: [], subject: '', body: '', endsOn: yesterday };
    await el.updateComplete;
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    const expectInvalid = (id: string, field: string, message: RegExp) => {
      const input = $(el, `#${id}`)!;
      expect((input.getAttribute('aria-describedby') ?? '').split(' '), field).to.include(`err-${field}`);
      expect(text($(el, `[id="err-${field}"]`)), field).to.match(message);
    };
    expectInvalid('f-channels', 'channels', /at least one channel/);
    expect($(el, 'input[name="channels"]')!.getAttribute('aria-invalid')).to.equal('true');
    expectInvalid('f-subject', 'message.subject', /required/);
    expectInvalid('f-body', 'message.body', /required/);
    expectInvalid('f-endsOn', 'endsOn', new RegExp(`${utcDay(new Date())} or later`));
    expect($(el, '#f-subject')!.getAttribute('aria-invalid')).to.equal('true');
    expect(activeElementDeep()?.getAttribute('name')).to.equal('channels');
    await expect(el).to.be.accessible();

    // The docs channel without its banner: the browser says so...
    fill(el, { channels: ['docs'], endsOn: '' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[aria-invalid="true"]').length, 'edited fields clear').to.equal(0);
    await click(el, 'review-button');
    expectInvalid('f-docsBanner', 'docsBanner', /required for the docs channel/);
    // ...and so does the service (a browser that skipped the check): its issue lands on the same field.
    el['validate'] = () => ({});
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 400, code: 'validation', retryable: false });
    expect(text(part(el, 'error'))).to.contain('docsBanner: required for the docs channel');
    expect(part(el, 'retry-button'), 'bad input gets no Retry').to.equal(null);
    await click(el, 'back-button');
    expect($(el, '#f-docsBanner')!.getAttribute('aria-invalid')).to.equal('true');
    expect(text($(el, '[id="err-docsBanner"]'))).to.contain('required for the docs channel');
    expect(await campaignsOf(s, agent.agent_id)).to.deep.equal([]);
  });

  it('the audience preview follows the form (debounced) and its counts match the snapshot’s rows, an empty audience included', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    const check = async (audience: { departments: string[]; segments: AudienceSegment[]; excludeCurrentUsers: boolean }) => {
      const want = await expectedAudience(agent.agent_id, audience);
      const p = el.preview as PromotePreview;
      expect(p, JSON.stringify(audience)).to.deep.equal(await previewOf(s, { agentId: agent.agent_id, audience }));
      expect(p.audienceSize, `audience size for ${JSON.stringify(audience)}`).to.equal(want.size);
      expect(p.currentUsers, 'current users').to.equal(want.current);
      expect(new Map(p.departments.map((d) => [d.department, d.users]))).to.deep.equal(want.byDept);
      expect(figure(el, 'audienceSize')).to.equal(nf.format(want.size));
      expect(figure(el, 'currentUsers')).to.equal(`${nf.format(want.current)} ${audience.excludeCurrentUsers ? '(left out)' : '(included)'}`);
      return want;
    };
    // Everyone (every department, every segment, without current users).
    const everyone = await check({ departments: [], segments: [], excludeCurrentUsers: true });
    expect(everyone.size).to.be.greaterThan(100);
    expect(everyone.current, 'the agent has users').to.be.greaterThan(0);
    const rows = [...el.shadowRoot!.querySelectorAll('table.departments tbody tr')].map((tr) => [...tr.children].map(text));
    expect(rows).to.deep.equal((el.preview as PromotePreview).departments.map((d) => [d.department, nf.format(d.users)]));

    // Two departments × regular and power users, current users kept: ticked with the keyboard and the mouse.
    const all = await snapshotPeople();
    const depts = [...new Set(all.map((p) => p.department).filter((d): d is string => d !== null))].sort();
    await waitUntil(() => depts.every((d) => el.departmentChoices.includes(d)), 'the departments were not offered', LONG);
    await el.updateComplete;
    const [d1, d2] = depts;
    ($(el, `input[name="departments"][value="${d1}"]`) as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    ($(el, `input[name="departments"][value="${d2}"]`) as HTMLInputElement).click();
    ($(el, 'input[name="segments"][value="regular"]') as HTMLInputElement).click();
    ($(el, 'input[name="segments"][value="power"]') as HTMLInputElement).click();
    ($(el, '#f-excludeCurrentUsers') as HTMLInputElement).click();
    await el.updateComplete;
    expect(el.previewInput?.audience.departments, 'not yet: debounced').to.deep.equal([]);
    await previewSettled(el);
    const two = await check({ departments: [d1, d2], segments: ['regular', 'power'], excludeCurrentUsers: false });
    expect(two.size).to.be.greaterThan(0);
    expect(two.size).to.be.lessThan(everyone.size + everyone.current);

    // An audience with nobody in it: a department × segment no user of the snapshot falls in.
    let empty: { departments: string[]; segments: AudienceSegment[] } | undefined;
    for (const seg of ['power', 'new', 'dormant', 'regular'] as const)
      for (const d of depts) if (!empty && !all.some((p) => p.department === d && p.segment === seg)) empty = { departments: [d], segments: [seg] };
    expect(empty, 'the snapshot has an empty department × segment').to.not.equal(undefined);
    el.values = { ...el.values, ...empty!, excludeCurrentUsers: true };
    await previewSettled(el);
    const none = await check({ ...empty!, excludeCurrentUsers: true });
    expect(none.size).to.equal(0);
    expect(figure(el, 'empty')).to.contain('Nobody in this audience');
    expect(el.shadowRoot!.querySelector('table.departments')).to.equal(null);
    expect(part(el, 'preview')!.getAttribute('aria-busy')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it('Review → Confirm stores the campaign: the result matches GET /v1/campaigns, and the dialog lists it next time; axe at each step', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    expect(text($(el, '[data-campaigns="none"]'))).to.contain('None yet');
    const endsOn = utcDay(new Date(Date.now() + 14 * DAY));
    fill(el, { channels: ['email', 'in_app', 'docs'], docsBanner: 'New: ask it about access', segments: ['regular'], endsOn });
    await previewSettled(el);
    const size = (el.preview as PromotePreview).audienceSize;
    expect(size).to.equal((await expectedAudience(agent.agent_id, { departments: [], segments: ['regular'], excludeCurrentUsers: true })).size);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text($(el, '[data-review="channels"]'))).to.equal('E-mail, In-app banner, Docs page banner');
    expect(text($(el, '[data-review="audienceSize"]'))).to.equal(nf.format(size));
    expect(text($(el, '[data-review="runs"]'))).to.equal(`from ${utcDay(new Date())} to ${endsOn}`);
    expect(activeElementDeep()?.getAttribute('part')).to.equal('confirm-button');
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    expect((await done).detail.action).to.equal('promote-agent');
    const r = el.result!;
    expect(r).to.include({ agentId: agent.agent_id, audienceSize: size, notificationsQueued: size * 2, startsOn: utcDay(new Date()), endsOn, replayed: false });
    expect(text($(el, '[data-result="campaignId"]'))).to.equal(r.campaignId);
    expect(text($(el, '[data-result="notificationsQueued"]'))).to.equal(nf.format(size * 2));
    expect(text($(el, '[data-result="runs"]'))).to.equal(`from ${r.startsOn} to ${endsOn}`);
    expect(activeElementDeep()?.getAttribute('part')).to.equal('result');
    await expect(el).to.be.accessible();

    const stored = await campaignsOf(s, agent.agent_id);
    expect(stored).to.have.length(1);
    expect(stored[0]).to.include({
      id: r.campaignId,
      agent_id: agent.agent_id,
      audience_size: size,
      starts_on: r.startsOn,
      ends_on: endsOn,
      docs_banner: 'New: ask it about access',
    });
    expect(stored[0].channels).to.deep.equal(['email', 'in_app', 'docs']);
    const p = el.preview as PromotePreview;
    expect(stored[0].baseline).to.include({ users: p.baseline.users, requests: p.baseline.requests });

    // Opened again: the campaign is listed in the preview region.
    await click(el, 'cancel-button');
    el.show();
    await previewSettled(el);
    await waitUntil(() => el.campaigns?.length === 1, 'the campaign was not listed', LONG);
    await el.updateComplete;
    const item = $(el, `[part="campaigns"] [data-campaign="${r.campaignId}"]`);
    expect(text(item)).to.contain(
      `Campaign ${r.campaignId}: from ${r.startsOn} to ${endsOn}, E-mail, In-app banner, Docs page banner, ${nf.format(size)} users`,
    );
    expect(insideEl(part(el, 'preview')!, item)).to.equal(true);
    await expect(el).to.be.accessible();
  });

  it('a role without the action (finance) sees no trigger and the 403 as text; a one-department director may not reach another department; a deprecated agent is refused with the reason', async () => {
    const s = await session('roles=finance&departments=*&user=fin-promote');
    const agent = await pickAgent(await pm());
    const el = await mount(s, agent.agent_id);
    expect(el.allowed).to.equal(false);
    expect(part(el, 'trigger')).to.equal(null);
    el.show();
    await waitUntil(() => part(el, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(el, 'preview-error'))).to.match(/could not be loaded: .*(not allowed|may not|role)/i);
    fill(el);
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure?.status).to.equal(403);
    expect(text(part(el, 'error'))).to.contain('Not allowed');
    expect(text(part(el, 'error'))).to.contain(el.failure!.message);
    expect(part(el, 'retry-button')).to.equal(null);
    await expect(el).to.be.accessible();
    el.close();

    // A director of engineering: only engineering is offered; a forced other department is refused by the service.
    const eng = await session('roles=director_ai_ml&departments=engineering&user=dir-eng');
    const mine = await mount(eng, agent.agent_id);
    expect(mine.allowed).to.equal(true);
    mine.show();
    await waitUntil(() => mine.preview !== undefined || part(mine, 'preview-error') !== null, 'no preview', LONG);
    await mine.updateComplete;
    expect([...mine.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="departments"]')].map((i) => i.value)).to.deep.equal(['engineering']);
    fill(mine, { departments: ['sales'] });
    await click(mine, 'review-button');
    await click(mine, 'confirm-button');
    await waitPhase(mine, 'error');
    expect(mine.failure?.status).to.equal(403);
    expect(text(part(mine, 'error'))).to.contain('the audience includes department(s) "sales", not yours (engineering)');
    expect(await campaignsOf(eng, agent.agent_id)).to.deep.equal([]);
    mine.close();

    // A deprecated agent: the service refuses with its reason, shown as text (no Retry).
    const s2 = await pm();
    const old = (await registry(s2)).find((a) => a.status === 'deprecated')!;
    const dep = await mount(s2, old.agent_id);
    expect(dep.allowed).to.equal(true);
    dep.show();
    await waitUntil(() => part(dep, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(dep, 'preview-error'))).to.contain(`"${old.agent_id}" is deprecated: promote its replacement instead`);
    fill(dep);
    await click(dep, 'review-button');
    await click(dep, 'confirm-button');
    await waitPhase(dep, 'error');
    expect(dep.failure).to.include({ status: 409, code: 'conflict', retryable: false });
    expect(text(part(dep, 'error'))).to.contain('promote its replacement instead');
    expect(part(dep, 'retry-button')).to.equal(null);
    await expect(dep).to.be.accessible();
    dep.close();
  });

  it('a lost answer shows the error with Retry; Retry sends the same key and the service stores one campaign', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id, s.proxy);
    el.show();
    await previewSettled(el);
    fill(el, { channels: ['email'] });
    await click(el, 'review-button');
    await fetch(`${s.proxy}/__lose-next`);
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 504, retryable: true });
    expect(activeElementDeep()?.getAttribute('part')).to.equal('error');
    await expect(el).to.be.accessible();
    expect(await campaignsOf(s, agent.agent_id), 'the service stored it; the browser never heard').to.have.length(1);
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await click(el, 'retry-button');
    const { detail } = await done;
    await waitPhase(el, 'result');
    expect(detail.result).to.include({ replayed: true });
    expect(text(part(el, 'result'))).to.contain('nothing was done twice');
    const stored = await campaignsOf(s, agent.agent_id);
    expect(stored.map((c) => c.id)).to.deep.equal([el.result!.campaignId]);
    const posts = ((await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string; key: string }[]).filter(
      (r) => r.method === 'POST' && r.path === '/v1/actions/promote-agent',
    );
    expect(posts).to.have.length(2);
    expect(posts[0].key).to.equal(posts[1].key);
  });

  it('renders hostile agent ids and message text as inert text', async () => {
    const s = await pm();
    const w = window as unknown as { pwned?: number };
    const hostileId = `<img src=x onerror="window.pwned=1">`;
    const bad = await mount(s, hostileId);
    bad.show();
    await waitUntil(() => part(bad, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(bad, 'title'))).to.equal(`Promote ${hostileId}`);
    expect(text(part(bad, 'preview-error'))).to.contain(`no agent "${hostileId}"`);
    expect(bad.shadowRoot!.querySelector('img, script')).to.equal(null);
    await expect(bad).to.be.accessible();
    bad.close();

    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    const subject = '<script>window.pwned=1</script>';
    const body = '<img src=x onerror="window.pwned=1"> & <b>bold</b>';
    fill(el, { subject, body, channels: ['in_app', 'docs'], docsBanner: '<svg onload="window.pwned=1">' });
    await click(el, 'review-button');
    expect(text($(el, '[data-review="subject"]'))).to.equal(subject);
    expect(text($(el, '[data-review="body"]'))).to.equal(body);
    expect(text($(el, '[data-review="docsBanner"]'))).to.equal('<svg onload="window.pwned=1">');
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    el.close();
    el.show();
    await previewSettled(el);
    await waitUntil(() => el.campaigns?.length === 1, 'the campaign was not listed', LONG);
    expect(el.shadowRoot!.querySelector('img, script, svg, b')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.pwned).to.equal(undefined);
    el.close();
  });
});

describe('<usage-analytics> Level 3 offers A2.1', () => {
  it('shows <usage-action-promote-agent> for the agent in view to a product manager, first in the agent’s actions', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const search = location.search;
    history.replaceState(null, '', `${location.pathname}${search}&level=agent:${encodeURIComponent(agent.agent_id)}`);
    const client = await UsageDataClient.open({
      source: new HttpSource(new URL(SNAPSHOT, location.href).href),
      connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
    });
    const tab = await fixture<UsageAnalytics>(html`<usage-analytics .client=${client} .charts=${[]}></usage-analytics>`);
    await waitUntil(() => !tab.shadowRoot!.querySelector('[part="link-status"]'), 'the link was not checked', LONG);
    tab.actions = new ActionsClient({ baseUrl: s.url, token: () => s.token });
    await elementUpdated(tab);
    const group = tab.shadowRoot!.querySelector('[part="agent-actions"]')!;
    expect(group).to.not.equal(null);
    const dialog = group.querySelector('usage-action-promote-agent') as UsageActionPromoteAgent;
    expect(dialog.agentId).to.equal(agent.agent_id);
    expect(group.firstElementChild).to.equal(dialog);
    await waitUntil(() => dialog.allowed === true, 'the product manager was not allowed', LONG);
    await elementUpdated(dialog);
    const trigger = dialog.shadowRoot!.querySelector('[part="trigger"]') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Promote agent…');
    trigger.click();
    await previewSettled(dialog);
    expect(dialog.client).to.equal(tab.actions);
    await expect(dialog).to.be.accessible();
    dialog.close();
    await expect(group).to.be.accessible();
    history.replaceState(null, '', `${location.pathname}${search}`);
  });
});

describe('<usage-adoption-curve> marks the agent’s campaigns (reach of A2.1, chart 2.10)', () => {
  it('lists the campaigns the actions service stored for the agent, and draws a labelled rule at each date inside the plot', async () => {
    const s = await pm();
    const agent = await pickAgent(s);
    const client = clientFor(s);
    const stored = await client.perform(
      'promote-agent',
      { agentId: agent.agent_id, channels: ['in_app'], audience: { segments: ['dormant'] }, message: { subject: 'Back again', body: 'Try it.' } },
      PromoteAgentResult,
      { idempotencyKey: newIdempotencyKey() },
    );
    const [row] = await campaignsOf(s, agent.agent_id);
    expect(row.id).to.equal(stored.campaignId);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()} .actions=${client}>
        <div style="width: 900px"><usage-adoption-curve agent-id=${agent.agent_id} axis="calendar"></usage-adoption-curve></div>
      </usage-provider>
    `);
    const el = provider.querySelector('usage-adoption-curve') as UsageAdoptionCurve;
    const frame = () => el.shadowRoot!.querySelector('usage-chart-frame') as UsageChartFrame;
    await waitUntil(() => frame()?.state === 'ready' && !frame().busy && el.layout !== undefined, 'chart did not render', LONG);
    await waitUntil(() => el.campaignMarkers.length === 1, 'the campaign was not loaded', LONG);
    await el.updateComplete;
    const label = `Campaign ${row.id} from ${row.starts_on}: ${nf.format(row.baseline.users)} users and ${nf.format(row.baseline.requests)} requests in the 30 days before`;
    // Today is after the snapshot's last day: listed, not drawn.
    expect(text(el.shadowRoot!.querySelector(`[part="campaigns"] li[data-campaign="${row.id}"]`))).to.equal(`${label} (outside the dates shown)`);
    expect(el.shadowRoot!.querySelector('g.campaign-marker')).to.equal(null);

    // Campaigns set on the element win; one inside the data's dates is drawn at its day, its label as the rule's title.
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string } };
    const inside = utcDay(new Date(Date.parse(manifest.time_range.end) - 20 * DAY));
    el.campaigns = [{ id: 'c-7', startsOn: inside, endsOn: null, baseline: { users: 12, requests: 345 } }];
    await waitUntil(() => el.shadowRoot!.querySelector('g.campaign-marker') !== null, 'no marker drawn', LONG);
    const marker = el.shadowRoot!.querySelector('g.campaign-marker')!;
    expect(marker.getAttribute('data-campaign')).to.equal('c-7');
    expect(Number(marker.querySelector('line')!.getAttribute('x1'))).to.be.closeTo(el.layout!.px(dayNumber(inside)), 0.01);
    expect(marker.querySelector('title')!.textContent).to.equal(`Campaign c-7 from ${inside}: 12 users and 345 requests in the 30 days before`);
    expect(text(el.shadowRoot!.querySelector('[part="campaigns"]'))).to.contain(`Campaign c-7 from ${inside}: 12 users and 345 requests in the 30 days before`);
    expect(text(el.shadowRoot!.querySelector('[part="campaigns"]'))).to.not.contain('outside');
    await expect(provider).to.be.accessible();

    // On the launch axis the list stays (as text) and nothing is drawn.
    el.axis = 'launch';
    await waitUntil(() => el.layout !== undefined && el.shadowRoot!.querySelector('g.campaign-marker') === null, 'the marker stayed on the launch axis', LONG);
    expect(text(el.shadowRoot!.querySelector('[part="campaigns"]'))).to.contain('(marked on the calendar axis)');
  });
});
