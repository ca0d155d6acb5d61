/**
 * Draw benchmark of chart 2.11 (`<usage-journey-sankey>`), for the bench page: the answer the
 * `journeySankey` module gives for ~100,000 sessions at the widest view — 20 steps × (8 agents +
 * "other") plus an exit node per step and "continues", about 200 nodes and 1,400 links (every
 * agent of a step linked to most agents of the next) — as the module's SQL rows, then the module's
 * own transform, the element's view-model (names, colours, accessible labels) and the draw
 * (d3-sankey layout, one path per link, one group per node, labels, and the style and layout the
 * new nodes force) into a fresh SVG (cold) and into the same SVG (update). The SQL aggregation
 * itself is timed apart (see the report of issue 9: DuckDB-WASM on 120k sessions). Target (issue
 * 9): 100,000 sessions aggregated and drawn ≤ 1 s. Medians in ms.
 */
import { journeySankey, type Row } from '@usage-analytics/queries';
import { formatters, sankeyData } from '../../packages/elements/src/components/journey-sankey/journey-sankey.data.js';
import { sankeyChart } from '../../packages/elements/src/components/journey-sankey/sankey-chart.js';

export interface JourneySankeyBench {
  sessions: number;
  steps: number;
  nodes: number;
  links: number;
  /** Rows → view-model (module transform + names, colours, labels). */
  transformMs: number;
  coldMs: number;
  updateMs: number;
  /** The fastest cold run (on a shared, busy machine the minimum is closer to the uncontended cost). */
  min: number;
}

const SESSIONS = 100_000;
const STEPS = 20;
const TOP = 8;
const AGENTS = 40;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The module's rows for 100k sessions that thin out step by step (about 1 in 4 leaves at each). */
export function benchJourneyRows(): Row[] {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const agent = (i: number) => `agent-${String(i).padStart(2, '0')}`;
  const rows: Row[] = [];
  let alive = SESSIONS;
  const REASONS = ['completed', 'user_abandoned', 'error', 'timeout'];
  for (let step = 1; step <= STEPS; step++) {
    // Sessions at this step split over 8 agents (skewed) and other.
    const weights = Array.from({ length: TOP + 1 }, (_, i) => (i === TOP ? 1.5 : 1 / (i + 1)) * (0.6 + rand() * 0.8));
    const total = weights.reduce((a, b) => a + b, 0);
    const at = weights.map((w) => Math.max(1, Math.round((alive * w) / total)));
    const names = Array.from({ length: TOP }, (_, i) => agent((i * 7 + step * 3) % AGENTS));
    const node = (i: number) => (i === TOP ? null : names[i]);
    at.forEach((n, i) => rows.push({ kind: 'node', step, source: node(i), sessions: n, users: Math.max(1, Math.round(n * 0.45)) }));
    rows.push({ kind: 'other', step, sessions: AGENTS - TOP });
    const next = Math.round(alive * 0.76);
    at.forEach((n, i) => {
      const leave = Math.round(n * (step === STEPS ? 1 : 0.24));
      if (step < STEPS) {
        const stay = n - leave;
        const targets = Array.from({ length: TOP + 1 }, (_, k) => k).filter(() => rand() < 0.85);
        for (const k of targets) {
          const s = Math.max(1, Math.round(stay / targets.length));
          rows.push({
            kind: 'link',
            step,
            source: node(i),
            target: k === TOP ? null : agent((k * 7 + (step + 1) * 3) % AGENTS),
            sessions: s,
            users: Math.max(1, Math.round(s * 0.6)),
          });
        }
      }
      const ended = step === STEPS ? Math.round(leave * 0.3) : leave;
      const gone = leave - ended;
      rows.push({
        kind: 'end',
        step,
        source: node(i),
        ended: true,
        target: null,
        g_node: 0,
        g_reason: 1,
        sessions: ended,
        users: Math.max(1, Math.round(ended * 0.7)),
      });
      REASONS.forEach((r, k) =>
        rows.push({ kind: 'end', step, source: node(i), ended: true, target: r, g_node: 0, g_reason: 0, sessions: Math.round(ended / (k + 2)), users: 1 }),
      );
      if (gone > 0)
        rows.push({
          kind: 'end',
          step,
          source: node(i),
          ended: false,
          target: null,
          g_node: 0,
          g_reason: 1,
          sessions: gone,
          users: Math.max(1, Math.round(gone * 0.7)),
        });
    });
    rows.push({
      kind: 'end',
      step,
      source: null,
      ended: true,
      target: null,
      g_node: 1,
      g_reason: 1,
      sessions: Math.round(alive * 0.24),
      users: Math.round(alive * 0.1),
    });
    REASONS.forEach((r, k) =>
      rows.push({ kind: 'end', step, source: null, ended: true, target: r, g_node: 1, g_reason: 0, sessions: Math.round(alive / (k + 5)), users: 1 }),
    );
    alive = next;
  }
  rows.push({ kind: 'end', step: STEPS, source: null, ended: false, target: null, g_node: 1, g_reason: 1, sessions: alive, users: Math.round(alive * 0.5) });
  rows.push({ kind: 'summary', sessions: SESSIONS, users: 30_000, continued: alive, earlier: 0, all_sessions: SESSIONS, all_users: 30_000 });
  return rows;
}

/** Times transform + view-model and the draw (median of `runs`, after one warm-up) at 1100 × 560. */
export function benchJourneySankey(runs: number): JourneySankeyBench {
  const rows = benchJourneyRows();
  const domain = Array.from({ length: AGENTS }, (_, i) => `agent-${String(i).padStart(2, '0')}`);
  const host = document.createElement('div');
  host.style.cssText = 'position:relative;width:1100px;height:560px;font:11px system-ui';
  document.body.append(host);
  const transformMs: number[] = [];
  const coldMs: number[] = [];
  const updateMs: number[] = [];
  let nodes = 0;
  let links = 0;
  const params = { steps: STEPS, topN: TOP };
  for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
    let t = performance.now();
    const answer = journeySankey.transform(rows, undefined as never, params);
    const data = sankeyData(answer, domain, formatters('en-US'));
    transformMs.push(performance.now() - t);
    nodes = data.nodes.length;
    links = data.links.length;
    host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
    const svg = host.firstElementChild as SVGSVGElement;
    const options = { width: 1100, height: 560, label: 'bench' };
    t = performance.now();
    sankeyChart.draw(svg, data, options);
    svg.getBoundingClientRect();
    void host.offsetHeight;
    coldMs.push(performance.now() - t);
    t = performance.now();
    sankeyChart.update(svg, data, options);
    svg.getBoundingClientRect();
    void host.offsetHeight;
    updateMs.push(performance.now() - t);
  }
  host.remove();
  return {
    sessions: SESSIONS,
    steps: STEPS,
    nodes,
    links,
    transformMs: median(transformMs.slice(1)),
    coldMs: median(coldMs.slice(1)),
    updateMs: median(updateMs.slice(1)),
    min: Math.min(...coldMs.slice(1)),
  };
}
