/**
 * A2.1 Promote agent (P1) on the action dialog base: the channels (e-mail, in-app banner, docs
 * banner), the message, the target audience (departments × engagement segments, leaving out who
 * already uses the agent) and an optional last day. Checked in the browser with the service's own
 * `PromoteAgentInput` and its two extra rules (a docs banner for the docs channel, a last day not
 * in the past); the preview counts the audience (debounced as the audience changes) and lists the
 * agent's earlier campaigns, whose stored baseline measures their reach later (chart 2.10).
 */
import {
  AUDIENCE_SEGMENTS,
  PROMOTION_CHANNELS,
  PromoteAgentInput,
  PromoteAgentResult,
  PromotePreview,
  PromotePreviewInput,
  fieldIssues,
  utcDay,
  type ActionsClient,
  type RegistryAgent,
} from '@usage-analytics/actions';
import { Task, TaskStatus } from '@lit/task';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { z } from 'zod';
import { UsageActionDialog, toActionFailure, type FieldErrors } from '../action-dialog/action-dialog.component.js';
import { FollowForm, LIVE_PREVIEW_DEBOUNCE_MS } from '../action-dialog/follow-form.js';

export type PromotionChannel = (typeof PROMOTION_CHANNELS)[number];
export type AudienceSegment = (typeof AUDIENCE_SEGMENTS)[number];

/** The form's values. */
export interface PromoteAgentForm {
  /** Used only when the element has no `agent-id`. */
  agentId: string;
  channels: PromotionChannel[];
  /** Users' departments; empty = every department the caller acts for. */
  departments: string[];
  /** Engagement segments; empty = all four. */
  segments: AudienceSegment[];
  excludeCurrentUsers: boolean;
  subject: string;
  body: string;
  /** Sent with the docs channel. */
  docsBanner: string;
  /** The campaign's last day (`YYYY-MM-DD`), or '' for none. */
  endsOn: string;
}

/** A stored campaign as `GET /v1/campaigns` lists it (newest first). */
export const PromotionCampaign = z.object({
  id: z.string(),
  agent_id: z.string(),
  channels: z.array(z.string()),
  audience_size: z.number(),
  starts_on: z.string(),
  ends_on: z.string().nullable(),
  docs_banner: z.string().nullable(),
  baseline: z.object({ users: z.number(), requests: z.number(), window: z.object({ start: z.string(), end: z.string() }) }).passthrough(),
  created_by: z.string(),
});
export type PromotionCampaign = z.infer<typeof PromotionCampaign>;
export const PromotionCampaigns = z.array(PromotionCampaign);

/** How long the audience must be still before the preview reloads (ms). */
export const PROMOTE_PREVIEW_DEBOUNCE_MS = LIVE_PREVIEW_DEBOUNCE_MS;

export const CHANNEL_LABELS: Record<PromotionChannel, string> = { email: 'E-mail', in_app: 'In-app banner', docs: 'Docs page banner' };
export const SEGMENT_LABELS: Record<AudienceSegment, string> = {
  power: 'Power users (top 10 %)',
  regular: 'Regular users',
  new: 'New users (first seen in the last 30 days)',
  dormant: 'Dormant users (nothing in the last 30 days)',
};

/** The rules the service checks beyond the schema: a docs banner for the docs channel, a last day not before today (UTC). */
export function promotionIssues(input: PromoteAgentInput, now: Date): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (input.channels.includes('docs') && !input.docsBanner?.trim()) out.push({ field: 'docsBanner', message: 'required for the docs channel' });
  const today = utcDay(now);
  if (input.endsOn && /^\d{4}-\d{2}-\d{2}$/.test(input.endsOn) && input.endsOn < today) out.push({ field: 'endsOn', message: `${today} or later` });
  return out;
}

const nf = new Intl.NumberFormat('en-US');
const channelLabel = (c: string) => CHANNEL_LABELS[c as PromotionChannel] ?? c;
const segmentName = (s: string) => (s in SEGMENT_LABELS ? s[0].toUpperCase() + s.slice(1) : s);

/**
 * @summary A2.1 Promote agent: channels, message, target audience (departments, engagement
 * segments) with a live audience count and the agent's earlier campaigns before Confirm.
 *
 * @fires usage-action-complete - `{action: 'promote-agent', result: PromoteAgentResult}`.
 * @fires usage-action-cancel - `{action: 'promote-agent'}`.
 *
 * @csspart trigger - The "Promote agent…" button (hidden for roles without the action).
 * @csspart dialog - The `<dialog>`; see `UsageActionDialog`'s parts for the rest (form, field, field-error, preview, review, result, error, buttons).
 * @csspart figures - The preview's, review's and result's figure lists.
 * @csspart preview-table - The audience by department and by segment tables.
 * @csspart campaigns - The list of the agent's earlier campaigns (preview).
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 */
export default class UsageActionPromoteAgent extends UsageActionDialog<PromoteAgentInput, PromoteAgentResult> {
  static override styles = [
    ...UsageActionDialog.styles,
    css`
      fieldset {
        display: grid;
        gap: 0.2rem;
      }
      legend {
        padding: 0 0 0.2rem;
      }
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.2rem 1rem;
      }
      .message {
        white-space: pre-wrap;
      }
      .campaigns {
        margin: 0;
        padding-left: 1.2rem;
      }
    `,
  ];

  readonly action = 'promote-agent';

  /** The agent to promote; without it the form offers the active agents. */
  @property({ attribute: 'agent-id' }) agentId = '';

  /** The form's values (set to prefill; the form edits them). */
  @property({ attribute: false }) values: PromoteAgentForm = {
    agentId: '',
    channels: ['email', 'in_app'],
    departments: [],
    segments: [],
    excludeCurrentUsers: true,
    subject: '',
    body: '',
    docsBanner: '',
    endsOn: '',
  };

  /** "Today" for the last-day rule (tests and stories may pin it). */
  @property({ attribute: false }) today: () => Date = () => new Date();

  /** The preview input the preview on screen answers (JSON; follows the audience once it is valid and still for a moment). */
  /** The valid audience the preview follows (debounced). */
  private follow = new FollowForm<z.output<typeof PromotePreviewInput>>(this, () => {
    const parsed = PromotePreviewInput.safeParse(this.previewInputNow());
    return parsed.success ? parsed.data : undefined;
  });
  /** Departments met in previews (offered as choices when the caller acts for every department). */
  @state() private seenDepartments: string[] = [];

  protected override usesRegistry = true;

  /** The agent's campaigns, newest first (loads on open and again after a campaign is stored). */
  protected campaignsTask = new Task(this, {
    task: ([client, open, agentId], { signal }) =>
      client && open && agentId ? client.get(`/v1/campaigns?agentId=${encodeURIComponent(agentId)}`, PromotionCampaigns, signal) : Promise.resolve(undefined),
    args: () => [this.client, this.open, this.input().agentId, this.result] as const,
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [...super.dataTasks, this.campaignsTask];
  }

  /** The agent's earlier campaigns (undefined until loaded). */
  get campaigns(): PromotionCampaign[] | undefined {
    return this.campaignsTask.status === TaskStatus.COMPLETE ? this.campaignsTask.value : undefined;
  }

  /** Active agents to choose from when there is no `agent-id`. */
  get agents(): RegistryAgent[] {
    return (this.registry ?? []).filter((a) => a.status === 'active');
  }

  /** The departments offered: the caller's own, or (acting for all) the registry's and those met in previews. */
  get departmentChoices(): string[] {
    const mine = this.me?.departments ?? [];
    const set = new Set<string>(this.values.departments);
    if (mine.length && !mine.includes('*')) for (const d of mine) set.add(d);
    else {
      for (const a of this.registry ?? []) if (a.department_id) set.add(a.department_id);
      for (const d of this.seenDepartments) if (d !== 'Unknown') set.add(d);
    }
    return [...set].sort((a, b) => a.localeCompare(b));
  }

  /** The preview input the preview on screen answers (undefined before the first one). */
  get previewInput(): z.output<typeof PromotePreviewInput> | undefined {
    return this.follow.value;
  }

  /** The preview input for the form as it is now. */
  private previewInputNow(): z.input<typeof PromotePreviewInput> {
    const i = this.input();
    return { agentId: i.agentId, audience: i.audience };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const old = changed.get('values') as PromoteAgentForm | undefined;
    if (old) {
      for (const k of Object.keys(this.values) as (keyof PromoteAgentForm)[]) if (old[k] !== this.values[k]) this.edited(this.fieldOf(k));
    }
    if (changed.has('values') || changed.has('agentId') || (changed.has('open') && this.open)) this.follow.schedule(!this.follow.key || changed.has('open'));
    const p = this.previewTask.status === TaskStatus.COMPLETE ? (this.previewTask.value as PromotePreview | undefined) : undefined;
    if (p) {
      const fresh = p.departments.map((d) => d.department).filter((d) => !this.seenDepartments.includes(d));
      if (fresh.length) this.seenDepartments = [...this.seenDepartments, ...fresh];
    }
  }

  private fieldOf(k: keyof PromoteAgentForm): string {
    switch (k) {
      case 'subject':
      case 'body':
        return `message.${k}`;
      case 'departments':
      case 'segments':
      case 'excludeCurrentUsers':
        return `audience.${k}`;
      default:
        return k;
    }
  }

  protected heading(): string {
    const id = this.input().agentId;
    return id ? `Promote ${this.agentName(id)}` : 'Promote an agent';
  }

  protected summary(): string {
    return 'Sends the message to the chosen audience by e-mail and in-app banner (and shows a banner on the agent’s docs page), and stores the campaign with the agent’s 30-day baseline so its reach can be measured later.';
  }

  protected override previewKey(): string {
    return this.follow.key;
  }

  protected override loadPreview(client: ActionsClient, signal: AbortSignal): Promise<PromotePreview> {
    const input = this.previewInput;
    if (!input) return Promise.reject(new Error('the audience is not complete yet: choose an agent.'));
    return client.preview(this.action, input, PromotePreview, signal);
  }

  protected input(): PromoteAgentInput {
    const v = this.values;
    return {
      agentId: this.agentId || v.agentId,
      channels: [...v.channels],
      audience: { departments: [...v.departments], segments: [...v.segments], excludeCurrentUsers: v.excludeCurrentUsers },
      message: { subject: v.subject, body: v.body },
      ...(v.channels.includes('docs') || v.docsBanner ? { docsBanner: v.docsBanner } : {}),
      ...(v.endsOn ? { endsOn: v.endsOn } : {}),
    };
  }

  protected validate(input: PromoteAgentInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = PromoteAgentInput.safeParse(input);
    if (!parsed.success) for (const i of fieldIssues(parsed.error)) errors[i.field] ??= i.field === 'agentId' && !input.agentId ? 'choose an agent' : i.message;
    for (const i of promotionIssues(input, this.today())) errors[i.field] ??= i.message;
    return errors;
  }

  protected submit(client: ActionsClient, input: PromoteAgentInput, idempotencyKey: string): Promise<PromoteAgentResult> {
    return client.perform(this.action, input, PromoteAgentResult, { idempotencyKey });
  }

  private set<K extends keyof PromoteAgentForm>(key: K, value: PromoteAgentForm[K]): void {
    this.values = { ...this.values, [key]: value };
    this.edited(this.fieldOf(key));
  }

  private toggle<K extends 'channels' | 'departments' | 'segments'>(key: K, item: PromoteAgentForm[K][number], on: boolean): void {
    const list = this.values[key] as string[];
    const next = on ? [...list.filter((x) => x !== item), item] : list.filter((x) => x !== item);
    this.set(key, next as PromoteAgentForm[K]);
  }

  private renderAgent(): TemplateResult | typeof nothing {
    if (this.agentId) return nothing;
    const v = this.values;
    return html`<div part="field" class="field">
      <label for="f-agentId">Agent</label>
      <select
        id="f-agentId"
        name="agentId"
        aria-invalid=${this.invalid('agentId')}
        aria-describedby=${this.describedBy('agentId', 'hint-agentId')}
        @change=${(e: Event) => this.set('agentId', (e.target as HTMLSelectElement).value)}
      >
        <option value="" ?selected=${!v.agentId}>${this.registry ? 'Choose an agent' : 'Loading agents…'}</option>
        ${this.agents.map((a) => html`<option value=${a.agent_id} ?selected=${a.agent_id === v.agentId}>${a.agent_name}</option>`)}
      </select>
      <p id="hint-agentId" class="hint">
        ${this.registryError ? `The agent list could not be loaded: ${this.registryError}` : `${this.agents.length} active agents in the registry.`}
      </p>
      ${this.fieldError('agentId')}
    </div>`;
  }

  /** A group of checkboxes whose messages belong to `field`. */
  private checkboxes<K extends 'channels' | 'departments' | 'segments'>(
    key: K,
    field: string,
    legend: string,
    items: readonly string[],
    label: (item: string) => string | TemplateResult,
    hint: string,
  ): TemplateResult {
    const chosen = this.values[key] as string[];
    const hintId = `hint-${key}`;
    return html`<fieldset part="field" class="field" id=${`f-${key}`} aria-describedby=${this.describedBy(field, hintId)}>
      <legend>${legend}</legend>
      <div class="choices">
        ${items.map(
          (item) =>
            html`<label class="choice"
              ><input
                type="checkbox"
                name=${key}
                value=${item}
                .checked=${chosen.includes(item)}
                aria-invalid=${this.invalid(field)}
                @change=${(e: Event) => this.toggle(key, item as PromoteAgentForm[K][number], (e.target as HTMLInputElement).checked)}
              />
              ${label(item)}</label
            >`,
        )}
      </div>
      <p id=${hintId} class="hint">${hint}</p>
      ${this.fieldError(field)}
    </fieldset>`;
  }

  protected renderForm(): TemplateResult {
    const v = this.values;
    const mine = this.me?.departments ?? [];
    const all = !mine.length || mine.includes('*');
    const depts = this.departmentChoices;
    return html`
      ${this.renderAgent()}
      ${this.checkboxes('channels', 'channels', 'Channels', PROMOTION_CHANNELS, (c) => channelLabel(c), 'At least one; e-mail and in-app notices go to each user in the audience.')}
      <div part="field" class="field">
        <label for="f-subject">Subject</label>
        <input
          id="f-subject"
          name="message.subject"
          maxlength="200"
          .value=${v.subject}
          aria-invalid=${this.invalid('message.subject')}
          aria-describedby=${this.describedBy('message.subject')}
          @input=${(e: Event) => this.set('subject', (e.target as HTMLInputElement).value)}
        />
        ${this.fieldError('message.subject')}
      </div>
      <div part="field" class="field">
        <label for="f-body">Message</label>
        <textarea
          id="f-body"
          name="message.body"
          .value=${v.body}
          aria-invalid=${this.invalid('message.body')}
          aria-describedby=${this.describedBy('message.body', 'hint-body')}
          @input=${(e: Event) => this.set('body', (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        <p id="hint-body" class="hint">The e-mail's text and the in-app banner's; at most 5,000 characters.</p>
        ${this.fieldError('message.body')}
      </div>
      ${
        v.channels.includes('docs')
          ? html`<div part="field" class="field">
              <label for="f-docsBanner">Docs page banner</label>
              <input
                id="f-docsBanner"
                name="docsBanner"
                maxlength="500"
                .value=${v.docsBanner}
                aria-invalid=${this.invalid('docsBanner')}
                aria-describedby=${this.describedBy('docsBanner', 'hint-docsBanner')}
                @input=${(e: Event) => this.set('docsBanner', (e.target as HTMLInputElement).value)}
              />
              <p id="hint-docsBanner" class="hint">Shown on the agent's documentation page while the campaign runs.</p>
              ${this.fieldError('docsBanner')}
            </div>`
          : nothing
      }
      ${this.checkboxes(
        'departments',
        'audience.departments',
        'Departments',
        depts,
        (d) => html`<bdi>${d}</bdi>`,
        depts.length
          ? `None ticked: ${all ? 'every department' : `all of yours (${mine.join(', ')})`}.`
          : 'Loading the departments… None ticked: every department you act for.',
      )}
      ${this.checkboxes(
        'segments',
        'audience.segments',
        'Engagement segments',
        AUDIENCE_SEGMENTS,
        (s) => SEGMENT_LABELS[s as AudienceSegment],
        'As of the data’s last day (chart 2.2’s definitions). None ticked: all four.',
      )}
      <div part="field" class="field">
        <label class="choice"
          ><input
            id="f-excludeCurrentUsers"
            type="checkbox"
            name="audience.excludeCurrentUsers"
            .checked=${v.excludeCurrentUsers}
            aria-describedby="hint-excludeCurrentUsers"
            @change=${(e: Event) => this.set('excludeCurrentUsers', (e.target as HTMLInputElement).checked)}
          />
          Leave out users who already use the agent</label
        >
        <p id="hint-excludeCurrentUsers" class="hint">Users with a request to the agent in the last 30 days of the data.</p>
      </div>
      <div part="field" class="field">
        <label for="f-endsOn">Last day (optional)</label>
        <input
          id="f-endsOn"
          name="endsOn"
          type="date"
          min=${utcDay(this.today())}
          .value=${v.endsOn}
          aria-invalid=${this.invalid('endsOn')}
          aria-describedby=${this.describedBy('endsOn', 'hint-endsOn')}
          @input=${(e: Event) => this.set('endsOn', (e.target as HTMLInputElement).value)}
          @change=${(e: Event) => this.set('endsOn', (e.target as HTMLInputElement).value)}
        />
        <p id="hint-endsOn" class="hint">Reach is measured from today to this day (UTC); empty: open-ended.</p>
        ${this.fieldError('endsOn')}
      </div>
    `;
  }

  private describeAudience(a: { departments?: string[]; segments?: string[]; excludeCurrentUsers?: boolean }): TemplateResult {
    const d = a.departments ?? [];
    const s = a.segments ?? [];
    return html`${d.length ? html`<bdi>${d.join(', ')}</bdi>` : 'all your departments'};
    ${s.length ? s.map(segmentName).join(', ') : 'all segments'}${a.excludeCurrentUsers === false ? '' : '; without current users'}`;
  }

  private renderCampaigns(): TemplateResult {
    return html`<h4 id="campaigns-title">Earlier campaigns for this agent</h4>
      ${this.campaignsTask.render({
        initial: () => html`<p class="muted">Loading the campaigns…</p>`,
        pending: () => html`<p class="muted">Loading the campaigns…</p>`,
        complete: (list) =>
          !list || !list.length
            ? html`<p class="muted" data-campaigns="none">None yet: this would be its first campaign.</p>`
            : html`<ul part="campaigns" class="campaigns" aria-labelledby="campaigns-title">
                ${list.map(
                  (c) =>
                    html`<li data-campaign=${c.id}>
                      Campaign ${c.id}: from ${c.starts_on}${c.ends_on ? ` to ${c.ends_on}` : ''}, ${c.channels.map(channelLabel).join(', ')},
                      ${nf.format(c.audience_size)} users; baseline ${nf.format(c.baseline.users)} users, ${nf.format(c.baseline.requests)} requests in the 30
                      days before
                    </li>`,
                )}
              </ul>`,
        error: (e) => html`<p class="muted" role="status">The campaigns could not be loaded: ${toActionFailure(e).message}</p>`,
      })}`;
  }

  protected override renderPreview(value: unknown): TemplateResult {
    const p = value as PromotePreview;
    const shown = this.previewInput;
    const pending = !this.follow.fresh;
    const excluded = shown?.audience.excludeCurrentUsers !== false;
    return html`
      <p class="muted">Audience: ${shown ? this.describeAudience(shown.audience) : nothing}${pending ? ' (updating…)' : nothing}</p>
      <dl part="figures" class="figures">
        <dt>Users reached</dt>
        <dd data-figure="audienceSize">${nf.format(p.audienceSize)}</dd>
        <dt>Already use the agent</dt>
        <dd data-figure="currentUsers">${nf.format(p.currentUsers)}${excluded ? ' (left out)' : ' (included)'}</dd>
        <dt>Baseline, ${p.baseline.window.start.slice(0, 10)} to ${p.baseline.window.end.slice(0, 10)}</dt>
        <dd data-figure="baseline">${nf.format(p.baseline.users)} users, ${nf.format(p.baseline.requests)} requests</dd>
      </dl>
      ${
        p.audienceSize === 0
          ? html`<p class="muted" data-figure="empty">Nobody in this audience: widen the departments or segments.</p>`
          : html`<table part="preview-table" class="departments">
                <caption>
                  By department
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Department</th>
                    <th scope="col" class="num">Users</th>
                  </tr>
                </thead>
                <tbody>
                  ${p.departments.map(
                    (d) =>
                      html`<tr>
                        <th scope="row"><bdi>${d.department}</bdi></th>
                        <td class="num">${nf.format(d.users)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>
              <table part="preview-table" class="segments">
                <caption>
                  By segment
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Segment</th>
                    <th scope="col" class="num">Users</th>
                  </tr>
                </thead>
                <tbody>
                  ${p.segments.map(
                    (s) =>
                      html`<tr>
                        <th scope="row">${segmentName(s.segment)}</th>
                        <td class="num">${nf.format(s.users)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
      }
      ${this.renderCampaigns()}
    `;
  }

  protected renderReview(input: PromoteAgentInput): TemplateResult {
    const p = this.preview as PromotePreview | undefined;
    const upToDate = p && this.follow.key === JSON.stringify(PromotePreviewInput.safeParse({ agentId: input.agentId, audience: input.audience }).data ?? null);
    return html`<dl part="figures">
      <dt>Agent</dt>
      <dd><bdi>${this.agentName(input.agentId)}</bdi></dd>
      <dt>Channels</dt>
      <dd data-review="channels">${input.channels.map(channelLabel).join(', ')}</dd>
      <dt>Audience</dt>
      <dd data-review="audience">${this.describeAudience(input.audience)}</dd>
      <dt>Users reached</dt>
      <dd data-review="audienceSize">${upToDate ? nf.format(p.audienceSize) : 'unknown (the preview did not load)'}</dd>
      <dt>Subject</dt>
      <dd data-review="subject"><bdi>${input.message.subject}</bdi></dd>
      <dt>Message</dt>
      <dd data-review="body" class="message"><bdi>${input.message.body}</bdi></dd>
      ${
        input.channels.includes('docs')
          ? html`<dt>Docs banner</dt>
              <dd data-review="docsBanner"><bdi>${input.docsBanner ?? ''}</bdi></dd>`
          : nothing
      }
      <dt>Runs</dt>
      <dd data-review="runs">from ${utcDay(this.today())}${input.endsOn ? ` to ${input.endsOn}` : ' (open-ended)'}</dd>
    </dl>`;
  }

  protected renderResult(r: PromoteAgentResult): TemplateResult {
    return html`<dl part="figures">
      <dt>Campaign</dt>
      <dd data-result="campaignId">${r.campaignId}</dd>
      <dt>Agent</dt>
      <dd><bdi>${this.agentName(r.agentId)}</bdi></dd>
      <dt>Channels</dt>
      <dd data-result="channels">${r.channels.map(channelLabel).join(', ')}</dd>
      <dt>Users reached</dt>
      <dd data-result="audienceSize">${nf.format(r.audienceSize)}</dd>
      <dt>Notices queued</dt>
      <dd data-result="notificationsQueued">${nf.format(r.notificationsQueued)}</dd>
      <dt>Runs</dt>
      <dd data-result="runs">from ${r.startsOn}${r.endsOn ? ` to ${r.endsOn}` : ' (open-ended)'}</dd>
      <dt>Audit id</dt>
      <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again: nothing was done twice)' : nothing}</dd>
    </dl>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-promote-agent': UsageActionPromoteAgent;
  }
}
