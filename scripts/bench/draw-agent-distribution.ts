/**
 * Draw benchmark of chart 2.6 (`<usage-agent-distribution>`), for the bench page: 200 agents × 20
 * intents = 4,000 leaves (plus 200 agent and 10 department nodes) built through the `agentHierarchy`
 * module's own transform, then the element's draw — layout (d3-hierarchy treemap or partition), the
 * intensity colour scale, every tile's accessible name, labels where they fit, and the style and
 * layout the new nodes force — into a fresh SVG each run (cold) and into the same SVG (update), for
 * the treemap and the sunburst. Target (issue 8): ≤ 100 ms each. Medians in ms.
 */
import { agentHierarchy, type HierarchyNode } from '@usage-analytics/queries';
import { formatters, intensityScale, tileName } from '../../packages/elements/src/components/agent-distribution/agent-distribution.data.js';
import { distributionChart, type DistributionKind } from '../../packages/elements/src/components/agent-distribution/distribution-chart.js';

export interface AgentDistributionBench {
  agents: number;
  intents: number;
  leaves: number;
  nodes: number;
  treemap: { coldMs: number; updateMs: number };
  sunburst: { coldMs: number; updateMs: number };
  /** The fastest run of each (on a shared, busy machine the minimum is closer to the uncontended cost). */
  min: { treemap: number; sunburst: number };
}

const DEPARTMENTS = 10;
const AGENTS = 200;
const INTENTS = 20;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** The hierarchy of 10 departments → 200 agents → 20 intents each, with skewed (realistic) volumes. */
export function benchHierarchy(): HierarchyNode {
  let seed = 11;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const rows: Record<string, unknown>[] = [];
  const sum = { requests: 0, users: 0, cost: 0 };
  const depts = Array.from({ length: DEPARTMENTS }, () => ({ requests: 0, users: 0, cost: 0 }));
  for (let a = 0; a < AGENTS; a++) {
    const d = a % DEPARTMENTS;
    const agentId = `agent-${String(a).padStart(3, '0')}`;
    const weight = rand() ** 3 * 20_000 + 20;
    const agent = { requests: 0, users: 0, cost: 0 };
    for (let i = 0; i < INTENTS; i++) {
      const requests = Math.max(1, Math.round(weight * rand() ** 2));
      const users = Math.max(1, Math.round(requests / (2 + rand() * 30)));
      const cost = requests * 0.004;
      rows.push({
        department_id: `department-${d}`,
        agent_id: agentId,
        intent_category: `intent-${i}`,
        requests,
        users,
        cost,
        agent_name: `Agent ${a}`,
        quality: 7,
      });
      agent.requests += requests;
      agent.users = Math.max(agent.users, users);
      agent.cost += cost;
    }
    rows.push({ department_id: `department-${d}`, agent_id: agentId, intent_category: null, ...agent, agent_name: `Agent ${a}`, quality: 7 });
    depts[d].requests += agent.requests;
    depts[d].users += agent.users;
    depts[d].cost += agent.cost;
  }
  depts.forEach((d, i) => {
    rows.push({ department_id: `department-${i}`, agent_id: null, intent_category: null, ...d, agent_name: null, quality: null });
    sum.requests += d.requests;
    sum.users += d.users;
    sum.cost += d.cost;
  });
  rows.push({ department_id: null, agent_id: null, intent_category: null, ...sum, agent_name: null, quality: null });
  // The module's SQL order (department, agent, intent, NULLS FIRST): parents before their children.
  const cmp = (a: unknown, b: unknown) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : String(a) < String(b) ? -1 : 1);
  rows.sort((a, b) => cmp(a.department_id, b.department_id) || cmp(a.agent_id, b.agent_id) || cmp(a.intent_category, b.intent_category));
  return agentHierarchy.transform(rows, undefined as never, undefined);
}

/** Times the chart's draw (median of `runs`, after one warm-up) for both layouts at 1100 × 640. */
export function benchAgentDistribution(runs: number): AgentDistributionBench {
  const root = benchHierarchy();
  const host = document.createElement('div');
  host.style.cssText = 'position:relative;width:1100px;height:640px;font:11px system-ui';
  document.body.append(host);
  const once = (svg: SVGSVGElement, kind: DistributionKind, cold: boolean): number => {
    const t = performance.now();
    const f = formatters('en-US');
    const ramp = intensityScale(root);
    const options = {
      kind,
      width: 1100,
      height: 640,
      colour: ramp.colour,
      describe: (n: HierarchyNode) => tileName(n, f),
      detail: (n: HierarchyNode) => f.pct(n.share),
      label: 'bench',
    };
    if (cold) distributionChart.draw(svg, { root }, options);
    else distributionChart.update(svg, { root }, options);
    svg.getBoundingClientRect();
    void host.offsetHeight; // style + layout of the new nodes
    return performance.now() - t;
  };
  const out = { min: {} } as Pick<AgentDistributionBench, 'treemap' | 'sunburst' | 'min'>;
  let nodes = 0;
  for (const kind of ['treemap', 'sunburst'] as const) {
    const coldMs: number[] = [];
    const updateMs: number[] = [];
    for (let r = 0; r < Math.max(runs, 5) + 1; r++) {
      host.replaceChildren(document.createElementNS('http://www.w3.org/2000/svg', 'svg'));
      const svg = host.firstElementChild as SVGSVGElement;
      coldMs.push(once(svg, kind, true));
      updateMs.push(once(svg, kind, false));
      nodes = svg.querySelectorAll('.tile').length;
    }
    out[kind] = { coldMs: median(coldMs.slice(1)), updateMs: median(updateMs.slice(1)) };
    out.min[kind] = Math.min(...coldMs.slice(1), ...updateMs.slice(1));
  }
  host.remove();
  return { agents: AGENTS, intents: INTENTS, leaves: AGENTS * INTENTS, nodes, ...out };
}
