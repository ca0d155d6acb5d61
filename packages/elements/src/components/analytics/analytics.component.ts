import { ContextRoot, provide } from '@lit/context';
import { Task, initialState } from '@lit/task';
import type { ActionsClient } from '@usage-analytics/actions';
import type { UsageDataClient } from '@usage-analytics/data-client';
import { callsOverTime, defaultFilters, type SavedSegmentFilter, type UsageFilters } from '@usage-analytics/queries';
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { html as staticHtml, unsafeStatic } from 'lit/static-html.js';
import '../../events/usage-drilldown.js';
import type { UsageDrilldownEvent } from '../../events/usage-drilldown.js';
import type { UsageFilterChangeEvent } from '../../events/usage-filter-change.js';
import {
  COMPARE_DIMENSIONS,
  FLEET,
  MAX_COMPARED,
  type CompareDimension,
  type UsageLevel,
  type UsageLevelChangeEvent,
} from '../../events/usage-level-change.js';
import type { UsageLoadProgressEvent } from '../../events/usage-load-progress.js';
import { summarizeProblems } from '../../internal/url-problems.js';
import type { UrlState } from '../../internal/url-state.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { UsageElement, markOnce } from '../../internal/usage-element.js';
import { deepActiveElement } from '../drilldown-panel/drilldown-panel.component.js';
import type UsageDrilldownPanel from '../drilldown-panel/drilldown-panel.component.js';
import { isPanelDetail } from '../drilldown-panel/drilldown-panel.data.js';
import '../drilldown-panel/drilldown-panel.js';
import '../filter-bar/filter-bar.js';
import { MultiSelect } from '../filter-bar/multi-select.js';
import '../kpi-cards/kpi-cards.js';
import type UsageProvider from '../provider/provider.component.js';
import '../provider/provider.js';
import type UsageActionCreateSegment from '../action-create-segment/action-create-segment.component.js';
import type { UsageRequestSaveSegmentEvent } from '../../events/usage-request-save-segment.js';
import type { UsageSavedSegmentsChangeEvent } from '../provider/saved-segments.js';
import type UsageActionCapacityAlert from '../action-capacity-alert/action-capacity-alert.component.js';
import type { UsageRequestCapacityAlertEvent } from '../../events/usage-request-capacity-alert.js';
import './agent-detail.js';
import { CHART_SLOTS, isValidTag, type ChartSlot } from './chart-slots.js';
import { LinkStateController } from './link-state.js';
import { COMPARE_FIELDS, COMPARE_LABELS, agentOf, comparedKeys, departmentOf, describeLevel, levelContext, sameLevel } from './level.js';
import styles from './analytics.styles.js';
import { renderSkipLinks, skipLinkStyles, type SkipTarget } from './skip-links.js';

/**
 * The action dialogs (A2.1–A2.6, with their zod schemas) are registered only for a tab with an
 * `actions` client, from a lazy chunk, so a tab without one does not load them before its first
 * paint (the one-script embed's budget). Importing the package's index registers them at once.
 */
const loadActionDialogs = (): Promise<unknown> => import('./action-dialogs.js');

/**
 * @summary The Usage Analytics tab: a `<usage-provider>` with the filter bar, the KPI cards and a
 * responsive grid of the chart elements that are registered, at three levels — fleet (default),
 * a filtered subset with a comparison (departments, agent versions, environments, intents,
 * providers; up to 5), and one agent's detail. Filters and level live in the URL (`?t=7d&d=…&level=…`),
 * so a link reproduces the view and Back restores the previous one. Selected saved segments (A2.3)
 * are in the URL by id (`ss=…`) and resolved once the actions service has listed them (an id it
 * does not list is dropped with a console warning). A link is checked against the
 * snapshot before anything is shown (with the dimensions the snapshot ships for first paint):
 * values it lacks, an unknown agent (the fleet is shown) and a range far from the data are cleaned
 * once, the URL is rewritten to the clean state, and one short notice says what was changed.
 *
 * A `usage-drilldown` from inside is handled here unless a listener calls `preventDefault()` on it
 * (the event must be cancelable for that): `agent` opens Level 3; `department`, `intent` and
 * `intent-cell` narrow the filters; `time-bucket`, `segment`, `cohort-cell` and `user` open the
 * `<usage-drilldown-panel>` dialog (the bucket's requests, the users with "Save as segment", the
 * user's journey). Focus returns to the clicked element when the dialog closes.
 *
 * @slot charts - Chart elements composed by the host; they join the grid and read the shared filters.
 *
 * @fires usage-level-change - The level changed: `{level}` (`fleet`, `compare` with `by`/`values`, or `agent` with `agentId`).
 * @fires usage-filter-change - Bubbles out from the filter bar (the provider inside has applied it).
 * @fires usage-load-progress - Bubbles out from the provider.
 * @fires usage-request-save-segment - Bubbles out from the drill-down panel's "Save as segment" (without an `actions` client, or a role that may not create segments; with one the tab opens A2.3's builder prefilled instead).
 * @fires usage-request-capacity-alert - Bubbles out from 2.13's "Configure alert" when the tab has no `actions` client (with one, the tab opens `<usage-action-capacity-alert>` prefilled from it instead).
 *
 * @csspart base - The tab's wrapper.
 * @csspart header - The level row (breadcrumb, level, back button, compare picker).
 * @csspart breadcrumb - The breadcrumb `<nav>` (Fleet › compare › agent).
 * @csspart level - The current level's name (`role="status"`; the whole name in its tooltip).
 * @csspart level-hint - A hint under the level row (e.g. how to leave the comparison).
 * @csspart back-button - Goes back to the level the view was opened from.
 * @csspart compare-select - The "Compare by" picker (department, version, …).
 * @csspart notice - What of the link was ignored or adjusted (one or two lines; the whole text in its tooltip).
 * @csspart dismiss-button - Closes the notice.
 * @csspart link-status - "Opening the view from the link…" while a link is checked against the snapshot.
 * @csspart filter-bar - The `<usage-filter-bar>`.
 * @csspart kpis - The `<usage-kpi-cards>`.
 * @csspart compare - The comparison panel (one KPI row per compared key, or the version table).
 * @csspart skip-links - The "Skip to …" links at the top (visually hidden until focused; one Tab stop, arrow keys between them).
 * @csspart skip-link - One skip link.
 * @csspart charts - The charts' section (with a visually hidden "Charts" heading, level 2); skip-link target.
 * @csspart grid - The chart grid.
 * @csspart chart-slot - One chart's cell in the grid.
 * @csspart chart - A chart element in the grid.
 * @csspart agent-detail - The `<usage-agent-detail>` at Level 3.
 * @csspart agent-actions - The row of action buttons at Level 3 (with an `actions` client): promote, quota, deprecate.
 * @csspart tab-actions - The header's actions on the users in view (with an `actions` client): create segment (from the filters), export users.
 * @csspart drilldown-panel - The `<usage-drilldown-panel>` dialog.
 * @csspart capacity-alert - The `<usage-action-capacity-alert>` dialog opened from a capacity gauge (with an `actions` client).
 *
 * @cssproperty --usage-analytics-gap - Gap between the tab's sections and grid cells (default 1rem).
 * @cssproperty --usage-analytics-columns-wide - Grid columns on wide screens (default 2).
 * @cssproperty --usage-analytics-name-max-width - Widest a name is printed in the breadcrumb and the version table before it is cut with an ellipsis (default 40ch).
 * @cssproperty --usage-analytics-skip-link-background - Background of a focused skip link (default the surface colour).
 * @cssproperty --usage-analytics-skip-link-colour - Text and outline colour of a focused skip link (default the accent colour).
 */
export default class UsageAnalytics extends UsageElement {
  static override styles = [styles, skipLinkStyles];

  /** URL of the snapshot's `manifest.json`. */
  @property() src?: string;

  /** URL of the folder with the DuckDB-WASM bundles. */
  @property({ attribute: 'bundle-base' }) bundleBase?: string;

  /** DuckDB-WASM's multi-threaded build when the page is cross-origin isolated (see `<usage-provider threads>`). */
  @property({ type: Boolean }) threads = false;

  /** `light`, `dark` or `auto`; unset inherits the page's tokens. */
  @property({ reflect: true }) theme?: 'light' | 'dark' | 'auto';

  /** BCP 47 locale of every chart in the tab (and slotted ones); unset: the nearest `lang`, else the browser's (see `<usage-provider locale>`). */
  @property() locale?: string;

  /** IANA time zone of days and hours in every chart (`local` = the browser's; default UTC; see `<usage-provider time-zone>`). */
  @property({ attribute: 'time-zone' }) timeZone?: string;

  /** A data client opened elsewhere (passed to the provider instead of `src`). */
  @property({ attribute: false }) client?: UsageDataClient;

  /**
   * The actions service (`ActionsClient`): with it, Level 3 shows the agent's actions (A2.2 deprecate, …)
   * to the roles that may perform them. Without it the tab only shows usage.
   */
  @property({ attribute: false }) actions?: ActionsClient;

  /** Do not read or write the URL (by default the filters and level live in the query string). */
  @property({ type: Boolean, attribute: 'no-url-state' }) noUrlState = false;

  /** The shared filters (the URL's when it has any). Changing them here applies them to the tab. */
  @property({ attribute: false }) filters: UsageFilters = defaultFilters();

  /** The level shown (provided to the charts through `levelContext`). */
  @provide({ context: levelContext })
  @property({ attribute: false })
  level: UsageLevel = FLEET;

  /** The charts the tab lays out, in order; each appears once its tag is registered. */
  @property({ attribute: false }) charts: readonly ChartSlot[] = CHART_SLOTS;

  /** The provider's client, tracked from its progress events (the tab sits above its context). */
  @state() private dataClient?: UsageDataClient;

  @query('usage-provider') private provider?: UsageProvider;
  @query('usage-drilldown-panel') private panel?: UsageDrilldownPanel;
  @query('usage-action-capacity-alert') private capacityAlert?: UsageActionCapacityAlert;

  /** Where Back from the agent detail returns to. */
  private returnLevel: UsageLevel = FLEET;
  private readonly derived = new Map<string, { base: UsageFilters; value: UsageFilters }>();
  private readonly versionSelect = new MultiSelect(this, 'versions');
  private readonly waiting = new Set<string>();

  /** Saved-segment ids from the URL, waiting for the actions service's list. */
  private pendingSavedIds: string[] = [];
  private dataReady = false;
  /** The provider's saved segments, once loaded (or failed). */
  private savedList?: { state: 'ready' | 'error'; segments: SavedSegmentFilter[] };

  /** Filters and level in the URL, a link checked against the snapshot before it is shown. */
  private readonly link = new LinkStateController(this, {
    enabled: () => !this.noUrlState,
    current: () => ({ filters: this.filters, level: this.level }),
    show: (state, cause) => this.show(state, cause),
    savedSegmentIds: (ids) => (this.pendingSavedIds = ids),
    pendingSavedIds: () => this.pendingSavedIds,
  });

  /** Agent versions by calls in the filtered window, for the version comparison. */
  private readonly versionsTask = new Task(this, {
    args: () => [this.level.kind === 'compare' && this.level.by === 'agent_version' ? this.dataClient : undefined, this.filters] as const,
    task: async ([client, filters], { signal }) =>
      client ? client.run(callsOverTime, filters, { by: 'agent_version' }, { channel: 'usage-analytics-versions', signal }) : initialState,
  });

  constructor() {
    super();
    // Charts slotted into the tab ask for their contexts before the tab has rendered its provider:
    // a ContextRoot keeps those requests and replays them once the provider connects.
    new ContextRoot().attach(this);
    this.addEventListener('usage-filter-change', this.onFilterChange);
    this.addEventListener('usage-drilldown', this.onDrilldown);
    this.addEventListener('usage-level-change', this.onLevelRequest);
    this.addEventListener('usage-load-progress', this.onLoadProgress);
    this.addEventListener('usage-snapshot-update', this.onLoadProgress);
    this.addEventListener('usage-request-save-segment', this.onSaveSegment);
    this.addEventListener('usage-request-capacity-alert', this.onCapacityAlert);
    this.addEventListener('usage-saved-segments-change', this.onSavedSegments);
  }

  /** "Save as segment" with an actions client: A2.3's builder opens prefilled (the event stops here). */
  private onSaveSegment = (e: UsageRequestSaveSegmentEvent): void => {
    const dialog = this.renderRoot.querySelector<UsageActionCreateSegment>('usage-action-create-segment');
    if (!this.actions || !dialog || !customElements.get(dialog.localName) || dialog.allowed === false) return; // (not yet registered: as without actions)
    e.stopPropagation();
    const { name, filters, userIds, requests } = e.detail;
    dialog.showFromFilters(filters, { name, userIds, requests });
  };

  /** Goes to a level (pushes a history entry unless `history` is `replace`). */
  setLevel(level: UsageLevel, history: 'push' | 'replace' = 'push'): void {
    if (sameLevel(level, this.level)) return;
    if (level.kind === 'agent' && this.level.kind !== 'agent') this.returnLevel = this.level;
    this.level = level;
    this.emit('usage-level-change', { detail: { level: structuredClone(level) } });
    if (history === 'push') this.link.push({ filters: this.filters, level });
    else this.link.replace({ filters: this.filters, level });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('charts')) this.watchCharts();
    if (changed.has('actions') && this.actions) void loadActionDialogs();
  }

  protected override updated(): void {
    // A version comparison without versions starts with the two most used ones.
    const level = this.level;
    const keys = this.versionsTask.value?.keys;
    const checked = keys && this.link.versionsKnown(level, keys);
    if (checked) return this.setLevel(checked, 'replace');
    if (level.kind === 'compare' && level.by === 'agent_version' && !level.values?.length && keys?.length) {
      this.setLevel({ ...level, values: keys.slice(0, 2) }, 'replace');
    }
  }

  override render() {
    const level = this.level;
    return html`
      <usage-provider
        src=${ifDefined(this.src)}
        bundle-base=${ifDefined(this.bundleBase)}
        ?threads=${this.threads}
        theme=${ifDefined(this.theme)}
        .locale=${this.locale}
        .timeZone=${this.timeZone}
        .client=${this.client}
        .actions=${this.actions}
        .filters=${this.filters}
      >
        <div part="base" class="tab">
          ${
            this.link.pending
              ? // Host charts keep their place under the provider (and its context), hidden until the link is checked.
                html`<p part="link-status" class="link-status" role="status">Opening the view from the link…</p>
                  <div hidden><slot name="charts"></slot></div>`
              : html`${level.kind === 'agent' ? nothing : this.renderSkipLinks()} ${this.renderHeader()} ${this.renderNotice()}
                  <div id="skip-filters" data-skip-target tabindex="-1" role="region" aria-label="Filters">
                    <usage-filter-bar part="filter-bar"></usage-filter-bar>
                  </div>
                  ${level.kind === 'agent' ? this.renderAgent(level.agentId) : this.renderFleet()}`
          }
        </div>
        <usage-drilldown-panel part="drilldown-panel"></usage-drilldown-panel>
        ${this.actions ? html`<usage-action-capacity-alert part="capacity-alert" hide-trigger></usage-action-capacity-alert>` : nothing}
      </usage-provider>
    `;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.versionsTask];
  }

  /**
   * Re-reads the theme tokens in every chart of the tab (and the charts slotted into it); call it
   * after overriding `--usage-cat-*` in a stylesheet (OS, class, attribute and inline-style changes
   * are followed by themselves). Returns whether any chart's palette changed.
   */
  refreshTheme(): boolean {
    let changed = false;
    for (const el of [...this.renderRoot.querySelectorAll('*'), ...this.querySelectorAll('*')])
      if (el instanceof UsageChartElement && el.refreshTheme()) changed = true;
    return changed;
  }

  /**
   * Resolves once the tab shows the answer for the current filters and level: its own tasks and
   * those of every element inside (KPI cards, charts, agent detail, filter bar) have settled.
   */
  override async settled(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      await this.link.checked;
      await super.settled();
      const inner = [...this.renderRoot.querySelectorAll('*')].filter(
        (el): el is UsageElement => el instanceof UsageElement && el.localName !== 'usage-provider',
      );
      await Promise.all(inner.map((el) => el.settled()));
      const busy = inner.some((el) => el.isPending()) || this.isPending() || !!this.link.pending;
      if (!busy) return;
    }
  }

  // ---- header -----------------------------------------------------------------------------

  private renderHeader(): TemplateResult {
    const level = this.level;
    const d = describeLevel(level, this.filters);
    const via = level.kind === 'agent' ? this.returnLevel : level;
    // Long names (a 10,000-character agent id) are cut to one line with an ellipsis; the whole text stays in the DOM and the tooltip.
    const crumb = (label: unknown, full: string, target: UsageLevel | undefined) =>
      target
        ? html`<li><button type="button" class="crumb" title=${full} @click=${() => this.setLevel(target)}>${label}</button></li>`
        : html`<li><span class="crumb" aria-current="page" title=${full}>${label}</span></li>`;
    return html`
      <div part="header" class="header">
        <nav part="breadcrumb" aria-label="Breadcrumb">
          <ol class="crumbs">
            ${crumb('Fleet', 'Fleet', level.kind === 'fleet' ? undefined : FLEET)}
            ${via.kind === 'compare' ? crumb(`Compare ${COMPARE_LABELS[via.by].toLowerCase()}`, `Compare ${COMPARE_LABELS[via.by].toLowerCase()}`, level.kind === 'compare' ? undefined : via) : nothing}
            ${level.kind === 'agent' ? crumb(html`Agent <bdi>${level.agentId}</bdi>`, `Agent ${level.agentId}`, undefined) : nothing}
          </ol>
        </nav>
        <div class="level-row">
          <p part="level" class="level" role="status" title=${d.title}>
            <span class="badge">Level ${d.number}</span> <bdi class="level-title">${d.title}</bdi>
          </p>
          ${
            level.kind === 'agent'
              ? html`<button part="back-button" type="button" class="back" @click=${() => this.setLevel(this.returnLevel)}>
                  <span aria-hidden="true">←</span> Back to ${this.returnLevel.kind === 'compare' ? 'the comparison' : 'the fleet'}
                </button>`
              : this.renderCompareSelect()
          }
          ${
            this.actions
              ? html`<div part="tab-actions" class="tab-actions" role="group" aria-label="Actions on these users">
                  <usage-action-create-segment use-filters trigger-label="Create segment…"></usage-action-create-segment>
                  <usage-action-export-users></usage-action-export-users>
                </div>`
              : nothing
          }
        </div>
        ${d.hint ? html`<p part="level-hint" class="hint">${d.hint}</p>` : nothing}
      </div>
    `;
  }

  private renderCompareSelect(): TemplateResult {
    const by = this.level.kind === 'compare' ? this.level.by : '';
    return html`
      <label class="compare-label">
        <span>Compare</span>
        <select part="compare-select" @change=${this.onCompareChange}>
          <option value="" ?selected=${by === ''}>Nothing (fleet view)</option>
          ${COMPARE_DIMENSIONS.map((d) => html`<option value=${d} ?selected=${by === d}>${COMPARE_LABELS[d]}</option>`)}
        </select>
      </label>
    `;
  }

  /** One notice for the whole link, one or two lines however many values it dropped (5,000 departments: a count and the first few). */
  private renderNotice() {
    const problems = this.link.problems;
    if (!problems.length) return nothing;
    const text = `Parts of the link were ignored or adjusted: ${summarizeProblems(problems)}.`;
    return html`
      <div part="notice" class="notice" role="status">
        <p class="notice-text" title=${text}>${text}</p>
        <button part="dismiss-button" type="button" @click=${() => this.link.dismiss()}>Dismiss</button>
      </div>
    `;
  }

  // ---- levels -----------------------------------------------------------------------------

  private renderFleet(): TemplateResult {
    return html`
      <div id="skip-kpis" data-skip-target tabindex="-1" role="region" aria-label="Key figures"><usage-kpi-cards part="kpis"></usage-kpi-cards></div>
      ${this.level.kind === 'compare' ? this.renderCompare(this.level.by) : nothing}
      <section part="charts" class="charts" id="skip-charts" data-skip-target tabindex="-1" aria-labelledby="charts-title">
        <h2 id="charts-title" class="visually-hidden">Charts</h2>
        <div part="grid" class="grid">${this.renderCharts()}<slot name="charts"></slot></div>
      </section>
    `;
  }

  /** "Skip to …" links (filters, key figures, charts, each chart): one Tab stop, arrow keys between them (skip-links.ts). */
  private renderSkipLinks(): TemplateResult {
    const charts = this.charts.filter((c) => isValidTag(c.tag) && customElements.get(c.tag));
    const targets: SkipTarget[] = [
      { id: 'skip-filters', label: 'filters' },
      { id: 'skip-kpis', label: 'key figures' },
      { id: 'skip-charts', label: 'charts' },
      ...charts.map((c) => ({ id: `skip-chart-${c.id}`, label: c.title })),
    ];
    return renderSkipLinks(() => this.renderRoot, targets);
  }

  private renderCompare(by: CompareDimension): TemplateResult {
    const keys = comparedKeys(this.level, this.filters);
    const field = COMPARE_FIELDS[by];
    return html`
      <section part="compare" class="compare" aria-labelledby="compare-title">
        <h2 id="compare-title" class="section-title">Comparison: ${COMPARE_LABELS[by].toLowerCase()}</h2>
        ${
          field
            ? keys.map(
                (key) => html`
                  <div class="compare-row">
                    <h3 class="compare-key" title=${key}><bdi>${key}</bdi></h3>
                    <usage-kpi-cards .filters=${this.derive(`${field}:${key}`, { [field]: [key] })} label=${`KPIs: ${key}`}></usage-kpi-cards>
                  </div>
                `,
              )
            : this.renderVersions(keys)
        }
      </section>
    `;
  }

  private renderVersions(keys: string[]): TemplateResult {
    const result = this.versionsTask.value;
    const totals = new Map<string, number>();
    for (const p of result?.points ?? []) for (const [k, v] of Object.entries(p.values)) totals.set(k, (totals.get(k) ?? 0) + v);
    const nf = new Intl.NumberFormat('en-US');
    const pct = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });
    const level = this.level as Extract<UsageLevel, { kind: 'compare' }>;
    return html`
      <div class="versions">
        ${this.versionSelect.render({
          label: 'Versions',
          options: result?.keys,
          selected: keys,
          format: (v) => v,
          onChange: (next) => this.setLevel({ ...level, values: next.slice(0, MAX_COMPARED) }),
        })}
        ${
          keys.length && result
            ? html`<table class="version-table">
                <caption>
                  API calls per agent version in the selected period
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Version</th>
                    <th scope="col">Calls</th>
                    <th scope="col">Share</th>
                  </tr>
                </thead>
                <tbody>
                  ${keys.map(
                    (k) =>
                      html`<tr>
                        <th scope="row" title=${k}><bdi>${k}</bdi></th>
                        <td>${nf.format(totals.get(k) ?? 0)}</td>
                        <td>${pct.format(result.total ? (totals.get(k) ?? 0) / result.total : 0)}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : nothing
        }
      </div>
    `;
  }

  private renderAgent(agentId: string): TemplateResult {
    const agentFilters = this.derive(`agent:${agentId}`, { agentIds: [agentId], agentStatuses: [] });
    // PRD Level 3: the agent's request log and API clients (the detail), its users, adoption and
    // retention, and when and how much it is used. Each chart shows only once its tag is registered.
    const charts: [tag: string, key: string, chart: TemplateResult][] = [
      [
        'usage-top-users',
        'agent-users',
        html`<usage-top-users
          part="chart"
          .filters=${agentFilters}
          heading="Top users of this agent"
          description="Who uses this agent most; open a user for their journey."
        ></usage-top-users>`,
      ],
      [
        'usage-adoption-curve',
        'agent-adoption',
        html`<usage-adoption-curve
          part="chart"
          agent-id=${agentId}
          heading="Adoption by version"
          description="Cumulative users of each version of this agent since its launch, against past successful launches, with a forecast."
        ></usage-adoption-curve>`,
      ],
      [
        'usage-retention-cohorts',
        'agent-retention',
        html`<usage-retention-cohorts
          part="chart"
          .filters=${agentFilters}
          heading="Retention of this agent's users"
          description="Share of each monthly cohort of this agent's new users still using it in the months after."
        ></usage-retention-cohorts>`,
      ],
      [
        'usage-calls-per-user',
        'agent-calls-per-user',
        html`<usage-calls-per-user
          part="chart"
          .filters=${agentFilters}
          heading="Calls per user of this agent"
          description="How many calls each of this agent's users made in the period, the outliers, and who is using it less."
        ></usage-calls-per-user>`,
      ],
      [
        'usage-forecast',
        'agent-forecast',
        html`<usage-forecast
          part="chart"
          scope="agent"
          scope-key=${agentId}
          fixed-scope
          heading="Forecast for this agent"
          description="This agent's daily requests for the next 30, 60 or 90 days with 80 % and 95 % bands, and how its past forecasts did."
        ></usage-forecast>`,
      ],
      [
        'usage-time-heatmap',
        'agent-time-heatmap',
        html`<usage-time-heatmap
          part="chart"
          .filters=${agentFilters}
          heading="When this agent is used"
          description="Average calls per hour of this agent by weekday and hour, its maintenance windows and its quietest hours."
        ></usage-time-heatmap>`,
      ],
      [
        'usage-journey-sankey',
        'agent-journeys',
        html`<usage-journey-sankey
          part="chart"
          .filters=${agentFilters}
          anchor-agent=${agentId}
          anchor-mode="start"
          heading="Where users go after this agent"
          description="Sessions through this agent, aligned on their first visit to it: the agents they go to next, step by step, and where they leave."
        ></usage-journey-sankey>`,
      ],
      [
        'usage-dependency-graph',
        'agent-dependencies',
        html`<usage-dependency-graph
          part="chart"
          .filters=${agentFilters}
          focus-agent=${agentId}
          heading="Who this agent calls and who calls it"
          description="This agent's callers and callees: size = requests, edge width = calls, dashed edges are on a cycle."
        ></usage-dependency-graph>`,
      ],
      [
        'usage-geo-map',
        'agent-geo',
        html`<usage-geo-map
          part="chart"
          .filters=${agentFilters}
          heading="Where this agent is used"
          description="This agent's requests or unique users by country and city, and the share without a known location."
        ></usage-geo-map>`,
      ],
    ];
    return html`
      ${
        this.actions
          ? html`<div part="agent-actions" class="agent-actions" role="group" aria-label=${`Actions on agent ${agentId}`}>
              <usage-action-promote-agent agent-id=${agentId}></usage-action-promote-agent>
              <usage-action-request-quota agent-id=${agentId}></usage-action-request-quota>
              <usage-action-deprecate-agent agent-id=${agentId}></usage-action-deprecate-agent>
            </div>`
          : nothing
      }
      <usage-kpi-cards part="kpis" .filters=${agentFilters} label=${`KPIs for agent ${agentId}`}></usage-kpi-cards>
      <usage-agent-detail part="agent-detail" agent-id=${agentId}></usage-agent-detail>
      <div part="grid" class="grid agent-charts">
        ${charts
          .filter(([tag]) => customElements.get(tag) !== undefined)
          .map(([, key, chart]) => html`<div part="chart-slot" class="slot wide" data-chart=${key}>${chart}</div>`)}
      </div>
    `;
  }

  private renderCharts() {
    return this.charts
      .filter((c) => isValidTag(c.tag) && customElements.get(c.tag))
      .map((c) => {
        const tag = unsafeStatic(c.tag);
        return staticHtml`<div part="chart-slot" class=${c.wide ? 'slot wide' : 'slot'} data-chart=${c.id} id=${`skip-chart-${c.id}`} data-skip-target tabindex="-1" role="group" aria-label=${c.title}><${tag} part="chart"></${tag}></div>`;
      });
  }

  /** The shared filters with `override` applied, kept stable while the filters are (so queries do not rerun). */
  private derive(key: string, override: Partial<UsageFilters>): UsageFilters {
    const hit = this.derived.get(key);
    if (hit && hit.base === this.filters) return hit.value;
    const value = { ...this.filters, ...override };
    this.derived.set(key, { base: this.filters, value });
    return value;
  }

  /** Re-renders when a chart tag that is not registered yet gets defined. */
  private watchCharts(): void {
    for (const { tag } of this.charts) {
      if (!isValidTag(tag) || customElements.get(tag) || this.waiting.has(tag)) continue;
      this.waiting.add(tag);
      void customElements.whenDefined(tag).then(() => this.requestUpdate());
    }
  }

  // ---- events -----------------------------------------------------------------------------

  /** A filter changed inside: the provider has applied it; mirror it and record it in the URL. */
  private onFilterChange = (_e: UsageFilterChangeEvent): void => {
    const applied = this.provider?.filters;
    if (!applied || applied === this.filters) return;
    this.filters = applied;
    this.link.push({ filters: applied, level: this.level });
  };

  /** The single dispatch point of drill-downs, run after every listener had its chance to veto. */
  private onDrilldown = (e: UsageDrilldownEvent): void => {
    const opener = deepActiveElement();
    queueMicrotask(() => {
      if (!e.defaultPrevented) this.openDrilldown(e.detail, opener);
    });
  };

  /** Handles a drill-down nobody prevented (see the class summary); `opener` gets focus back when a dialog closes. */
  private openDrilldown(detail: unknown, opener: HTMLElement | null = null): void {
    const agentId = agentOf(detail);
    if (agentId) {
      this.panel?.close();
      return this.setLevel({ kind: 'agent', agentId });
    }
    const department = departmentOf(detail);
    if (department) return this.requestFilters({ departments: [department] });
    const d = detail as { kind?: unknown; intent?: unknown; department?: unknown } | null;
    if (d?.kind === 'intent' && typeof d.intent === 'string' && d.intent) return this.requestFilters({ intents: [d.intent] });
    if (d?.kind === 'intent-cell' && typeof d.intent === 'string' && d.intent && typeof d.department === 'string' && d.department) {
      return this.requestFilters({ departments: [d.department], intents: [d.intent] });
    }
    if (isPanelDetail(detail)) return this.panel?.show(detail, opener);
    // kpi and the other kinds: left to the host.
  }

  /** 2.13's "Configure alert": with an actions client, the A2.5 dialog opens prefilled (focus returns to the button); without one the event goes on to the host. */
  private onCapacityAlert = (e: UsageRequestCapacityAlertEvent): void => {
    const dialog = this.capacityAlert;
    if (!this.actions || !dialog || !customElements.get(dialog.localName)) return;
    e.stopPropagation();
    const opener = deepActiveElement();
    dialog.prefill = structuredClone(e.detail);
    dialog.show(opener);
  };

  /** A child asks for a level (the filter bar's compare hint): apply it and announce it from the tab. */
  private onLevelRequest = (e: UsageLevelChangeEvent): void => {
    if (e.composedPath()[0] === this) return;
    e.stopPropagation();
    this.setLevel(e.detail.level);
  };

  private onLoadProgress = (e: UsageLoadProgressEvent | Event): void => {
    const first = !this.dataClient;
    this.dataClient = this.provider?.dataClient;
    const client = this.dataClient;
    const ready = e.type === 'usage-snapshot-update' || (e as UsageLoadProgressEvent).detail?.phase === 'ready';
    this.link.clientChanged(client, ready);
    if (ready && !this.dataReady) {
      this.dataReady = true;
      if (this.pendingSavedIds.length && !this.actions) {
        this.filters = this.resolveSaved(this.filters);
        this.link.replace({ filters: this.filters, level: this.level });
      }
    }
    // The whole tab painted with numbers (from precomputed rows or queries), once per page.
    if (first && client) void this.settled().then(() => markOnce('usage:tab-painted'));
  };

  private onCompareChange = (e: Event): void => {
    const by = (e.target as HTMLSelectElement).value as CompareDimension | '';
    if (!by) return this.setLevel(FLEET);
    if (by === 'environment' && this.filters.environments.length < 2) {
      this.requestFilters({ environments: ['production', 'staging'] });
      return this.setLevel({ kind: 'compare', by }, 'replace');
    }
    this.setLevel({ kind: 'compare', by });
  };

  /** Changes the shared filters through the provider, as the filter bar does. */
  private requestFilters(filters: Partial<UsageFilters>): void {
    const from = this.renderRoot.querySelector('.tab') ?? this;
    from.dispatchEvent(new CustomEvent('usage-filter-change', { detail: { filters }, bubbles: true, composed: true }));
  }

  /** The saved segments were listed: the link's ids waiting for them are resolved, and the URL says what was kept. */
  private onSavedSegments = (e: UsageSavedSegmentsChangeEvent): void => {
    this.savedList = e.detail;
    if (!this.pendingSavedIds.length) return;
    this.filters = this.resolveSaved(this.filters);
    this.link.replace({ filters: this.filters, level: this.level });
  };

  /**
   * `filters` with the link's pending saved-segment ids resolved to the listed segments, once the
   * list is known (or known to be unavailable: no actions client, or it failed). Ids it lacks are
   * dropped with a console warning.
   */
  private resolveSaved(filters: UsageFilters): UsageFilters {
    const ids = this.pendingSavedIds;
    if (!ids.length) return filters;
    // Without an actions client (it may be set after the tab connects) the ids wait until the data is in.
    const list = this.actions ? this.savedList : this.dataReady ? { state: 'error' as const, segments: [] } : undefined;
    if (!list) return filters; // still loading
    this.pendingSavedIds = [];
    const found = ids.map((id) => list.segments.find((s) => s.id === id)).filter((s): s is SavedSegmentFilter => !!s);
    const unknown = ids.filter((id) => !found.some((s) => s.id === id));
    if (unknown.length) {
      const why = !this.actions
        ? 'there is no actions service'
        : list.state === 'error'
          ? 'the saved segments could not be loaded'
          : 'they are unknown or not shared with you';
      console.warn(`usage-analytics: the link's saved segments ${unknown.map((id) => JSON.stringify(id)).join(', ')} are ignored: ${why}.`);
    }
    const kept = (filters.savedSegments ?? []).filter((s) => !found.some((f) => f.id === s.id));
    return found.length ? { ...filters, savedSegments: [...kept, ...found] } : filters;
  }

  /** Shows a clean state from the URL: filters, level, and where Back from an agent returns to. */
  private show(state: UrlState, cause: 'load' | 'history'): void {
    const pending = this.pendingSavedIds.length > 0;
    this.filters = this.resolveSaved(state.filters);
    // Resolved at once (the list was in): the URL drops the ids that were not found.
    if (pending && !this.pendingSavedIds.length) queueMicrotask(() => this.link.replace({ filters: this.filters, level: this.level }));
    if (sameLevel(state.level, this.level)) return;
    if (state.level.kind === 'agent' && this.level.kind !== 'agent') this.returnLevel = this.level;
    this.level = state.level;
    if (cause === 'history') this.emit('usage-level-change', { detail: { level: structuredClone(state.level) } });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-analytics': UsageAnalytics;
  }
}
