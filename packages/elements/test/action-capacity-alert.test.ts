/**
 * <usage-action-capacity-alert> (A2.5) against the REAL actions service (scripts/wtr-actions.mjs
 * starts it on the test snapshot and signs tokens for the roles a test asks for), and its place on
 * chart 2.13 inside <usage-analytics>. The service keeps its rules for the whole run, so every test
 * that sets a rule takes a resource × environment no other test touches:
 *   compute@staging (Confirm), memory@development (Retry), tokens_per_min@development (hostile text),
 *   api_rate_limit@production (the tab), and none for the preview, validation and refusal tests.
 * The preview's figures are checked against plain code over the snapshot's capacity rows.
 */
import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ActionsClient, AlertStates, CapacityAlertPreview, type AlertState, type CapacityAlertInput } from '@usage-analytics/actions';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import { activeElementDeep } from '../src/components/action-dialog/action-dialog.component.js';
import type UsageActionCapacityAlert from '../src/components/action-capacity-alert/action-capacity-alert.component.js';
import type { CapacityAlertImpact } from '../src/components/action-capacity-alert/action-capacity-alert.component.js';
import type UsageAnalytics from '../src/components/analytics/analytics.component.js';
import type UsageCapacityGauges from '../src/components/capacity-gauges/capacity-gauges.component.js';
import type { UsageActionCompleteEvent } from '../src/events/usage-action.js';
import type { UsageRequestCapacityAlertEvent } from '../src/events/usage-request-capacity-alert.js';
import { actionsSession, api, clientFor, type Session, LONG, text, $, part, click, insideEl, waitPhase, expectEscapeCloses } from './helpers/actions.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT } from './helpers/snapshot.js';

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

const session = (query = 'roles=devops&departments=*&user=devops-1') => actionsSession(query);
const devops = () => session();

const alerts = async (s: Session) => AlertStates.parse((await api<unknown>(s, 'GET', '/v1/alerts')).body).alerts;
const previewOf = async (s: Session, input: CapacityAlertInput) => {
  const r = await api<unknown>(s, 'POST', '/v1/actions/capacity-alert/preview', input);
  expect(r.status, JSON.stringify(r.body)).to.equal(200);
  return CapacityAlertPreview.parse(r.body);
};

// ---- independent figures from the snapshot's capacity rows (no DuckDB, no service) -----------

interface Sample {
  t: number;
  res: string;
  env: string;
  usage: number;
  max: number;
}
let loaded: Promise<{ end: number; rows: Sample[] }> | undefined;
function loadCapacity() {
  loaded ??= (async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { end: string }; tables: Record<string, { file: string }> };
    const bytes = await (await fetch(new URL(manifest.tables.capacity.file, new URL(SNAPSHOT, location.href)))).arrayBuffer();
    const t = tableFromIPC(new Uint8Array(bytes));
    const tsType = String(t.schema.fields.find((f) => f.name === 'ts')!.type);
    const div = /MICRO/i.test(tsType) ? 1000 : /NANO/i.test(tsType) ? 1e6 : 1;
    const [ts, res, env, cur, max] = ['ts', 'resource_type', 'environment', 'current_usage', 'max_capacity'].map((n) => t.getChild(n)!);
    const rows: Sample[] = [];
    for (let i = 0; i < t.numRows; i++) {
      const v = ts.get(i) as unknown;
      rows.push({
        t: typeof v === 'bigint' ? Number(v) / div : Number(v),
        res: String(res.get(i)),
        env: String(env.get(i)),
        usage: Number(cur.get(i)),
        max: Number(max.get(i)),
      });
    }
    return { end: Date.parse(manifest.time_range.end), rows };
  })();
  return loaded;
}

/**
 * What the rule would say, in plain code: per sample time the worst value over the rule's
 * environments (% of max, samples without capacity left out; or absolute usage), its status,
 * UTC hours of the last 30 days by their worst status, the latest sample, the last ok → not-ok move.
 */
async function independent(input: CapacityAlertInput) {
  const { end, rows } = await loadCapacity();
  const unit = input.warning.unit;
  const byT = new Map<number, number>();
  for (const r of rows) {
    if (r.res !== input.resourceType || (input.environment && r.env !== input.environment) || r.t >= end) continue;
    if (unit === 'pct' && !(r.max > 0)) continue;
    const v = unit === 'pct' ? (100 * r.usage) / r.max : r.usage;
    byT.set(r.t, Math.max(byT.get(r.t) ?? -Infinity, v));
  }
  const series = [...byT].sort((a, b) => a[0] - b[0]);
  const status = (v: number) => (v >= input.critical.value ? 2 : v >= input.warning.value ? 1 : 0);
  const start = end - 30 * DAY;
  const hours = new Map<number, number>();
  let lastFired: number | null = null;
  let prev = 0;
  for (const [t, v] of series) {
    const s = status(v);
    if (s > 0 && prev === 0) lastFired = t;
    prev = s;
    if (t >= start) hours.set(Math.floor(t / 3_600_000), Math.max(hours.get(Math.floor(t / 3_600_000)) ?? 0, s));
  }
  const last = series[series.length - 1];
  return {
    hoursInWarning: [...hours.values()].filter((m) => m === 1).length,
    hoursInCritical: [...hours.values()].filter((m) => m === 2).length,
    current: last ? { at: new Date(last[0]).toISOString(), value: last[1], status: (['ok', 'warning', 'critical'] as const)[status(last[1])] } : null,
    lastFired: lastFired === null ? null : new Date(lastFired).toISOString(),
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
  };
}

// ---- the element ----------------------------------------------------------------------------

async function mount(s: Session, attrs: { resource?: string; environment?: string; base?: string } = {}) {
  const wrap = await fixture<HTMLElement>(
    html`<div>
      <usage-action-capacity-alert
        resource-type=${attrs.resource ?? ''}
        environment=${attrs.environment ?? ''}
        .actions=${clientFor(s, attrs.base)}
      ></usage-action-capacity-alert>
    </div>`,
  );
  const el = wrap.querySelector('usage-action-capacity-alert')!;
  await waitUntil(() => el.allowed !== undefined, 'me() did not load', LONG);
  await el.updateComplete;
  return el;
}
const impact = (el: UsageActionCapacityAlert) => el.preview as CapacityAlertImpact | undefined;
/** Waits until the preview on screen answers the form as it is now. */
async function previewSettled(el: UsageActionCapacityAlert) {
  await waitUntil(
    () => {
      const p = impact(el)?.preview;
      const want = el.previewInput;
      return (
        !!p &&
        !!want &&
        JSON.stringify(want) === JSON.stringify(el['input']()) &&
        p.resourceType === want.resourceType &&
        p.environment === (want.environment ?? null) &&
        part(el, 'preview')?.getAttribute('aria-busy') === 'false'
      );
    },
    'the preview did not follow the form',
    LONG,
  );
  await el.updateComplete;
}
const figure = (el: UsageActionCapacityAlert, name: string) => text($(el, `[data-figure="${name}"]`));
const expectInvalid = (el: UsageActionCapacityAlert, sel: string, field: string, message: RegExp) => {
  const input = $(el, sel)!;
  expect(input, sel).to.not.equal(null);
  expect(input.getAttribute('aria-invalid'), field).to.equal('true');
  expect((input.getAttribute('aria-describedby') ?? '').split(' '), field).to.include(`err-${field}`);
  expect(text($(el, `[id="err-${field}"]`)), field).to.match(message);
};

describe('<usage-action-capacity-alert> on the real actions service', () => {
  it('opens from the keyboard as a modal prefilled from its attributes, traps Tab, switches % / absolute, closes on Escape and gives focus back; axe clean', async () => {
    const s = await devops();
    const el = await mount(s, { resource: 'memory', environment: 'staging' });
    const trigger = part(el, 'trigger') as HTMLButtonElement;
    expect(text(trigger)).to.equal('Set capacity threshold alert…');
    trigger.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => el.open && impact(el) !== undefined, 'did not open and load', LONG);
    await el.updateComplete;
    const dialog = $<HTMLDialogElement>(el, 'dialog')!;
    expect(dialog.matches(':modal')).to.equal(true);
    expect(text($(el, '#title'))).to.equal('Capacity alert: Memory, staging');
    expect(el.values).to.include({ resourceType: 'memory', environment: 'staging', unit: 'pct' });
    expect(activeElementDeep()?.id).to.equal('f-resourceType');
    await expect(el).to.be.accessible();
    for (let i = 0; i < 14; i++) {
      await sendKeys({ press: 'Tab' });
      expect(insideEl(dialog, activeElementDeep()), `Tab ${i + 1} left the dialog`).to.equal(true);
    }
    // Keyboard: the unit switch is a radio group (arrow keys), the labels follow it.
    ($(el, 'input[name="unit"][value="pct"]') as HTMLInputElement).focus();
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(el.values.unit).to.equal('absolute');
    expect(text($(el, 'label[for="f-warning"]'))).to.equal('Warning at (GiB)');
    // The escalation fields appear with the checkbox (Space).
    ($(el, '#f-escalate') as HTMLInputElement).focus();
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect($(el, '#f-escalationMinutes')).to.not.equal(null);
    await expect(el).to.be.accessible();
    await expectEscapeCloses(el, trigger);
  });

  it('marks each bad field inline with the shared schema’s message; the service refuses the same input on the same fields', async () => {
    const s = await devops();
    const el = await mount(s, { resource: 'compute', environment: 'development' });
    el.show();
    await el.updateComplete;
    el.values = {
      ...el.values,
      warning: 1200,
      critical: 80,
      inApp: false,
      email: '',
      webhook: '',
      escalate: true,
      escalationMinutes: 0,
      escalationEmail: '',
      escalationWebhook: '',
    };
    await el.updateComplete;
    await click(el, 'review-button');
    expect(el.phase).to.equal('form');
    expectInvalid(el, '#f-warning', 'warning.value', /a percentage from 0 to 1000/);
    expectInvalid(el, '#f-critical', 'critical.value', /above the warning threshold/);
    expectInvalid(el, 'fieldset[aria-describedby~="hint-channels"]', 'channels', /at least one channel/);
    expectInvalid(el, '#f-escalationMinutes', 'escalation.afterMinutes', /at least 1 minute/);
    expect(text($(el, '[id="err-escalation.to"]'))).to.match(/an e-mail address or a webhook/);
    expect($(el, '#f-resourceType')!.getAttribute('aria-invalid')).to.equal('false');
    expect(activeElementDeep()?.id).to.equal('f-warning');
    await expect(el).to.be.accessible();

    // The service says the same of the same input, field by field.
    const bad = el['input']() as CapacityAlertInput;
    const refused = await api<{ error: { code: string; issues: { field: string; message: string }[] } }>(s, 'POST', '/v1/actions/capacity-alert/preview', bad);
    expect(refused.status).to.equal(400);
    const byField = new Map(refused.body.error.issues.map((i) => [i.field, i.message]));
    expect(byField.get('warning.value')).to.equal(text($(el, '[id="err-warning.value"]')).replace(/^⚠ /, ''));
    expect(byField.get('critical.value')).to.equal('above the warning threshold');
    expect(byField.get('channels')).to.match(/at least one channel/);

    // A bad address and an unsafe webhook; editing a field clears its message.
    el.values = { ...el.values, warning: 70, critical: 85, email: 'ops@example.com, not-an-address', webhook: 'javascript:alert(1)', escalate: false };
    await el.updateComplete;
    expect($(el, '#f-warning')!.getAttribute('aria-invalid')).to.equal('false');
    await click(el, 'review-button');
    expectInvalid(el, '#f-email', 'channels.email', /an e-mail address \("not-an-address"\)/);
    expectInvalid(el, '#f-webhook', 'channels.webhook', /http:\/\/ or https:\/\//);

    // Absolute units: critical must still exceed warning.
    el.values = { ...el.values, unit: 'absolute', warning: 10, critical: 10, email: 'ops@example.com', webhook: '' };
    await el.updateComplete;
    await click(el, 'review-button');
    expectInvalid(el, '#f-critical', 'critical.value', /above the warning threshold/);

    // A form the browser lets through (its check switched off) is refused by the service: the issues land on the fields.
    el.values = { ...el.values, unit: 'pct', warning: 90, critical: 50 };
    await el.updateComplete;
    const own = el['validate'];
    el['validate'] = () => ({});
    try {
      await click(el, 'review-button');
      expect(el.phase).to.equal('review');
      await click(el, 'confirm-button');
      await waitPhase(el, 'error');
    } finally {
      el['validate'] = own;
    }
    expect(el.failure).to.include({ status: 400, code: 'validation', retryable: false });
    expect(part(el, 'retry-button'), 'bad input gets no Retry').to.equal(null);
    await click(el, 'back-button');
    expectInvalid(el, '#f-critical', 'critical.value', /above the warning threshold/);
    expect((await alerts(s)).some((a) => a.resourceType === 'compute' && a.environment === 'development')).to.equal(false);
  });

  it('the preview follows the form (debounced) and its figures equal the service’s and plain code over the capacity rows', async () => {
    const s = await devops();
    const el = await mount(s, { resource: 'api_rate_limit', environment: 'production' });
    el.values = { ...el.values, warning: 60, critical: 80 };
    el.show();
    await previewSettled(el);
    const check = async (input: CapacityAlertInput) => {
      expect(el.previewInput).to.deep.equal(input);
      const p = await previewOf(s, input);
      expect(impact(el)!.preview).to.deep.equal(p);
      const want = await independent(input);
      expect(p.hoursInWarning, 'hours at warning').to.equal(want.hoursInWarning);
      expect(p.hoursInCritical, 'hours at critical').to.equal(want.hoursInCritical);
      expect(p.lastFired).to.equal(want.lastFired);
      expect(p.window).to.deep.equal(want.window);
      expect(p.current?.at).to.equal(want.current?.at);
      expect(p.current!.value).to.be.closeTo(want.current!.value, 1e-9);
      expect(p.current!.status).to.equal(want.current!.status);
      expect(figure(el, 'hoursInWarning')).to.equal(nf.format(want.hoursInWarning));
      expect(figure(el, 'hoursInCritical')).to.equal(nf.format(want.hoursInCritical));
      expect(figure(el, 'current')).to.contain(
        input.warning.unit === 'pct' ? `${nf.format(want.current!.value)} %` : `${nf.format(want.current!.value)} req/min`,
      );
      // The rules already set on the resource, as GET /v1/alerts has them.
      const rules = (await alerts(s)).filter((a) => a.resourceType === input.resourceType);
      expect(impact(el)!.rules).to.deep.equal(rules);
      return want;
    };
    const first = await check({
      resourceType: 'api_rate_limit',
      environment: 'production',
      warning: { value: 60, unit: 'pct' },
      critical: { value: 80, unit: 'pct' },
      channels: { inApp: true },
    });
    expect(first.hoursInWarning + first.hoursInCritical, 'the demo crosses 60 %').to.be.greaterThan(0);

    // Typing changes the form at once; the preview follows once it is still.
    const warning = $<HTMLInputElement>(el, '#f-warning')!;
    warning.focus();
    warning.select();
    await sendKeys({ type: '40' });
    await el.updateComplete;
    expect(el.previewInput?.warning.value, 'not yet: debounced').to.equal(60);
    await previewSettled(el);
    await check({
      resourceType: 'api_rate_limit',
      environment: 'production',
      warning: { value: 40, unit: 'pct' },
      critical: { value: 80, unit: 'pct' },
      channels: { inApp: true },
    });

    // Every environment (the worst counts), in absolute units.
    el.values = { ...el.values, environment: '', unit: 'absolute', warning: 500, critical: 900 };
    await previewSettled(el);
    const all = await check({
      resourceType: 'api_rate_limit',
      environment: null,
      warning: { value: 500, unit: 'absolute' },
      critical: { value: 900, unit: 'absolute' },
      channels: { inApp: true },
    });
    expect(all.current).to.not.equal(null);
    expect(figure(el, 'replaces')).to.equal('nothing (a new rule)');
    expect(part(el, 'preview')!.getAttribute('aria-busy')).to.equal('false');
    await expect(el).to.be.accessible();
  });

  it('Review → Confirm stores the rule; the result matches GET /v1/alerts; a second Confirm is revision 2 and the preview says what it replaces', async () => {
    const s = await devops();
    const el = await mount(s, { resource: 'compute', environment: 'staging' });
    el.values = {
      ...el.values,
      warning: 65,
      critical: 85,
      email: 'ops@example.com\noncall@example.com',
      webhook: 'https://hooks.example/alert',
      escalate: true,
      escalationMinutes: 45,
      escalationEmail: 'lead@example.com',
      name: 'Compute staging',
    };
    el.show();
    await previewSettled(el);
    await click(el, 'review-button');
    expect(el.phase).to.equal('review');
    expect(text($(el, '[data-review="thresholds"]'))).to.equal('warning at 65 %, critical at 85 %');
    expect([...el.shadowRoot!.querySelectorAll('[data-review="channels"] li')].map(text)).to.deep.equal([
      'In-app notice to you',
      'E-mail to ops@example.com, oncall@example.com',
      'Webhook https://hooks.example/alert',
    ]);
    expect(text($(el, '[data-review="escalation"]'))).to.equal('After 45 minutes critical, to lead@example.com');
    expect(text($(el, '[data-review="impact"]'))).to.match(/^\d+ hours at warning, \d+ hours at critical; a new rule$/);
    expect(activeElementDeep()?.getAttribute('part')).to.equal('confirm-button');
    await expect(el).to.be.accessible();
    const done = oneEvent(el, 'usage-action-complete') as Promise<UsageActionCompleteEvent>;
    await sendKeys({ press: 'Enter' });
    await waitPhase(el, 'result');
    expect((await done).detail.action).to.equal('capacity-alert');
    const r = el.result!;
    expect(r).to.include({ action: 'capacity-alert', resourceType: 'compute', environment: 'staging', revision: 1, replayed: false });
    expect(text($(el, '[data-result="ruleId"]'))).to.equal(r.ruleId);
    expect(text($(el, '[data-result="revision"]'))).to.equal('1');
    expect(text($(el, '[data-result="next"]'))).to.contain('once when it recovers');
    expect(activeElementDeep()?.getAttribute('part')).to.equal('result');
    await expect(el).to.be.accessible();

    const stored = (await alerts(s)).find((a) => a.ruleId === r.ruleId)!;
    expect(stored).to.include({ name: 'Compute staging', resourceType: 'compute', environment: 'staging', revision: 1, state: 'ok' });
    expect(stored.warning).to.deep.equal({ value: 65, unit: 'pct' });
    expect(stored.critical).to.deep.equal({ value: 85, unit: 'pct' });

    // Again, other thresholds: the preview names the rule it replaces; the service keeps the id and counts the revision.
    await click(el, 'cancel-button');
    el.values = { ...el.values, warning: 70, critical: 90 };
    el.show();
    await previewSettled(el);
    expect(impact(el)!.preview.replacesRevision).to.equal(1);
    expect(figure(el, 'replaces')).to.equal('the rule set before (revision 1)');
    expect(text($(el, `[data-rule="${r.ruleId}"]`))).to.contain('staging: Compute staging, warning at 65 %, critical at 85 %');
    await click(el, 'review-button');
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    expect(el.result).to.include({ ruleId: r.ruleId, revision: 2 });
    expect(text($(el, '[data-result="next"]'))).to.contain('replaces the rule set before');
    const again = (await alerts(s)).find((a) => a.ruleId === r.ruleId)!;
    expect(again).to.include({ revision: 2 });
    expect(again.warning.value).to.equal(70);
  });

  it('a role without the action (product_manager) sees no trigger; the service’s 403 is shown as text, without Retry', async () => {
    const s = await session('roles=product_manager&departments=*&user=pm-1');
    const el = await mount(s, { resource: 'memory', environment: 'production' });
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

  it('a lost answer (504 after the service stored the rule) shows Retry; Retry sends the same key and the service stores it once', async () => {
    const s = await devops();
    const el = await mount(s, { resource: 'memory', environment: 'development', base: s.proxy });
    el.values = { ...el.values, warning: 50, critical: 75 };
    el.show();
    await previewSettled(el);
    await click(el, 'review-button');
    await fetch(`${s.proxy}/__lose-next`);
    await click(el, 'confirm-button');
    await waitPhase(el, 'error');
    expect(el.failure).to.include({ status: 504, retryable: true });
    expect(activeElementDeep()?.getAttribute('part')).to.equal('error');
    await expect(el).to.be.accessible();
    const stored = (await alerts(s)).filter((a) => a.resourceType === 'memory' && a.environment === 'development');
    expect(stored, 'the service did it; the browser never heard').to.have.length(1);
    expect(stored[0].revision).to.equal(1);
    await click(el, 'retry-button');
    await waitPhase(el, 'result');
    expect(el.result).to.include({ ruleId: stored[0].ruleId, revision: 1, replayed: true });
    expect(text(part(el, 'result'))).to.contain('nothing was done twice');
    const posts = ((await (await fetch(`${s.proxy}/__log`)).json()) as { method: string; path: string; key: string }[]).filter(
      (r) => r.method === 'POST' && r.path === '/v1/actions/capacity-alert',
    );
    expect(posts).to.have.length(2);
    expect(posts[0].key).to.equal(posts[1].key);
    expect((await alerts(s)).find((a) => a.ruleId === stored[0].ruleId)!.revision, 'stored once').to.equal(1);
  });

  it('renders hostile names, addresses and resource types as inert text', async () => {
    const s = await devops();
    const w = window as unknown as { pwned?: number };
    const hostile = `<img src=x onerror="window.pwned=1">`;
    const bad = await mount(s, { resource: hostile, environment: 'production' });
    bad.show();
    await bad.updateComplete;
    expect(text(part(bad, 'title'))).to.equal(`Capacity alert: ${hostile}, production`);
    await click(bad, 'review-button');
    expect(text($(bad, '[id="err-resourceType"]'))).to.match(/one of api_rate_limit, compute, memory, tokens_per_min/);
    // Addresses are split at spaces and commas: one without spaces stays whole, as text.
    const hostileAddress = `<img/src=x/onerror=window.pwned=1>@example.com`;
    bad.values = { ...bad.values, resourceType: 'memory', email: hostileAddress };
    await bad.updateComplete;
    await click(bad, 'review-button');
    expect(text($(bad, '[id="err-channels.email"]'))).to.contain(`("${hostileAddress}")`);
    expect(bad.shadowRoot!.querySelector('img, script')).to.equal(null);
    await expect(bad).to.be.accessible();
    bad.close();

    const el = await mount(s, { resource: 'tokens_per_min', environment: 'development' });
    const name = `<script>window.pwned=1</script>${hostile}`;
    el.values = { ...el.values, name };
    el.show();
    await previewSettled(el);
    await click(el, 'review-button');
    expect(text($(el, '[data-review="name"]'))).to.equal(name);
    await click(el, 'confirm-button');
    await waitPhase(el, 'result');
    const stored = (await alerts(s)).find((a) => a.ruleId === el.result!.ruleId)!;
    expect(stored.name).to.equal(name);
    // Opened again: the existing rule's name in the preview, as text.
    await click(el, 'cancel-button');
    el.show();
    await previewSettled(el);
    expect(text($(el, `[data-rule="${stored.ruleId}"]`))).to.contain(name);
    expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
    await new Promise((r) => setTimeout(r, 50));
    expect(w.pwned).to.equal(undefined);
    el.close();
  });
});

// ---- chart 2.13 in the tab ------------------------------------------------------------------

let shared: Promise<UsageDataClient> | undefined;
const dataClient = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));
const CAPACITY_ONLY = [{ id: '2.13', tag: 'usage-capacity-gauges', title: 'Capacity' }];

async function tabWithGauges(actions?: ReturnType<typeof clientFor>) {
  const el = await fixture<UsageAnalytics>(
    html`<usage-analytics .client=${await dataClient()} .actions=${actions} no-url-state .charts=${CAPACITY_ONLY}></usage-analytics>`,
  );
  await waitUntil(() => !el.shadowRoot!.querySelector('[part="link-status"]'), 'the link was not checked', LONG);
  const gauges = () => el.shadowRoot!.querySelector('usage-capacity-gauges') as UsageCapacityGauges;
  await waitUntil(() => gauges()?.shadowRoot?.querySelector('li.gauge'), 'the gauges did not render', LONG);
  await elementUpdated(gauges());
  return { el, gauges };
}
const gaugeCard = (g: UsageCapacityGauges, res: string, env = 'production') =>
  [...g.shadowRoot!.querySelectorAll<HTMLLIElement>('li.gauge')].find((c) => c.dataset.resource === res && c.dataset.environment === env)!;

describe('<usage-action-capacity-alert> from chart 2.13 in <usage-analytics>', () => {
  it('"Configure alert" on a gauge opens the dialog prefilled; after Confirm the gauge shows the rule; focus returns to the button', async () => {
    const s = await devops();
    const { el, gauges } = await tabWithGauges(clientFor(s));
    const g = gauges();
    await waitUntil(() => g.alerts !== undefined, 'the gauges did not read the alert rules', LONG);
    await elementUpdated(g);
    const before = (await alerts(s)).filter((a) => a.resourceType === 'api_rate_limit');
    expect(before, 'no other test sets a rule on api_rate_limit').to.have.length(0);
    expect(gaugeCard(g, 'api_rate_limit').querySelector('[part="alert-rule"]')).to.equal(null);

    const button = gaugeCard(g, 'api_rate_limit').querySelector<HTMLButtonElement>('.alert-button')!;
    const gauge = g.gauges!.find((x) => x.resourceType === 'api_rate_limit' && x.environment === 'production')!;
    let bubbled = false;
    const spy = () => (bubbled = true);
    document.addEventListener('usage-request-capacity-alert', spy);
    button.focus();
    await sendKeys({ press: 'Enter' });
    document.removeEventListener('usage-request-capacity-alert', spy);
    expect(bubbled, 'the tab handles it: the event stops there').to.equal(false);
    const dialog = el.shadowRoot!.querySelector('usage-action-capacity-alert')!;
    await waitUntil(() => dialog.open && impact(dialog) !== undefined, 'the dialog did not open and load', LONG);
    await dialog.updateComplete;
    expect(dialog.prefill).to.include({ resourceType: 'api_rate_limit', environment: 'production', unit: gauge.unit });
    expect(dialog.values).to.include({
      resourceType: 'api_rate_limit',
      environment: 'production',
      unit: 'pct',
      warning: Math.round(gauge.warningThreshold * 100) / 100,
      critical: Math.round(gauge.criticalThreshold * 100) / 100,
    });
    expect(text(dialog.shadowRoot!.querySelector('#title'))).to.equal('Capacity alert: API rate limit, production');
    expect(dialog.shadowRoot!.querySelector('[part~="trigger"]')!.getClientRects().length, 'the tab hides the trigger').to.equal(0);
    expect(insideEl(dialog.shadowRoot!.querySelector('dialog')!, activeElementDeep())).to.equal(true);
    expect(text(dialog.shadowRoot!.querySelector('[data-hint="gauge"]'))).to.contain(`warning ${nf.format(gauge.warningThreshold)} %`);
    await expect(dialog).to.be.accessible();

    // The % / absolute switch converts with the gauge's capacity and labels with its unit.
    const r2 = (v: number) => Math.round(v * 100) / 100;
    (dialog.shadowRoot!.querySelector('input[name="unit"][value="absolute"]') as HTMLInputElement).click();
    await dialog.updateComplete;
    expect(dialog.values.unit).to.equal('absolute');
    expect(dialog.values.warning).to.equal(r2((r2(gauge.warningThreshold) / 100) * gauge.maxCapacity));
    expect(dialog.values.critical).to.equal(r2((r2(gauge.criticalThreshold) / 100) * gauge.maxCapacity));
    expect(text(dialog.shadowRoot!.querySelector('label[for="f-warning"]'))).to.equal(`Warning at (${gauge.unit})`);
    (dialog.shadowRoot!.querySelector('input[name="unit"][value="pct"]') as HTMLInputElement).click();
    await dialog.updateComplete;
    expect(dialog.values.unit).to.equal('pct');

    // Its own thresholds, apart from the gauge's: 50 % / 70 %.
    dialog.values = { ...dialog.values, warning: 50, critical: 70 };
    await previewSettled(dialog);
    await click(dialog, 'review-button');
    await click(dialog, 'confirm-button');
    await waitPhase(dialog, 'result');
    const ruleId = dialog.result!.ruleId;
    await click(dialog, 'cancel-button');
    expect(activeElementDeep(), 'focus back on the gauge’s button').to.equal(button);

    // The gauge reloads GET /v1/alerts after the action and shows the rule: marks on the dial, its state in words.
    await waitUntil(() => gaugeCard(g, 'api_rate_limit').querySelector(`[part="alert-rule"][data-rule="${ruleId}"]`), 'the gauge did not show the rule', LONG);
    await elementUpdated(g);
    const card = gaugeCard(g, 'api_rate_limit');
    const line = card.querySelector('[part="alert-rule"]')!;
    const stored = (await alerts(s)).find((a) => a.ruleId === ruleId) as AlertState;
    const state = { ok: stored.evaluatedAt === null ? 'pending' : stored.since ? 'recovered' : 'ok', warning: 'warning', critical: 'critical' }[stored.state];
    expect(line.getAttribute('data-alert-state')).to.equal(state);
    expect(text(line.querySelector('.alert-thresholds'))).to.equal('Alert thresholds: warning at 50 %, critical at 70 %');
    expect(line.getAttribute('role')).to.equal('note');
    expect(line.getAttribute('aria-label')).to.contain('Alert rule on API rate limit, production').and.contain('warning at 50 %, critical at 70 %');
    expect(card.querySelector('.gauge-button')!.getAttribute('aria-describedby')!.split(' ')).to.include(line.id);
    expect([...card.querySelectorAll('.alert-tick')].map((t) => t.getAttribute('data-pct'))).to.deep.equal(['50', '70']);
    // The gauge's own thresholds (the snapshot's) stay as they were, apart from the rule's.
    expect(text(card.querySelector('.thresholds'))).to.contain(`Warning at ${Math.round(gauge.warningThreshold)} %`);
    expect(card.querySelectorAll('line.threshold')).to.have.length(2);
    // Other resources without a rule show none.
    expect(gaugeCard(g, 'tokens_per_min').querySelector('[part="alert-rule"]')).to.equal(null);
    await expect(g).to.be.accessible();
  });

  it('without an actions client the tab opens nothing: the event goes on to the host and the gauges show no rules', async () => {
    const { el, gauges } = await tabWithGauges();
    expect(el.shadowRoot!.querySelector('usage-action-capacity-alert')).to.equal(null);
    const g = gauges();
    expect(g.alerts).to.equal(undefined);
    expect(g.shadowRoot!.querySelector('[part="alert-rule"], .alert-tick')).to.equal(null);
    const button = gaugeCard(g, 'memory').querySelector<HTMLButtonElement>('.alert-button')!;
    setTimeout(() => button.click());
    const ev = (await oneEvent(el, 'usage-request-capacity-alert')) as UsageRequestCapacityAlertEvent;
    expect(ev.detail).to.include({ resourceType: 'memory', environment: 'production' });
  });
});

describe('<usage-capacity-gauges> with alert rules (GET /v1/alerts through a stubbed client)', () => {
  const rule = (over: Partial<AlertState>): AlertState => ({
    ruleId: '1',
    name: null,
    resourceType: 'api_rate_limit',
    environment: 'production',
    warning: { value: 50, unit: 'pct' },
    critical: { value: 70, unit: 'pct' },
    revision: 1,
    state: 'ok',
    value: null,
    at: null,
    since: null,
    escalated: false,
    evaluatedAt: null,
    ...over,
  });
  const stub = (list: AlertState[]) => {
    const calls: string[] = [];
    const client = new ActionsClient({
      baseUrl: 'https://actions.invalid',
      token: () => 't',
      fetch: async (url) => {
        calls.push(String(url));
        return new Response(JSON.stringify({ alerts: list }), { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    return { client, calls };
  };

  it('per gauge: firing critical (escalated) / warning / recovered in words and marks; the environment’s rule wins over the global one; absolute rules scale by the capacity; bullet too; reloads after capacity-alert completes', async () => {
    const since = '2026-10-31T22:00:00.000Z';
    const list = [
      rule({ ruleId: '11', resourceType: 'api_rate_limit', state: 'critical', since, escalated: true, evaluatedAt: since, value: 95 }),
      rule({ ruleId: '12', resourceType: 'compute', environment: null, state: 'warning', since, evaluatedAt: since, name: '<b>compute</b>' }),
      rule({ ruleId: '13', resourceType: 'compute', environment: 'staging' }),
      rule({
        ruleId: '14',
        resourceType: 'memory',
        state: 'ok',
        since,
        evaluatedAt: since,
        warning: { value: 10, unit: 'absolute' },
        critical: { value: 20, unit: 'absolute' },
      }),
      rule({ ruleId: '15', resourceType: 'tokens_per_min', state: 'ok', evaluatedAt: since }),
    ];
    const { client, calls } = stub(list);
    const c = await dataClient();
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 1100px"><usage-capacity-gauges .client=${c} .actions=${client} locale="en-US"></usage-capacity-gauges></div>`,
    );
    const g = wrap.querySelector('usage-capacity-gauges')!;
    await waitUntil(() => g.alerts && g.shadowRoot!.querySelector('[part="alert-rule"]'), 'no alert rules shown', LONG);
    await elementUpdated(g);
    const line = (res: string) => gaugeCard(g, res).querySelector('[part="alert-rule"]')!;
    expect(line('api_rate_limit').getAttribute('data-alert-state')).to.equal('critical');
    expect(text(line('api_rate_limit').querySelector('.alert-state'))).to.equal('Alert: firing critical since Oct 31, 2026, 22:00 UTC, escalated');
    expect(line('api_rate_limit').querySelector('.status-icon.status-critical')).to.exist;
    expect(line('compute').getAttribute('data-rule'), 'production has no own rule: the global one').to.equal('12');
    expect(text(line('compute')))
      .to.contain('Alert: firing warning')
      .and.contain('(all environments)');
    expect(line('compute').getAttribute('aria-label')).to.contain('“<b>compute</b>”');
    expect(g.shadowRoot!.querySelector('b')).to.equal(null);
    expect(line('memory').getAttribute('data-alert-state')).to.equal('recovered');
    const gauge = g.gauges!.find((x) => x.resourceType === 'memory' && x.environment === 'production')!;
    expect(text(line('memory').querySelector('.alert-thresholds'))).to.equal(`Alert thresholds: warning at 10 ${gauge.unit}, critical at 20 ${gauge.unit}`);
    expect([...gaugeCard(g, 'memory').querySelectorAll('.alert-tick')].map((t) => Number(t.getAttribute('data-pct')))).to.deep.equal([
      Math.round((1000 / gauge.maxCapacity) * 100) / 100,
      Math.round((2000 / gauge.maxCapacity) * 100) / 100,
    ]);
    expect(text(g.shadowRoot!.querySelector('.notes'))).to.contain('Dashed marks with a dot: the thresholds of the alert rule');
    expect(line('tokens_per_min').getAttribute('data-alert-state')).to.equal('ok');
    expect(text(line('tokens_per_min').querySelector('.alert-state'))).to.equal('Alert: not firing');
    await expect(g).to.be.accessible();

    g.variant = 'bullet';
    await elementUpdated(g);
    expect(gaugeCard(g, 'api_rate_limit').querySelectorAll('svg.bullet .alert-tick')).to.have.length(2);

    // Another dialog's completion is ignored; a capacity-alert one reloads the rules.
    const n = calls.length;
    document.body.dispatchEvent(new CustomEvent('usage-action-complete', { detail: { action: 'request-quota', result: {} }, bubbles: true, composed: true }));
    await new Promise((r) => setTimeout(r, 50));
    expect(calls.length).to.equal(n);
    list.splice(0, 1);
    document.body.dispatchEvent(new CustomEvent('usage-action-complete', { detail: { action: 'capacity-alert', result: {} }, bubbles: true, composed: true }));
    await waitUntil(() => calls.length > n && !gaugeCard(g, 'api_rate_limit').querySelector('[part="alert-rule"]'), 'the rules were not reloaded', LONG);
  });
});
