import { Task, TaskStatus, initialState } from '@lit/task';
import { CALL_GRAPH_DEFAULT_PARAMS, agentCallGraph, type AgentCallGraph, type UsageFilters } from '@usage-analytics/queries';
import type { Quadtree } from 'd3-quadtree';
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type D3ZoomEvent, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { html, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { isAbort } from '../../internal/context.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { DepartmentColours } from '../../internal/department-colours.js';
import { OTHER_COLOUR, colourFor, sequentialScale } from '../../internal/palette.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  agentCallDrilldown,
  agentDrilldown,
  callStops,
  describeEdge,
  describeNode,
  edgeColumns,
  edgeRows,
  formatters,
  graphModel,
  nodeName,
  nodeRadius,
  visibleEdges,
  type EdgeRow,
  type GraphModel,
} from './dependency-graph.data.js';
import styles from './dependency-graph.styles.js';
import {
  SceneCache,
  drawCanvas,
  drawHighlightCanvas,
  drawSvg,
  edgeMidpoint,
  buildScene as sceneOf,
  highlightSvg,
  hitEdge,
  hitNode,
  nodeTree,
  zoomSvg,
  type Scene,
  type SceneStyle,
} from './graph-draw.js';
import type { GraphLayoutKind, LayoutResult } from './graph-layout.js';
import { LayoutRunner } from './graph-layout-worker.js';

export type GraphColourBy = 'department' | 'error-rate';
export type GraphRenderer = 'auto' | 'svg' | 'canvas';

/** Above these counts the graph draws on a canvas (`renderer="auto"`). */
export const CANVAS_NODES = 300;
export const CANVAS_EDGES = 2000;

const LAYOUTS: [GraphLayoutKind, string][] = [
  ['force', 'Force'],
  ['hierarchical', 'Hierarchical'],
  ['radial', 'Radial'],
];
const PARAMS = CALL_GRAPH_DEFAULT_PARAMS;
let ids = 0;

/** What is on screen: the fitted scene, how it is drawn, and its hit-testing index. */
interface Drawn {
  scene: Scene;
  tree: Quadtree<number>;
  mode: 'svg' | 'canvas';
  layout: LayoutResult;
}

/**
 * @summary Chart 2.14 Agent Dependency Graph: which agents call which (agentic workflows). Nodes are
 * agents (area ∝ requests; colour = department or error rate, a toggle), edges are calls (width ∝ calls,
 * arrowhead at the called agent; a mutual pair A↔B as two curves). Edges on a cycle (Tarjan's strongly
 * connected components) are dashed in the cycle colour and counted in the summary and the table.
 *
 * Three layouts (UX2.3): force (d3-force's algorithm), hierarchical (callers above callees: layers by
 * longest path once cycles are broken) and radial (the same depths as rings). The layout is computed in
 * a Web Worker (the main thread when none can start) with progress shown. Up to 300 agents and 2,000
 * shown edges draw as SVG, beyond on a canvas (`renderer` forces either); pan and zoom with the mouse
 * wheel, drag or pinch. A slider hides edges with fewer calls than its value (how many is said).
 *
 * Click an agent (or press Enter on it) for its detail (`usage-drilldown` `agent`); click an edge for the
 * requests behind it (`agent-call`). With `focus-agent`, or an `agentIds` filter, the graph shows those
 * agents' neighbourhood: their callers and callees.
 *
 * Keyboard: the plot is one tab stop; arrow keys move through the agents by volume (Home / End to the
 * busiest / quietest), the focused agent and its edges are highlighted and described in a live region;
 * Enter opens its detail; `]` / `[` step through its edges (busiest first; Enter opens the calls
 * behind the edge); + / - zoom; Escape steps back (edge → agent → none). Every edge is also a row of the table view, where
 * its calls open the requests behind it.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'agent', agentId, filters}` (a node); `{kind: 'agent-call', source, target, filters}` (an edge).
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart layout-toggle - The Force / Hierarchical / Radial buttons (`aria-pressed`).
 * @csspart colour-toggle - The Department / Error rate buttons.
 * @csspart controls - The row with the edge slider.
 * @csspart min-calls - The "minimum calls per edge" slider.
 * @csspart plot - The focusable plot (SVG or canvas inside).
 * @csspart svg - The SVG (small graphs; in canvas mode it is only drawn for the PNG export).
 * @csspart canvas - The canvas (big graphs).
 * @csspart progress - The layout progress bar.
 * @csspart layout-error - The message (with Retry) when the layout failed.
 * @csspart legend - Colours and edge key.
 * @csspart summary - Agents, edges, hidden edges and cycles.
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-graph-height - Height of the plot (default 480px; the `height` property overrides it).
 * @cssproperty --usage-graph-fullscreen-height - Height in fullscreen (default 75vh).
 * @cssproperty --usage-graph-edge - Edge colour.
 * @cssproperty --usage-graph-cycle - Colour of edges on a cycle (default Okabe–Ito vermillion, darker).
 * @cssproperty --usage-graph-focus - Focused agent's ring and edges.
 * @cssproperty --usage-graph-label - Agent labels.
 * @cssproperty --usage-graph-node-stroke - Outline of the agents.
 * @cssproperty --usage-graph-name-max-width - Widest an agent name is printed in the summary (default 40ch).
 */
export default class UsageDependencyGraph extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'agentIds', 'requestStatuses', 'modelFamilies'] as const;

  static override styles = styles;

  /** Layout: `force` (default), `hierarchical` or `radial`. */
  @property({ reflect: true }) layout: GraphLayoutKind = 'force';

  /** Node colour: `department` (default) or `error-rate`. */
  @property({ attribute: 'colour-by', reflect: true }) colourBy: GraphColourBy = 'department';

  /** Edges with fewer calls are hidden (default 1: all shown). */
  @property({ type: Number, attribute: 'min-calls' }) minCalls = 1;

  /** Show one agent's neighbourhood (its callers and callees); replaces the `agentIds` filter. */
  @property({ attribute: 'focus-agent' }) focusAgent = '';

  /** `auto` (SVG up to 300 agents / 2,000 shown edges, else canvas), `svg` or `canvas`. */
  @property() renderer: GraphRenderer = 'auto';

  /** Seed of the force layout (the same seed gives the same picture). */
  @property({ type: Number }) seed = 1;

  /** Height of the plot in px (default: `--usage-graph-height`, 480px). */
  @property({ type: Number }) height?: number;

  @property() override heading = 'Agent Dependency Graph';

  @property() override description = 'Which agents call which: size = requests, edge width = calls, dashed edges are on a cycle.';

  /** Keyboard position: index into the nodes by volume (-1: none). */
  @state() private focusIndex = -1;
  @state() private hoverEdge = -1;
  /** Keyboard edge: an edge of the focused agent picked with ] and [ (-1: none). */
  @state() private edgeCursor = -1;
  @state() private hoverNode = -1;
  @state() private announcement = '';
  @state() private progress = 0;

  @query('.plot') private plot?: HTMLDivElement;
  @query('.plot svg') private svg?: SVGSVGElement;
  @query('.plot canvas') private canvas?: HTMLCanvasElement;

  private readonly uid = `usage-graph-${++ids}`;
  private readonly size = new ResizeController(this);
  private readonly tooltip = new TooltipController(this);
  private readonly colours = new DepartmentColours(this, () => this.activeClient);
  private readonly runner = new LayoutRunner();
  private readonly columns = edgeColumns(() => this.activeFilters);
  private readonly firstPaint = new FirstPaint(agentCallGraph);
  private readonly task = this.queryTask(agentCallGraph, { filters: () => this.graphFilters, params: () => PARAMS });

  private modelMemo?: { data: AgentCallGraph; model: GraphModel };
  private focusMemo?: { base: UsageFilters; agent: string; value: UsageFilters };
  private drawn?: Drawn;
  private sceneKey: unknown[] = [];
  private transform: ZoomTransform = zoomIdentity;
  private zoomBehaviour?: ZoomBehavior<HTMLDivElement, unknown>;
  private zoomTarget?: HTMLDivElement;
  private frame?: number;
  private readonly cache = new SceneCache();
  /** A pan or zoom gesture is under way (canvas frames are drawn `fast`). */
  private interacting = false;
  private sceneColours?: SceneStyle;
  private rowsMemo?: { model: GraphModel; layout?: LayoutResult; visible: Uint8Array; rows: EdgeRow[] };

  /** The layout of the current graph, off the main thread. */
  private readonly layoutTask = new Task(this, {
    args: () => [this.model, this.layout, this.seed] as const,
    task: async ([model, kind, seed], { signal }) => {
      if (!model || model.nodes.length === 0) return initialState;
      this.progress = 0;
      const radius = model.nodes.map((n) => nodeRadius(n.requests, model.maxRequests, model.nodes.length));
      const result = await this.runner.run(
        { kind, n: model.nodes.length, source: model.source, target: model.target, volume: model.nodes.map((n) => n.requests), radius, seed },
        { signal, onProgress: (p) => (this.progress = p) },
      );
      return { model, result };
    },
  });

  /** The graph the chart shows: the query's answer, else the snapshot's precomputed first paint, else the previous answer while a newer query runs. */
  get data(): AgentCallGraph | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.graphFilters, PARAMS));
  }

  /** The view-model of {@link data}. */
  get model(): GraphModel | undefined {
    const data = this.data;
    if (!data) return undefined;
    if (this.modelMemo?.data !== data) this.modelMemo = { data, model: graphModel(data) };
    return this.modelMemo.model;
  }

  /** The last layout (positions, layers, components, cycles) once computed. */
  get layoutResult(): LayoutResult | undefined {
    const v = this.layoutTask.value;
    return v && v.model === this.model ? v.result : undefined;
  }

  /** What is drawn: the fitted scene (screen positions before the zoom), the renderer, the current zoom. For tests and tools. */
  get scene(): (Drawn & { transform: ZoomTransform }) | undefined {
    return this.drawn ? { ...this.drawn, transform: this.transform } : undefined;
  }

  /** Where the last layout ran. */
  get layoutThread(): 'worker' | 'main' | undefined {
    return this.runner.lastThread;
  }

  /** The filters of the query: `focus-agent` replaces `agentIds`. */
  private get graphFilters(): UsageFilters {
    const base = this.activeFilters;
    const agent = this.focusAgent;
    if (!agent) return base;
    if (this.focusMemo?.base !== base || this.focusMemo.agent !== agent) this.focusMemo = { base, agent, value: { ...base, agentIds: [agent] } };
    return this.focusMemo.value;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task, this.colours.task, this.layoutTask];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.runner.dispose();
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  override render() {
    const model = this.model;
    const status = this.frameStatus(this.task, this.data, (d) => d.nodes.length === 0);
    const ready = model !== undefined && status.state === 'ready';
    const f = formatters(this.activeLocale);
    const layout = this.layoutResult;
    const { visible, hidden } = ready ? visibleEdges(model, this.minCalls) : { visible: new Uint8Array(0), hidden: 0 };
    const laying = ready && (this.layoutTask.status === TaskStatus.PENDING || !layout);
    const canvasMode = ready && this.modeFor(model, visible) === 'canvas';
    return this.renderFrame(
      {
        status,
        emptyMessage: this.focusAgent
          ? `This agent neither calls nor is called by another agent in the ${this.periodLabel}.`
          : `No agent called another agent in the ${this.periodLabel} under these filters.`,
        rows: ready ? this.rows(model, layout, visible) : [],
        columns: this.columns,
        filename: 'agent-dependency-graph',
        pngTarget: () => this.exportSvg(),
      },
      html`
        <span slot="actions" class="actions" role="group" aria-label="Layout" part="layout-toggle">
          ${LAYOUTS.map(
            ([k, label]) =>
              html`<button type="button" aria-pressed=${this.layout === k ? 'true' : 'false'} data-layout=${k} @click=${() => this.setLayout(k)}>
                ${label}
              </button>`,
          )}
        </span>
        <span slot="actions" class="actions" role="group" aria-label="Colour agents by" part="colour-toggle">
          ${(['department', 'error-rate'] as const).map(
            (k) =>
              html`<button type="button" aria-pressed=${this.colourBy === k ? 'true' : 'false'} data-colour=${k} @click=${() => (this.colourBy = k)}>
                ${k === 'department' ? 'Department' : 'Error rate'}
              </button>`,
          )}
        </span>
        ${ready ? this.renderControls(model, hidden, f) : nothing}
        <div class="plot-wrap">
          <div
            part="plot"
            class="plot"
            tabindex="0"
            role="application"
            aria-roledescription="dependency graph"
            aria-label=${ready ? `${this.heading}: ${model.nodes.length} agents and ${model.edges.length} call edges, ${this.layout} layout` : this.heading}
            aria-describedby=${`${this.uid}-help`}
            aria-busy=${laying ? 'true' : 'false'}
            style=${this.height && this.height > 0 ? `height: ${this.height}px` : ''}
            @keydown=${this.onKeydown}
            @focus=${this.onFocus}
            @pointermove=${this.onPointerMove}
            @pointerleave=${this.onPointerLeave}
            @click=${this.onClick}
          >
            <svg part="svg" class=${canvasMode ? 'hidden-export' : ''} aria-hidden="true"></svg>
            ${canvasMode ? html`<canvas part="canvas" aria-hidden="true"></canvas>` : nothing}
            ${
              this.layoutError
                ? html`<div part="layout-error" class="progress" role="alert">
                    <span>The layout could not be computed: ${String((this.layoutError as Error)?.message ?? this.layoutError)}</span>
                    <button type="button" class="chart-button" @click=${() => void this.layoutTask.run()}>Retry</button>
                  </div>`
                : nothing
            }
            ${
              laying && !this.layoutError
                ? html`<div part="progress" class="progress" role="status">
                    <progress max="100" value=${Math.round(this.progress * 100)} aria-label="Layout progress"></progress>
                    <span>Laying out ${f.count(model.nodes.length)} agents… ${Math.round(this.progress * 100)} %</span>
                  </div>`
                : nothing
            }
          </div>
          ${this.tooltip.render()}
        </div>
        <p id=${`${this.uid}-help`} class="visually-hidden">
          Arrow keys move through the agents by requests, busiest first; Enter opens the focused agent; Escape clears. Scroll or drag to zoom and pan. The table
          view lists every call edge.
        </p>
        <span class="visually-hidden" role="status" aria-live="polite">${this.announcement}</span>
        <div slot="legend" part="legend" class="legend">${ready ? this.renderLegend(model, f) : nothing}</div>
        <div slot="footer" part="summary" class="summary">${ready ? this.renderSummary(model, layout, hidden, f) : nothing}</div>
      `,
    );
  }

  private renderControls(model: GraphModel, hidden: number, f: ReturnType<typeof formatters>) {
    const stops = callStops(model);
    let pos = stops.findIndex((s) => s >= this.minCalls);
    if (pos < 0) pos = stops.length - 1;
    return html`<div class="controls" part="controls">
      <label>
        Minimum calls per edge
        <input
          part="min-calls"
          type="range"
          min="0"
          max=${stops.length - 1}
          step="1"
          .value=${String(pos)}
          aria-valuetext=${`${f.count(stops[pos])} calls`}
          @input=${(e: Event) => (this.minCalls = stops[Number((e.target as HTMLInputElement).value)] ?? 1)}
        />
        <output>${f.count(stops[pos])}</output>
      </label>
      <span class="muted" data-hidden=${hidden}>${hidden ? `${f.count(hidden)} of ${f.count(model.edges.length)} edges hidden` : 'All edges shown'}</span>
    </div>`;
  }

  private renderLegend(model: GraphModel, f: ReturnType<typeof formatters>) {
    const edgeKey = html`<span><span class="key-line"></span>calls (width = calls, arrow → called agent)</span>
      <span><span class=${this.drawn?.mode === 'canvas' ? 'key-line tick' : 'key-line cyclic'}></span>on a cycle</span>
      <span class="muted">Size: requests.</span>`;
    if (this.colourBy === 'error-rate') {
      const scale = this.errorScale(model);
      const max = scale.domain()[1];
      const stops = Array.from({ length: 9 }, (_, i) => scale((max * i) / 8)).join(', ');
      return html`<span>Colour: error rate</span>
        <span>${f.pct(0)}</span>
        <span
          class="ramp-bar"
          role="img"
          aria-label=${`Colour scale of error rate from ${f.pct(0)} to ${f.pct(max)} or more`}
          style=${`background: linear-gradient(to right, ${stops})`}
        ></span>
        <span>≥ ${f.pct(max)}</span>
        ${edgeKey}`;
    }
    const depts = [...new Set(model.nodes.map((n) => n.departmentId ?? 'Unknown'))].sort();
    const domain = this.colours.domain;
    const shown = depts.slice(0, 12);
    return html`<span>Colour: department</span>
      ${shown.map((d) => html`<span><span class="swatch" style=${`background: ${this.deptColour(d, domain)}`}></span><bdi>${d}</bdi></span>`)}
      ${depts.length > shown.length ? html`<span class="muted">+${depts.length - shown.length} more</span>` : nothing} ${edgeKey}`;
  }

  private renderSummary(model: GraphModel, layout: LayoutResult | undefined, hidden: number, f: ReturnType<typeof formatters>) {
    const cyclicEdges = layout ? layout.cyclic.reduce((s, v) => s + v, 0) : 0;
    return html`<span data-summary>
      ${f.count(model.nodes.length)} agents, ${f.count(model.edges.length)} call
      edges${hidden ? `, ${f.count(hidden)} hidden below ${f.count(this.minCalls)} calls` : ''}.
      ${layout ? `${f.count(layout.cycles)} ${layout.cycles === 1 ? 'cycle' : 'cycles'} (${f.count(cyclicEdges)} edges on a cycle).` : 'Finding cycles…'}
      ${this.focusAgent ? html`Neighbourhood of <bdi>${this.focusAgent}</bdi>.` : nothing}
    </span>`;
  }

  private rows(model: GraphModel, layout: LayoutResult | undefined, visible: Uint8Array): EdgeRow[] {
    const m = this.rowsMemo;
    if (m && m.model === model && m.layout === layout && m.visible.length === visible.length && m.visible.every((v, i) => v === visible[i])) return m.rows;
    const rows = edgeRows(model, layout?.cyclic, visible);
    this.rowsMemo = { model, layout, visible, rows };
    return rows;
  }

  private modeFor(model: GraphModel, visible: Uint8Array): 'svg' | 'canvas' {
    if (this.renderer === 'svg' || this.renderer === 'canvas') return this.renderer;
    const shown = visible.reduce((s, v) => s + v, 0);
    return model.nodes.length > CANVAS_NODES || shown > CANVAS_EDGES ? 'canvas' : 'svg';
  }

  private errorScale(model: GraphModel) {
    const max = Math.max(5, ...model.nodes.map((n) => n.errorRate));
    return sequentialScale([0, Math.ceil(max)], { scheme: 'cividis' });
  }

  private deptColour(d: string, domain: readonly string[]): string {
    if (d === 'Unknown') return OTHER_COLOUR;
    return colourFor(d, domain, this.palette);
  }

  private get palette(): string[] {
    return this.theme.palette;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const model = this.model;
    if (model) this.colours.see(model.nodes.map((n) => n.departmentId ?? 'Unknown').filter((d) => d !== 'Unknown'));
    if (model && this.focusIndex >= model.nodes.length) this.focusIndex = -1;
    if (model && this.edgeCursor >= model.edges.length) this.edgeCursor = -1;
    if (changed.has('minCalls') && !(this.minCalls >= 1)) this.minCalls = 1;
  }

  protected override updated(): void {
    const plot = this.plot;
    this.size.observe(plot);
    if (plot && this.zoomTarget !== plot) this.attachZoom(plot);
    this.paint();
  }

  /** Builds the scene when its inputs changed and draws it; otherwise redraws the highlight. */
  private paint(): void {
    const model = this.model;
    const layout = this.layoutResult;
    const width = this.size.width;
    const height = this.size.height;
    if (!model || !layout || !(width > 0) || !(height > 0) || !this.plot) {
      if (!model || model.nodes.length === 0) this.drawn = undefined;
      return;
    }
    const { visible } = visibleEdges(model, this.minCalls);
    const mode = this.modeFor(model, visible);
    const domain = this.colours.domain;
    // The palette is part of the scene: a theme switch rebuilds it (and re-reads the graph's colours).
    const key = [model, layout, width, height, this.colourBy, domain, this.minCalls, mode, this.palette];
    if (key.some((k, i) => k !== this.sceneKey[i])) {
      if (this.drawn?.layout !== layout) this.resetZoom();
      this.sceneColours = undefined;
      this.sceneKey = key;
      const scene = this.buildScene(model, layout, visible, width, height);
      this.drawn = { scene, tree: nodeTree(scene), mode, layout };
      if (mode === 'svg' && this.svg) {
        drawSvg(this.svg, scene, width, height);
        zoomSvg(this.svg, this.transform);
      } else if (this.svg) this.svg.replaceChildren();
    }
    this.redraw();
  }

  private buildScene(model: GraphModel, layout: LayoutResult, visible: Uint8Array, width: number, height: number): Scene {
    const domain = this.colours.domain;
    const scale = this.errorScale(model);
    const fill = model.nodes.map((nd) => (this.colourBy === 'error-rate' ? scale(nd.errorRate) : this.deptColour(nd.departmentId ?? 'Unknown', domain)));
    return sceneOf(model, layout, visible, fill, width, height);
  }

  private sceneStyle(): SceneStyle {
    if (this.sceneColours) return this.sceneColours;
    const cs = getComputedStyle(this);
    const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    return (this.sceneColours = {
      edge: v('--usage-graph-edge', '#6b7079'),
      cycle: v('--usage-graph-cycle', '#c34f00'),
      focus: v('--usage-graph-focus', '#1a1c20'),
      label: v('--usage-graph-label', '#1a1c20'),
      nodeStroke: v('--usage-graph-node-stroke', '#ffffff'),
    });
  }

  private get highlight() {
    if (this.hoverNode >= 0 || this.hoverEdge >= 0) return { node: this.hoverNode, edge: this.hoverEdge };
    return this.edgeCursor >= 0 ? { node: -1, edge: this.edgeCursor } : { node: this.focusIndex, edge: -1 };
  }

  /** Draws the current frame: the canvas in full, or the SVG's zoom and highlight. */
  private redraw(): void {
    const d = this.drawn;
    if (!d) return;
    if (d.mode === 'svg') {
      if (!this.svg) return;
      zoomSvg(this.svg, this.transform);
      highlightSvg(this.svg, d.scene, this.highlight);
      return;
    }
    const canvas = this.canvas;
    if (!canvas) return;
    const w = this.size.width;
    const h = this.size.height;
    const dpr = Math.min(2, globalThis.devicePixelRatio || 1);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
      canvas.style.width = `${w}px`;
      canvas.style.height = `${h}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const t = this.transform;
    const style = this.sceneStyle();
    if (this.interacting) {
      // A gesture frame: the bitmap of the last rest, moved and scaled; vectors where it falls short.
      if (!this.cache.blit(ctx, d.scene, t, w, h)) drawCanvas(ctx, d.scene, t, style, { node: -1, edge: -1 }, w, h, 'fast');
      return;
    }
    if (!this.cache.matches(d.scene, t, w, h, dpr)) this.cache.render(d.scene, t, style, w, h, dpr);
    if (!this.cache.blit(ctx, d.scene, t, w, h)) drawCanvas(ctx, d.scene, t, style, { node: -1, edge: -1 }, w, h, 'full');
    drawHighlightCanvas(ctx, d.scene, t, style, this.highlight);
  }

  /** One redraw per animation frame however many zoom or pointer events arrive. */
  private schedule(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.redraw();
    });
  }

  private attachZoom(plot: HTMLDivElement): void {
    this.zoomTarget = plot;
    this.zoomBehaviour = zoom<HTMLDivElement, unknown>()
      .scaleExtent([0.2, 16])
      .filter((event: Event) => (event.type === 'wheel' || !(event as MouseEvent).button) && !(event as KeyboardEvent).ctrlKey)
      .on('start', () => (this.interacting = true))
      .on('zoom', (event: D3ZoomEvent<HTMLDivElement, unknown>) => {
        this.transform = event.transform;
        this.tooltip.hide();
        this.schedule();
      })
      .on('end', () => {
        // The gesture is over: the full-quality frame (arrowheads, widths, cycle marks).
        this.interacting = false;
        this.schedule();
      });
    select(plot).call(this.zoomBehaviour).on('dblclick.zoom', null);
  }

  private resetZoom(): void {
    this.transform = zoomIdentity;
    if (this.zoomTarget && this.zoomBehaviour) {
      // Sets d3's stored transform without an event loop back into a redraw of the old scene.
      (this.zoomTarget as unknown as { __zoom: ZoomTransform }).__zoom = zoomIdentity;
    }
  }

  /** Zooms the view by `k` around the plot's centre (tests, toolbar). */
  zoomBy(k: number): void {
    if (!this.zoomTarget || !this.zoomBehaviour) return;
    select(this.zoomTarget).call(this.zoomBehaviour.scaleBy, k);
  }

  /** Pans the view by (dx, dy) px. */
  panBy(dx: number, dy: number): void {
    if (!this.zoomTarget || !this.zoomBehaviour) return;
    select(this.zoomTarget).call(this.zoomBehaviour.translateBy, dx / this.transform.k, dy / this.transform.k);
  }

  /** Screen position (plot px) of node `i` or of the middle of edge `e`, for tests and tools. */
  screenPoint(target: { node: number } | { edge: number }): { x: number; y: number } | undefined {
    const d = this.drawn;
    if (!d) return undefined;
    const t = this.transform;
    if ('node' in target) return { x: d.scene.x[target.node] * t.k + t.x, y: d.scene.y[target.node] * t.k + t.y };
    return edgeMidpoint(d.scene, target.edge, t);
  }

  private pointAt(e: MouseEvent): { x: number; y: number } | undefined {
    const rect = this.plot?.getBoundingClientRect();
    return rect ? { x: e.clientX - rect.left, y: e.clientY - rect.top } : undefined;
  }

  /** What is under a plot point: a node first, then an edge. */
  hitAt(x: number, y: number): { node: number; edge: number } {
    const d = this.drawn;
    if (!d) return { node: -1, edge: -1 };
    const node = hitNode(d.scene, d.tree, this.transform, x, y);
    return { node, edge: node >= 0 ? -1 : hitEdge(d.scene, this.transform, x, y) };
  }

  private readonly onPointerMove = (e: PointerEvent): void => {
    if (e.buttons) return;
    const p = this.pointAt(e);
    const model = this.model;
    if (!p || !model || !this.drawn) return;
    const hit = this.hitAt(p.x, p.y);
    this.plot?.classList.toggle('pointing', hit.node >= 0 || hit.edge >= 0);
    if (hit.node === this.hoverNode && hit.edge === this.hoverEdge) return;
    this.hoverNode = hit.node;
    this.hoverEdge = hit.edge;
    const f = formatters(this.activeLocale);
    if (hit.node >= 0) this.tooltip.show(this.nodeTooltip(model, hit.node, f), p);
    else if (hit.edge >= 0) this.tooltip.show(this.edgeTooltip(model, hit.edge, f), p);
    else this.tooltip.hide();
    this.schedule();
  };

  private readonly onPointerLeave = (): void => {
    this.hoverNode = -1;
    this.hoverEdge = -1;
    this.tooltip.hide();
    this.schedule();
  };

  private readonly onClick = (e: MouseEvent): void => {
    const p = this.pointAt(e);
    const model = this.model;
    if (!p || !model) return;
    const hit = this.hitAt(p.x, p.y);
    if (hit.node >= 0) {
      this.focusIndex = hit.node;
      this.drillAgent(model.nodes[hit.node].agentId);
    } else if (hit.edge >= 0) this.drillEdge(hit.edge);
  };

  private readonly onFocus = (): void => {
    const model = this.model;
    if (model?.nodes.length && this.focusIndex < 0) this.moveFocus(0);
  };

  private readonly onKeydown = (e: KeyboardEvent): void => {
    const model = this.model;
    if (!model?.nodes.length) return;
    const n = model.nodes.length;
    const i = this.focusIndex;
    let next: number;
    switch (e.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = i < 0 ? 0 : Math.min(n - 1, i + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = i < 0 ? 0 : Math.max(0, i - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case ']':
      case '[':
        if (i >= 0) {
          e.preventDefault();
          this.moveEdge(e.key === ']' ? 1 : -1);
        }
        return;
      case 'Enter':
      case ' ':
        if (this.edgeCursor >= 0) {
          e.preventDefault();
          this.drillEdge(this.edgeCursor);
        } else if (i >= 0) {
          e.preventDefault();
          this.drillAgent(model.nodes[i].agentId);
        }
        return;
      case 'Escape':
        if (this.edgeCursor >= 0) {
          e.preventDefault();
          this.moveFocus(i);
        } else if (i >= 0 || this.tooltip.visible) {
          e.preventDefault();
          this.focusIndex = -1;
          this.tooltip.hide();
          this.announcement = '';
          this.schedule();
        }
        return;
      case '+':
      case '=':
        this.zoomBy(1.25);
        return;
      case '-':
        this.zoomBy(0.8);
        return;
      default:
        return;
    }
    e.preventDefault();
    this.moveFocus(next);
  };

  /** The shown edges of the focused agent, busiest first. */
  private edgesOfFocus(): number[] {
    const model = this.model;
    const i = this.focusIndex;
    if (!model || i < 0) return [];
    const { visible } = visibleEdges(model, this.minCalls);
    const out: number[] = [];
    for (let e = 0; e < model.edges.length; e++) if (visible[e] && (model.source[e] === i || model.target[e] === i)) out.push(e);
    return out.sort((a, b) => model.edges[b].calls - model.edges[a].calls || a - b);
  }

  private moveEdge(step: 1 | -1): void {
    const model = this.model;
    const edges = this.edgesOfFocus();
    if (!model) return;
    if (!edges.length) {
      this.announcement = 'This agent has no shown edges.';
      return;
    }
    const at = edges.indexOf(this.edgeCursor);
    const next = edges[at < 0 ? (step > 0 ? 0 : edges.length - 1) : (at + step + edges.length) % edges.length];
    this.edgeCursor = next;
    const f = formatters(this.activeLocale);
    const cyclic = !!this.layoutResult?.cyclic[next];
    this.announcement = `Edge ${edges.indexOf(next) + 1} of ${edges.length}: ${describeEdge(model, next, f, cyclic)} Enter opens its calls.`;
    const p = this.screenPoint({ edge: next });
    if (p) this.tooltip.show(this.edgeTooltip(model, next, f), p);
    this.schedule();
  }

  private moveFocus(i: number): void {
    const model = this.model;
    if (!model) return;
    this.edgeCursor = -1;
    this.focusIndex = i;
    const f = formatters(this.activeLocale);
    this.announcement = describeNode(model, i, f);
    const p = this.screenPoint({ node: i });
    if (p) {
      // Keep the focused node in view.
      const w = this.size.width;
      const h = this.size.height;
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) {
        this.panBy(w / 2 - p.x, h / 2 - p.y);
      }
      const q = this.screenPoint({ node: i })!;
      this.tooltip.show(this.nodeTooltip(model, i, f), q);
    }
    this.schedule();
  }

  private nodeTooltip(model: GraphModel, i: number, f: ReturnType<typeof formatters>) {
    const n = model.nodes[i];
    return {
      title: nodeName(n),
      rows: [
        { label: 'Department', value: n.departmentId ?? 'Unknown' },
        { label: 'Requests', value: f.count(n.requests) },
        { label: 'Error rate', value: f.pct(n.errorRate) },
        { label: 'Calls in (from agents)', value: f.count(model.inCalls[i]) },
        { label: 'Calls out (to agents)', value: f.count(model.outCalls[i]) },
      ],
      note: 'Click or press Enter for the agent detail.',
    };
  }

  private edgeTooltip(model: GraphModel, e: number, f: ReturnType<typeof formatters>) {
    const edge = model.edges[e];
    const cyclic = !!this.layoutResult?.cyclic[e];
    return {
      title: `${nodeName(model.nodes[model.source[e]])} → ${nodeName(model.nodes[model.target[e]])}`,
      rows: [
        { label: 'Calls', value: f.count(edge.calls) },
        { label: 'Avg latency', value: f.ms(edge.avgLatencyMs) },
        { label: 'Error rate', value: f.pct(edge.errorRate) },
        ...(cyclic ? [{ label: 'Cycle', value: 'on a cycle' }] : []),
      ],
      note: `${describeEdge(model, e, f, cyclic).split(':')[0]}. Click for the calls behind this edge.`,
    };
  }

  private exportSvg(): SVGSVGElement | undefined {
    const d = this.drawn;
    const svg = this.svg;
    if (!d || !svg) return svg;
    if (d.mode === 'canvas') {
      drawSvg(svg, d.scene, this.size.width, this.size.height);
      zoomSvg(svg, this.transform);
    }
    return svg;
  }

  private setLayout(kind: GraphLayoutKind): void {
    if (this.layout === kind) return;
    this.layout = kind;
    this.announcement = `${kind[0].toUpperCase()}${kind.slice(1)} layout.`;
  }

  private drillAgent(agentId: string): void {
    this.emit('usage-drilldown', { detail: agentDrilldown(agentId, this.activeFilters), cancelable: true });
  }

  private drillEdge(e: number): void {
    const edge = this.model?.edges[e];
    if (edge) this.emit('usage-drilldown', { detail: agentCallDrilldown(edge.source, edge.target, this.activeFilters), cancelable: true });
  }

  /** The layout task's error, if it failed (not superseded). */
  get layoutError(): unknown {
    return this.layoutTask.status === TaskStatus.ERROR && !isAbort(this.layoutTask.error) ? this.layoutTask.error : undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-dependency-graph': UsageDependencyGraph;
  }
}
