import type { Task } from '@lit/task';
import { geography, type Geography } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  METRIC_LABELS,
  bubbleRadius,
  cityLabel,
  cityTooltip,
  colourScale,
  countryLabel,
  countryTooltip,
  emptyTooltip,
  formatters,
  geoColumns,
  geoView,
  keyboardOrder,
  legendItems,
  placeDrilldown,
  placeName,
  tableRows,
  valueOf,
  type CityRow,
  type CountryRow,
  type GeoMetric,
  type GeoProjectionKind,
  type GeoRow,
  type GeoView,
} from './geo-map.data.js';
import { geoMapChart, type GeoMapLayout, type GeoTarget } from './geo-map.draw.js';
import styles from './geo-map.styles.js';
import { hasOutline } from './world.js';
import { rovingFocus } from '../../internal/roving-focus.js';

let ids = 0;

/** Largest bubble radius (px at zoom 1). */
const MAX_BUBBLE = 14;

/**
 * @summary Chart 2.15 Geographic Usage Map: a world choropleth of requests or exact unique users per
 * country (metric toggle), with a bubble per city sized by its users (area ∝ users), in Mercator or
 * Robinson (projection toggle). Requests without a location are the "Unknown location" bucket beside
 * the map (requests, users, share), clickable like a country.
 *
 * Click a country (or press Enter on it) to zoom to it: its cities get labels and join the keyboard
 * order; click it again, "Users in …", or a city bubble to open the users there (`usage-drilldown`
 * of kind `geo`). "Back to world", Escape or Backspace zoom out. Drag pans; Ctrl/⌘ + wheel, pinch or
 * the + / − buttons zoom freely.
 *
 * Colour: six log-spaced classes of viridis (light = few, dark = many; see geo-map.data.ts for why
 * log), countries without data hatched grey. The world geometry (Natural Earth 1:110m, world-atlas)
 * is bundled with the element; nothing is fetched at run time.
 *
 * Keyboard: Tab reaches the map (one tab stop): the countries with data in order of the metric,
 * largest first; ArrowRight / ArrowDown next, ArrowLeft / ArrowUp previous, Home / End; Enter or
 * Space zoom in (zoomed: open the users of the country or city); Escape or Backspace back to world.
 *
 * Inside `<usage-provider>` it takes the client and filters from context; alone, set `client` and
 * `filters`. `filters-override` (property or JSON attribute) is merged over them.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'geo', country, countryName, region?, city?, stats, filters}`
 *   (a zoomed country, a city bubble, the Unknown bucket, a country or city cell of the table).
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart metric-toggle - The Requests / Unique users buttons (`aria-pressed`).
 * @csspart projection-toggle - The Mercator / Robinson buttons (`aria-pressed`).
 * @csspart zoom-bar - Where the map is, with the zoom and drill-down buttons.
 * @csspart back-button - "Back to world".
 * @csspart drill-button - "Users in …" of the zoomed country.
 * @csspart plot - The container of the map's `<svg>`.
 * @csspart svg - The map's `<svg>`.
 * @csspart unknown - The Unknown location bucket (a button).
 * @csspart legend - The colour classes, the no-data swatch and the bubble key.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-geo-height - Height of the map (default 420px; the `height` property overrides it).
 * @cssproperty --usage-geo-fullscreen-height - Height in fullscreen (default 70vh).
 * @cssproperty --usage-geo-ocean - Background of the map.
 * @cssproperty --usage-geo-sphere - The globe's outline fill (Robinson).
 * @cssproperty --usage-geo-border - Country borders.
 * @cssproperty --usage-geo-no-data - Countries without data.
 * @cssproperty --usage-geo-no-data-hatch - The hatch over countries without data.
 * @cssproperty --usage-geo-bubble - City bubbles.
 * @cssproperty --usage-geo-bubble-stroke - The outline of city bubbles.
 */
export default class UsageGeoMap extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'agentIds', 'intents', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = styles;

  /** What colours the countries: requests (default) or exact unique users. */
  @property({ reflect: true }) metric: GeoMetric = 'requests';

  /** Map projection: Mercator (default) or Robinson. */
  @property({ reflect: true }) projection: GeoProjectionKind = 'mercator';

  /** ISO alpha-2 code of the country the map is zoomed into ('' = the world). */
  @property({ reflect: true }) country = '';

  /** Height of the map in px (default: `--usage-geo-height`, 420px). */
  @property({ type: Number }) height?: number;

  /** Length of the zoom animation in ms (0 = none; reduced-motion users never get one). */
  @property({ type: Number, attribute: 'transition-ms' }) transitionMs = 600;

  /** Title of the frame. */
  @property() override heading = 'Geographic Usage';

  /** One-line purpose under the title. */
  @property() override description = 'Where requests come from: requests or unique users per country, users per city.';

  @state() private announcement = '';

  @query('.plot svg') private svg?: SVGSVGElement;

  private readonly uid = `usage-geo-${++ids}`;
  private readonly firstPaint = new FirstPaint(geography);
  private readonly painter = new PaintController(this);
  private readonly size = new ResizeController(this);
  private readonly tooltip = new TooltipController(this);
  private readonly columns = geoColumns(() => this.activeFilters);
  private drawn?: GeoMapLayout;
  /** Item key to focus after the next paint ('' = the first item). */
  private pendingFocus?: string;
  private viewMemo?: { data: Geography; view: GeoView };

  private readonly task = this.queryTask(geography);

  constructor() {
    super();
    this.painter.add({
      module: geoMapChart,
      svg: () => this.svg,
      args: () => {
        const view = this.view;
        return view && (view.countries.length || view.cities.length)
          ? ([view, this.metric, this.projection, this.zoomTarget, this.activeLocale] as const)
          : undefined;
      },
      size: () => [this.size.width, this.size.height],
      draw: ([view, metric, projection, zoom, locale], [width, height]) => {
        const f = formatters(locale);
        const scale = colourScale(view.countries.map((c) => valueOf(c, metric)));
        const radius = bubbleRadius(Math.max(0, ...view.cities.map((c) => c.users)), MAX_BUBBLE);
        const where = zoom ? (view.countries.find((c) => c.code === zoom)?.name ?? zoom) : 'the world';
        return {
          data: { countries: view.countries, cities: view.cities },
          options: {
            width,
            height,
            projection,
            zoom,
            colour: (r: CountryRow) => scale.colour(valueOf(r, metric)),
            radius: (c: CityRow) => radius(c.users),
            order: keyboardOrder(view.countries, metric).map((c) => c.code),
            describeCountry: (r: CountryRow) => countryLabel(r, f),
            describeCity: (c: CityRow) => cityLabel(c, f),
            label: `${this.heading}: map of ${where}, ${projection === 'robinson' ? 'Robinson' : 'Mercator'} projection, countries coloured by ${METRIC_LABELS[metric].toLowerCase()}, city bubbles sized by unique users`,
            transitionMs: this.transitionMs,
            onHover: this.onHover,
            onActivate: this.onActivate,
            onBack: this.back,
          },
        };
      },
      done: (layout) => {
        this.drawn = layout;
        const pending = this.pendingFocus;
        this.pendingFocus = undefined;
        if (pending !== undefined && layout.items.length) {
          const i = pending ? layout.items.findIndex((it) => itemKey(it.target) === pending) : 0;
          layout.setActive(Math.max(0, i), true);
        }
      },
    });
  }

  /** What the chart shows: the query's answer, else a precomputed first paint. */
  get data(): Geography | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The view model of {@link data} (countries with names and shares, the Unknown bucket, cities). */
  get view(): GeoView | undefined {
    const data = this.data;
    if (!data) return undefined;
    if (this.viewMemo?.data !== data) this.viewMemo = { data, view: geoView(data) };
    return this.viewMemo.view;
  }

  /** The layout of the last paint (keyboard items, projection, zoom), for tests and tools. */
  get layout(): GeoMapLayout | undefined {
    return this.drawn;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task];
  }

  /** The zoomed country when the data has it, else ''. */
  private get zoomTarget(): string {
    const c = this.country;
    return c && this.view?.countries.some((x) => x.code === c) ? c : '';
  }

  override render() {
    const view = this.view;
    const status = this.frameStatus(this.task, view, (v) => v.countries.length === 0 && !v.unknown);
    const ready = view !== undefined && status.state === 'ready';
    const f = formatters(this.activeLocale);
    const zoom = ready ? this.zoomTarget : '';
    const rows: GeoRow[] = ready ? tableRows(view, zoom) : [];
    return this.renderFrame(
      {
        status,
        emptyMessage: `No requests match these filters in the ${this.periodLabel}.`,
        rows,
        columns: this.columns,
        filename: 'geographic-usage',
        pngTarget: () => this.svg,
      },
      html`
        <span slot="actions" class="actions" role="group" aria-label="Colour by" part="metric-toggle">
          ${(['requests', 'users'] as const).map(
            (m) =>
              html`<button type="button" data-metric=${m} aria-pressed=${this.metric === m ? 'true' : 'false'} @click=${() => this.setMetric(m)}>
                ${METRIC_LABELS[m]}
              </button>`,
          )}
        </span>
        <span slot="actions" class="actions" role="group" aria-label="Projection" part="projection-toggle">
          ${(['mercator', 'robinson'] as const).map(
            (p) =>
              html`<button type="button" data-projection=${p} aria-pressed=${this.projection === p ? 'true' : 'false'} @click=${() => this.setProjection(p)}>
                ${p === 'mercator' ? 'Mercator' : 'Robinson'}
              </button>`,
          )}
        </span>
        ${ready ? this.renderZoomBar(view, zoom, f) : nothing}
        <div class="layout">
          <div class="plot-wrap">
            <div part="plot" class="plot" style=${this.height && this.height > 0 ? `height: ${this.height}px` : ''}>
              <svg part="svg" tabindex="-1" aria-describedby=${`${this.uid}-help`}></svg>
            </div>
            ${this.tooltip.render()}
          </div>
          ${ready ? this.renderSide(view, f) : nothing}
        </div>
        <p id=${`${this.uid}-help`} class="visually-hidden">
          Countries with data in order of ${METRIC_LABELS[this.metric].toLowerCase()}, largest first. Arrow keys move; Enter zooms into a country, and on a
          zoomed country or a city opens its users; Escape or Backspace goes back to the world. Drag to pan; Control and the mouse wheel zoom.
        </p>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend">${ready ? this.renderLegend(view, f) : nothing}</div>
      `,
    );
  }

  override updated(): void {
    this.size.observe(this.renderRoot.querySelector('.plot'));
  }

  private renderZoomBar(view: GeoView, zoom: string, f: ReturnType<typeof formatters>) {
    const row = zoom ? view.countries.find((c) => c.code === zoom) : undefined;
    const cities = zoom ? view.cities.filter((c) => c.country === zoom).length : 0;
    return html`<div part="zoom-bar" class="zoom-bar" role="toolbar" aria-label="Map zoom" ${rovingFocus()}>
      <span class="where"
        >${row ? html`<bdi>${row.name}</bdi> · ${f.count(cities)} ${cities === 1 ? 'city' : 'cities'}` : `World · ${f.count(view.countries.length)} countries`}</span
      >
      ${
        row
          ? html`<button type="button" class="chart-button" part="drill-button" @click=${() => this.drill({ kind: 'country', row })}>
                Users in <bdi>${row.name}</bdi>
              </button>
              <button type="button" class="chart-button" part="back-button" @click=${() => this.zoomTo('', true)}>Back to world</button>`
          : nothing
      }
      <button type="button" class="chart-button" aria-label="Zoom in" @click=${() => void this.drawn?.zoomBy(2)}>+</button>
      <button type="button" class="chart-button" aria-label="Zoom out" @click=${() => void this.drawn?.zoomBy(0.5)}>−</button>
      <button type="button" class="chart-button" @click=${() => void this.drawn?.reset()}>Reset view</button>
    </div>`;
  }

  private renderSide(view: GeoView, f: ReturnType<typeof formatters>) {
    const u = view.unknown;
    // Countries with data the map can place neither as an outline nor as a dot.
    const offMap = view.countries.filter((c) => !c.centre && !hasOutline(c.numeric));
    return html`<div class="side">
      <h3>Outside the map</h3>
      ${
        u
          ? html`<button type="button" part="unknown" class="place-button unknown" @click=${() => this.drill({ kind: 'country', row: u })}>
              <span class="unknown-swatch" aria-hidden="true"></span>
              <span><strong>Unknown location</strong> <span class="line">${this.placeFigures(u, f)}</span></span>
            </button>`
          : html`<p>Every request has a location.</p>`
      }
      ${offMap.map(
        (c) =>
          html`<button type="button" class="place-button off-map" @click=${() => this.drill({ kind: 'country', row: c })}>
            <span
              ><strong><bdi>${c.name}</bdi> (${c.code}, not on the map)</strong> <span class="line">${this.placeFigures(c, f)}</span></span
            >
          </button>`,
      )}
    </div>`;
  }

  private renderLegend(view: GeoView, f: ReturnType<typeof formatters>) {
    const scale = colourScale(view.countries.map((c) => valueOf(c, this.metric)));
    const items = legendItems(scale, f.count);
    const maxUsers = Math.max(0, ...view.cities.map((c) => c.users));
    const radius = bubbleRadius(maxUsers, MAX_BUBBLE);
    const small = Math.max(1, Math.round(maxUsers / 10));
    return html`<ul
      class="legend"
      aria-label=${`Colour: ${METRIC_LABELS[this.metric].toLowerCase()} per country (log-spaced classes); bubbles: unique users per city`}
    >
      <li><strong>${METRIC_LABELS[this.metric]} per country</strong></li>
      ${items.map((it) => html`<li><span class="swatch" style=${`background:${it.colour}`} aria-hidden="true"></span>${it.label}</li>`)}
      <li><span class="swatch no-data" aria-hidden="true"></span>No data</li>
      ${
        maxUsers > 0
          ? html`<li>
              <span class="bubble-key" aria-hidden="true" style=${`width:${2 * radius(small)}px;height:${2 * radius(small)}px`}></span>${f.count(small)}
              <span class="bubble-key" aria-hidden="true" style=${`width:${2 * radius(maxUsers)}px;height:${2 * radius(maxUsers)}px`}></span
              >${f.count(maxUsers)} users per city
            </li>`
          : nothing
      }
    </ul>`;
  }

  private placeFigures(c: CountryRow, f: ReturnType<typeof formatters>): string {
    return `${f.count(c.requests)} requests · ${f.count(c.users)} users · ${f.pct(c.share)} of requests · average latency ${f.ms(c.avgLatencyMs)}`;
  }

  /** Moves keyboard focus into the map (its active item). */
  override focus(options?: FocusOptions): void {
    const layout = this.drawn;
    const item = layout && layout.active >= 0 ? layout.items[layout.active] : undefined;
    if (item) (item.el as SVGElement & { focus(o?: FocusOptions): void }).focus(options);
    else super.focus(options);
  }

  /** Zooms to a country (alpha-2; '' = the world); `focus` moves keyboard focus into the map after the paint. */
  zoomTo(code: string, focus = false): void {
    const view = this.view;
    const previous = this.zoomTarget;
    const row = code ? view?.countries.find((c) => c.code === code) : undefined;
    this.tooltip.hide();
    this.country = row ? code : '';
    // Zooming in focuses the country (first item); zooming out the country we came from.
    if (focus) this.pendingFocus = row ? '' : previous ? `country:${previous}` : '';
    const cities = row ? (view?.cities.filter((c) => c.country === code).length ?? 0) : 0;
    this.announcement = row ? `Zoomed to ${row.name}: ${cities} ${cities === 1 ? 'city' : 'cities'}` : 'Showing the world';
  }

  private setMetric(m: GeoMetric): void {
    this.metric = m;
    this.announcement = `Colouring by ${METRIC_LABELS[m].toLowerCase()}`;
  }

  private setProjection(p: GeoProjectionKind): void {
    this.projection = p;
    this.announcement = `${p === 'robinson' ? 'Robinson' : 'Mercator'} projection`;
  }

  private readonly back = (): boolean => {
    if (!this.zoomTarget) return false;
    this.zoomTo('', true);
    return true;
  };

  private readonly onActivate = (t: GeoTarget): void => {
    const svg = this.svg;
    const hadFocus = !!svg && svg.contains((this.renderRoot as ShadowRoot).activeElement);
    if (t.kind === 'city') return this.drill(t);
    if (t.row.code === this.zoomTarget) return this.drill(t);
    this.zoomTo(t.row.code, hadFocus);
  };

  private readonly onHover = (t: GeoTarget | null, point: { x: number; y: number } | null, source: 'pointer' | 'focus', name?: string): void => {
    const f = formatters(this.activeLocale);
    if (!t || !point) {
      if (point && name) return this.tooltip.show(emptyTooltip(name), point);
      const focusInside = this.svg?.contains((this.renderRoot as ShadowRoot).activeElement);
      if (source === 'focus' || !focusInside) this.tooltip.hide();
      return;
    }
    this.tooltip.show(t.kind === 'country' ? countryTooltip(t.row, f) : cityTooltip(t.city, f), point);
    if (source === 'focus') this.announcement = t.kind === 'country' ? countryLabel(t.row, f) : cityLabel(t.city, f);
  };

  private drill(t: GeoTarget): void {
    const detail =
      t.kind === 'country'
        ? placeDrilldown(t.row, this.activeFilters)
        : placeDrilldown({ ...t.city, code: t.city.country, name: t.city.countryName }, this.activeFilters, { region: t.city.region, city: t.city.city });
    this.announcement = `Opening the users of ${t.kind === 'country' ? t.row.name : placeName(t.city)}`;
    this.emit('usage-drilldown', { detail, cancelable: true });
  }
}

const itemKey = (t: GeoTarget): string => (t.kind === 'country' ? `country:${t.row.code}` : `city:${t.city.key}`);

declare global {
  interface HTMLElementTagNameMap {
    'usage-geo-map': UsageGeoMap;
  }
}
