/**
 * A2.3 Create user segment (P1) on the action dialog base: a builder over the snapshot's users
 * (window, requests range, agents used — any or all —, departments, engagement, last active), a
 * name, a description and who may see it. A live count follows the criteria while they are edited
 * (debounced: one `POST /v1/actions/create-segment/count` for the form once it is still), with the
 * users by department and the busiest users; screen readers hear the count once it settles. Checked
 * in the browser with the service's own `CreateSegmentInput`. Prefill it with `values`, `criteria`
 * or from the tab's filters (`fromFilters`, `use-filters`, `showFromFilters`).
 */
import { consume } from '@lit/context';
import { Task, TaskStatus } from '@lit/task';
import {
  CreateSegmentInput,
  CreateSegmentResult,
  SEGMENT_SHARING,
  SEGMENT_WINDOWS,
  SegmentCount,
  SegmentCriteria,
  fieldIssues,
  type ActionsClient,
} from '@usage-analytics/actions';
import { USER_SEGMENTS, type UsageFilters, type UserSegment } from '@usage-analytics/queries';
import { css, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { filtersContext } from '../../internal/context.js';
import { UsageActionDialog, activeElementDeep, toActionFailure, type FieldErrors } from '../action-dialog/action-dialog.component.js';
import { FollowForm, LIVE_PREVIEW_DEBOUNCE_MS } from '../action-dialog/follow-form.js';
import { fromFilters, type SegmentWindow } from './from-filters.js';

export { fromFilters, nearestWindow, type FiltersAsCriteria, type SegmentWindow } from './from-filters.js';

export type SegmentSharing = (typeof SEGMENT_SHARING)[number];

/** The builder's values (numbers left empty are `undefined`; a number the input cannot read is `NaN`). */
export interface CreateSegmentForm {
  name: string;
  description: string;
  sharing: SegmentSharing;
  windowDays: SegmentWindow;
  requestsMin?: number;
  requestsMax?: number;
  agentIds: string[];
  agentMode: 'any' | 'all';
  departments: string[];
  engagement: UserSegment[];
  lastActiveWithinDays?: number;
}

/** How long the criteria must be still before the live count reloads (ms). */
export const SEGMENT_COUNT_DEBOUNCE_MS = LIVE_PREVIEW_DEBOUNCE_MS;

const EMPTY_FORM: CreateSegmentForm = {
  name: '',
  description: '',
  sharing: 'private',
  windowDays: 30,
  agentIds: [],
  agentMode: 'any',
  departments: [],
  engagement: [],
};

const SHARING_LABELS: Record<SegmentSharing, string> = {
  private: 'Only me',
  department: 'My department(s)',
  fleet: 'Everyone (needs access to every department)',
};
const ENGAGEMENT_LABELS: Record<UserSegment, string> = {
  power: 'Power (top 10% by requests)',
  regular: 'Regular',
  new: 'New (first seen in the last 30 days)',
  dormant: 'Dormant (no request in the last 30 days)',
};
const nf = new Intl.NumberFormat('en-US');

/** The form's values for `criteria` (the rest of `base` kept). */
export function formFromCriteria(criteria: SegmentCriteria, base: CreateSegmentForm = EMPTY_FORM): CreateSegmentForm {
  return {
    ...base,
    windowDays: criteria.windowDays ?? 30,
    requestsMin: criteria.requests?.min,
    requestsMax: criteria.requests?.max,
    agentIds: [...(criteria.agents?.ids ?? [])],
    agentMode: criteria.agents?.mode ?? 'any',
    departments: [...(criteria.departments ?? [])],
    engagement: [...(criteria.engagement ?? [])],
    lastActiveWithinDays: criteria.lastActiveWithinDays,
  };
}

/** The criteria the form describes (what the count and the save send). */
export function criteriaOf(v: CreateSegmentForm): SegmentCriteria {
  return {
    windowDays: v.windowDays,
    requests: { ...(v.requestsMin !== undefined ? { min: v.requestsMin } : {}), ...(v.requestsMax !== undefined ? { max: v.requestsMax } : {}) },
    agents: { ids: [...v.agentIds], mode: v.agentMode },
    departments: [...v.departments],
    engagement: [...v.engagement],
    ...(v.lastActiveWithinDays !== undefined ? { lastActiveWithinDays: v.lastActiveWithinDays } : {}),
  };
}

/** The issue's field as the form names it: list items land on their list (`criteria.departments.3` → `criteria.departments`). */
const fieldOf = (path: string) => path.replace(/(\.\d+)+$/, '');

/**
 * @summary A2.3 Create user segment: a builder (requests range, agents used, departments,
 * engagement, last active, window) with a live count of the users it selects, saved privately or
 * shared with the department or the fleet.
 *
 * @fires usage-action-complete - `{action: 'create-segment', result: CreateSegmentResult}` (bubbles, composed: a filter bar can refresh its segments).
 * @fires usage-action-cancel - `{action: 'create-segment'}`.
 *
 * @csspart trigger - The "Create user segment…" button (hidden for roles without the action).
 * @csspart dialog - The `<dialog>`; see `UsageActionDialog`'s parts for the rest (form, field, field-error, review, result, error, buttons).
 * @csspart live-count - The live count region (`aria-busy` while it loads).
 * @csspart figures - The count's, review's and result's figure lists.
 * @csspart count-departments - The users by department.
 * @csspart count-sample - The busiest users in the segment.
 * @csspart unmapped-note - What of the tab's view the segment does not express (when prefilled from filters).
 * @csspart agent-search - The search box over the agent list.
 * @csspart agent-list - The agents' checkboxes.
 *
 * @cssproperty --usage-action-dialog-width - The dialog's width.
 * @cssproperty --usage-action-invalid-colour - Invalid fields' border and message colour.
 * @cssproperty --usage-segment-list-height - The tallest the agent and department lists grow before they scroll (default 10rem).
 */
export default class UsageActionCreateSegment extends UsageActionDialog<CreateSegmentInput, CreateSegmentResult> {
  static override styles = [
    ...UsageActionDialog.styles,
    css`
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
      }
      .row > .field {
        flex: 1 1 8rem;
      }
      .list {
        max-height: var(--usage-segment-list-height, 10rem);
        overflow: auto;
        border: 1px solid var(--usage-color-border, #ccc);
        border-radius: 4px;
        padding: 0.25rem 0.4rem;
      }
      .note {
        border-left: 3px solid currentColor;
        padding-left: 0.5rem;
      }
      .note ul,
      .count ul,
      .count ol {
        margin: 0.25rem 0 0;
        padding-left: 1.25rem;
      }
      .sr-only {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
        white-space: nowrap;
      }
    `,
  ];

  readonly action = 'create-segment';

  /** The builder's values (set to prefill; the form edits them). */
  @property({ attribute: false }) values: CreateSegmentForm = { ...EMPTY_FORM };

  /** Criteria to prefill (the name, description and sharing in `values` are kept). */
  @property({ attribute: false }) criteria?: SegmentCriteria;

  /** What of the view the prefilled criteria do not express (shown as a note; `fromFilters` gives it). */
  @property({ attribute: false }) unmapped: string[] = [];

  /** The filters to prefill from when `use-filters` is set (default: the provider's). */
  @property({ attribute: false }) filters?: UsageFilters;

  /** Each time the dialog opens from its trigger, prefill the criteria from the current filters. */
  @property({ type: Boolean, attribute: 'use-filters' }) useFilters = false;

  @consume({ context: filtersContext, subscribe: true })
  @state()
  private contextFilters?: UsageFilters;

  /** The criteria the live count answers (JSON; follows the form once it is valid and still for a moment). */
  private follow = new FollowForm<SegmentCriteria>(this, () => {
    const criteria = criteriaOf(this.values);
    return SegmentCriteria.safeParse(criteria).success ? criteria : undefined;
  });
  /** What the live region says: the last settled count. */
  private announcement = '';
  /** Agent list search text. */
  @state() private agentQuery = '';

  protected override usesRegistry = true;

  /** The live count (loads while the dialog is open, for the criteria it follows). */
  protected countTask = new Task(this, {
    task: ([client, open, key], { signal }) =>
      client && open && key
        ? client.post(`/v1/actions/${this.action}/count`, { criteria: JSON.parse(key) as unknown }, SegmentCount, signal)
        : Promise.resolve(undefined),
    args: () => [this.client, this.open, this.follow.key] as const,
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [...super.dataTasks, this.countTask];
  }

  /** The criteria the count on screen answers (undefined before the first one). */
  get countCriteria(): SegmentCriteria | undefined {
    return this.follow.value;
  }

  /** The count's answer (undefined while loading or after an error). */
  get count(): SegmentCount | undefined {
    return this.countTask.status === TaskStatus.COMPLETE ? this.countTask.value : undefined;
  }

  /** The departments to choose from: the caller's, or (all departments) those of the registry's agents; chosen ones always. */
  get departmentChoices(): string[] {
    const mine = this.me?.departments ?? [];
    const base = mine.length && !mine.includes('*') ? mine : (this.registry ?? []).map((a) => a.department_id).filter((d): d is string => !!d);
    return [...new Set([...base, ...this.values.departments])].sort((a, b) => a.localeCompare(b));
  }

  /** Prefills the criteria from `filters` (see `fromFilters`) and opens the dialog; `name` and `requests` (a calls range) when given. */
  showFromFilters(
    filters: Partial<UsageFilters>,
    options: { name?: string; requests?: { min?: number; max?: number }; userIds?: readonly string[] } = {},
    returnFocus: HTMLElement | null = activeElementDeep(),
  ): void {
    if (this.open) return;
    this.prefill(filters, options);
    super.show(returnFocus);
  }

  override show(returnFocus: HTMLElement | null = activeElementDeep()): void {
    if (this.open) return;
    const filters = this.filters ?? this.contextFilters;
    if (this.useFilters && filters) this.prefill(filters, {});
    super.show(returnFocus);
  }

  private prefill(filters: Partial<UsageFilters>, options: { name?: string; requests?: { min?: number; max?: number }; userIds?: readonly string[] }): void {
    const { criteria, unmapped } = fromFilters(filters, options);
    if (options.requests) criteria.requests = { ...options.requests };
    this.values = { ...formFromCriteria(criteria, { ...EMPTY_FORM, sharing: this.values.sharing }), name: options.name ?? '' };
    this.unmapped = unmapped;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('criteria') && this.criteria) this.values = formFromCriteria(this.criteria, this.values);
    const old = changed.get('values') as CreateSegmentForm | undefined;
    if (old) {
      for (const k of Object.keys({ ...old, ...this.values }) as (keyof CreateSegmentForm)[]) {
        if (JSON.stringify(old[k]) !== JSON.stringify(this.values[k])) this.edited(FIELD_OF[k]);
      }
    }
    if (changed.has('values') || (changed.has('open') && this.open)) this.follow.schedule(!this.follow.key || changed.has('open'));
  }

  protected heading(): string {
    return 'Create a user segment';
  }

  protected summary(): string {
    return 'Selects users by what they did in the window; the count follows the criteria as you edit them. Saved segments appear in the filter bar.';
  }

  protected input(): CreateSegmentInput {
    const v = this.values;
    return { name: v.name, ...(v.description ? { description: v.description } : {}), criteria: criteriaOf(v), sharing: v.sharing };
  }

  protected validate(input: CreateSegmentInput): FieldErrors {
    const errors: FieldErrors = {};
    const parsed = CreateSegmentInput.safeParse(input);
    if (!parsed.success) for (const i of fieldIssues(parsed.error)) errors[fieldOf(i.field)] ??= i.message;
    return errors;
  }

  protected submit(client: ActionsClient, input: CreateSegmentInput, idempotencyKey: string): Promise<CreateSegmentResult> {
    return client.perform(this.action, input, CreateSegmentResult, { idempotencyKey });
  }

  private set<K extends keyof CreateSegmentForm>(key: K, value: CreateSegmentForm[K]): void {
    this.values = { ...this.values, [key]: value };
  }

  private toggle<K extends 'agentIds' | 'departments' | 'engagement'>(key: K, value: CreateSegmentForm[K][number], on: boolean): void {
    const list = this.values[key] as string[];
    const next = on ? [...new Set([...list, value])] : list.filter((x) => x !== value);
    this.set(key, next as CreateSegmentForm[K]);
  }

  private readNumber(e: Event): number | undefined {
    const input = e.target as HTMLInputElement;
    if (input.value === '' && !input.validity.badInput) return undefined;
    return input.valueAsNumber;
  }

  private numberField(id: string, field: string, label: string, value: number | undefined, onInput: (v: number | undefined) => void, hint?: string) {
    return html`<div part="field" class="field">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        name=${field}
        type="number"
        inputmode="numeric"
        min="0"
        step="1"
        .value=${value === undefined || !Number.isFinite(value) ? '' : String(value)}
        aria-invalid=${this.invalid(field)}
        aria-describedby=${this.describedBy(field, hint ? `hint-${id}` : undefined)}
        @input=${(e: Event) => onInput(this.readNumber(e))}
      />
      ${hint ? html`<p id=${`hint-${id}`} class="hint">${hint}</p>` : nothing} ${this.fieldError(field)}
    </div>`;
  }

  private renderAgents(): TemplateResult {
    const v = this.values;
    const q = this.agentQuery.trim().toLowerCase();
    const agents = this.registry ?? [];
    const known = new Set(agents.map((a) => a.agent_id));
    // Chosen agents the registry does not list stay visible (and can be unticked).
    const rows = [
      ...v.agentIds.filter((id) => !known.has(id)).map((id) => ({ id, name: id, status: 'not in the registry' })),
      ...agents.map((a) => ({ id: a.agent_id, name: a.agent_name, status: a.status })),
    ];
    const shown = rows.filter((r) => !q || v.agentIds.includes(r.id) || r.name.toLowerCase().includes(q) || r.id.toLowerCase().includes(q));
    const field = 'criteria.agents.ids';
    return html`<fieldset part="field" class="field" aria-describedby=${this.describedBy(field, 'hint-agents')}>
      <legend>Agents used</legend>
      <label for="f-agent-search" class="choice">Search agents</label>
      <input
        id="f-agent-search"
        part="agent-search"
        type="search"
        .value=${this.agentQuery}
        aria-controls="agent-list"
        @input=${(e: Event) => (this.agentQuery = (e.target as HTMLInputElement).value)}
      />
      <div id="agent-list" part="agent-list" class="list" role="group" aria-label="Agents">
        ${shown.map(
          (r) =>
            html`<label class="choice"
              ><input
                type="checkbox"
                name="agent"
                value=${r.id}
                .checked=${v.agentIds.includes(r.id)}
                aria-invalid=${this.invalid(field)}
                @change=${(e: Event) => this.toggle('agentIds', r.id, (e.target as HTMLInputElement).checked)}
              /><bdi>${r.name}</bdi> <span class="muted">(${r.status})</span></label
            >`,
        )}
        ${shown.length ? nothing : html`<p class="muted">${this.registry ? 'No agent matches the search.' : 'Loading agents…'}</p>`}
      </div>
      <p id="hint-agents" class="hint">
        ${
          this.registryError
            ? `The agent list could not be loaded: ${this.registryError}`
            : `${nf.format(v.agentIds.length)} chosen of ${nf.format(agents.length)}; none chosen = any agent.`
        }
      </p>
      <div class="row" role="radiogroup" aria-label="Users who used">
        ${(['any', 'all'] as const).map(
          (m) =>
            html`<label class="choice"
              ><input type="radio" name="agentMode" value=${m} .checked=${v.agentMode === m} @change=${() => this.set('agentMode', m)} />
              ${m === 'any' ? 'any of them' : 'all of them'}</label
            >`,
        )}
      </div>
      ${this.fieldError(field)}
    </fieldset>`;
  }

  protected renderForm(): TemplateResult {
    const v = this.values;
    const departments = this.departmentChoices;
    return html`
      ${
        this.unmapped.length
          ? html`<div part="unmapped-note" class="note" role="note" aria-labelledby="unmapped-title">
              <p id="unmapped-title"><strong>Not the same as the view:</strong> a segment cannot express these filters of the view, so they are left out.</p>
              <ul>
                ${this.unmapped.map((u) => html`<li>${u}</li>`)}
              </ul>
            </div>`
          : nothing
      }
      <div part="field" class="field">
        <label for="f-name">Name</label>
        <input
          id="f-name"
          name="name"
          type="text"
          maxlength="200"
          .value=${v.name}
          aria-invalid=${this.invalid('name')}
          aria-describedby=${this.describedBy('name')}
          @input=${(e: Event) => this.set('name', (e.target as HTMLInputElement).value)}
        />
        ${this.fieldError('name')}
      </div>
      <div part="field" class="field">
        <label for="f-description">Description (optional)</label>
        <textarea
          id="f-description"
          name="description"
          .value=${v.description}
          aria-invalid=${this.invalid('description')}
          aria-describedby=${this.describedBy('description')}
          @input=${(e: Event) => this.set('description', (e.target as HTMLTextAreaElement).value)}
        ></textarea>
        ${this.fieldError('description')}
      </div>
      <fieldset part="field" class="field" aria-describedby=${this.describedBy('sharing')}>
        <legend>Who sees it</legend>
        ${SEGMENT_SHARING.map(
          (s) =>
            html`<label class="choice"
              ><input
                type="radio"
                name="sharing"
                value=${s}
                .checked=${v.sharing === s}
                aria-invalid=${this.invalid('sharing')}
                @change=${() => this.set('sharing', s)}
              />
              ${SHARING_LABELS[s]}</label
            >`,
        )}
        ${this.fieldError('sharing')}
      </fieldset>
      <div part="field" class="field">
        <label for="f-window">Window</label>
        <select
          id="f-window"
          name="criteria.windowDays"
          aria-invalid=${this.invalid('criteria.windowDays')}
          aria-describedby=${this.describedBy('criteria.windowDays', 'hint-window')}
          @change=${(e: Event) => this.set('windowDays', Number((e.target as HTMLSelectElement).value) as SegmentWindow)}
        >
          ${SEGMENT_WINDOWS.map((w) => html`<option value=${w} ?selected=${w === v.windowDays}>Last ${w} days</option>`)}
        </select>
        <p id="hint-window" class="hint">The criteria look at the last days of the data; users without a request in the window are never in it.</p>
        ${this.fieldError('criteria.windowDays')}
      </div>
      <div class="row">
        ${this.numberField('f-requests-min', 'criteria.requests.min', 'Requests in the window, at least', v.requestsMin, (n) => this.set('requestsMin', n))}
        ${this.numberField('f-requests-max', 'criteria.requests.max', 'at most', v.requestsMax, (n) => this.set('requestsMax', n))}
      </div>
      ${this.renderAgents()}
      <fieldset part="field" class="field" aria-describedby=${this.describedBy('criteria.departments', 'hint-departments')}>
        <legend>Departments</legend>
        <div class="list" role="group" aria-label="Departments">
          ${departments.map(
            (d) =>
              html`<label class="choice"
                ><input
                  type="checkbox"
                  name="department"
                  value=${d}
                  .checked=${v.departments.includes(d)}
                  aria-invalid=${this.invalid('criteria.departments')}
                  @change=${(e: Event) => this.toggle('departments', d, (e.target as HTMLInputElement).checked)}
                /><bdi>${d}</bdi></label
              >`,
          )}
          ${departments.length ? nothing : html`<p class="muted">${this.registry ? 'No departments known.' : 'Loading departments…'}</p>`}
        </div>
        <p id="hint-departments" class="hint">The user’s department at their last request in the window; none chosen = all yours.</p>
        ${this.fieldError('criteria.departments')}
      </fieldset>
      <fieldset part="field" class="field" aria-describedby=${this.describedBy('criteria.engagement')}>
        <legend>Engagement</legend>
        <div class="row">
          ${USER_SEGMENTS.map(
            (s) =>
              html`<label class="choice"
                ><input
                  type="checkbox"
                  name="engagement"
                  value=${s}
                  .checked=${v.engagement.includes(s)}
                  aria-invalid=${this.invalid('criteria.engagement')}
                  @change=${(e: Event) => this.toggle('engagement', s, (e.target as HTMLInputElement).checked)}
                />${ENGAGEMENT_LABELS[s]}</label
              >`,
          )}
        </div>
        ${this.fieldError('criteria.engagement')}
      </fieldset>
      ${this.numberField(
        'f-last-active',
        'criteria.lastActiveWithinDays',
        'Last active within (days)',
        v.lastActiveWithinDays,
        (n) => this.set('lastActiveWithinDays', n),
        'Empty = any time in the window; 1 to 366.',
      )}
      ${this.renderCount()}
    `;
  }

  /** The live count: the users, by department, the busiest; announced once per settled answer. */
  private renderCount(): TemplateResult {
    const status = this.countTask.status;
    const loading = status === TaskStatus.PENDING || (status === TaskStatus.INITIAL && !!this.follow.key);
    const c = this.count;
    const current = this.follow.key === JSON.stringify(criteriaOf(this.values));
    const settled = !!c && current && status === TaskStatus.COMPLETE;
    const failure = status === TaskStatus.ERROR ? toActionFailure(this.countTask.error) : undefined;
    // The live region changes only when a count settles for the criteria on screen (or fails), never while they are edited.
    if (settled) this.announcement = `${nf.format(c.users)} users match.`;
    else if (failure) this.announcement = 'The count could not be loaded.';
    return html`<section part="live-count" class="count" aria-labelledby="count-title" aria-busy=${loading ? 'true' : 'false'}>
      <h3 id="count-title">Users in the segment now</h3>
      ${
        failure
          ? html`<div class="error">
              <p class="message">The count could not be loaded: ${failure.message}</p>
              <button part="retry-button" type="button" @click=${() => void this.countTask.run()}>Retry count</button>
            </div>`
          : c
            ? html`<p class="muted">
                  ${c.window.start.slice(0, 10)} to ${c.window.end.slice(0, 10)}${current ? nothing : ' (updates when the criteria are valid and still)'}
                </p>
                <dl part="figures" class="figures">
                  <dt>Users</dt>
                  <dd data-figure="users">${nf.format(c.users)}</dd>
                </dl>
                ${
                  c.departments.length
                    ? html`<h4 class="sr-only">By department</h4>
                        <ul part="count-departments" aria-label="Users by department">
                          ${c.departments.map((d) => html`<li data-department=${d.department}><bdi>${d.department}</bdi>: ${nf.format(d.users)}</li>`)}
                        </ul>`
                    : html`<p class="muted">No user matches these criteria.</p>`
                }
                ${
                  c.sample.length
                    ? html`<p>Busiest users:</p>
                        <ol part="count-sample" aria-label="Busiest users in the segment">
                          ${c.sample.map(
                            (u) =>
                              html`<li data-user=${u.userId}>
                                <bdi>${u.userId}</bdi> (<bdi>${u.department ?? 'Unknown'}</bdi>): ${nf.format(u.requests)} requests
                              </li>`,
                          )}
                        </ol>`
                    : nothing
                }`
            : html`<p class="muted">${loading ? 'Counting…' : 'Fix the marked criteria to see the count.'}</p>`
      }
      ${loading ? html`<progress part="progress" aria-label="Counting the users"></progress>` : nothing}
      <p class="sr-only" aria-live="polite" data-announce>${this.announcement}</p>
    </section>`;
  }

  /** The criteria in words (review and result). */
  describeCriteria(c: SegmentCriteria): string[] {
    const out = [`Window: last ${c.windowDays ?? 30} days`];
    const r = c.requests ?? {};
    if (r.min !== undefined || r.max !== undefined)
      out.push(
        `Requests: ${r.min !== undefined && r.max !== undefined ? `${nf.format(r.min)} to ${nf.format(r.max)}` : r.min !== undefined ? `at least ${nf.format(r.min)}` : `at most ${nf.format(r.max!)}`}`,
      );
    const ids = c.agents?.ids ?? [];
    if (ids.length) out.push(`Used ${c.agents?.mode === 'all' ? 'all' : 'any'} of: ${ids.map((id) => this.agentName(id)).join(', ')}`);
    if (c.departments?.length) out.push(`Departments: ${c.departments.join(', ')}`);
    if (c.engagement?.length) out.push(`Engagement: ${c.engagement.join(', ')}`);
    if (c.lastActiveWithinDays !== undefined) out.push(`Last active within ${c.lastActiveWithinDays} days`);
    return out;
  }

  protected renderReview(input: CreateSegmentInput): TemplateResult {
    const c = this.count;
    const current = c && this.follow.key === JSON.stringify(input.criteria);
    return html`<dl part="figures">
      <dt>Name</dt>
      <dd data-review="name"><bdi>${input.name}</bdi></dd>
      ${
        input.description
          ? html`<dt>Description</dt>
              <dd data-review="description">${input.description}</dd>`
          : nothing
      }
      <dt>Who sees it</dt>
      <dd data-review="sharing">${SHARING_LABELS[input.sharing ?? 'private']}</dd>
      <dt>Criteria</dt>
      <dd data-review="criteria">
        <ul>
          ${this.describeCriteria(input.criteria).map((l) => html`<li>${l}</li>`)}
        </ul>
      </dd>
      <dt>Users now</dt>
      <dd data-review="users">${current ? nf.format(c.users) : 'unknown (the count has not caught up)'}</dd>
    </dl>`;
  }

  protected renderResult(r: CreateSegmentResult): TemplateResult {
    const s = r.segment;
    return html`<dl part="figures">
      <dt>Segment</dt>
      <dd data-result="name"><bdi>${s.name}</bdi></dd>
      <dt>Id</dt>
      <dd data-result="id">${s.id}</dd>
      <dt>Who sees it</dt>
      <dd data-result="sharing">${SHARING_LABELS[s.sharing]}${s.sharing === 'department' ? html` (<bdi>${s.departments.join(', ')}</bdi>)` : nothing}</dd>
      <dt>Users at save</dt>
      <dd data-result="usersAtSave">${nf.format(s.usersAtSave)}</dd>
      <dt>Audit id</dt>
      <dd>${r.auditId}${r.replayed ? ' (the first answer, sent again: nothing was done twice)' : nothing}</dd>
    </dl>`;
  }
}

/** Which error field a form value is checked under. */
const FIELD_OF: Record<keyof CreateSegmentForm, string> = {
  name: 'name',
  description: 'description',
  sharing: 'sharing',
  windowDays: 'criteria.windowDays',
  requestsMin: 'criteria.requests.min',
  requestsMax: 'criteria.requests.max',
  agentIds: 'criteria.agents.ids',
  agentMode: 'criteria.agents.mode',
  departments: 'criteria.departments',
  engagement: 'criteria.engagement',
  lastActiveWithinDays: 'criteria.lastActiveWithinDays',
};

declare global {
  interface HTMLElementTagNameMap {
    'usage-action-create-segment': UsageActionCreateSegment;
  }
}
