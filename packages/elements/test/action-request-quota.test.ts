/**
 * <usage-action-request-quota> against the REAL actions service (scripts/wtr-actions.mjs starts it
 * on the test snapshot and signs tokens for the roles a test asks for). The service keeps its state
 * for the whole run, so every test that sets a quota takes an agent no other test touched.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { QuotaPreview, type RequestQuotaInput } from '@usage-analytics/actions';
import '../src/index.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type UsageActionRequestQuota from '../src/components/action-request-quota/action-request-quota.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import { actionsSession, api, clientFor, type Session, LONG, text, $, part, click, insideEl, waitPhase, expectEscapeCloses } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';

const nf = new Intl.NumberFormat('en-US');

interface Agent {
  agent_id: string;
  agent_name: string;
  department_id: string | null;
  status: string;
  max_requests_per_minute: number | null;
}

const session = (query = 'roles=platform_architect&departments=*&user=arch-1') => actionsSession(query);
const architect = () => session();

const registry = async (s: Session) => (await api<Agent[]>(s, 'GET', '/v1/registry/agents')).body;
const previewOf = async (s: Session, input: RequestQuotaInput) => {
  const r = await api<unknown>(s, 'POST', '/v1/actions/request-quota/preview', input);
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
  return QuotaPreview.parse(r.body);
};

/** Agents handed out in this file, taken from the END of the registry (the deprecate tests take theirs from the start). */
const taken = new Set<string>();
async function pickAgent(s: Session, withTraffic = false): Promise<Agent> {
  for (const a of (await registry(s)).reverse()) {
    if (a.status !== 'active' || taken.has(a.agent_id)) continue;
    if (withTraffic && (await previewOf(s, { scope: 'agent', agentId: a.agent_id, limit: 1, period: 'hour', overage: 'reject' })).requests < 20) continue;
    taken.add(a.agent_id);
    return a;
  }
  throw new Error('no agent left in the registry');
}

async function mount(s: Session, agentId?: string) {
  const wrap = await fixture<HTMLElement>(
    agentId
      ? html`<div><usage-action-request-quota agent-id=${agentId} .actions=${clientFor(s)}></usage-action-request-quota></div>`
      : html`<div><usage-action-request-quota .actions=${clientFor(s)}></usage-action-request-quota></div>`,
  );
  const el = wrap.querySelector('usage-action-request-quota')!;
  await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  await el.updateComplete;
  return el;
}
/** Waits until the preview on screen answers the form as it is now. */
async function previewSettled(el: UsageActionRequestQuota) {
  await waitUntil(
    () => {
      const p = el.preview as QuotaPreview | undefined;
      const want = el.previewInput;
      return (
        !!p &&
        !!want &&
        JSON.stringify(want) === JSON.stringify(el['input']()) &&
        p.limit === want.limit &&
        p.period === want.period &&
        p.overage === want.overage
      );
    },
    'the preview did not follow the form',
    LONG,
  );
  await el.updateComplete;
}
const figure = (el: UsageActionRequestQuota, name: string) => text($(el, `[data-figure="${name}"]`));

describe('<usage-action-request-quota> on the real actions service', () => {
  it('opens from the keyboard as a modal, traps Tab, closes on Escape and gives focus back; axe clean', async () => {
    const s = await architect();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Set agent request quota…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.open && el.preview !== undefined && el.agents.length > 0, 'did not open and load', LONG);
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(text($(el, '#title'))).to.equal(`Set the request quota of ${agent.agent_name}`);
    expect($(el, '[name="scope"]'), 'agent-id fixes the scope').to.equal(null);
    expect($(el, '#f-maxQueueWaitMs'), 'no queue wait unless overage is queue').to.equal(null);
    expect(activeElementDeep()?.id).to.equal('f-limit');
    await expect(el).to.be.accessible();
    for (let i = 0; i < 10; i++) {
      await sendKeys({ press: 'Tab' });
      expect(insideEl(dialog, activeElementDeep()), `Tab ${i + 1} left the dialog`).to.equal(true);
    }
    // Keyboard: choose queue on the overage select, the wait field appears.
    ($(el, '#f-overage') as HTMLSelectElement).focus();
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(el.values.overage).to.equal('queue');
    expect($(el, '#f-maxQueueWaitMs')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await expectEscapeCloses(el, trigger);
  });

  it('marks each bad field inline with the schema’s message (limit, queue wait, agent)', async () => {
    const s = await architect();
    const el = await mount(s);
    el.show();
    await el.updateComplete;
    await waitUntil(() => el.agents.length > 0, 'the registry did not load', LONG);
    await el.updateComplete;
    expect($(el, '[name="scope"]'), 'without agent-id: a scope choice').to.not.equal(null);
    const expectInvalid = (id: string, field: string, message: RegExp) => {
      const input = $(el, `#${id}`)!;
      expect(input.getAttribute('aria-invalid'), field).to.equal('true');
      expect((input.getAttribute('aria-describedby') ?? '').split(' '), field).to.include(`err-${field}`);
      expect(text($(el, `[id="err-${field}"]`)), field).to.match(message);
    };
    el.values = { ...el.values, limit: 0, overage: 'queue', maxQueueWaitMs: 90_000 };
    await el.updateComplete;
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    expectInvalid('f-agentId', 'agentId', /choose an agent/);
    expectInvalid('f-limit', 'limit', /at least 1/);
    expectInvalid('f-maxQueueWaitMs', 'maxQueueWaitMs', /at most 60000 ms/);
    expect($(el, '#f-period')!.getAttribute('aria-invalid')).to.equal('false');
    expect(activeElementDeep()?.id).to.equal('f-agentId');
    await expect(el).to.be.accessible();

    // Typing a fraction: "a whole number"; editing a field clears its message.
    const limit = $<HTMLInputElement>(el, '#f-limit')!;
    limit.focus();
    limit.select();
    await sendKeys({ type: '2.5' });
    await el.updateComplete;
    expect(limit.getAttribute('aria-invalid')).to.equal('false');
    await click(el, 'review-button');
    expectInvalid('f-limit', 'limit', /whole number/);

    // Global scope: no agent field, and the rest fixed passes to Review.
    ($(el, 'input[name="scope"][value="global"]') as HTMLInputElement).click();
    el.values = { ...el.values, limit: 1000, maxQueueWaitMs: 2000 };
    await el.updateComplete;
    expect($(el, '#f-agentId')).to.equal(null);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text(part(el, 'review'))).to.contain('Global');
  });

  it('the preview follows the form (debounced) and shows the numbers the service’s preview answers', async () => {
    const s = await architect();
    const agent = await pickAgent(s, true);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    const check = async (input: RequestQuotaInput) => {
      const p = await previewOf(s, input);
      expect(el.preview).to.deep.equal(p);
      for (const k of ['requests', 'admitted', 'queued', 'throttled', 'rejected', 'windowsOverLimit'] as const)
        expect(figure(el, k), k).to.equal(nf.format(p[k]));
      expect(figure(el, 'peakWindowRequests')).to.equal(`${nf.format(p.peakWindowRequests)} requests`);
      expect(figure(el, 'current')).to.equal('none');
      return p;
    };
    const first = await check({ scope: 'agent', agentId: agent.agent_id, limit: 60, period: 'minute', overage: 'reject' });
    expect(first.requests).to.be.greaterThan(0);

    // Typing changes the form at once; the preview follows once it is still.
    const limit = $<HTMLInputElement>(el, '#f-limit')!;
    limit.focus();
    limit.select();
    await sendKeys({ type: '1' });
    el.values = { ...el.values, period: 'hour', overage: 'queue', maxQueueWaitMs: 600_000 / 10 };
    await el.updateComplete;
    expect(el.previewInput?.limit, 'not yet: debounced').to.equal(60);
    await previewSettled(el);
    const tight = await check({ scope: 'agent', agentId: agent.agent_id, limit: 1, period: 'hour', overage: 'queue', maxQueueWaitMs: 60_000 });
    expect(tight.queued + tight.rejected).to.be.greaterThan(0);
    expect(tight.admitted + tight.queued + tight.rejected).to.equal(tight.requests);
    expect(part(el, 'preview')!.getAttribute('aria-busy')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it('Review → Confirm sets the quota; the service gives it back (preview’s current quota, the registry’s per-minute limit); axe at each step', async () => {
    const s = await architect();
    const agent = await pickAgent(s);
    const el = await mount(s, agent.agent_id);
    el.show();
    await previewSettled(el);
    el.values = { ...el.values, limit: 42, period: 'minute', overage: 'throttle' };
    await previewSettled(el);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text($(el, '[data-review="quota"]'))).to.equal('42 per minute, throttle');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('confirm-button');
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    const { detail } = await done;
    expect(detail.action).to.equal('request-quota');
    expect(el.result).to.include({ scope: 'agent', agentId: agent.agent_id, limit: 42, period: 'minute', overage: 'throttle', maxRequestsPerMinute: 42 });
    expect(text($(el, '[data-result="quota"]'))).to.equal('42 per minute, throttle');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('result');
    await expect(el).to.be.accessible();

    const back = await previewOf(s, { scope: 'agent', agentId: agent.agent_id, limit: 1, period: 'day', overage: 'reject' });
    expect(back.current).to.deep.equal({ limit: 42, period: 'minute', overage: 'throttle', maxQueueWaitMs: null, revision: el.result!.revision });
    const row = (await registry(s)).find((a) => a.agent_id === agent.agent_id)!;
    expect(row.max_requests_per_minute).to.equal(42);

    // Opened again: the preview shows the quota in force.
    await click(el, 'cancel-button');
    el.show();
    await previewSettled(el);
    expect(figure(el, 'current')).to.equal(`42 per minute, throttle (revision ${el.result?.revision ?? back.current!.revision})`);
  });

  it('without agent-id: a global quota per hour with a queue; the service returns it', async () => {
    const s = await architect();
    const el = await mount(s);
    el.show();
    await el.updateComplete;
    ($(el, 'input[name="scope"][value="global"]') as HTMLInputElement).click();
    el.values = { ...el.values, limit: 5000, period: 'hour', overage: 'queue', maxQueueWaitMs: 2500 };
    await previewSettled(el);
    expect(text($(el, '#title'))).to.equal('Set the global request quota');
    expect(el.preview).to.deep.equal(await previewOf(s, { scope: 'global', limit: 5000, period: 'hour', overage: 'queue', maxQueueWaitMs: 2500 }));
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    expect(el.result).to.include({
      scope: 'global',
      agentId: null,
      limit: 5000,
      period: 'hour',
      overage: 'queue',
      maxQueueWaitMs: 2500,
      maxRequestsPerMinute: null,
    });
    const back = await previewOf(s, { scope: 'global', limit: 1, period: 'day', overage: 'reject' });
    expect(back.current).to.include({ limit: 5000, period: 'hour', overage: 'queue', maxQueueWaitMs: 2500 });
  });

  it('a role without the action (product_manager) sees no trigger; the service’s 403 is shown as text', async () => {
    const s = await session('roles=product_manager&departments=*&user=pm-1');
    const agent = (await registry(await architect())).find((a) => a.status === 'active')!;
    const el = await mount(s, agent.agent_id);
    expect(el.allowed).to.equal(false);
    expect(part(el, 'trigger')).to.equal(null);
    el.show();
    await waitUntil(() => part(el, 'preview-error') !== null, 'no preview error', LONG);
    expect(text(part(el, 'preview-error'))).to.match(/could not be loaded: .*(not allowed|may not|role)/i);
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure?.status).to.equal(403);
    expect(text(part(el, 'error'))).to.contain('Not allowed');
    expect(text(part(el, 'error'))).to.contain(el.failure!.message);
    expect(part(el, 'retry-button')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
