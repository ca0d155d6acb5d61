/**
 * Pure parts of chart 2.6: what "intensity" is, the flattened hierarchy for the table and CSV,
 * finding a zoom path, the tooltip and accessible name of a node, the plain-language reading of the
 * Gini coefficients, and the drill-down details.
 *
 * **Colour = intensity = requests per user of the tile** (requests ÷ exact unique users of that
 * department, agent or intent): how heavily the people who use it lean on it, independent of its
 * size (the area already shows volume). It is drawn on viridis (colour-blind-safe, readable in
 * greyscale) whose domain ends at the 95th percentile of every node's intensity in the tree (so one
 * outlier cannot wash the rest out; values above take the top colour), the same across zoom levels.
 */
import type { Concentration, HierarchyNode, UsageFilters } from '@usage-analytics/queries';
import { robustSequential } from '../../charts/heatmap.js';
import type { AgentDrilldown, DepartmentDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import { formatPercent } from '../../internal/format.js';
import type { TooltipContent } from '../../internal/tooltip.js';

/** Requests per user of a node (0 when it has no users). */
export function intensity(n: Pick<HierarchyNode, 'requests' | 'users'>): number {
  return n.users > 0 ? n.requests / n.users : 0;
}

/** The colour scale of intensity over every node of the tree (see the header). */
export function intensityScale(root: HierarchyNode) {
  const values: number[] = [];
  const walk = (n: HierarchyNode) => {
    for (const c of n.children) {
      values.push(intensity(c));
      walk(c);
    }
  };
  walk(root);
  const robust = robustSequential(values, { clampAt: 0.95, scheme: 'viridis' });
  // 256 steps of the ramp (indistinguishable from continuous): the tiles share few distinct fills,
  // so the label colour is worked out once per fill, not once per tile.
  const top = robust.sequential.domain()[1];
  const steps = Array.from({ length: 256 }, (_, i) => robust.sequential((top * i) / 255));
  const colour = (n: Pick<HierarchyNode, 'requests' | 'users'>): string => steps[Math.max(0, Math.min(255, Math.round((intensity(n) / top) * 255)))];
  return { ...robust, colour };
}

/** The node at `keys` below `root` (undefined when a key is gone, e.g. after a filter change). */
export function nodeAt(root: HierarchyNode, keys: readonly string[]): HierarchyNode | undefined {
  let n: HierarchyNode | undefined = root;
  for (const k of keys) {
    n = n.children.find((c) => c.key === k);
    if (!n) return undefined;
  }
  return n;
}

/** The longest prefix of `keys` that still exists below `root`. */
export function validPath(root: HierarchyNode, keys: readonly string[]): string[] {
  const out: string[] = [];
  let n = root;
  for (const k of keys) {
    const c = n.children.find((x) => x.key === k);
    if (!c) break;
    out.push(k);
    n = c;
  }
  return out;
}

/** The nodes along `keys` (excluding the root). */
export function nodesAlong(root: HierarchyNode, keys: readonly string[]): HierarchyNode[] {
  const out: HierarchyNode[] = [];
  let n = root;
  for (const k of keys) {
    const c = n.children.find((x) => x.key === k);
    if (!c) break;
    out.push(c);
    n = c;
  }
  return out;
}

const LEVEL_WORD: Record<HierarchyNode['level'], string> = { root: 'All', department: 'Department', agent: 'Agent', intent: 'Intent' };

/** One row of the flattened hierarchy (table view and CSV). */
export interface DistributionRow {
  level: string;
  /** "department › agent name › intent". */
  path: string;
  department: string;
  agentId: string;
  intent: string;
  requests: number;
  users: number;
  cost: number;
  share: number;
  shareOfParent: number;
  requestsPerUser: number;
  quality: number | null;
}

/** Every node below `root`, depth first in the drawing's order (siblings by requests, descending). */
export function flatten(root: HierarchyNode, prefix: readonly HierarchyNode[] = []): DistributionRow[] {
  const rows: DistributionRow[] = [];
  const walk = (n: HierarchyNode, along: readonly HierarchyNode[]) => {
    for (const c of n.children) {
      const path = [...along, c];
      rows.push({
        level: LEVEL_WORD[c.level],
        path: path.map((p) => p.name || p.key).join(' › '),
        department: path.find((p) => p.level === 'department')?.key ?? '',
        agentId: path.find((p) => p.level === 'agent')?.key ?? '',
        intent: c.level === 'intent' ? c.key : '',
        requests: c.requests,
        users: c.users,
        cost: c.cost,
        share: c.share,
        shareOfParent: c.shareOfParent,
        requestsPerUser: intensity(c),
        quality: c.quality ?? null,
      });
      walk(c, path);
    }
  };
  walk(root, prefix);
  return rows;
}

/** The columns of the table view and the CSV (departments and agents drill down). */
export function distributionColumns(filters: () => UsageFilters): DataColumn<DistributionRow>[] {
  return [
    { key: 'level', label: 'Level' },
    { key: 'path', label: 'Path' },
    { key: 'department', label: 'Department', drill: (r) => (r.department ? departmentDrilldown(r.department, filters()) : undefined) },
    { key: 'agentId', label: 'Agent ID', drill: (r) => (r.agentId ? agentDrilldown(r.agentId, filters()) : undefined) },
    { key: 'intent', label: 'Intent' },
    { key: 'requests', label: 'Requests', type: 'integer', searchable: false },
    { key: 'users', label: 'Users', type: 'integer', searchable: false },
    { key: 'cost', label: 'Cost', type: 'currency', searchable: false },
    { key: 'share', label: 'Share of all requests', type: 'percent', searchable: false },
    { key: 'shareOfParent', label: 'Share of parent', type: 'percent', searchable: false },
    { key: 'requestsPerUser', label: 'Requests per user', type: 'number', searchable: false },
    { key: 'quality', label: 'Quality score', type: 'number', searchable: false },
  ];
}

export function departmentDrilldown(department: string, filters: UsageFilters): DepartmentDrilldown {
  return { kind: 'department', department, filters: { ...structuredClone(filters), departments: [department] } };
}

export function agentDrilldown(agentId: string, filters: UsageFilters): AgentDrilldown {
  return { kind: 'agent', agentId, filters: { ...structuredClone(filters), agentIds: [agentId] } };
}

export interface Formatters {
  count(v: number): string;
  usd(v: number): string;
  pct(v: number): string;
  ratio(v: number): string;
}

export function formatters(locale: string): Formatters {
  const count = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const usd = new Intl.NumberFormat(locale, { style: 'currency', currency: 'USD' });
  const ratio = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  // Shares have one decimal (at most 1,001 values): format each once.
  const shares = new Map<number, string>();
  return {
    count: (v) => count.format(v),
    usd: (v) => usd.format(v),
    pct: (v) => {
      let s = shares.get(v);
      if (s === undefined) shares.set(v, (s = formatPercent(v, locale, { digits: 1, minDigits: 1 })));
      return s;
    },
    ratio: (v) => ratio.format(v),
  };
}

/** Name of a node as shown (agents by display name). */
export const nameOf = (n: HierarchyNode): string => n.name || n.key;

/**
 * The accessible name of a tile: what it is, its requests and share ("Agent Support Bot: 1,234
 * requests, 12.3% of all"). Focus announces the rest ({@link describeNode}); kept short because
 * every one of thousands of tiles carries it.
 */
export function tileName(n: HierarchyNode, f: Formatters): string {
  return `${LEVEL_WORD[n.level]} ${nameOf(n)}: ${f.count(n.requests)} requests, ${f.pct(n.share)} of all`;
}

/** Every figure of a node in words. */
export function describeNode(n: HierarchyNode, f: Formatters): string {
  const kids = n.children.length ? `, ${f.count(n.children.length)} ${n.level === 'department' ? 'agents' : 'intents'}` : '';
  const quality = n.quality !== null && n.quality !== undefined ? `, quality ${f.ratio(n.quality)} of 10` : '';
  return `${LEVEL_WORD[n.level]} ${nameOf(n)}: ${f.count(n.requests)} requests, ${f.pct(n.share)} of all, ${f.pct(n.shareOfParent)} of parent, ${f.count(n.users)} users, ${f.ratio(intensity(n))} requests per user, cost ${f.usd(n.cost)}${quality}${kids}`;
}

/** The tooltip of a node (PRD: usage stats, cost, quality score). */
export function nodeTooltip(n: HierarchyNode, f: Formatters): TooltipContent {
  const rows = [
    { label: 'Requests', value: f.count(n.requests), emphasis: true },
    { label: 'Share of all requests', value: f.pct(n.share) },
    { label: 'Share of parent', value: f.pct(n.shareOfParent) },
    { label: 'Users', value: f.count(n.users) },
    { label: 'Requests per user', value: f.ratio(intensity(n)) },
    { label: 'Cost', value: f.usd(n.cost) },
  ];
  if (n.level === 'agent') rows.push({ label: 'Quality score', value: n.quality === null || n.quality === undefined ? 'n/a' : `${f.ratio(n.quality)} / 10` });
  const id = n.level === 'agent' && n.name && n.name !== n.key ? ` (${n.key})` : '';
  return { title: `${LEVEL_WORD[n.level]}: ${nameOf(n)}${id}`, rows, note: n.children.length ? 'Click or press Enter to zoom in.' : undefined };
}

/**
 * The plain-language reading of one concentration: "Gini 0.62: the top 10 % of agents (5 of 48)
 * take 72.0 % of requests." (null Gini: nothing to measure).
 */
export function readingText(c: Concentration, noun: 'agents' | 'users', f: Formatters, locale: string): string {
  if (c.gini === null || c.topDecileShare === null) return `No requests to measure how concentrated ${noun} are.`;
  const g = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(c.gini);
  const which = `the top 10 % of ${noun} (${f.count(c.topDecileCount)} of ${f.count(c.n)})`;
  return `Gini ${g} across ${f.count(c.n)} ${noun}: ${which} ${c.topDecileCount === 1 ? 'takes' : 'take'} ${f.pct(c.topDecileShare)} of requests.`;
}
