import { Task } from '@lit/task';
import {
  journeySankey,
  JOURNEY_DEFAULT_STEPS,
  JOURNEY_DEFAULT_TOP_N,
  type JourneyAnchor,
  type JourneyAnchorMode,
  type JourneySankey,
} from '@usage-analytics/queries';
import { html, nothing } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import '../../events/usage-drilldown.js';
import type { UsageDrilldownDetail } from '../../events/usage-drilldown.js';
import { UsageChartElement } from '../../internal/chart-element.js';
import { FirstPaint, shown } from '../../internal/first-paint.js';
import { Memo } from '../../internal/memo.js';
import { PaintController } from '../../internal/paint-controller.js';
import { sortDomain } from '../../internal/palette.js';
import { ResizeController } from '../../internal/resize-controller.js';
import { TooltipController } from '../../internal/tooltip.js';
import '../chart-filters/chart-filters.js';
import '../chart-frame/chart-frame.js';
import {
  CONTINUES_COLOUR,
  EXIT_COLOUR,
  LINK_COLUMNS,
  STEP_CHOICES,
  TOP_N_CHOICES,
  agentDrilldown,
  anchorText,
  formatters,
  linkDrilldown,
  linkRows,
  linkTooltip,
  nodeDrilldown,
  nodeMap,
  nodeTooltip,
  sankeyData,
  type LinkRow,
} from './journey-sankey.data.js';
import styles from './journey-sankey.styles.js';
import { sankeyChart, type SankeyItem, type SankeyLayout } from './sankey-chart.js';

let ids = 0;

/**
 * @summary Chart 2.11 User Journey: how sessions move between agents, as a Sankey diagram
 * (d3-sankey). Columns are the steps of a session (up to 20, FR2.6); each column keeps its busiest
 * agents (`top-n`, the rest rolled into "Other"), so loops (A → B → A) stay readable and the answer
 * stays small at 100k+ sessions (aggregated in SQL). Sessions whose last shown agent is at step i
 * leave to that step's exit node (grey, hatched; exit reasons in its tooltip); sessions longer than
 * the steps shown go to "Continues" (light grey, dotted). Every node and link gives sessions, unique
 * users and the share of all users with a session under the filters.
 *
 * "Journeys" anchors the view on an agent: *starting at* re-aligns each session containing it so
 * that its first visit is step 1 (what users do next); *ending at* cuts each such session after its
 * last visit and aligns that visit to the last step (how users get there). The `anchor-agent` and
 * `anchor-mode` attributes set the same (e.g. Level 3: journeys through one agent).
 *
 * Inside `<usage-provider>` it takes the client and filters from context; alone, set `client` and
 * `filters`. `filters-override` (property or JSON attribute) narrows this chart alone.
 *
 * Keyboard: the diagram holds one tab stop. ArrowDown / ArrowUp go through nodes and links in
 * reading order (column by column, each node followed by its outgoing links), ArrowRight /
 * ArrowLeft jump to the next / previous column, Home / End to the ends; Enter or Space activates.
 * Focus shows the tooltip and announces the item. Escape hides the tooltip.
 *
 * @fires usage-drilldown - Cancelable. `{kind: 'journey-link', step, source, targetKind, target, label,
 *   sessions, steps, topN, anchor, filters}` from a link, and from an other, exit or continues node
 *   (`targetKind: 'through'`, or `anySource: true`) — the drill-down panel lists the sessions;
 *   `{kind: 'agent', agentId, filters}` from an agent node (Level 3).
 * @fires usage-retry - Retry was pressed after an error.
 *
 * @csspart frame - The `<usage-chart-frame>` (its parts exported as `frame-*`).
 * @csspart controls - The bar of view controls.
 * @csspart control - Each `<select>` of the controls (top paths, steps).
 * @csspart summary - The line with the sessions, users and anchor.
 * @csspart plot - The container of the diagram.
 * @csspart svg - The diagram's `<svg>`.
 * @csspart legend - The key (link width, other, exit, continues).
 * @csspart tooltip - The tooltip.
 *
 * @cssproperty --usage-journey-sankey-height - Height of the diagram (default 460px).
 * @cssproperty --usage-journey-sankey-fullscreen-height - Height in fullscreen (default 75vh).
 * @cssproperty --usage-cat-1 - … `--usage-cat-8`: the agents' hues (the theme's categorical palette, Okabe–Ito by default; the 9th–16th agents reuse them darker and hatched, the 17th–24th lighter and dotted).
 * @cssproperty --usage-journey-sankey-link-opacity - Opacity of the links (default 0.35; 0.7 on hover and focus).
 */
export default class UsageJourneySankey extends UsageChartElement {
  protected override chartFilterFields = ['departments', 'userSegments', 'agentIds'] as const;

  static override styles = styles;

  /** Agents kept per step (the rest: "Other"). */
  @property({ type: Number, attribute: 'top-n' }) topN = JOURNEY_DEFAULT_TOP_N;

  /** Steps shown (1–20). */
  @property({ type: Number }) steps = JOURNEY_DEFAULT_STEPS;

  /** Anchor the journeys on this agent (see `anchor-mode`); empty: from each session's start. */
  @property({ attribute: 'anchor-agent' }) anchorAgent = '';

  /** `start`: journeys from the agent's first visit on; `end`: journeys up to its last visit. */
  @property({ attribute: 'anchor-mode' }) anchorMode: JourneyAnchorMode = 'start';

  /** Title of the frame. */
  @property() override heading = 'User Journey';

  /** One-line purpose under the title. */
  @property() override description = 'How sessions move between agents, step by step, and where they end.';

  @state() private announcement = '';

  @query('.plot svg') private svg?: SVGSVGElement;

  /** The layout of the last paint (items in focus order, geometry), for tests and tools. */
  layout?: SankeyLayout;

  private readonly uid = `usage-journey-${++ids}`;
  private readonly tooltip = new TooltipController(this);
  private readonly size = new ResizeController(this);
  private readonly painter = new PaintController(this);
  private readonly rowsMemo = new Memo<LinkRow[]>();
  private readonly firstPaint = new FirstPaint(journeySankey);
  private readonly task = this.queryTask(journeySankey, {
    deps: () => [this.params] as const,
    params: (p) => p,
  });
  private readonly agentsTask = new Task(this, {
    args: () => [this.activeClient] as const,
    task: async ([client]) => ((client?.dimensions ? (await client.dimensions()).agentIds : undefined) ?? undefined) as string[] | undefined,
  });

  constructor() {
    super();
    this.painter.add({
      module: sankeyChart,
      svg: () => this.svg,
      args: () => {
        const d = this.data;
        return d && d.sessions > 0 ? ([d, this.activeLocale, this.colourDomain, this.heading, this.theme.palette] as const) : undefined;
      },
      size: () => [this.size.width, this.size.height],
      draw: ([d, locale, domain, heading, palette], [width, height]) => {
        const f = formatters(locale);
        return {
          data: sankeyData(d, domain, f, palette),
          options: {
            width,
            height,
            label: `${heading}: ${f.count(d.sessions)} sessions over ${d.steps} steps, ${anchorText(d.anchor)}`,
            onHover: this.onHover,
            onActivate: this.onActivate,
          },
        };
      },
      done: (layout) => {
        this.layout = layout;
      },
    });
  }

  /** The view the query runs with (validated: top N 1–50, steps 1–20). */
  get view(): { topN: number; steps: number; anchor: JourneyAnchor | null } {
    const clamp = (v: number, lo: number, hi: number, def: number) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, Math.round(v))) : def);
    return {
      topN: clamp(this.topN, 1, 50, JOURNEY_DEFAULT_TOP_N),
      steps: clamp(this.steps, 1, 20, JOURNEY_DEFAULT_STEPS),
      anchor: this.anchorAgent ? { mode: this.anchorMode === 'end' ? 'end' : 'start', agentId: this.anchorAgent } : null,
    };
  }

  private readonly paramsMemo = new Memo<{ topN: number; steps: number; anchor?: JourneyAnchor }>();
  /** The module's params (one object while the view stays, so the first-paint lookup is memoised). */
  private get params() {
    const v = this.view;
    return this.paramsMemo.get([v.topN, v.steps, v.anchor?.mode, v.anchor?.agentId], () =>
      v.anchor ? { topN: v.topN, steps: v.steps, anchor: v.anchor } : { topN: v.topN, steps: v.steps },
    );
  }

  /** The journeys shown: the query's answer, else a precomputed first paint, else the previous answer while a new query runs. */
  get data(): JourneySankey | undefined {
    return shown(this.task, this.firstPaint.value(this.activeClient, this.activeFilters, this.params));
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  protected override get dataTasks(): readonly Task<any, any>[] {
    return [this.task];
  }

  private domainMemo?: { agents?: string[]; data?: JourneySankey; domain: string[] };
  /** Agents the colours are assigned from: the snapshot's agent list (stable over views), else the agents drawn. */
  private get colourDomain(): string[] {
    const agents = this.agentsTask.value;
    const data = this.data;
    const m = this.domainMemo;
    if (m && m.agents === agents && (agents || m.data === data)) return m.domain;
    const domain = agents?.length ? sortDomain(agents) : sortDomain((data?.nodes ?? []).flatMap((n) => (n.agentId === null ? [] : [n.agentId])));
    this.domainMemo = { agents, data, domain };
    return domain;
  }

  override render() {
    const data = this.data;
    const status = this.frameStatus(this.task, data, (d) => d.sessions === 0);
    const ready = data !== undefined && status.state === 'ready';
    const f = formatters(this.activeLocale);
    const rows = ready ? this.rowsMemo.get([data], () => linkRows(data)) : [];
    return this.renderFrame(
      {
        status,
        emptyMessage: this.anchorAgent
          ? `No sessions reached the anchor agent under these filters in the ${this.periodLabel}.`
          : `No sessions match these filters in the ${this.periodLabel}.`,
        rows,
        columns: LINK_COLUMNS,
        filename: 'user-journey',
        pngTarget: () => this.svg,
      },
      html`
        ${this.renderControls()} ${ready ? this.renderSummary(data, f) : nothing}
        <div class="plot-wrap">
          <div part="plot" class="plot">
            <svg part="svg" tabindex="-1" aria-describedby=${`${this.uid}-help`}></svg>
          </div>
          ${this.tooltip.render()}
        </div>
        <p id=${`${this.uid}-help`} class="visually-hidden">
          Arrow keys down and up go through the nodes and links, right and left jump between steps. Enter opens the sessions of a link, or the detail of an
          agent.
        </p>
        <span class="visually-hidden" role="status">${this.announcement}</span>
        <div slot="legend" part="legend" class="legend">${ready ? this.renderLegend() : nothing}</div>
        <div slot="footer" class="notes">
          Width of a link: sessions. Users are counted once per node or link; the share is of all users with a session under these filters. Click a link, or
          press Enter on it, for its sessions.
        </div>
      `,
    );
  }

  protected override updated(changed: Map<string, unknown>): void {
    super.updated(changed);
    this.size.observe(this.renderRoot.querySelector('.plot'));
  }

  /** Moves keyboard focus into the diagram (its active item). */
  override focus(options?: FocusOptions): void {
    const el = this.layout && this.layout.active >= 0 ? (this.layout.element(this.layout.active) as unknown as HTMLElement | undefined) : undefined;
    if (el) el.focus(options);
    else super.focus(options);
  }

  private renderControls() {
    const v = this.view;
    const agents = [...new Set([...(this.agentsTask.value ?? this.colourDomain), ...(this.anchorAgent ? [this.anchorAgent] : [])])].sort();
    const mode = v.anchor ? v.anchor.mode : 'none';
    return html`<div part="controls" class="controls">
      <label
        >Agents per step
        <select part="control" class="top-n" @change=${(e: Event) => (this.topN = Number((e.target as HTMLSelectElement).value))}>
          ${[...new Set([...TOP_N_CHOICES, v.topN])].sort((a, b) => a - b).map((n) => html`<option value=${n} ?selected=${n === v.topN}>${n}</option>`)}
        </select></label
      >
      <label
        >Steps shown
        <select part="control" class="steps" @change=${(e: Event) => (this.steps = Number((e.target as HTMLSelectElement).value))}>
          ${[...new Set([...STEP_CHOICES, v.steps])].sort((a, b) => a - b).map((n) => html`<option value=${n} ?selected=${n === v.steps}>First ${n}</option>`)}
        </select></label
      >
      <label
        >Journeys
        <select part="control" class="anchor-mode" @change=${this.onModeChange}>
          <option value="none" ?selected=${mode === 'none'}>From the session start</option>
          <option value="start" ?selected=${mode === 'start'}>Starting at an agent</option>
          <option value="end" ?selected=${mode === 'end'}>Ending at an agent</option>
        </select></label
      >
      <label
        >Agent
        <select part="control" class="anchor-agent" ?disabled=${mode === 'none'} @change=${this.onAgentChange}>
          ${mode === 'none' ? html`<option value="" selected>—</option>` : nothing}
          ${agents.map((a) => html`<option .value=${a} ?selected=${a === this.anchorAgent}>${a}</option>`)}
        </select></label
      >
    </div>`;
  }

  private renderSummary(d: JourneySankey, f: ReturnType<typeof formatters>) {
    const userShare = d.allUsers ? (100 * d.users) / d.allUsers : null;
    return html`<p part="summary" class="summary">
      <strong>${f.count(d.sessions)}</strong> ${d.sessions === 1 ? 'session' : 'sessions'} by <strong>${f.count(d.users)}</strong>
      ${d.users === 1 ? 'user' : 'users'}${d.anchor ? html` (${f.pct(userShare)} of the ${f.count(d.allUsers)} users with a session)` : nothing},
      ${
        d.anchor
          ? html`${d.anchor.mode === 'start' ? 'from the first time each session reached' : 'up to the last time each session reached'}
              <bdi class="id" title=${d.anchor.agentId}>${d.anchor.agentId}</bdi>`
          : anchorText(null)
      };
      top ${d.topN} agents per step.
      ${d.continued ? html`${f.count(d.continued)} ${d.anchor?.mode === 'end' ? 'went on after the agent' : `continue beyond step ${d.steps}`}.` : nothing}
      ${
        d.earlier
          ? html`${f.count(d.earlier)} had ${d.anchor?.mode === 'start' ? 'agents before it' : `more than ${d.steps} agents before it`} (not shown).`
          : nothing
      }
    </p>`;
  }

  private renderLegend() {
    return html`<span><span class="key link" aria-hidden="true"></span>Link width: sessions (colour of the agent it leaves)</span>
      <span><span class="key other" aria-hidden="true"></span>Other agents (beyond the top ones of a step)</span>
      <span><span class="key exit" aria-hidden="true" style=${`--key: ${EXIT_COLOUR}`}></span>Exit (hatched; reasons in the tooltip)</span>
      <span><span class="key continues" aria-hidden="true" style=${`--key: ${CONTINUES_COLOUR}`}></span>Continues beyond the steps shown (dotted)</span>`;
  }

  private onModeChange = (e: Event): void => {
    const v = (e.target as HTMLSelectElement).value;
    if (v === 'none') {
      this.anchorAgent = '';
      return;
    }
    this.anchorMode = v === 'end' ? 'end' : 'start';
    if (!this.anchorAgent) {
      // The busiest agent at step 1 (else the first listed) until one is chosen.
      const first = this.data?.nodes.find((n) => n.kind === 'agent');
      this.anchorAgent = first?.agentId ?? (this.agentsTask.value ?? [])[0] ?? '';
    }
  };

  private onAgentChange = (e: Event): void => {
    this.anchorAgent = (e.target as HTMLSelectElement).value;
  };

  private drill(detail: UsageDrilldownDetail): void {
    this.emit('usage-drilldown', { detail, cancelable: true });
  }

  private readonly onActivate = (item: SankeyItem): void => {
    const d = this.data;
    if (!d) return;
    if (item.type === 'link') {
      const l = d.links.find((x) => x.source === item.link.source && x.target === item.link.target);
      if (l) this.drill(linkDrilldown(l, d, this.activeFilters));
      return;
    }
    const n = d.nodes.find((x) => x.id === item.node.id);
    if (!n) return;
    if (n.kind === 'agent' && n.agentId !== null) this.drill(agentDrilldown(n.agentId, this.activeFilters));
    else this.drill(nodeDrilldown(n, d, this.activeFilters));
  };

  private readonly onHover = (item: SankeyItem | null, point: { x: number; y: number } | null, source: 'pointer' | 'focus'): void => {
    const d = this.data;
    if (!d || !item || !point) {
      const focusInside = this.svg?.contains((this.renderRoot as ShadowRoot).activeElement);
      if (source === 'focus' || !focusInside) this.tooltip.hide();
      return;
    }
    const f = formatters(this.activeLocale);
    const nodes = nodeMap(d);
    let content;
    if (item.type === 'link') {
      const l = d.links.find((x) => x.source === item.link.source && x.target === item.link.target);
      if (!l) return;
      content = linkTooltip(l, nodes, f);
      if (source === 'focus') this.announcement = item.link.ariaLabel;
    } else {
      const n = nodes.get(item.node.id);
      if (!n) return;
      content = nodeTooltip(n, f);
      if (source === 'focus') this.announcement = item.node.ariaLabel;
    }
    this.tooltip.show(content, point);
  };
}

declare global {
  interface HTMLElementTagNameMap {
    'usage-journey-sankey': UsageJourneySankey;
  }
}
