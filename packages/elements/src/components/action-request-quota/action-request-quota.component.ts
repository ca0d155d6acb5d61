/**
 * A2.10 Set agent request quota (P0) on the action dialog base: limit, period (minute / hour /
 * day), what happens over the limit (queue / reject / throttle) and, for the queue, how long a
 * request may wait. Per agent (`agent-id`) or, without one, agent or global by choice. Checked in
 * the browser with the service's own `RequestQuotaInput`; the preview replays last week's requests
 * through the quota (debounced as the fields change) before anything changes.
 */
import {
  DEFAULT_QUEUE_WAIT_MS,
  MAX_QUEUE_WAIT_MS,
  QUOTA_PERIODS,
  QUOTA_PREVIEW_DAYS,
  QuotaPreview,
  RequestQuotaInput,
  RequestQuotaResult,
  fieldIssues,
  type ActionsClient,
  type RegistryAgent,
  type QuotaPeriod,
} from '@usage-analytics/actions';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { UsageActionDialog, type FieldErrors } from '../action-dialog/action-dialog.component.js';
import { FollowForm, LIVE_PREVIEW_DEBOUNCE_MS } from '../action-dialog/follow-form.js';

export type QuotaOverage = 'queue' | 'reject' | 'throttle';

/** The form's values. */
export interface RequestQuotaForm {
  /** Used only when the element has no `agent-id`. */
  scope: 'agent' | 'global';
  /** Used only when the element has no `agent-id` and scope is agent. */
  agentId: string;
  limit: number;
  period: QuotaPeriod;
  overage: QuotaOverage;
  /** Sent only with overage 'queue'. */
  maxQueueWaitMs: number;
}

/** How long the form must be still before the preview reloads (ms). */
export const QUOTA_PREVIEW_DEBOUNCE_MS = LIVE_PREVIEW_DEBOUNCE_MS;

const OVERAGE_LABELS: Record<QuotaOverage, string> = {
  queue: 'Queue (wait for the next window)',
  reject: 'Reject',
  throttle: 'Throttle (tell the caller when to retry)',
};
const nf = new Intl.NumberFormat('en-US');

/**
 * @summary A2.10 Set agent request quota: limit, period, overage behaviour and queue wait, per
 * agent or global, with last week's requests replayed through it before Confirm.
 *
 * @fires usage-action-complete - `{action: 'request-quota', result: RequestQuotaResult}`.
 * @fires usage-action-cancel - `{action: 'request-quota'}`.
 *
 * @csspart trigger - The "Set agent request quota…" button (hidden for roles without the action).
 * @csspart dialog - The `<dialog>`; see `UsageActionDialog`'s parts for the rest (form, field, field-error, preview, review, result, error, buttons).
 * @csspart figures - The preview's and result's figure lists.
 * @csspart current-quota - The quota in force now (preview).
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 */
export default class UsageActionRequestQuota extends UsageActionDialog<RequestQuotaInput, RequestQuotaResult> {
  static override styles = [...UsageActionDialog.styles];

  readonly action = 'request-quota';

  /** The agent whose quota is set; without it the form offers agent or global. */
  @property({ attribute: 'agent-id' }) agentId = '';

  /** The form's values (set to prefill; the form edits them). */
  @property({ attribute: false }) values: RequestQuotaForm = {
    scope: 'agent',
    agentId: '',
    limit: 60,
    period: 'minute',
    overage: 'reject',
    maxQueueWaitMs: DEFAULT_QUEUE_WAIT_MS,
  };

  /** The input the preview shows (JSON; follows the form once it is valid and still for a moment). */
  /** The valid input the preview follows (debounced). */
  private follow = new FollowForm<RequestQuotaInput>(this, () => {
    const input = this.input();
    return Object.keys(this.validate(input)).length ? undefined : input;
  });

  protected override usesRegistry = true;

  /** Agents to choose from (active first, by name). */
  get agents(): RegistryAgent[] {
    return this.registry ?? [];
  }

  /** The input the preview on screen answers (undefined before the first one). */
  get previewInput(): RequestQuotaInput | undefined {
    return this.follow.value;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const old = changed.get('values') as RequestQuotaForm | undefined;
    if (old) {
      for (const k of Object.keys(this.values) as (keyof RequestQuotaForm)[]) if (old[k] !== this.values[k]) this.edited(k);
    }
    if (changed.has('values') || changed.has('agentId') || (changed.has('open') && this.open)) this.follow.schedule(!this.follow.key || changed.has('open'));
  }

  protected heading(): string {
    const input = this.input();
    return input.scope === 'global'
      ? 'Set the global request quota'
      : input.agentId
        ? `Set the request quota of ${this.agentName(input.agentId)}`
        : 'Set a request quota';
  }

  protected summary(): string {
    return `Limits how many requests pass per window; the impact replays the last ${QUOTA_PREVIEW_DAYS} days of requests through the new quota.`;
  }

  protected override previewKey(): string {
    return this.follow.key;
  }

  protected override loadPreview(client: ActionsClient, signal: AbortSignal): Promise<QuotaPreview> {
    const input = this.previewInput;
    if (!input) return Promise.reject(new Error('the form is not complete yet: fix the marked fields or choose an agent.'));
    return client.preview(this.action, input, QuotaPreview, signal);
  }

  protected input(): RequestQuotaInput {
    const v = this.values;
    const scope = this.agentId ? 'agent' : v.scope;
    const agentId = this.agentId || (scope === 'agent' ? v.agentId : '');
    return {
      scope,
      ...(scope === 'agent' ? { agentId } : {}),
      limit: v.limit,
      period: v.period,
      overage: v.overage,
      ...(v.overage === 'queue' ? { maxQueueWaitMs: v.maxQueueWaitMs } : {}),
    };
  }

  protected validate(input: RequestQuotaInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = RequestQuotaInput.safeParse(input);
    if (!parsed.success) for (const i of fieldIssues(parsed.error)) errors[i.field] ??= i.field === 'agentId' && !input.agentId ? 'choose an agent' : i.message;
    return errors;
  }

  protected submit(client: ActionsClient, input: RequestQuotaInput, idempotencyKey: string): Promise<RequestQuotaResult> {
    return client.perform(this.action, input, RequestQuotaResult, { idempotencyKey });
  }

  private set<K extends keyof RequestQuotaForm>(key: K, value: RequestQuotaForm[K]): void {
    this.values = { ...this.values, [key]: value };
    this.edited(key);
  }

  private renderScope(): TemplateResult | typeof nothing {
    if (this.agentId) return nothing;
    const v = this.values;
    return html`
      <fieldset part="field" class="field">
        <legend>Scope</legend>
        ${(['agent', 'global'] as const).map(
          (s) =>
            html`<label class="choice"
              ><input type="radio" name="scope" value=${s} .checked=${v.scope === s} @change=${() => this.set('scope', s)} />
              ${s === 'agent' ? 'One agent' : 'Global (all agents together)'}</label
            >`,
        )}
      </fieldset>
      ${
        v.scope === 'agent'
          ? html`<div part="field" class="field">
              <label for="f-agentId">Agent</label>
              <select
                id="f-agentId"
                name="agentId"
                aria-invalid=${this.invalid('agentId')}
                aria-describedby=${this.describedBy('agentId', 'hint-agentId')}
                @change=${(e: Event) => this.set('agentId', (e.target as HTMLSelectElement).value)}
              >
                <option value="" ?selected=${!v.agentId}>${this.registry ? 'Choose an agent' : 'Loading agents…'}</option>
                ${this.agents.map((a) => html`<option value=${a.agent_id} ?selected=${a.agent_id === v.agentId}>${a.agent_name} (${a.status})</option>`)}
              </select>
              <p id="hint-agentId" class="hint">
                ${this.registryError ? `The agent list could not be loaded: ${this.registryError}` : `${this.agents.length} agents in the registry.`}
              </p>
              ${this.fieldError('agentId')}
            </div>`
          : nothing
      }
    `;
  }

  protected renderForm(): TemplateResult {
    const v = this.values;
    return html`
      ${this.renderScope()}
      <div part="field" class="field">
        <label for="f-limit">Limit (requests per window)</label>
        <input
          id="f-limit"
          name="limit"
          type="number"
          inputmode="numeric"
          min="1"
          step="1"
          .value=${Number.isFinite(v.limit) ? String(v.limit) : ''}
          aria-invalid=${this.invalid('limit')}
          aria-describedby=${this.describedBy('limit')}
          @input=${(e: Event) => this.set('limit', (e.target as HTMLInputElement).valueAsNumber)}
        />
        ${this.fieldError('limit')}
      </div>
      <div part="field" class="field">
        <label for="f-period">Window</label>
        <select
          id="f-period"
          name="period"
          aria-invalid=${this.invalid('period')}
          aria-describedby=${this.describedBy('period', 'hint-period')}
          @change=${(e: Event) => this.set('period', (e.target as HTMLSelectElement).value as QuotaPeriod)}
        >
          ${QUOTA_PERIODS.map((p) => html`<option value=${p} ?selected=${p === v.period}>per ${p}</option>`)}
        </select>
        <p id="hint-period" class="hint">Fixed windows: minute and hour starts, UTC midnights.</p>
        ${this.fieldError('period')}
      </div>
      <div part="field" class="field">
        <label for="f-overage">Over the limit</label>
        <select
          id="f-overage"
          name="overage"
          aria-invalid=${this.invalid('overage')}
          aria-describedby=${this.describedBy('overage')}
          @change=${(e: Event) => this.set('overage', (e.target as HTMLSelectElement).value as QuotaOverage)}
        >
          ${(Object.keys(OVERAGE_LABELS) as QuotaOverage[]).map((o) => html`<option value=${o} ?selected=${o === v.overage}>${OVERAGE_LABELS[o]}</option>`)}
        </select>
        ${this.fieldError('overage')}
      </div>
      ${
        v.overage === 'queue'
          ? html`<div part="field" class="field">
              <label for="f-maxQueueWaitMs">Longest wait in the queue (ms)</label>
              <input
                id="f-maxQueueWaitMs"
                name="maxQueueWaitMs"
                type="number"
                inputmode="numeric"
                min="1"
                max=${MAX_QUEUE_WAIT_MS}
                step="100"
                .value=${Number.isFinite(v.maxQueueWaitMs) ? String(v.maxQueueWaitMs) : ''}
                aria-invalid=${this.invalid('maxQueueWaitMs')}
                aria-describedby=${this.describedBy('maxQueueWaitMs', 'hint-maxQueueWaitMs')}
                @input=${(e: Event) => this.set('maxQueueWaitMs', (e.target as HTMLInputElement).valueAsNumber)}
              />
              <p id="hint-maxQueueWaitMs" class="hint">1 to ${nf.format(MAX_QUEUE_WAIT_MS)} ms; longer waits are rejected.</p>
              ${this.fieldError('maxQueueWaitMs')}
            </div>`
          : nothing
      }
    `;
  }

  private describeQuota(q: { limit: number; period: string; overage: string; maxQueueWaitMs: number | null }): string {
    return `${nf.format(q.limit)} per ${q.period}, ${q.overage}${q.overage === 'queue' && q.maxQueueWaitMs !== null ? ` (wait up to ${nf.format(q.maxQueueWaitMs)} ms)` : ''}`;
  }

  protected override renderPreview(value: unknown): TemplateResult {
    const p = value as QuotaPreview;
    const pending = !this.follow.fresh;
    return html`
      <p class="muted">
        ${p.window.start.slice(0, 10)} to ${p.window.end.slice(0, 10)}, ${this.describeQuota(p)}${pending ? ' (updates when the form is valid)' : nothing}
      </p>
      <dl part="figures" class="figures">
        <dt>Requests</dt>
        <dd data-figure="requests">${nf.format(p.requests)}</dd>
        <dt>Admitted</dt>
        <dd data-figure="admitted">${nf.format(p.admitted)}</dd>
        <dt>Queued</dt>
        <dd data-figure="queued">${nf.format(p.queued)}</dd>
        <dt>Throttled</dt>
        <dd data-figure="throttled">${nf.format(p.throttled)}</dd>
        <dt>Rejected</dt>
        <dd data-figure="rejected">${nf.format(p.rejected)}</dd>
        <dt>Windows over the limit</dt>
        <dd data-figure="windowsOverLimit">${nf.format(p.windowsOverLimit)}</dd>
        <dt>Busiest window</dt>
        <dd data-figure="peakWindowRequests">${nf.format(p.peakWindowRequests)} requests</dd>
        <dt>Quota now</dt>
        <dd part="current-quota" data-figure="current">${p.current ? `${this.describeQuota(p.current)} (revision ${p.current.revision})` : 'none'}</dd>
      </dl>
    `;
  }

  protected renderReview(input: RequestQuotaInput): TemplateResult {
    const p = this.preview as QuotaPreview | undefined;
    return html`<dl part="figures">
      <dt>Scope</dt>
      <dd>${input.scope === 'global' ? 'Global' : html`<bdi>${this.agentName(input.agentId ?? '')}</bdi>`}</dd>
      <dt>New quota</dt>
      <dd data-review="quota">${this.describeQuota({ ...input, maxQueueWaitMs: input.maxQueueWaitMs ?? null })}</dd>
      <dt>Quota now</dt>
      <dd>${p ? (p.current ? this.describeQuota(p.current) : 'none') : 'unknown (the preview did not load)'}</dd>
      ${
        p && this.follow.key === JSON.stringify(input)
          ? html`<dt>Last week, not admitted at once</dt>
              <dd>${nf.format(p.queued + p.throttled + p.rejected)} of ${nf.format(p.requests)} requests</dd>`
          : nothing
      }
    </dl>`;
  }

  protected renderResult(r: RequestQuotaResult): TemplateResult {
    return html`<dl part="figures">
      <dt>Scope</dt>
      <dd data-result="scope">${r.scope === 'global' ? 'Global' : html`<bdi>${this.agentName(r.agentId ?? '')}</bdi>`}</dd>
      <dt>Quota</dt>
      <dd data-result="quota">${this.describeQuota(r)}</dd>
      <dt>Revision</dt>
      <dd data-result="revision">${r.revision}</dd>
      ${
        r.maxRequestsPerMinute !== null
          ? html`<dt>Registry limit per minute</dt>
              <dd data-result="maxRequestsPerMinute">${nf.format(r.maxRequestsPerMinute)}</dd>`
          : nothing
      }
      <dt>Audit id</dt>
      <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again: nothing was done twice)' : nothing}</dd>
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-request-quota': UsageActionRequestQuota;
  }
}
