import { Task } from '@lit/task';
import type { Dimensions, UsageFilters } from '@usage-analytics/queries';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { UsageElement } from '../../internal/usage-element.js';
import type { DimensionsSource } from '../../internal/context.js';
import { SECONDARY_CHART_FIELDS, type ListFilterField } from '../../internal/filter-fields.js';
import { LIST_FILTERS, listSelectConfig, type ListFilterDef } from '../filter-bar/filter-defs.js';
import type { MultiSelect } from '../filter-bar/multi-select.js';
import { lazy } from '../../internal/lazy.js';
import '../../events/usage-chart-filter-change.js';

/** The lists' code loads when the panel first opens (its own chunk). */
const loadMultiSelect = lazy(() => import('../filter-bar/multi-select.js'));
import styles from './chart-filters.styles.js';

let instances = 0;

export { SECONDARY_CHART_FIELDS };

/**
 * @summary A chart's own filters (PRD "Secondary Filters (Per chart)"): a "Filters" button in the
 * chart's toolbar opens multi-selects for `fields`; what is chosen overrides the shared filters for
 * this chart only. Charts render it themselves; it edits `value` (the override) and reports each
 * change with `usage-chart-filter-change`, which the chart applies as its `filtersOverride`.
 *
 * @fires usage-chart-filter-change - `{override}` on every change (`{}` after Clear); bubbles and is composed.
 *
 * @csspart toggle - The "Filters" button (says how many fields are set).
 * @csspart panel - The panel with the controls.
 * @csspart reset-button - Clears the chart's filters.
 * @csspart close-button - Closes the panel ("Done").
 * @csspart error - Says the lists could not load (network failure), in the panel.
 * @csspart filter - One filter (label, button, popup), as in `<usage-filter-bar>`.
 */
export default class UsageChartFilters extends UsageElement {
  static override styles = styles;

  /** Which filters the chart offers, in order. */
  @property({ attribute: false }) fields: readonly ListFilterField[] = SECONDARY_CHART_FIELDS;

  /** The chart's override (only the fields set). */
  @property({ attribute: false }) value: Partial<UsageFilters> = {};

  /** The shared filters the override applies over (shown where the override does not set a field). */
  @property({ attribute: false }) base?: UsageFilters;

  /** Where the options come from (the chart's data client; without `dimensions()` the lists stay empty). */
  @property({ attribute: false }) client?: Partial<DimensionsSource>;

  /** Name of the chart, for the accessible names ("Filters of Top Users"). */
  @property() chart = 'this chart';

  @state() private open = false;

  private readonly uid = `chart-filters-${++instances}`;
  private selects = new Map<ListFilterField, MultiSelect>();
  @state() private selectClass?: typeof MultiSelect;
  @state() private loadError = '';
  private selectLoad?: Promise<void>;

  private readonly dimsTask = new Task(this, {
    args: () => [this.open ? this.client : undefined] as const,
    task: async ([source]): Promise<Dimensions | undefined> => (source?.dimensions ? source.dimensions() : undefined),
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if ((changed as Map<PropertyKey, unknown>).has('open') && !this.open) this.loadError = ''; // reopening tries again
    if (this.open && !this.selectClass && !this.selectLoad && !this.loadError) {
      this.selectLoad = loadMultiSelect().then(
        (m) => {
          this.selectClass = m.MultiSelect;
        },
        (e: Error) => {
          this.loadError = `The filter lists could not load: ${e.message}`;
        },
      );
      void this.selectLoad.finally(() => (this.selectLoad = undefined));
    }
  }

  /** The first opening waits for the lists' code to load and render. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let done = await super.getUpdateComplete();
    while (this.selectLoad) {
      await this.selectLoad;
      done = (await super.getUpdateComplete()) && done;
    }
    return done;
  }

  /** How many of `fields` the override sets. */
  get count(): number {
    return this.fields.filter((f) => this.value[f] !== undefined).length;
  }

  private select(field: ListFilterField): MultiSelect {
    let s = this.selects.get(field);
    if (!s) this.selects.set(field, (s = new this.selectClass!(this, `${this.uid}-${field}`)));
    return s;
  }

  override render() {
    const n = this.count;
    const defs = this.fields.map((f) => LIST_FILTERS.find((d) => d.field === f)).filter((d): d is ListFilterDef => !!d);
    return html`
      <button
        part="toggle"
        type="button"
        class="toggle"
        aria-expanded=${this.open ? 'true' : 'false'}
        aria-controls=${`${this.uid}-panel`}
        @click=${() => (this.open = !this.open)}
      >
        Filters${n ? html` <span class="badge">${n}<span class="visually-hidden"> set</span></span>` : nothing}
      </button>
      <div
        id=${`${this.uid}-panel`}
        part="panel"
        class="panel"
        role="group"
        aria-label=${`Filters of ${this.chart} only`}
        ?hidden=${!this.open}
        @keydown=${this.onKey}
      >
        ${this.open && this.selectClass ? defs.map((d) => this.renderList(d)) : nothing}
        ${this.open && this.loadError ? html`<p part="error" role="alert">${this.loadError}</p>` : nothing}
        <div class="row">
          <button part="reset-button" type="button" ?disabled=${n === 0} @click=${this.clear}>Clear chart filters</button>
          <button part="close-button" type="button" @click=${() => this.close(true)}>Done</button>
        </div>
      </div>
    `;
  }

  private renderList(def: ListFilterDef) {
    const selected = ((this.value[def.field] ?? this.base?.[def.field]) as string[] | undefined) ?? [];
    return this.select(def.field).render(listSelectConfig(def, selected, this.dimsTask, (next) => this.change({ ...this.value, [def.field]: next })));
  }

  private change(override: Partial<UsageFilters>): void {
    this.value = override;
    this.emit('usage-chart-filter-change', { detail: { override: structuredClone(override) } });
  }

  private clear = (): void => {
    this.change({});
  };

  private close(refocus: boolean): void {
    this.open = false;
    for (const s of this.selects.values()) s.hide();
    if (refocus) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.toggle')?.focus());
  }

  /** Escape closes the panel (after an open listbox has closed itself). */
  private onKey = (e: KeyboardEvent): void => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    if ([...this.selects.values()].some((s) => s.open)) return;
    e.stopPropagation();
    this.close(true);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-chart-filters': UsageChartFilters;
  }
}
