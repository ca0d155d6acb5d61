import type { Task } from '@lit/task';
import { agentHierarchy, gini, type Gini, type HierarchyNode } from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { PaintController } from '../../internal/paint-controller.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  agentDrilldown,
  departmentDrilldown,
  describeNode,
  tileName,
  distributionColumns,
  flatten,
  formatters,
  intensityScale,
  nameOf,
  nodeAt,
  nodeTooltip,
  nodesAlong,
  readingText,
  validPath,
  type DistributionRow,
} from './agent-distribution.data.js';
import styles from './agent-distribution.styles.js';
import { distributionChart, type DistributionKind, type DistributionLayout, type DrawnNode } from './distribution-chart.js';

let ids = 0;

/**
 * @summary Chart 2.6 Agent Distribution: how usage spreads over department → agent → intent, as a
 * treemap or a sunburst (toggle). Size = requests; colour = intensity, i.e. requests per user of the
 * tile (viridis, legend under the chart). Shares at every level sum to exactly 100.0 % (DA2.2). The
 * Gini coefficient of requests per agent and per user is read out in plain language ("the top 10 %
 * of agents (5 of 48) take 72.0 % of requests").
 *
 * Click a tile (or press Enter on it) to zoom into it; the breadcrumb, Backspace or Escape go back
 * up. Under a tile's zoom the department's agents fill the chart ("Dept agents view"); the bar under
 * the chart offers "Open department view" and "Open agent detail" for the selected tile.
 *
 * Keyboard: the chart holds one tab stop (an ARIA tree). ArrowDown / ArrowUp move between siblings,
 * ArrowRight to the first child, ArrowLeft to the parent, Home / End to the first / last sibling;
 * Enter or Space zoom in, Backspace or Escape zoom out. Focus shows the tooltip (requests, shares,
 * users, requests per user, cost, quality score) and announces it.
 *
 * Inside `<usage-provider>` it takes the client and filters from context; alone, set `client` and
 * `filters`. `filters-override` (property or JSON attribute) is merged over them.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'department', department, filters}` ("Open department
 *   view", a department cell of the table); `{kind: 'agent', agentId, filters}` ("Open agent detail",
 *   an agent cell of the table). Filters are the chart's, narrowed to the department or agent.
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart view-toggle - The Treemap / Sunburst buttons (`aria-pressed`).
 * @csspart breadcrumb - The zoom path (`<nav>`); each ancestor is a button.
 * @csspart crumb - A breadcrumb button.
 * @csspart plot - The container of the chart's `<svg>`.
 * @csspart svg - The chart's `<svg>` (an ARIA tree).
 * @csspart selection - The bar naming the selected tile, with its actions.
 * @csspart zoom-button - "Zoom in" on the selected tile.
 * @csspart department-button - "Open department view".
 * @csspart agent-button - "Open agent detail".
 * @csspart legend - The colour ramp.
 * @csspart reading - The Gini readings.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-distribution-height - Height of the chart (default 440px; the `height` property overrides it).
 * @cssproperty --usage-distribution-fullscreen-height - Height in fullscreen (default 70vh).
 */
export default class UsageAgentDistribution extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'agentIds', 'intents', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = styles;

  /** Treemap (default) or sunburst. */
  @property({ reflect: true }) view: DistributionKind = 'treemap';

  /** Keys from the top to the node the chart is zoomed into (`[]` = all departments; `[department, agentId]` = an agent). */
  @property({ attribute: false }) zoom: readonly string[] = [];

  /** Height of the chart in px (default: `--usage-distribution-height`, 440px; 70vh in fullscreen). */
  @property({ type: Number }) height?: number;

  /** Title of the frame. */
  @property() override heading = 'Agent Distribution';

  /** One-line purpose under the title. */
  @property() override description = 'How requests spread over departments, agents and intents, and how concentrated they are.';

  @state() private announcement = '';
  /** Absolute keys of the tile last focused or clicked (the selection bar's subject). */
  @state() private selected?: readonly string[];

  @query('.plot svg') private svg?: SVGSVGElement;

  private readonly uid = `usage-distribution-${++ids}`;
  private readonly firstPaint = new FirstPaint(agentHierarchy);
  private readonly painter = new PaintController(this);
  private readonly size = new ResizeController(this);
  private readonly tooltip = new TooltipController(this);
  private readonly columns = distributionColumns(() => this.activeFilters);
  private drawn?: DistributionLayout;
  /** Keys (below the zoom root) to focus after the next paint; `[]` = the first tile. */
  private pendingFocus?: readonly string[];
  private rowsMemo?: { data: HierarchyNode; zoom: string; rows: DistributionRow[] };

  private readonly task = this.queryTask(agentHierarchy);
  private readonly giniTask = this.queryTask(gini, { channel: '-gini', params: () => ({}) });

  constructor() {
    super();
    this.painter.add({
      module: distributionChart,
      svg: () => this.svg,
      args: () => {
        const data = this.data;
        return data && data.children.length ? ([data, this.zoomKey, this.view, this.activeLocale] as const) : undefined;
      },
      size: () => [this.size.width, this.size.height],
      draw: ([data, , kind, locale], [width, height]) => {
        const keys = validPath(data, this.zoom);
        const root = nodeAt(data, keys) ?? data;
        const f = formatters(locale);
        const ramp = intensityScale(data);
        return {
          data: { root },
          options: {
            kind,
            width,
            height,
            colour: ramp.colour,
            describe: (n: HierarchyNode) => tileName(n, f),
            detail: (n: HierarchyNode) => f.pct(n.share),
            label: `${this.heading}: ${kind} of ${root.level === 'root' ? 'all departments' : nameOf(root)}, size by requests, colour by requests per user`,
            onHover: this.onHover,
            onActivate: this.onActivate,
            onUp: this.up,
          },
        };
      },
      done: (layout) => {
        this.drawn = layout;
        const pending = this.pendingFocus;
        this.pendingFocus = undefined;
        if (pending) {
          const i = pending.length ? layout.find(pending) : (layout.top[0] ?? -1);
          if (i >= 0) layout.setActive(i, true);
        }
      },
    });
  }

  /** What the chart shows: the query's answer, else a precomputed first paint. */
  get data(): HierarchyNode | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, undefined));
  }

  /** The Gini coefficients and top-10 % shares (once their query answered). */
  get concentration(): Gini | undefined {
    return shown(this.giniTask, undefined);
  }

  /** The layout of the last paint (nodes with their geometry, keyboard position), for tests and tools. */
  get layout(): DistributionLayout | undefined {
    return this.drawn;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task, this.giniTask];
  }

  private get zoomKey(): string {
    return this.zoom.join('\u0000');
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.task, data, (d) => d.children.length === 0);
    const ready = data !== undefined && status.state === 'ready';
    const f = formatters(this.activeLocale);
    const keys = ready ? validPath(data, this.zoom) : [];
    return this.renderFrame(
      {
        status,
        emptyMessage: `No requests match these filters in the ${this.periodLabel}.`,
        rows: ready ? this.rows(data, keys) : [],
        columns: this.columns,
        filename: 'agent-distribution',
        pngTarget: () => this.svg,
      },
      html`
        <span slot="actions" class="actions" role="group" aria-label="Chart type" part="view-toggle">
          ${(['treemap', 'sunburst'] as const).map(
            (k) =>
              html`<button type="button" aria-pressed=${this.view === k ? 'true' : 'false'} @click=${() => this.setView(k)}>
                ${k === 'treemap' ? 'Treemap' : 'Sunburst'}
              </button>`,
          )}
        </span>
        ${ready ? this.renderBreadcrumb(data, keys) : nothing}
        <div class="plot-wrap">
          <div part="plot" class="plot" style=${this.height && this.height > 0 ? `height: ${this.height}px` : ''}>
            <svg part="svg" tabindex="-1" aria-describedby=${`${this.uid}-help`}></svg>
          </div>
          ${this.tooltip.render()}
        </div>
        <p id=${`${this.uid}-help`} class="visually-hidden">
          Arrow keys: down and up move between siblings, right to the first child, left to the parent. Enter zooms in; Backspace or Escape zooms out.
        </p>
        ${ready ? this.renderSelection(data, keys) : nothing}
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend" class="ramp">${ready ? this.renderRamp(data, f) : nothing}</div>
        <div slot="footer" part="reading" class="notes reading">${ready ? this.renderReading(f) : nothing}</div>
      `,
    );
  }

  /** A zoom path that the data no longer has (a filter changed) shrinks to what is left of it. */
  override willUpdate(): void {
    const data = this.data;
    if (data && this.zoom.length) {
      const valid = validPath(data, this.zoom);
      if (valid.length !== this.zoom.length) this.zoom = valid;
    }
  }

  override updated(): void {
    this.size.observe(this.renderRoot.querySelector('.plot'));
  }

  private renderBreadcrumb(data: HierarchyNode, keys: readonly string[]) {
    const along = nodesAlong(data, keys);
    const crumbs = [{ label: 'All departments', keys: [] as string[] }, ...along.map((n, i) => ({ label: nameOf(n), keys: keys.slice(0, i + 1) }))];
    return html`<nav part="breadcrumb" class="breadcrumb" aria-label="Zoom path">
      <ol>
        ${crumbs.map((c, i) =>
          i === crumbs.length - 1
            ? html`<li aria-current="location"><bdi>${c.label}</bdi></li>`
            : html`<li>
                <button type="button" part="crumb" class="crumb" @click=${() => this.zoomTo(c.keys, true)}><bdi>${c.label}</bdi></button>
              </li>`,
        )}
      </ol>
    </nav>`;
  }

  /** The selected tile (or, before any, the zoomed node) and what can be done with it. */
  private renderSelection(data: HierarchyNode, keys: readonly string[]) {
    const sel = this.selected && nodeAt(data, this.selected) ? this.selected : keys;
    const along = nodesAlong(data, sel);
    const node = along[along.length - 1];
    const dept = along.find((n) => n.level === 'department');
    const agent = along.find((n) => n.level === 'agent');
    if (!node) return html`<div part="selection" class="selection"></div>`;
    const canZoom = node.children.length > 0 && sel.length > keys.length;
    return html`<div part="selection" class="selection">
      <span class="selected">Selected: <bdi>${nameOf(node)}</bdi></span>
      ${canZoom ? html`<button type="button" class="chart-button" part="zoom-button" @click=${() => this.zoomTo(sel, true)}>Zoom in</button>` : nothing}
      ${
        dept
          ? html`<button type="button" class="chart-button" part="department-button" @click=${() => this.drillDepartment(dept.key)}>
              Open department view<span class="visually-hidden">: ${dept.key}</span>
            </button>`
          : nothing
      }
      ${
        agent
          ? html`<button type="button" class="chart-button" part="agent-button" @click=${() => this.drillAgent(agent.key)}>
              Open agent detail<span class="visually-hidden">: ${nameOf(agent)}</span>
            </button>`
          : nothing
      }
    </div>`;
  }

  private renderRamp(data: HierarchyNode, f: ReturnType<typeof formatters>) {
    const ramp = intensityScale(data);
    const stops = Array.from({ length: 9 }, (_, i) => ramp.sequential(ramp.sequential.domain()[1] * (i / 8))).join(', ');
    const max = f.ratio(ramp.max);
    return html`<span>Colour: requests per user</span>
      <span>0</span>
      <span
        class="ramp-bar"
        role="img"
        aria-label=${`Colour scale from 0 to ${max}${ramp.clamped ? ' or more' : ''} requests per user`}
        style=${`background: linear-gradient(to right, ${stops})`}
      ></span>
      <span>${ramp.clamped ? '≥ ' : ''}${max}</span>
      <span class="muted">Size: requests.</span>`;
  }

  private renderReading(f: ReturnType<typeof formatters>) {
    const g = this.concentration;
    if (!g) return html`<span class="muted">Measuring concentration…</span>`;
    const locale = this.activeLocale;
    return html`<span data-reading="agents">Agents — ${readingText(g.agents, 'agents', f, locale)}</span>
      <span data-reading="users">Users — ${readingText(g.users, 'users', f, locale)}</span>
      <span class="muted">Gini 0 = evenly spread, near 1 = one takes everything (idle agents count).</span>`;
  }

  private rows(data: HierarchyNode, keys: readonly string[]): DistributionRow[] {
    const zoom = keys.join('\u0000');
    const m = this.rowsMemo;
    if (m?.data === data && m.zoom === zoom) return m.rows;
    const rows = flatten(nodeAt(data, keys) ?? data, nodesAlong(data, keys));
    this.rowsMemo = { data, zoom, rows };
    return rows;
  }

  /** Moves keyboard focus into the chart (its active tile). */
  override focus(options?: FocusOptions): void {
    const layout = this.drawn;
    const node = layout && layout.active >= 0 ? layout.node(layout.active) : undefined;
    if (node) node.focus(options);
    else super.focus(options);
  }

  /** Zooms to `keys` (absolute); `focus` moves keyboard focus to the chart after the paint. */
  zoomTo(keys: readonly string[], focus = false): void {
    const data = this.data;
    const valid = data ? validPath(data, keys) : [...keys];
    const previous = this.zoom;
    this.tooltip.hide();
    this.zoom = valid;
    this.selected = valid.length ? valid : undefined;
    // Zooming out focuses the node we came from, zooming in the first tile.
    const cameFrom = previous.length > valid.length && previous.slice(0, valid.length).every((k, i) => k === valid[i]) ? [previous[valid.length]] : [];
    if (focus) this.pendingFocus = cameFrom;
    const node = data ? nodeAt(data, valid) : undefined;
    this.announcement = node ? `Zoomed to ${node.level === 'root' ? 'all departments' : nameOf(node)}: ${node.children.length} tiles` : '';
  }

  private setView(kind: DistributionKind): void {
    this.view = kind;
  }

  private readonly up = (): boolean => {
    if (!this.zoom.length) return false;
    this.zoomTo(this.zoom.slice(0, -1), true);
    return true;
  };

  private readonly onActivate = (n: DrawnNode): void => {
    const layout = this.drawn;
    if (!layout) return;
    // Zoom into the node when it has children, else into its parent (a leaf's context).
    const target = n.children.length ? n : n.parent >= 0 ? layout.nodes[n.parent] : undefined;
    const svg = this.svg;
    const hadFocus = !!svg && svg.contains((this.renderRoot as ShadowRoot).activeElement);
    if (!target) {
      this.selected = [...this.zoom, ...n.keys];
      this.announcement = `${nameOf(n.data)} has no level below.`;
      return;
    }
    this.zoomTo([...this.zoom, ...target.keys], hadFocus);
  };

  private readonly onHover = (n: DrawnNode | null, rect: DOMRectReadOnly | null, source: 'pointer' | 'focus'): void => {
    if (!n || !rect) {
      const focusInside = this.svg?.contains((this.renderRoot as ShadowRoot).activeElement);
      if (source === 'focus' || !focusInside) this.tooltip.hide();
      return;
    }
    const f = formatters(this.activeLocale);
    const content = nodeTooltip(n.data, f);
    this.tooltip.show(content, { x: rect.x + rect.width / 2, y: rect.y + Math.min(rect.height / 2, 24) });
    if (source === 'focus') {
      this.selected = [...this.zoom, ...n.keys];
      this.announcement = describeNode(n.data, f);
    }
  };

  private drillDepartment(department: string): void {
    this.emit('usage-drilldown', { detail: departmentDrilldown(department, this.activeFilters), cancelable: true });
  }

  private drillAgent(agentId: string): void {
    this.emit('usage-drilldown', { detail: agentDrilldown(agentId, this.activeFilters), cancelable: true });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-agent-distribution': UsageAgentDistribution;
  }
}
