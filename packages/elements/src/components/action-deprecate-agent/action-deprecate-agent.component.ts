/**
 * A2.2 Deprecate agent (P0) on the action dialog base: sunset date (30+ days ahead), an active
 * replacement, the migration guide, the notice users get, and how fast traffic moves over. Checked
 * in the browser with the service's own zod schema and `deprecationIssues`; the preview shows who
 * is affected and the routing schedule before anything changes.
 */
import {
  DEPRECATION_NOTICE_DAYS,
  DeprecateAgentInput,
  DeprecateAgentResult,
  DeprecatePreview,
  addDays,
  deprecationIssues,
  fieldIssues,
  routingSchedule,
  utcDay,
  type ActionsClient,
  type RegistryAgent,
} from '@usage-analytics/actions';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { UsageActionDialog, type FieldErrors } from '../action-dialog/action-dialog.component.js';

/** The form's values. */
export interface DeprecateAgentForm {
  sunsetDate: string;
  replacementAgentId: string;
  migrationGuideUrl: string;
  subject: string;
  body: string;
  weeklySharePct: number;
}

export const DEFAULT_SUBJECT = '{{agent}} will be retired on {{sunsetDate}}';
export const DEFAULT_BODY =
  'Hello,\n\n{{agent}} is deprecated and will stop answering on {{sunsetDate}}. Please move to {{replacement}} before then; ' +
  'traffic moves over gradually until that day.\n\nHow to migrate: {{guide}}\n\nThank you.';

/** Fills `{{agent}}`, `{{replacement}}`, `{{sunsetDate}}`, `{{guide}}` (the result is shown as text). */
export function fillTemplate(template: string, values: { agent: string; replacement: string; sunsetDate: string; guide: string }): string {
  return template.replace(/\{\{\s*(agent|replacement|sunsetDate|guide)\s*\}\}/g, (_, k: keyof typeof values) => values[k]);
}

const nf = new Intl.NumberFormat('en-US');

/**
 * @summary A2.2 Deprecate agent: sunset date, replacement, migration guide, notice and weekly
 * routing share, with the impact (users, departments, top users, routing schedule) before Confirm.
 *
 * @fires usage-action-complete - `{action: 'deprecate-agent', result: DeprecateAgentResult}`.
 * @fires usage-action-cancel - `{action: 'deprecate-agent'}`.
 *
 * @csspart trigger - The "Deprecate agent…" button (hidden for roles without the action).
 * @csspart dialog - The `<dialog>`; see `<usage-action-dialog>`'s parts for the rest (form, field, field-error, preview, review, result, error, buttons).
 * @csspart preview-table - The departments and top-users tables.
 * @csspart routing - The routing schedule list.
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 */
export default class UsageActionDeprecateAgent extends UsageActionDialog<DeprecateAgentInput, DeprecateAgentResult> {
  readonly action = 'deprecate-agent';

  /** The agent to deprecate. */
  @property({ attribute: 'agent-id' }) agentId = '';

  /** The form's values (set to prefill; the form edits them). */
  @property({ attribute: false }) values: DeprecateAgentForm = {
    sunsetDate: addDays(utcDay(new Date()), DEPRECATION_NOTICE_DAYS + 14),
    replacementAgentId: '',
    migrationGuideUrl: '',
    subject: DEFAULT_SUBJECT,
    body: DEFAULT_BODY,
    weeklySharePct: 25,
  };

  /** "Today" for the 30-day rule and the schedule (tests and stories may pin it). */
  @property({ attribute: false }) today: () => Date = () => new Date();

  protected override usesRegistry = true;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // Values set from outside clear the messages of the fields they change (the next Review checks again).
    const old = changed.get('values') as DeprecateAgentForm | undefined;
    if (old) {
      for (const k of Object.keys(this.values) as (keyof DeprecateAgentForm)[]) {
        if (old[k] !== this.values[k]) this.edited(k === 'subject' || k === 'body' ? `notification.${k}` : k);
      }
    }
  }

  /** Active agents other than this one (the replacement choices). */
  get replacements(): RegistryAgent[] {
    return (this.registry ?? []).filter((a) => a.status === 'active' && a.agent_id !== this.agentId);
  }

  protected heading(): string {
    return `Deprecate ${this.agentName(this.agentId)}`;
  }

  protected summary(): string {
    return `Marks the agent deprecated, moves its traffic to a replacement week by week until the sunset day, and notifies the users of the last ${DEPRECATION_NOTICE_DAYS} days.`;
  }

  protected override previewKey(): string {
    return this.agentId;
  }

  protected override loadPreview(client: ActionsClient, signal: AbortSignal): Promise<DeprecatePreview> {
    return client.preview(this.action, { agentId: this.agentId }, DeprecatePreview, signal);
  }

  protected input(): DeprecateAgentInput {
    const v = this.values;
    return {
      agentId: this.agentId,
      sunsetDate: v.sunsetDate,
      replacementAgentId: v.replacementAgentId,
      migrationGuideUrl: v.migrationGuideUrl,
      notification: { subject: v.subject, body: v.body },
      weeklySharePct: v.weeklySharePct,
    };
  }

  protected validate(input: DeprecateAgentInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = DeprecateAgentInput.safeParse(input);
    if (!parsed.success) for (const i of fieldIssues(parsed.error)) errors[i.field] ??= i.message;
    for (const i of deprecationIssues(input, this.today())) errors[i.field] ??= i.message;
    return errors;
  }

  protected submit(client: ActionsClient, input: DeprecateAgentInput, idempotencyKey: string): Promise<DeprecateAgentResult> {
    return client.perform(this.action, input, DeprecateAgentResult, { idempotencyKey });
  }

  private set<K extends keyof DeprecateAgentForm>(key: K, value: DeprecateAgentForm[K], field: string = key): void {
    this.values = { ...this.values, [key]: value };
    this.edited(field);
  }

  protected renderForm(): TemplateResult {
    const v = this.values;
    const min = addDays(utcDay(this.today()), DEPRECATION_NOTICE_DAYS);
    const choices = this.replacements;
    const selected = choices.some((a) => a.agent_id === v.replacementAgentId);
    return html`
      <div part="field" class="field">
        <label for="f-sunsetDate">Sunset date (UTC)</label>
        <input
          id="f-sunsetDate"
          name="sunsetDate"
          type="date"
          min=${min}
          .value=${v.sunsetDate}
          aria-invalid=${this.invalid('sunsetDate')}
          aria-describedby=${this.describedBy('sunsetDate', 'hint-sunsetDate')}
          @input=${(e: Event) => this.set('sunsetDate', (e.target as HTMLInputElement).value)}
        />
        <p id="hint-sunsetDate" class="hint">At least ${DEPRECATION_NOTICE_DAYS} days ahead: ${min} or later.</p>
        ${this.fieldError('sunsetDate')}
      </div>
      <div part="field" class="field">
        <label for="f-replacementAgentId">Replacement agent</label>
        <select
          id="f-replacementAgentId"
          name="replacementAgentId"
          aria-invalid=${this.invalid('replacementAgentId')}
          aria-describedby=${this.describedBy('replacementAgentId', 'hint-replacementAgentId')}
          @change=${(e: Event) => this.set('replacementAgentId', (e.target as HTMLSelectElement).value)}
        >
          <option value="" ?selected=${!selected}>${this.registry ? 'Choose an active agent' : 'Loading agents…'}</option>
          ${choices.map((a) => html`<option value=${a.agent_id} ?selected=${a.agent_id === v.replacementAgentId}>${a.agent_name} (${a.department_id ?? 'no department'})</option>`)}
        </select>
        <p id="hint-replacementAgentId" class="hint">
          ${this.registryError ? `The agent list could not be loaded: ${this.registryError}` : `${choices.length} active agents besides this one.`}
        </p>
        ${this.fieldError('replacementAgentId')}
      </div>
      <div part="field" class="field">
        <label for="f-migrationGuideUrl">Migration guide (link)</label>
        <input
          id="f-migrationGuideUrl"
          name="migrationGuideUrl"
          type="url"
          inputmode="url"
          placeholder="https://"
          .value=${v.migrationGuideUrl}
          aria-invalid=${this.invalid('migrationGuideUrl')}
          aria-describedby=${this.describedBy('migrationGuideUrl')}
          @input=${(e: Event) => this.set('migrationGuideUrl', (e.target as HTMLInputElement).value)}
        />
        ${this.fieldError('migrationGuideUrl')}
      </div>
      <div part="field" class="field">
        <label for="f-subject">Notice subject</label>
        <input
          id="f-subject"
          name="notification.subject"
          .value=${v.subject}
          aria-invalid=${this.invalid('notification.subject')}
          aria-describedby=${this.describedBy('notification.subject', 'hint-template')}
          @input=${(e: Event) => this.set('subject', (e.target as HTMLInputElement).value, 'notification.subject')}
        />
        ${this.fieldError('notification.subject')}
      </div>
      <div part="field" class="field">
        <label for="f-body">Notice text</label>
        <textarea
          id="f-body"
          name="notification.body"
          .value=${v.body}
          aria-invalid=${this.invalid('notification.body')}
          aria-describedby=${this.describedBy('notification.body', 'hint-template')}
          @input=${(e: Event) => this.set('body', (e.target as HTMLTextAreaElement).value, 'notification.body')}
        ></textarea>
        <p id="hint-template" class="hint">Placeholders: {{agent}}, {{replacement}}, {{sunsetDate}}, {{guide}}.</p>
        ${this.fieldError('notification.body')}
      </div>
      <div part="field" class="field">
        <label for="f-weeklySharePct">Traffic moved each week (%)</label>
        <input
          id="f-weeklySharePct"
          name="weeklySharePct"
          type="number"
          min="5"
          max="100"
          step="5"
          .value=${String(v.weeklySharePct)}
          aria-invalid=${this.invalid('weeklySharePct')}
          aria-describedby=${this.describedBy('weeklySharePct')}
          @input=${(e: Event) => this.set('weeklySharePct', (e.target as HTMLInputElement).valueAsNumber)}
        />
        ${this.fieldError('weeklySharePct')}
      </div>
    `;
  }

  /** The routing schedule for the current form (empty when the date is not a date). */
  get schedule(): { from: string; sharePct: number }[] {
    const { sunsetDate, weeklySharePct } = this.values;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(sunsetDate) || !(weeklySharePct >= 5 && weeklySharePct <= 100)) return [];
    return routingSchedule(this.today(), sunsetDate, Math.round(weeklySharePct));
  }

  private renderSchedule(): TemplateResult {
    const s = this.schedule;
    return s.length
      ? html`<ol part="routing" class="routing">
          ${s.map((r) => html`<li>From ${r.from}: ${r.sharePct} % to the replacement</li>`)}
        </ol>`
      : html`<p class="muted">The schedule appears once the sunset date and weekly share are valid.</p>`;
  }

  protected override renderPreview(value: unknown): TemplateResult {
    const p = value as DeprecatePreview;
    return html`
      <dl class="figures">
        <dt>Users affected</dt>
        <dd data-figure="usersAffected">${nf.format(p.usersAffected)}</dd>
        <dt>Requests</dt>
        <dd data-figure="requests">${nf.format(p.requests)}</dd>
        <dt>Window</dt>
        <dd>${p.window.start.slice(0, 10)} to ${p.window.end.slice(0, 10)}</dd>
        <dt>Counted</dt>
        <dd data-figure="scope">every environment and department, whatever the tab's filters: everyone who used it is notified</dd>
        <dt>Status now</dt>
        <dd>${p.agentStatus ?? 'unknown'}</dd>
      </dl>
      <table part="preview-table" class="departments">
        <caption>
          Departments
        </caption>
        <thead>
          <tr>
            <th scope="col">Department</th>
            <th scope="col" class="num">Users</th>
            <th scope="col" class="num">Requests</th>
          </tr>
        </thead>
        <tbody>
          ${p.departments.map(
            (d) =>
              html`<tr>
                <th scope="row">${d.department}</th>
                <td class="num">${nf.format(d.users)}</td>
                <td class="num">${nf.format(d.requests)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <table part="preview-table" class="top-users">
        <caption>
          Top users to notify
        </caption>
        <thead>
          <tr>
            <th scope="col">User</th>
            <th scope="col">Department</th>
            <th scope="col" class="num">Requests</th>
            <th scope="col">Last seen</th>
          </tr>
        </thead>
        <tbody>
          ${p.topUsers.map(
            (u) =>
              html`<tr>
                <th scope="row"><bdi>${u.userId}</bdi></th>
                <td>${u.department ?? 'Unknown'}</td>
                <td class="num">${nf.format(u.requests)}</td>
                <td>${u.lastSeen.slice(0, 10)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <h4 class="routing-title">Routing schedule</h4>
      ${this.renderSchedule()}
    `;
  }

  private filled(input: DeprecateAgentInput): { subject: string; body: string } {
    const values = {
      agent: this.agentName(input.agentId),
      replacement: this.agentName(input.replacementAgentId),
      sunsetDate: input.sunsetDate,
      guide: input.migrationGuideUrl,
    };
    return { subject: fillTemplate(input.notification.subject, values), body: fillTemplate(input.notification.body, values) };
  }

  protected renderReview(input: DeprecateAgentInput): TemplateResult {
    const preview = this.preview as DeprecatePreview | undefined;
    const notice = this.filled(input);
    return html`
      <dl>
        <dt>Agent</dt>
        <dd><bdi>${this.agentName(input.agentId)}</bdi></dd>
        <dt>Replacement</dt>
        <dd><bdi>${this.agentName(input.replacementAgentId)}</bdi></dd>
        <dt>Sunset</dt>
        <dd>${input.sunsetDate}</dd>
        <dt>Guide</dt>
        <dd>${input.migrationGuideUrl}</dd>
        <dt>Users notified</dt>
        <dd>${preview ? nf.format(preview.usersAffected) : 'unknown (the preview did not load)'}</dd>
      </dl>
      <p><strong>Notice:</strong></p>
      <p class="template" data-template="subject">${notice.subject}</p>
      <p class="template" data-template="body">${notice.body}</p>
      ${this.renderSchedule()}
    `;
  }

  protected renderResult(r: DeprecateAgentResult): TemplateResult {
    return html`<dl>
      <dt>Status</dt>
      <dd data-result="status">${r.status}</dd>
      <dt>Sunset</dt>
      <dd data-result="sunsetDate">${r.sunsetDate}</dd>
      <dt>Notifications queued</dt>
      <dd data-result="notificationsQueued">${nf.format(r.notificationsQueued)}</dd>
      <dt>Routing steps</dt>
      <dd>${r.routing.length}</dd>
      <dt>Audit id</dt>
      <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again: nothing was done twice)' : nothing}</dd>
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-deprecate-agent': UsageActionDeprecateAgent;
  }
}
