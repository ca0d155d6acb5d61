/**
 * A2.5 Set capacity threshold alert (P0) on the action dialog base: a rule per resource ×
 * environment (or every environment) with warning / critical thresholds in % of max capacity or in
 * the resource's own unit, the channels that hear of it (e-mail, in-app, webhook) and an optional
 * escalation. Checked in the browser with the service's own `CapacityAlertInput` (critical above
 * warning in the same unit, at least one channel, …); the preview (debounced as the fields change)
 * tells how the thresholds would have fired over the snapshot's last 30 days, the latest value and
 * the rules already set for the resource. Prefilled from a gauge of 2.13 through `prefill` (the
 * `usage-request-capacity-alert` event's detail) or the `resource-type` / `environment` attributes.
 */
import {
  ALERT_ENVIRONMENTS,
  ALERT_PREVIEW_DAYS,
  ALERT_RESOURCE_TYPES,
  AlertStates,
  CapacityAlertInput,
  CapacityAlertPreview,
  CapacityAlertResult,
  fieldIssues,
  type ActionsClient,
  type AlertState,
  type AlertStatus,
} from '@usage-analytics/actions';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { UsageRequestCapacityAlertDetail } from '../../events/usage-request-capacity-alert.js';
import { UsageActionDialog, type FieldErrors } from '../action-dialog/action-dialog.component.js';
import { FollowForm, LIVE_PREVIEW_DEBOUNCE_MS } from '../action-dialog/follow-form.js';

export type ThresholdUnit = 'pct' | 'absolute';

/** The form's values. */
export interface CapacityAlertForm {
  resourceType: string;
  /** '' = every environment (a global rule: the worst environment counts). */
  environment: string;
  unit: ThresholdUnit;
  warning: number;
  critical: number;
  /** E-mail addresses, separated by commas, semicolons or line breaks. */
  email: string;
  inApp: boolean;
  webhook: string;
  escalate: boolean;
  escalationMinutes: number;
  escalationEmail: string;
  escalationWebhook: string;
  name: string;
}

/** What the preview region shows: the service's preview and the rules already set on the resource. */
export interface CapacityAlertImpact {
  preview: CapacityAlertPreview;
  /** `GET /v1/alerts` for the same resource (every environment). */
  rules: AlertState[];
}

/** How long the form must be still before the preview reloads (ms). */
export const ALERT_PREVIEW_DEBOUNCE_MS = LIVE_PREVIEW_DEBOUNCE_MS;

/** The resources' units as the demo snapshot writes them (the gauge's `unit` wins when prefilled). */
const UNITS: Readonly<Record<string, string>> = { api_rate_limit: 'req/min', compute: 'vCPU', memory: 'GiB', tokens_per_min: 'tokens/min' };
const RESOURCE_LABELS: Readonly<Record<string, string>> = {
  api_rate_limit: 'API rate limit',
  compute: 'Compute',
  memory: 'Memory',
  tokens_per_min: 'Tokens per minute',
};
const STATE_TEXT: Readonly<Record<AlertStatus, string>> = { ok: 'OK', warning: 'Warning', critical: 'Critical' };

export const resourceName = (r: string): string => RESOURCE_LABELS[r] ?? r;
export const environmentName = (e: string | null | undefined): string => (e ? e : 'all environments');

/** Addresses from a free-text list (commas, semicolons, spaces or line breaks); empty → none. */
export function splitAddresses(s: string): string[] {
  return s
    .split(/[\s,;]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

const nf = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * @summary A2.5 Set capacity threshold alert: resource, environment, warning and critical
 * thresholds (% or absolute), channels and escalation, with how often the thresholds would have
 * fired over the last 30 days before Confirm.
 *
 * @fires usage-action-complete - `{action: 'capacity-alert', result: CapacityAlertResult}`.
 * @fires usage-action-cancel - `{action: 'capacity-alert'}`.
 *
 * @csspart trigger - The "Set capacity threshold alert…" button (hidden for roles without the action, and with `hide-trigger`).
 * @csspart dialog - The `<dialog>`; see `UsageActionDialog`'s parts for the rest (form, field, field-error, preview, review, result, error, buttons).
 * @csspart unit-switch - The % / absolute radio group.
 * @csspart figures - The preview's, review's and result's figure lists.
 * @csspart existing-rules - The rules already set on the resource (preview).
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 */
export default class UsageActionCapacityAlert extends UsageActionDialog<CapacityAlertInput, CapacityAlertResult> {
  static override styles = [
    ...UsageActionDialog.styles,
    css`
      :host([hide-trigger]) [part~='trigger'] {
        display: none;
      }
      fieldset {
        display: grid;
        gap: 0.4rem;
      }
      .pair {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(12rem, 1fr));
        gap: 0.75rem;
      }
      textarea {
        min-height: 2.5rem;
      }
    `,
  ];

  readonly action = 'capacity-alert';

  /** Prefills the resource (`api_rate_limit`, `compute`, `memory`, `tokens_per_min`); the form can change it. */
  @property({ attribute: 'resource-type' }) resourceType = '';

  /** Prefills the environment (`production`, `staging`, `development`; `all` = every environment). */
  @property() environment = '';

  /** Hides the trigger button (a host that opens the dialog itself, e.g. the tab from a gauge). */
  @property({ type: Boolean, reflect: true, attribute: 'hide-trigger' }) hideTrigger = false;

  /**
   * A gauge's `usage-request-capacity-alert` detail: resource, environment and the snapshot's
   * thresholds (in %) prefill the form; its unit and capacity label the absolute figures.
   */
  @property({ attribute: false }) prefill?: UsageRequestCapacityAlertDetail;

  /** The form's values (set to prefill; the form edits them). */
  @property({ attribute: false }) values: CapacityAlertForm = {
    resourceType: 'api_rate_limit',
    environment: 'production',
    unit: 'pct',
    warning: 75,
    critical: 90,
    email: '',
    inApp: true,
    webhook: '',
    escalate: false,
    escalationMinutes: 30,
    escalationEmail: '',
    escalationWebhook: '',
    name: '',
  };

  /** The input the preview shows (JSON; follows the form once it is valid and still for a moment). */
  /** The valid input the preview follows (debounced). */
  private follow = new FollowForm<CapacityAlertInput>(this, () => {
    const input = this.input();
    return Object.keys(this.validate(input)).length ? undefined : input;
  });

  /** The input the preview on screen answers (undefined before the first one). */
  get previewInput(): CapacityAlertInput | undefined {
    return this.follow.value;
  }

  /** The resource's unit label (`req/min`): the gauge's when prefilled for this resource, else the snapshot's usual one. */
  get unitLabel(): string {
    const r = this.values.resourceType;
    return this.prefill?.resourceType === r && this.prefill.unit ? this.prefill.unit : (UNITS[r] ?? '');
  }

  /** The capacity the gauge showed for this resource (to convert % ↔ absolute), if known. */
  private get capacity(): number | undefined {
    const p = this.prefill;
    return p && p.resourceType === this.values.resourceType && p.maxCapacity > 0 ? p.maxCapacity : undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('prefill') && this.prefill) {
      const p = this.prefill;
      this.values = {
        ...this.values,
        resourceType: p.resourceType,
        environment: p.environment === 'all' ? '' : p.environment,
        unit: 'pct',
        warning: round2(p.warningThreshold),
        critical: round2(p.criticalThreshold),
      };
    }
    if (changed.has('resourceType') && this.resourceType) this.values = { ...this.values, resourceType: this.resourceType };
    if (changed.has('environment') && this.environment) this.values = { ...this.values, environment: this.environment === 'all' ? '' : this.environment };
    if (changed.has('errors')) this.normaliseErrors();
    const old = changed.get('values') as CapacityAlertForm | undefined;
    if (old) {
      for (const k of Object.keys(this.values) as (keyof CapacityAlertForm)[]) if (old[k] !== this.values[k]) this.clearFor(k);
    }
    if (changed.has('values') || (changed.has('open') && this.open)) this.follow.schedule(!this.follow.key || changed.has('open'));
  }

  /** The service names an address by its index (`channels.email.2`): the form has one field for the list. */
  private normaliseErrors(): void {
    const out: FieldErrors = {};
    let moved = false;
    for (const [k, m] of Object.entries(this.errors)) {
      const field = k.replace(/\.email\.\d+$/, '.email').replace(/^critical\.unit$/, 'critical.value');
      if (field !== k) moved = true;
      out[field] ??= m;
    }
    if (moved) this.errors = out;
  }

  /** The message fields a form value feeds. */
  private clearFor(k: keyof CapacityAlertForm): void {
    const fields: Partial<Record<keyof CapacityAlertForm, string[]>> = {
      resourceType: ['resourceType'],
      environment: ['environment'],
      unit: ['warning.value', 'critical.value'],
      warning: ['warning.value', 'critical.value'],
      critical: ['critical.value'],
      email: ['channels', 'channels.email'],
      inApp: ['channels'],
      webhook: ['channels', 'channels.webhook'],
      escalate: ['escalation.afterMinutes', 'escalation.to', 'escalation.to.email', 'escalation.to.webhook'],
      escalationMinutes: ['escalation.afterMinutes'],
      escalationEmail: ['escalation.to', 'escalation.to.email'],
      escalationWebhook: ['escalation.to', 'escalation.to.webhook'],
      name: ['name'],
    };
    for (const f of fields[k] ?? []) this.edited(f);
  }

  protected heading(): string {
    const v = this.values;
    return `Capacity alert: ${resourceName(v.resourceType)}, ${environmentName(v.environment)}`;
  }

  protected summary(): string {
    return `Notifies the chosen channels when the resource crosses the warning or critical threshold, and again when it recovers; the impact counts the hours of the last ${ALERT_PREVIEW_DAYS} days each threshold was reached.`;
  }

  protected override previewKey(): string {
    return this.follow.key;
  }

  protected override async loadPreview(client: ActionsClient, signal: AbortSignal): Promise<CapacityAlertImpact> {
    const input = this.previewInput;
    if (!input) throw new Error('the form is not complete yet: fix the marked fields.');
    const [preview, states] = await Promise.all([
      client.preview(this.action, input, CapacityAlertPreview, signal),
      client.get('/v1/alerts', AlertStates, signal),
    ]);
    return { preview, rules: states.alerts.filter((r) => r.resourceType === input.resourceType) };
  }

  protected input(): CapacityAlertInput {
    const v = this.values;
    const email = splitAddresses(v.email);
    const escEmail = splitAddresses(v.escalationEmail);
    const name = v.name.trim();
    return {
      resourceType: v.resourceType as CapacityAlertInput['resourceType'],
      environment: (v.environment || null) as CapacityAlertInput['environment'],
      warning: { value: v.warning, unit: v.unit },
      critical: { value: v.critical, unit: v.unit },
      channels: {
        ...(email.length ? { email } : {}),
        ...(v.inApp ? { inApp: true } : {}),
        ...(v.webhook.trim() ? { webhook: v.webhook.trim() } : {}),
      },
      ...(v.escalate
        ? {
            escalation: {
              afterMinutes: v.escalationMinutes,
              to: { ...(escEmail.length ? { email: escEmail } : {}), ...(v.escalationWebhook.trim() ? { webhook: v.escalationWebhook.trim() } : {}) },
            },
          }
        : {}),
      ...(name ? { name } : {}),
    };
  }

  protected validate(input: CapacityAlertInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = CapacityAlertInput.safeParse(input);
    if (!parsed.success) {
      for (const i of fieldIssues(parsed.error)) {
        const field = i.field.replace(/\.email\.\d+$/, '.email').replace(/^critical\.unit$/, 'critical.value');
        const value = /\.email$/.test(field) && i.field !== field ? `${i.message} ("${this.addressAt(input, i.field)}")` : i.message;
        errors[field] ??= field.endsWith('.value') && !Number.isFinite(this.valueAt(input, field)) ? 'a number' : value;
      }
    }
    return errors;
  }

  private addressAt(input: CapacityAlertInput, field: string): string {
    const m = /^(channels|escalation\.to)\.email\.(\d+)$/.exec(field);
    if (!m) return '';
    const list = m[1] === 'channels' ? input.channels.email : input.escalation?.to.email;
    return list?.[Number(m[2])] ?? '';
  }

  private valueAt(input: CapacityAlertInput, field: string): number {
    return field.startsWith('warning') ? input.warning.value : input.critical.value;
  }

  protected submit(client: ActionsClient, input: CapacityAlertInput, idempotencyKey: string): Promise<CapacityAlertResult> {
    return client.perform(this.action, input, CapacityAlertResult, { idempotencyKey });
  }

  private set<K extends keyof CapacityAlertForm>(key: K, value: CapacityAlertForm[K]): void {
    this.values = { ...this.values, [key]: value };
  }

  /** Switches % ↔ absolute, converting the thresholds with the gauge's capacity when it is known. */
  private setUnit(unit: ThresholdUnit): void {
    const v = this.values;
    if (unit === v.unit) return;
    const cap = this.capacity;
    const conv = (x: number) => (cap === undefined || !Number.isFinite(x) ? x : round2(unit === 'absolute' ? (x / 100) * cap : (x / cap) * 100));
    this.values = { ...v, unit, warning: conv(v.warning), critical: conv(v.critical) };
  }

  /** "75 %" or "750 req/min". */
  private describeValue(value: number, unit: ThresholdUnit, label = this.unitLabel): string {
    return unit === 'pct' ? `${nf.format(value)} %` : `${nf.format(value)}${label ? ` ${label}` : ''}`;
  }

  private numberField(id: string, field: string, label: string, value: number, onInput: (n: number) => void, hint?: string): TemplateResult {
    return html`<div part="field" class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${field}
        type="number"
        inputmode="decimal"
        min="0"
        step="any"
        .value=${Number.isFinite(value) ? String(value) : ''}
        aria-invalid=${this.invalid(field)}
        aria-describedby=${this.describedBy(field, hint ? `hint-${id}` : undefined)}
        @input=${(e: Event) => onInput((e.target as HTMLInputElement).valueAsNumber)}
      />
      ${hint ? html`<p id=${`hint-${id}`} class="hint">${hint}</p>` : nothing} ${this.fieldError(field)}
    </div>`;
  }

  private textField(id: string, field: string, label: string, value: string, key: keyof CapacityAlertForm, hint?: string, area = false): TemplateResult {
    const onInput = (e: Event) => this.set(key, (e.target as HTMLInputElement | HTMLTextAreaElement).value as never);
    const attrs = { invalid: this.invalid(field), described: this.describedBy(field, hint ? `hint-${id}` : undefined) };
    return html`<div part="field" class="field">
      <label for=${id}>${label}</label>
      ${
        area
          ? html`<textarea
              id=${id}
              name=${field}
              rows="2"
              .value=${value}
              aria-invalid=${attrs.invalid}
              aria-describedby=${attrs.described}
              @input=${onInput}
            ></textarea>`
          : html`<input
              id=${id}
              name=${field}
              type="text"
              .value=${value}
              aria-invalid=${attrs.invalid}
              aria-describedby=${attrs.described}
              @input=${onInput}
            />`
      }
      ${hint ? html`<p id=${`hint-${id}`} class="hint">${hint}</p>` : nothing} ${this.fieldError(field)}
    </div>`;
  }

  protected renderForm(): TemplateResult {
    const v = this.values;
    const unit = this.unitLabel;
    const cap = this.capacity;
    const pctHint = (x: number) =>
      v.unit === 'pct'
        ? cap !== undefined && Number.isFinite(x)
          ? `= ${nf.format((x / 100) * cap)} ${unit} of ${nf.format(cap)} ${unit} now`
          : '% of the sample’s capacity'
        : undefined;
    const gaugeHint = this.prefill
      ? `The gauge’s own thresholds (from the snapshot): warning ${nf.format(this.prefill.warningThreshold)} %, critical ${nf.format(this.prefill.criticalThreshold)} %.`
      : undefined;
    return html`
      <div class="pair">
        <div part="field" class="field">
          <label for="f-resourceType">Resource</label>
          <select
            id="f-resourceType"
            name="resourceType"
            aria-invalid=${this.invalid('resourceType')}
            aria-describedby=${this.describedBy('resourceType')}
            @change=${(e: Event) => this.set('resourceType', (e.target as HTMLSelectElement).value)}
          >
            ${(ALERT_RESOURCE_TYPES.includes(v.resourceType as never) ? [] : [v.resourceType]).map((r) => html`<option value=${r} selected>${r}</option>`)}
            ${ALERT_RESOURCE_TYPES.map((r) => html`<option value=${r} ?selected=${r === v.resourceType}>${resourceName(r)}</option>`)}
          </select>
          ${this.fieldError('resourceType')}
        </div>
        <div part="field" class="field">
          <label for="f-environment">Environment</label>
          <select
            id="f-environment"
            name="environment"
            aria-invalid=${this.invalid('environment')}
            aria-describedby=${this.describedBy('environment', 'hint-environment')}
            @change=${(e: Event) => this.set('environment', (e.target as HTMLSelectElement).value)}
          >
            ${(v.environment && !ALERT_ENVIRONMENTS.includes(v.environment as never) ? [v.environment] : []).map(
              (e) => html`<option value=${e} selected>${e}</option>`,
            )}
            ${ALERT_ENVIRONMENTS.map((e) => html`<option value=${e} ?selected=${e === v.environment}>${e}</option>`)}
            <option value="" ?selected=${!v.environment}>All environments (the worst counts)</option>
          </select>
          <p id="hint-environment" class="hint">One rule per resource and environment: a new one replaces the rule set before.</p>
          ${this.fieldError('environment')}
        </div>
      </div>
      <fieldset part="field unit-switch" class="field">
        <legend>Thresholds in</legend>
        ${(['pct', 'absolute'] as const).map(
          (u) =>
            html`<label class="choice"
              ><input type="radio" name="unit" value=${u} .checked=${v.unit === u} @change=${() => this.setUnit(u)} />
              ${u === 'pct' ? '% of capacity' : `Absolute usage${unit ? ` (${unit})` : ''}`}</label
            >`,
        )}
      </fieldset>
      <div class="pair">
        ${this.numberField(
          'f-warning',
          'warning.value',
          `Warning at (${v.unit === 'pct' ? '%' : unit || 'units'})`,
          v.warning,
          (n) => this.set('warning', n),
          pctHint(v.warning),
        )}
        ${this.numberField(
          'f-critical',
          'critical.value',
          `Critical at (${v.unit === 'pct' ? '%' : unit || 'units'})`,
          v.critical,
          (n) => this.set('critical', n),
          pctHint(v.critical) ?? 'Above the warning threshold.',
        )}
      </div>
      ${gaugeHint ? html`<p class="hint" data-hint="gauge">${gaugeHint}</p>` : nothing}
      <fieldset part="field" class="field" aria-invalid=${this.invalid('channels')} aria-describedby=${this.describedBy('channels', 'hint-channels')}>
        <legend>Channels</legend>
        <p id="hint-channels" class="hint">At least one: notices go out once per change (warning, critical, recovered).</p>
        <label class="choice"
          ><input
            id="f-inApp"
            type="checkbox"
            name="channels.inApp"
            .checked=${v.inApp}
            @change=${(e: Event) => this.set('inApp', (e.target as HTMLInputElement).checked)}
          />
          In-app notice (to you)</label
        >
        ${this.textField('f-email', 'channels.email', 'E-mail recipients', v.email, 'email', 'Separated by commas or line breaks; up to 50.', true)}
        ${this.textField('f-webhook', 'channels.webhook', 'Webhook (https://…)', v.webhook, 'webhook')} ${this.fieldError('channels')}
      </fieldset>
      <fieldset part="field" class="field">
        <legend>Escalation</legend>
        <label class="choice"
          ><input
            id="f-escalate"
            type="checkbox"
            name="escalate"
            .checked=${v.escalate}
            @change=${(e: Event) => this.set('escalate', (e.target as HTMLInputElement).checked)}
          />
          Escalate when critical lasts</label
        >
        ${
          v.escalate
            ? html`${this.numberField(
                  'f-escalationMinutes',
                  'escalation.afterMinutes',
                  'Minutes critical before escalating',
                  v.escalationMinutes,
                  (n) => this.set('escalationMinutes', n),
                  'Whole minutes, 1 to 10,080 (7 days); once per critical episode.',
                )}
                <div part="field" class="field" role="group" aria-labelledby="esc-to-label" aria-describedby=${this.describedBy('escalation.to')}>
                  <span id="esc-to-label" class="hint">Escalate to</span>
                  ${this.textField('f-escalationEmail', 'escalation.to.email', 'Escalation e-mail recipients', v.escalationEmail, 'escalationEmail', undefined, true)}
                  ${this.textField('f-escalationWebhook', 'escalation.to.webhook', 'Escalation webhook (https://…)', v.escalationWebhook, 'escalationWebhook')}
                  ${this.fieldError('escalation.to')}
                </div>`
            : nothing
        }
      </fieldset>
      ${this.textField('f-name', 'name', 'Name (optional)', v.name, 'name', 'Shown in the notices; at most 200 characters.')}
    `;
  }

  private describeRule(r: Pick<AlertState, 'warning' | 'critical' | 'resourceType'>): string {
    const label = r.resourceType === this.values.resourceType ? this.unitLabel : (UNITS[r.resourceType] ?? '');
    return `warning at ${this.describeValue(r.warning.value, r.warning.unit, label)}, critical at ${this.describeValue(r.critical.value, r.critical.unit, label)}`;
  }

  protected override renderPreview(value: unknown): TemplateResult {
    const { preview: p, rules } = value as CapacityAlertImpact;
    const input = this.previewInput;
    const pending = !this.follow.fresh;
    const unit = input?.warning.unit ?? 'pct';
    return html`
      <p class="muted">
        ${p.window.start.slice(0, 10)} to ${p.window.end.slice(0, 10)}, ${resourceName(p.resourceType)} in
        ${environmentName(p.environment)}${input ? `, ${this.describeRule({ ...input, resourceType: p.resourceType })}` : nothing}${
          pending ? ' (updates when the form is valid)' : nothing
        }
      </p>
      <dl part="figures" class="figures">
        <dt>Now</dt>
        <dd data-figure="current">
          ${p.current ? `${this.describeValue(p.current.value, unit)}: ${STATE_TEXT[p.current.status]} (sample ${p.current.at.slice(0, 16).replace('T', ' ')} UTC)` : 'no sample'}
        </dd>
        <dt>Hours at warning (last ${ALERT_PREVIEW_DAYS} days)</dt>
        <dd data-figure="hoursInWarning">${nf.format(p.hoursInWarning)}</dd>
        <dt>Hours at critical (last ${ALERT_PREVIEW_DAYS} days)</dt>
        <dd data-figure="hoursInCritical">${nf.format(p.hoursInCritical)}</dd>
        <dt>Last time it would have fired</dt>
        <dd data-figure="lastFired">${p.lastFired ? `${p.lastFired.slice(0, 16).replace('T', ' ')} UTC` : 'never'}</dd>
        <dt>Replaces</dt>
        <dd data-figure="replaces">${p.replacesRevision === null ? 'nothing (a new rule)' : `the rule set before (revision ${p.replacesRevision})`}</dd>
      </dl>
      <div part="existing-rules">
        <h4 class="muted">Rules on ${resourceName(p.resourceType)} now</h4>
        ${
          rules.length
            ? html`<ul>
                ${rules.map(
                  (r) =>
                    html`<li data-rule=${r.ruleId}>
                      ${environmentName(r.environment)}: ${r.name ? html`<bdi>${r.name}</bdi>, ` : nothing}${this.describeRule(r)}; ${STATE_TEXT[r.state]}
                      (revision ${r.revision})
                    </li>`,
                )}
              </ul>`
            : html`<p class="muted" data-rule="none">None.</p>`
        }
      </div>
    `;
  }

  private describeChannels(input: CapacityAlertInput): string[] {
    const c = input.channels;
    return [
      ...(c.inApp ? ['In-app notice to you'] : []),
      ...(c.email?.length ? [`E-mail to ${c.email.join(', ')}`] : []),
      ...(c.webhook ? [`Webhook ${c.webhook}`] : []),
    ];
  }

  protected renderReview(input: CapacityAlertInput): TemplateResult {
    const impact = this.preview as CapacityAlertImpact | undefined;
    const fresh = impact && this.follow.key === JSON.stringify(input);
    return html`<dl part="figures">
      <dt>Resource</dt>
      <dd data-review="resource">${resourceName(input.resourceType)}, ${environmentName(input.environment)}</dd>
      ${
        input.name
          ? html`<dt>Name</dt>
              <dd data-review="name"><bdi>${input.name}</bdi></dd>`
          : nothing
      }
      <dt>Thresholds</dt>
      <dd data-review="thresholds">${this.describeRule({ ...input, resourceType: input.resourceType })}</dd>
      <dt>Channels</dt>
      <dd data-review="channels">
        <ul>
          ${this.describeChannels(input).map((c) => html`<li>${c}</li>`)}
        </ul>
      </dd>
      <dt>Escalation</dt>
      <dd data-review="escalation">
        ${
          input.escalation
            ? `After ${nf.format(input.escalation.afterMinutes)} minutes critical, to ${[...(input.escalation.to.email ?? []), ...(input.escalation.to.webhook ? [input.escalation.to.webhook] : [])].join(', ')}`
            : 'none'
        }
      </dd>
      ${
        fresh
          ? html`<dt>Last ${ALERT_PREVIEW_DAYS} days</dt>
              <dd data-review="impact">
                ${nf.format(impact.preview.hoursInWarning)} hours at warning, ${nf.format(impact.preview.hoursInCritical)} hours at critical;
                ${impact.preview.replacesRevision === null ? 'a new rule' : `replaces revision ${impact.preview.replacesRevision}`}
              </dd>`
          : nothing
      }
    </dl>`;
  }

  protected renderResult(r: CapacityAlertResult): TemplateResult {
    return html`<dl part="figures">
        <dt>Rule</dt>
        <dd data-result="ruleId">${r.ruleId}</dd>
        <dt>Revision</dt>
        <dd data-result="revision">${r.revision}</dd>
        <dt>Resource</dt>
        <dd data-result="resource">${resourceName(r.resourceType)}, ${environmentName(r.environment)}</dd>
        <dt>Audit id</dt>
        <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again: nothing was done twice)' : nothing}</dd>
      </dl>
      <p data-result="next">
        ${r.revision > 1 ? `This revision replaces the rule set before. ` : ''}The service checks the rule on every snapshot refresh and on its schedule (about
        every minute): a notice goes out once when the resource reaches warning or critical, and once when it recovers. The capacity gauges show the rule and
        its state.
      </p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-capacity-alert': UsageActionCapacityAlert;
  }
}
