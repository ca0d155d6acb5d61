/**
 * <usage-action-deprecate-agent> (and the <usage-action-dialog> base under it) against the REAL
 * actions service: scripts/wtr-actions.mjs starts it on the test snapshot and signs tokens for the
 * roles a test asks for. The service keeps its state for the whole run, so every test takes an
 * agent no other test touched. The only stand-in is the same-origin proxy that loses one answer
 * after the service has performed the action (a real lost response).
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { DeprecatePreview, addDays, routingSchedule, utcDay } from '@usage-analytics/actions';
import '../src/index.js';
import type UsageActionDeprecateAgent from '../src/components/action-deprecate-agent/action-deprecate-agent.component.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import { actionsSession, api, clientFor, type Session, LONG, text, $, part, click, insideEl, waitPhase, expectEscapeCloses } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';

const nf = new Intl.NumberFormat('en-US');

interface Agent {
  agent_id: string;
  agent_name: string;
  department_id: string | null;
  status: string;
}

const session = (query = 'roles=director_ai_ml&departments=*') => actionsSession(query);
const director = () => session();

const registry = async (s: Session) => (await api<Agent[]>(s, 'GET', '/v1/registry/agents')).body;
const previewOf = async (s: Session, agentId: string) =>
  DeprecatePreview.parse((await api<unknown>(s, 'POST', '/v1/actions/deprecate-agent/preview', { agentId })).body);

/** Agents handed out in this run: each test deprecates (or looks at) its own. */
const taken = new Set<string>();
/** An active agent no test has used; with `withUsers`, one that someone used in the preview window. */
async function pickAgent(s: Session, withUsers = false): Promise<Agent> {
  for (const a of await registry(s)) {
    if (a.status !== 'active' || taken.has(a.agent_id)) continue;
    if (withUsers && (await previewOf(s, a.agent_id)).usersAffected === 0) continue;
    taken.add(a.agent_id);
    return a;
  }
  throw new Error('no active agent left in the registry');
}
/** Another active agent to move users to (not reserved: many tests may use one replacement). */
async function replacementFor(s: Session, agent: Agent): Promise<Agent> {
  const all = await registry(s);
  return all.find((a) => a.status === 'active' && a.agent_id !== agent.agent_id && !taken.has(a.agent_id))!;
}

async function mount(s: Session, agentId: string, base?: string, waitMe = true) {
  const wrap = await fixture<HTMLElement>(
    html`<div><usage-action-deprecate-agent agent-id=${agentId} .actions=${clientFor(s, base)}></usage-action-deprecate-agent></div>`,
  );
  const el = wrap.querySelector('usage-action-deprecate-agent')!;
  if (waitMe) await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  else await el.settled();
  return el;
}

/** Opens with the trigger, waits for the registry and the preview. */
async function openLoaded(el: UsageActionDeprecateAgent) {
  if (!el.open) (part(el, 'trigger') as HTMLButtonElement).click();
  await el.updateComplete;
  await waitUntil(() => el.replacements.length > 0 && el.preview !== undefined, 'the registry or the preview did not load', LONG);
  await el.updateComplete;
}

function fill(el: UsageActionDeprecateAgent, replacement: Agent, over: Partial<UsageActionDeprecateAgent['values']> = {}) {
  el.values = {
    ...el.values,
    sunsetDate: addDays(utcDay(new Date()), 45),
    replacementAgentId: replacement.agent_id,
    migrationGuideUrl: 'https://docs.example/migrate',
    ...over,
  };
}

describe('<usage-action-deprecate-agent> on the real actions service', () => {
  it('opens as a modal dialog with title and description, traps Tab, closes on Escape and gives focus back; axe clean', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Deprecate agent…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.open && el.replacements.length > 0 && el.preview !== undefined, 'did not open and load', LONG);
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.open).to.equal(true);
    expect(dialog.matches(':modal')).to.equal(true);
    expect([dialog.getAttribute('role'), dialog.getAttribute('aria-modal')]).to.deep.equal(['dialog', 'true']);
    expect(text($(el, `#${dialog.getAttribute('aria-labelledby')}`))).to.equal(`Deprecate ${agent.agent_name}`);
    expect(text($(el, `#${dialog.getAttribute('aria-describedby')}`))).to.match(/notifies the users/);
    expect(insideEl(dialog, activeElementDeep())).to.equal(true);
    await expect(el).to.be.accessible();

    // Tab goes round inside: more presses than there are controls never leave the dialog.
    const seen = new Set<Element>();
    for (let i = 0; i < 14; i++) {
      await sendKeys({ press: 'Tab' });
      const a = activeElementDeep();
      expect(insideEl(dialog, a), `Tab ${i + 1} left the dialog (${a?.outerHTML.slice(0, 60)})`).to.equal(true);
      seen.add(a!);
    }
    expect(seen.size).to.be.greaterThan(6);
    (dialog.querySelector('input') as HTMLElement).focus();
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    await sendKeys({ up: 'Shift' });
    expect(activeElementDeep()?.getAttribute('part')).to.equal('review-button');

    await expectEscapeCloses(el, trigger);
  });

  it('marks each bad field inline (aria-invalid + aria-describedby), with the service’s own issues too', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    await openLoaded(el);
    const soon = addDays(utcDay(new Date()), 10);
    el.values = { ...el.values, sunsetDate: soon, replacementAgentId: agent.agent_id };
    await el.updateComplete;
    const link = $<HTMLInputElement>(el, '#f-migrationGuideUrl')!;
    link.focus();
    await sendKeys({ type: 'javascript:alert(1)' });
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    const expectInvalid = (id: string, field: string, message: RegExp) => {
      const input = $(el, `#${id}`)!;
      expect(input.getAttribute('aria-invalid'), field).to.equal('true');
      const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
      expect(ids, field).to.include(`err-${field}`);
      expect(text($(el, `[id="err-${field}"]`)), field).to.match(message);
    };
    expectInvalid('f-sunsetDate', 'sunsetDate', new RegExp(`at least 30 days ahead: ${addDays(utcDay(new Date()), 30)} or later`));
    expectInvalid('f-replacementAgentId', 'replacementAgentId', /another agent than the one deprecated/);
    expectInvalid('f-migrationGuideUrl', 'migrationGuideUrl', /http:\/\/ or https:\/\//);
    expect($(el, '#f-subject')!.getAttribute('aria-invalid')).to.equal('false');
    expect(activeElementDeep()?.id).to.equal('f-sunsetDate');
    await expect(el).to.be.accessible();

    // Fixed fields clear; an inactive replacement passes the browser's checks and the service names the field.
    const inactive = (await registry(s)).find((a) => a.status === 'deprecated' && a.agent_id !== agent.agent_id)!;
    fill(el, inactive);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[aria-invalid="true"]').length).to.equal(0);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(text(part(el, 'error'))).to.contain(`"${inactive.agent_id}" is deprecated, not active`);
    expect(part(el, 'retry-button'), 'bad input gets no Retry').to.equal(null);
    await click(el, 'back-button');
    expect($(el, '#f-replacementAgentId')!.getAttribute('aria-invalid')).to.equal('true');
    expect(text($(el, '[id="err-replacementAgentId"]'))).to.contain('not active');
    expect((await registry(s)).find((a) => a.agent_id === agent.agent_id)!.status).to.equal('active');
  });

  it('shows the same impact as the service’s preview endpoint: users, departments, top users, and the routing schedule', async () => {
    const s = await director();
    const agent = await pickAgent(s, true);
    const want = await previewOf(s, agent.agent_id);
    expect(want.usersAffected).to.be.greaterThan(0);
    const el = await mount(s, agent.agent_id);
    (part(el, 'trigger') as HTMLButtonElement).click();
    await el.updateComplete;
    // While the preview loads: the region is busy and shows a progress bar.
    expect(part(el, 'preview')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(el, 'preview')!.querySelector('progress')).to.not.equal(null);
    await openLoaded(el);
    expect(text($(el, '[data-figure="usersAffected"]'))).to.equal(nf.format(want.usersAffected));
    expect(text($(el, '[data-figure="requests"]'))).to.equal(nf.format(want.requests));
    const deptRows = [...el.shadowRoot!.querySelectorAll('table.departments tbody tr')].map((tr) => [...tr.children].map(text));
    expect(deptRows).to.deep.equal(want.departments.map((d) => [d.department, nf.format(d.users), nf.format(d.requests)]));
    const userRows = [...el.shadowRoot!.querySelectorAll('table.top-users tbody tr')].map((tr) => [...tr.children].map(text));
    expect(userRows).to.deep.equal(want.topUsers.map((u) => [u.userId, u.department ?? 'Unknown', nf.format(u.requests), u.lastSeen.slice(0, 10)]));
    el.values = { ...el.values, sunsetDate: addDays(utcDay(new Date()), 60), weeklySharePct: 20 };
    await el.updateComplete;
    const steps = [...el.shadowRoot!.querySelectorAll('[part="routing"] li')].map(text);
    expect(steps).to.deep.equal(
      routingSchedule(new Date(), addDays(utcDay(new Date()), 60), 20).map((r) => `From ${r.from}: ${r.sharePct} % to the replacement`),
    );
    expect(part(el, 'preview')!.getAttribute('aria-busy')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it('Review → Confirm deprecates the agent in the registry; a double click on Confirm does it once; axe clean at review and result', async () => {
    const s = await director();
    const agent = await pickAgent(s, true);
    const replacement = await replacementFor(s, agent);
    const users = (await previewOf(s, agent.agent_id)).usersAffected;
    const el = await mount(s, agent.agent_id, s.proxy);
    await openLoaded(el);
    fill(el, replacement);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text(part(el, 'review'))).to.contain(replacement.agent_name);
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    const confirm = part(el, 'confirm-button') as HTMLButtonElement;
    confirm.click();
    confirm.click();
    await el.updateComplete;
    expect(el.phase).to.equal('submitting');
    expect($(el, 'dialog')!.getAttribute('aria-busy')).to.equal('true');
    expect($(el, 'progress')).to.not.equal(null);
    el.close(); // refused while submitting (Escape calls the same)
    expect(el.open).to.equal(true);
    const { detail } = await done;
    await waitPhase(el, 'result');
    expect(detail.action).to.equal('deprecate-agent');
    expect(detail.result).to.include({ status: 'deprecated', agentId: agent.agent_id, replayed: false, notificationsQueued: users * 2 });
    expect(text($(el, '[data-result="status"]'))).to.equal('deprecated');
    expect(text($(el, '[data-result="notificationsQueued"]'))).to.equal(nf.format(users * 2));
    const log = (await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string }[];
    expect(log.filter((r) => r.method === 'POST' && r.path === '/v1/actions/deprecate-agent')).to.have.length(1);
    const row = (await registry(s)).find((a) => a.agent_id === agent.agent_id) as Agent & { sunset_date: string; replacement_agent_id: string };
    expect([row.status, row.sunset_date, row.replacement_agent_id]).to.deep.equal(['deprecated', addDays(utcDay(new Date()), 45), replacement.agent_id]);
    await expect(el).to.be.accessible();
    await click(el, 'cancel-button');
    expect(el.open).to.equal(false);
  });

  it('a role without the action (finance) does not see it; the service’s 403 is shown as text; a changed form gets a new key', async () => {
    const s = await session('roles=finance&departments=*&user=fin-1');
    const director_ = await director();
    const agent = await pickAgent(director_);
    const replacement = await replacementFor(director_, agent);
    const el = await mount(s, agent.agent_id, s.proxy);
    expect(el.allowed).to.equal(false);
    expect(part(el, 'trigger')).to.equal(null);
    el.show();
    await waitUntil(() => part(el, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(el, 'preview-error'))).to.match(/could not be loaded: .*(not allowed|may not|role)/i);
    fill(el, replacement);
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure?.status).to.equal(403);
    expect(text(part(el, 'error'))).to.contain(el.failure!.message);
    expect(text(part(el, 'error'))).to.contain('Not allowed');
    expect(part(el, 'retry-button')).to.equal(null);
    await expect(el).to.be.accessible();
    // Same form → same key; changed form → new key.
    await click(el, 'back-button');
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    await click(el, 'back-button');
    el.values = { ...el.values, weeklySharePct: 50 };
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    const keys = ((await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string; key: string }[])
      .filter((r) => r.method === 'POST' && r.path === '/v1/actions/deprecate-agent')
      .map((r) => r.key);
    expect(keys).to.have.length(3);
    expect(keys[0]).to.equal(keys[1]);
    expect(keys[2]).to.not.equal(keys[1]);
    expect((await registry(director_)).find((a) => a.agent_id === agent.agent_id)!.status).to.equal('active');
  });

  it('a lost answer (504 from the gateway after the service performed it) shows the error with Retry; Retry sends the same key and the service does it once', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const replacement = await replacementFor(s, agent);
    const el = await mount(s, agent.agent_id, s.proxy);
    await openLoaded(el);
    fill(el, replacement);
    await click(el, 'review-button');
    await fetch(`${s.proxy}/__lose-next`);
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 504, retryable: true });
    expect(text(part(el, 'error'))).to.contain('answered 504');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('error');
    await expect(el).to.be.accessible();
    // The service did it; the browser never heard.
    expect((await registry(s)).find((a) => a.agent_id === agent.agent_id)!.status).to.equal('deprecated');
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await click(el, 'retry-button');
    const { detail } = await done;
    await waitPhase(el, 'result');
    expect(detail.result).to.include({ status: 'deprecated', replayed: true });
    expect(text(part(el, 'result'))).to.contain('nothing was done twice');
    const posts = ((await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string; key: string }[]).filter(
      (r) => r.method === 'POST' && r.path === '/v1/actions/deprecate-agent',
    );
    expect(posts).to.have.length(2);
    expect(posts[0].key).to.equal(posts[1].key);
  });

  it('renders hostile agent ids and template text as inert text', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const replacement = await replacementFor(s, agent);
    const w = window as unknown as { pwned?: number };
    const hostileId = `<img src=x onerror="window.pwned=1">`;
    const bad = await mount(s, hostileId);
    bad.show();
    await waitUntil(() => part(bad, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(bad, 'title'))).to.equal(`Deprecate ${hostileId}`);
    expect(text(part(bad, 'preview-error'))).to.contain(`no agent "${hostileId}"`);
    expect(bad.shadowRoot!.querySelector('img, script')).to.equal(null);
    await expect(bad).to.be.accessible();
    bad.close();

    const el = await mount(s, agent.agent_id);
    await openLoaded(el);
    const subject = '<script>window.pwned=1</script>{{agent}}';
    const body = '<img src=x onerror="window.pwned=1"> {{replacement}} on {{sunsetDate}}: {{guide}}';
    fill(el, replacement, { subject, body });
    await click(el, 'review-button');
    expect(text($(el, '[data-template="subject"]'))).to.equal(`<script>window.pwned=1</script>${agent.agent_name}`);
    expect(text($(el, '[data-template="body"]'))).to.equal(
      `<img src=x onerror="window.pwned=1"> ${replacement.agent_name} on ${addDays(utcDay(new Date()), 45)}: https://docs.example/migrate`,
    );
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.pwned).to.equal(undefined);
    el.close();
  });

  it('takes the client from <usage-provider actions>; its own `actions` wins; axe clean in the dark theme', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const fromProvider = clientFor(s);
    const wrap = await fixture<HTMLElement>(
      html`<usage-provider theme="dark" .actions=${fromProvider}
        ><usage-action-deprecate-agent agent-id=${agent.agent_id}></usage-action-deprecate-agent
      ></usage-provider>`,
    );
    const el = wrap.querySelector('usage-action-deprecate-agent')!;
    await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
    expect(el.client).to.equal(fromProvider);
    expect(el.allowed).to.equal(true);
    await openLoaded(el);
    await expect(el).to.be.accessible();
    el.close();
    const own = clientFor(await session('roles=finance&departments=*'));
    el.actions = own;
    await el.updateComplete;
    expect(el.client).to.equal(own);
    await waitUntil(() => el.allowed === false, 'the element did not reload me() with its own client', LONG);
    expect(part(el, 'trigger')).to.equal(null);
  });

  it('a service that cannot be reached (a closed port) shows the preview error with Retry, and the submit error with Retry', async () => {
    const s = await director();
    const agent = await pickAgent(s);
    const replacement = await replacementFor(s, agent);
    const { url: closed } = (await (await fetch('/__actions/closed-port')).json()) as { url: string };
    const el = await mount(s, agent.agent_id, closed, false);
    expect(el.allowed, 'me() failed: the trigger stays (the service decides)').to.equal(undefined);
    expect(part(el, 'trigger')).to.not.equal(null);
    el.show();
    await waitUntil(() => part(el, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(el, 'preview-error'))).to.contain('could not be reached');
    expect(text(part(el, 'preview-error')?.querySelector('button'))).to.equal('Retry preview');
    await expect(el).to.be.accessible();
    el.values = { ...el.values, replacementAgentId: replacement.agent_id, migrationGuideUrl: 'https://docs.example/x' };
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 0, code: 'network', retryable: true });
    expect(part(el, 'retry-button')).to.not.equal(null);
    await expect(el).to.be.accessible();
    el.close();
  });
});
