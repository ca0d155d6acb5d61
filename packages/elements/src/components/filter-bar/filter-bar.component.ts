import { consume } from '@lit/context';
import { Task } from '@lit/task';
import { DEFAULT_FILTERS, TIME_PRESETS, defaultFilters, type Dimensions, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import '../../events/usage-filter-change.js';
import { MAX_COMPARED } from '../../events/usage-level-change.js';
import { dataClientContext, filtersContext, savedSegmentsContext, type DimensionsSource, type SavedSegmentList } from '../../internal/context.js';
import { UsageElement } from '../../internal/usage-element.js';
import { rangeLimits } from '../../internal/url-check.js';
import { toDateInput, validateCustomRange, type DataBounds } from './custom-range.js';
import {
  LIST_FILTERS,
  SAVED_GROUP_LABEL,
  TIME_LABELS,
  changedCount,
  chipsFor,
  formatUserSegment,
  fromUserSegmentSelection,
  isSavedValue,
  listSelectConfig,
  savedValue,
  userSegmentSelection,
  type ListFilterDef,
} from './filter-defs.js';
import { MultiSelect } from './multi-select.js';
import styles from './filter-bar.styles.js';

export type { DimensionsSource };

const SECONDARY_FIELDS = ['agentIds', 'userIds', 'requestStatuses', 'modelFamilies'] as const;

/**
 * @summary The Usage Analytics filter bar: time range (presets and a custom range), departments,
 * agent status, intent, user segment, environment and provider, with agent ids, user ids, request
 * status and model family under "More filters"; active-filter chips, a count of changed filters and
 * Reset. Reusable on its own (the Home tab uses it too).
 *
 * With an actions client on the provider (`<usage-provider .actions>`), the "User segment" list
 * also offers the saved segments (A2.3) the user may see, in a "Saved segments" group under the
 * engagement segments; choosing one filters every chart to its members (`savedSegments`).
 *
 * Inside `<usage-provider>` it shows the provider's filters and takes its options from the
 * provider's data client; alone, set `filters` and `client` (or `dimensions`). Every change fires
 * `usage-filter-change`, which the provider applies; without a provider (or with `filters` set)
 * the bar also applies the change to its own `filters`.
 *
 * @fires usage-filter-change - `{filters: Partial<UsageFilters>, replace?}` on every change; Reset sends `{filters: {}, replace: true}`.
 * @fires usage-level-change - The "Compare" hint (2–5 departments selected) asks for `{level: {kind: 'compare', by: 'department'}}`.
 *
 * @csspart base - The bar (`role="group"`).
 * @csspart time - The time range radio group.
 * @csspart time-option - One time range preset.
 * @csspart custom-range - The custom range row.
 * @csspart start-input - The custom range's start date.
 * @csspart end-input - The custom range's end date.
 * @csspart apply-button - Applies the custom range.
 * @csspart range-error - Why the custom range cannot be applied.
 * @csspart filter - One filter (label, button and popup).
 * @csspart filter-label - A filter's label.
 * @csspart filter-trigger - The button that opens a filter's popup.
 * @csspart popup - A filter's popup.
 * @csspart search - The popup's search box.
 * @csspart listbox - The popup's list of values.
 * @csspart option - One value in the list.
 * @csspart group - A group of values (the saved segments).
 * @csspart group-label - A group's label.
 * @csspart clear-button - Clears the filter.
 * @csspart compare-hint - A hint on comparing values of the filter.
 * @csspart more-button - The "More filters" disclosure button.
 * @csspart more - The secondary filters.
 * @csspart user-input - The user id field.
 * @csspart add-user-button - Adds the typed user id to the filter.
 * @csspart summary - The row with the count, the chips and Reset.
 * @csspart count - How many filters are set.
 * @csspart chips - The list of set filters.
 * @csspart chip - One set filter.
 * @csspart chip-remove - Removes one set filter.
 * @csspart reset-button - Resets every filter.
 * @csspart saved-segments-note - Loading, empty or error note of the saved segments group.
 *
 * @cssproperty --usage-filter-bar-background - Background of the bar.
 * @cssproperty --usage-filter-bar-gap - Gap between controls.
 * @cssproperty --usage-filter-bar-control-min-width - Minimum width of a filter button (default 9rem).
 * @cssproperty --usage-filter-bar-popup-max-height - Height of a listbox before it scrolls (default 18rem; 20 departments fit without paging).
 * @cssproperty --usage-filter-bar-chip-background - Background of a chip.
 */
export default class UsageFilterBar extends UsageElement {
  static override styles = styles;

  /** The filters shown; override the provider's. Default: the provider's, else the PRD defaults. */
  @property({ attribute: false }) filters?: UsageFilters;

  /** The options of each filter; override the ones read from `client` or the provider's client. */
  @property({ attribute: false }) dimensions?: Dimensions;

  /** Where the options come from when `dimensions` is not set; overrides the provider's client. */
  @property({ attribute: false }) client?: DimensionsSource;

  /** Accessible name of the bar. */
  @property() label = 'Usage filters';

  @consume({ context: dataClientContext, subscribe: true })
  @state()
  private contextClient?: DimensionsSource;

  @consume({ context: filtersContext, subscribe: true })
  @state()
  private contextFilters?: UsageFilters;

  /** The saved segments (A2.3) to offer; default: the provider's (loaded with its actions client), else none. */
  @property({ attribute: false }) savedSegments?: SavedSegmentList;

  @consume({ context: savedSegmentsContext, subscribe: true })
  @state()
  private contextSavedSegments?: SavedSegmentList;

  @state() private moreOpen = false;
  /** The Custom radio is chosen but not applied yet. */
  @state() private customPending = false;
  @state() private customStart = '';
  @state() private customEnd = '';
  @state() private customError?: { field: 'start' | 'end'; message: string };
  @state() private userDraft = '';
  @state() private userError?: string;

  private readonly selects = new Map(LIST_FILTERS.map((def) => [def.field, new MultiSelect(this, def.field)]));
  private focusAfterUpdate?: string;
  private shownRange?: UsageFilters['timeRange'];

  private readonly dimsTask = new Task(this, {
    args: () => [this.dimensions, this.client ?? this.contextClient] as const,
    task: async ([dims, source]) => dims ?? (source ? source.dimensions() : undefined),
  });

  /** The filters in force: `filters`, else the provider's, else the PRD defaults. */
  get activeFilters(): UsageFilters {
    return this.filters ?? this.contextFilters ?? (DEFAULT_FILTERS as UsageFilters);
  }

  override render() {
    const f = this.activeFilters;
    const secondaryChanged = changedCount(f, SECONDARY_FIELDS);
    return html`
      <div part="base" class="bar" role="group" aria-label=${this.label}>
        <div class="row">${this.renderTime()} ${LIST_FILTERS.filter((d) => d.primary).map((d) => this.renderList(d))}</div>
        ${this.customPending || f.timeRange.preset === 'custom' ? this.renderCustom() : nothing}
        <div class="row">
          <button
            type="button"
            part="more-button"
            class="more-button"
            aria-expanded=${this.moreOpen ? 'true' : 'false'}
            aria-controls="more"
            @click=${() => (this.moreOpen = !this.moreOpen)}
          >
            <span class="caret" aria-hidden="true">${this.moreOpen ? '▾' : '▸'}</span>
            More filters${secondaryChanged ? ` (${secondaryChanged} set)` : ''}
          </button>
        </div>
        <div id="more" part="more" class="row more" ?hidden=${!this.moreOpen}>
          ${LIST_FILTERS.filter((d) => !d.primary).map((d) => (d.field === 'requestStatuses' ? [this.renderUserIds(), this.renderList(d)] : this.renderList(d)))}
        </div>
        ${this.renderSummary(f)}
      </div>
    `;
  }

  protected override willUpdate(): void {
    // A custom range applied elsewhere (the URL, the provider) shows in the date inputs.
    const range = this.activeFilters.timeRange;
    if (range !== this.shownRange) {
      this.shownRange = range;
      if (range.preset === 'custom' && !this.customPending) {
        this.customStart = toDateInput(range.start);
        this.customEnd = toDateInput(range.end);
      }
    }
  }

  protected override updated(): void {
    const id = this.focusAfterUpdate;
    this.focusAfterUpdate = undefined;
    if (id) (this.renderRoot.querySelector(id) as HTMLElement | null)?.focus();
  }

  private renderTime() {
    const range = this.activeFilters.timeRange;
    const current = this.customPending ? 'custom' : range.preset;
    return html`
      <fieldset part="time" class="time">
        <legend class="ms-label">Time range</legend>
        <div class="segmented">
          ${[...TIME_PRESETS, 'custom' as const].map(
            (p) => html`
              <label part="time-option" class="segment">
                <input type="radio" name="time" value=${p} .checked=${current === p} @change=${() => this.chooseTime(p)} />
                <span>${TIME_LABELS[p]}</span>
              </label>
            `,
          )}
        </div>
      </fieldset>
    `;
  }

  private renderCustom() {
    const err = this.customError;
    const invalid = (field: 'start' | 'end') => (err?.field === field ? 'true' : 'false');
    const bounds = this.dataBounds();
    const limits = bounds ? rangeLimits(bounds.dataStart, bounds.anchor) : undefined;
    return html`
      <div part="custom-range" class="row custom" role="group" aria-labelledby="custom-label">
        <span id="custom-label" class="ms-label">Custom range (UTC; ends at the start of the end date)</span>
        <label class="date">
          <span>Start date</span>
          <input
            id="custom-start"
            part="start-input"
            type="date"
            min=${limits?.min ?? nothing}
            max=${limits?.max ?? nothing}
            .value=${this.customStart}
            aria-invalid=${invalid('start')}
            aria-describedby=${err ? 'range-error' : nothing}
            @input=${(e: Event) => (this.customStart = (e.target as HTMLInputElement).value)}
            @keydown=${this.onCustomKey}
          />
        </label>
        <label class="date">
          <span>End date</span>
          <input
            id="custom-end"
            part="end-input"
            type="date"
            min=${limits?.min ?? nothing}
            max=${limits?.max ?? nothing}
            .value=${this.customEnd}
            aria-invalid=${invalid('end')}
            aria-describedby=${err ? 'range-error' : nothing}
            @input=${(e: Event) => (this.customEnd = (e.target as HTMLInputElement).value)}
            @keydown=${this.onCustomKey}
          />
        </label>
        <button type="button" part="apply-button" class="apply" @click=${this.applyCustom}>Apply range</button>
        <p id="range-error" part="range-error" class="error" role="alert">${err?.message ?? ''}</p>
      </div>
    `;
  }

  private renderList(def: ListFilterDef) {
    if (def.field === 'userSegments') return this.renderUserSegments(def);
    const selected = this.activeFilters[def.field] as string[];
    return this.selects.get(def.field)!.render({
      ...listSelectConfig(def, selected, this.dimsTask, (next) => this.change({ [def.field]: next })),
      footer: def.field === 'departments' ? this.compareHint(selected.length) : nothing,
    });
  }

  /** The engagement segments, and with an actions client the saved segments in their own group. */
  private renderUserSegments(def: ListFilterDef) {
    const f = this.activeFilters;
    const list = this.savedSegments ?? this.contextSavedSegments;
    const current = f.savedSegments ?? [];
    const segments = list?.segments ?? [];
    const selected = userSegmentSelection(f);
    const base = listSelectConfig(def, selected, this.dimsTask, () => undefined);
    const options: string[] | undefined = base.options && [
      ...base.options.filter((v) => !isSavedValue(v)),
      ...(list ? segments.map((s) => savedValue(s.id)) : []),
    ];
    // A selected saved segment the list lacks (still loading, deleted, no longer shared) stays listed so it can be removed.
    for (const v of selected) if (isSavedValue(v) && !options?.includes(v)) options?.push(v);
    const note =
      list?.state === 'error'
        ? html`<p part="saved-segments-note" class="hint" role="alert">Saved segments could not be loaded: ${list.error}</p>`
        : list?.state === 'loading' && segments.length === 0
          ? html`<p part="saved-segments-note" class="hint" role="status">Loading saved segments…</p>`
          : list && segments.length === 0
            ? html`<p part="saved-segments-note" class="hint">No saved segments yet.</p>`
            : nothing;
    return this.selects.get(def.field)!.render({
      ...base,
      options,
      format: (v) => formatUserSegment(v, current, segments),
      groupOf: (v) => (isSavedValue(v) ? SAVED_GROUP_LABEL : undefined),
      onChange: (next) => this.change(fromUserSegmentSelection(next, current, segments)),
      footer: note,
    });
  }

  private compareHint(n: number): TemplateResult | typeof nothing {
    if (n === 0) return nothing;
    if (n > MAX_COMPARED) return html`<p part="compare-hint" class="hint">Up to ${MAX_COMPARED} departments can be compared side by side.</p>`;
    if (n === 1) return html`<p part="compare-hint" class="hint">Select up to ${MAX_COMPARED - 1} more to compare departments.</p>`;
    return html`<button type="button" part="compare-hint" class="link" @click=${this.requestCompare}>Compare these ${n} departments</button>`;
  }

  private renderUserIds() {
    return html`
      <div class="ms userid" part="filter" data-filter="userIds">
        <label class="ms-label" part="filter-label" for="user-input">User id</label>
        <div class="userid-row">
          <input
            id="user-input"
            part="user-input"
            type="text"
            autocomplete="off"
            .value=${this.userDraft}
            aria-invalid=${this.userError ? 'true' : 'false'}
            aria-describedby=${this.userError ? 'user-error' : nothing}
            @input=${(e: Event) => (this.userDraft = (e.target as HTMLInputElement).value)}
            @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && (e.preventDefault(), this.addUser())}
          />
          <button type="button" part="add-user-button" @click=${this.addUser}>Add</button>
        </div>
        <p id="user-error" class="error" role="alert">${this.userError ?? ''}</p>
      </div>
    `;
  }

  private renderSummary(f: UsageFilters) {
    const n = changedCount(f);
    const chips = chipsFor(f);
    return html`
      <div part="summary" class="row summary">
        <span part="count" class="count" role="status">${n === 0 ? 'Default filters' : `${n} ${n === 1 ? 'filter' : 'filters'} changed`}</span>
        ${
          chips.length
            ? html`<ul part="chips" class="chips" aria-label="Active filters">
                ${chips.map(
                  (c, i) => html`
                    <li part="chip" class="chip">
                      <span class="chip-label">${c.label}:</span> <bdi class="chip-value" title=${c.value}>${c.value}</bdi>
                      <button
                        type="button"
                        part="chip-remove"
                        class="chip-remove"
                        data-chip=${i}
                        aria-label=${`Remove ${c.label}: ${c.value}`}
                        @click=${() => this.removeChip(i, chips.length)}
                        @keydown=${(e: KeyboardEvent) => (e.key === 'Delete' || e.key === 'Backspace') && (e.preventDefault(), this.removeChip(i, chips.length))}
                      >
                        <span aria-hidden="true">×</span>
                      </button>
                    </li>
                  `,
                )}
              </ul>`
            : nothing
        }
        <button type="button" part="reset-button" class="reset" ?disabled=${n === 0} @click=${this.reset}>Reset</button>
      </div>
    `;
  }

  // ---- changes ----------------------------------------------------------------------------

  /** Fires `usage-filter-change`; applies it to `filters` too when the bar is not showing a provider's. */
  private change(partial: Partial<UsageFilters>, replace = false): void {
    const local = this.filters !== undefined || !this.contextFilters;
    const next = replace ? defaultFilters(partial) : { ...this.activeFilters, ...partial };
    this.emit('usage-filter-change', { detail: { filters: structuredClone(partial), replace } });
    if (local) this.filters = next;
  }

  private chooseTime(preset: (typeof TIME_PRESETS)[number] | 'custom'): void {
    if (preset !== 'custom') {
      this.customPending = false;
      this.customError = undefined;
      this.change({ timeRange: { preset } });
      return;
    }
    this.customPending = true;
    const range = this.activeFilters.timeRange;
    if (range.preset === 'custom') {
      this.customStart = toDateInput(range.start);
      this.customEnd = toDateInput(range.end);
    } else if (!this.customStart && !this.customEnd) {
      const anchor = (this.client ?? this.contextClient)?.anchor;
      if (anchor !== undefined && Number.isFinite(anchor)) {
        const end = new Date(Math.ceil(anchor / 86_400_000_000) * 86_400_000);
        this.customEnd = end.toISOString().slice(0, 10);
        this.customStart = new Date(end.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
      }
    }
  }

  private onCustomKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter') {
      e.preventDefault();
      this.applyCustom();
    }
  };

  private applyCustom = (): void => {
    const result = validateCustomRange(this.customStart, this.customEnd, this.dataBounds());
    if (!result.ok) {
      this.customError = { field: result.field, message: result.error };
      this.focusAfterUpdate = result.field === 'start' ? '#custom-start' : '#custom-end';
      return;
    }
    this.customError = undefined;
    this.customPending = false;
    this.change({ timeRange: result.range });
  };

  /** The data's bounds from the client, when it tells them. */
  private dataBounds(): DataBounds | undefined {
    const source = this.client ?? this.contextClient;
    const { dataStart, anchor } = source ?? {};
    return Number.isSafeInteger(dataStart) && Number.isSafeInteger(anchor) ? { dataStart: dataStart!, anchor: anchor! } : undefined;
  }

  private addUser = (): void => {
    const id = this.userDraft.trim();
    const current = this.activeFilters.userIds;
    if (!id) {
      this.userError = 'Type a user id to add.';
      return;
    }
    this.userError = undefined;
    this.userDraft = '';
    if (!current.includes(id)) this.change({ userIds: [...current, id] });
  };

  private removeChip(index: number, count: number): void {
    const chip = chipsFor(this.activeFilters)[index];
    if (!chip) return;
    // Focus the chip that takes this one's place, the one before it, or Reset when none is left.
    this.focusAfterUpdate = count > 1 ? `[data-chip="${Math.min(index, count - 2)}"]` : 'input[name="time"]:checked';
    this.change(chip.remove);
  }

  private reset = (): void => {
    this.customPending = false;
    this.customError = undefined;
    this.focusAfterUpdate = 'input[name="time"]:checked';
    this.change({}, true);
  };

  private requestCompare = (): void => {
    this.emit('usage-level-change', { detail: { level: { kind: 'compare', by: 'department' } } });
    this.selects.get('departments')?.hide(true);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-filter-bar': UsageFilterBar;
  }
}
