/**
 * Pure parts of `<usage-journey-sankey>` (chart 2.11): node and link names, the draw input from the
 * `journeySankey` answer (colours: each agent its Okabe–Ito swatch, stable over the snapshot's agent
 * list; "other" neutral grey; exits dark grey hatched; continues light grey dotted), tooltips,
 * the CSV / table rows (one per link), and the drill-down details.
 */
import type { JourneyAnchor, JourneyLink, JourneyNode, JourneySankey, UsageFilters } from '@usage-analytics/queries';
import type { AgentDrilldown, JourneyLinkDrilldown } from '../../events/usage-drilldown.js';
import type { DataColumn } from '../../internal/data-column.js';
import { OTHER_COLOUR, swatchFor } from '../../internal/palette.js';
import type { TooltipContent, TooltipRow } from '../../internal/tooltip.js';
import type { SankeyDrawData, SankeyDrawNode } from './sankey-chart.js';

export const EXIT_COLOUR = '#4d4d4d';
export const CONTINUES_COLOUR = '#b3b3b3';

/** Choices of the "Agents per step" and "Steps shown" controls. */
export const TOP_N_CHOICES = [5, 8, 12] as const;
export const STEP_CHOICES = [5, 10, 20] as const;

export interface JourneyFormatters {
  count(n: number): string;
  pct(p: number | null): string;
}

export function formatters(locale: string): JourneyFormatters {
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  return { count: (n) => nf.format(n), pct: (p) => (p === null ? '–' : `${pf.format(p)} %`) };
}

const REASONS: Record<string, string> = { completed: 'completed', user_abandoned: 'abandoned by the user', error: 'error', timeout: 'timeout' };
export const reasonText = (r: string): string => REASONS[r] ?? r;

const plural = (n: number, one: string, many: string) => (n === 1 ? one : many);

/** The node's name: the agent id, "Other (3 agents)", "Exit after step 4", "Continues after step 10". */
export function nodeName(n: JourneyNode): string {
  switch (n.kind) {
    case 'agent':
      return n.agentId ?? '';
    case 'other':
      return `Other (${n.otherAgents} ${plural(n.otherAgents, 'agent', 'agents')})`;
    case 'exit':
      return `Exit after step ${n.step}`;
    case 'continues':
      return `Continues after step ${n.step}`;
  }
}

/** The node's name with its step ("a01-support at step 2"); exits and continues name their step already. */
export function nodeTitle(n: JourneyNode): string {
  return n.kind === 'agent' || n.kind === 'other' ? `${nodeName(n)} at step ${n.step}` : nodeName(n);
}

/** Column headers: "Step 3"; anchored at the start, "Step 1 (agent)"; at the end, the last step names the agent. */
export function columnLabel(j: Pick<JourneySankey, 'steps' | 'anchor'>, column: number): string {
  if (column > j.steps) return 'After';
  const a = j.anchor;
  if (a && ((a.mode === 'start' && column === 1) || (a.mode === 'end' && column === j.steps))) return `Step ${column}: ${a.agentId}`;
  return `Step ${column}`;
}

const countsText = (x: { sessions: number; users: number; usersPct: number | null }, f: JourneyFormatters) =>
  `${f.count(x.sessions)} ${plural(x.sessions, 'session', 'sessions')}, ${f.count(x.users)} ${plural(x.users, 'user', 'users')} (${f.pct(x.usersPct)} of users)`;

const reasonsText = (rs: JourneyNode['reasons'], f: JourneyFormatters) =>
  rs.map((r) => `${reasonText(r.reason)} ${f.count(r.sessions)} (${f.count(r.users)} ${plural(r.users, 'user', 'users')})`).join(', ');

export function nodeLabel(n: JourneyNode, f: JourneyFormatters): string {
  const base = `${nodeTitle(n)}: ${countsText(n, f)}`;
  if (n.kind === 'exit') return `${base}; ${reasonsText(n.reasons, f)}`;
  if (n.kind === 'agent') return `${base}. Press Enter for the agent's detail.`;
  return `${base}. Press Enter for the sessions.`;
}

export function linkTitle(l: JourneyLink, nodes: ReadonlyMap<string, JourneyNode>): string {
  const s = nodes.get(l.source)!;
  const t = nodes.get(l.target)!;
  if (t.kind === 'exit') return `${nodeTitle(s)} → exit`;
  if (t.kind === 'continues') return `${nodeTitle(s)} → continues`;
  return `${nodeTitle(s)} → ${nodeName(t)} at step ${t.step}`;
}

export function linkLabel(l: JourneyLink, nodes: ReadonlyMap<string, JourneyNode>, f: JourneyFormatters): string {
  const reasons = l.reasons.length ? `; ${reasonsText(l.reasons, f)}` : '';
  return `${linkTitle(l, nodes)}: ${countsText(l, f)}${reasons}. Press Enter for the sessions.`;
}

/** Colour swatch of a node: the agent's palette swatch, else the neutral fills. */
export function swatchOf(n: JourneyNode, domain: readonly string[], palette?: readonly string[]): SankeyDrawNode['swatch'] {
  if (n.kind === 'agent') {
    const s = swatchFor(n.agentId ?? '', domain, palette);
    return { colour: s.colour, hatch: s.hatch };
  }
  if (n.kind === 'exit') return { colour: EXIT_COLOUR, hatch: 'diagonal' };
  if (n.kind === 'continues') return { colour: CONTINUES_COLOUR, hatch: 'dots' };
  return { colour: OTHER_COLOUR, hatch: 'none' };
}

export const nodeMap = (j: JourneySankey): Map<string, JourneyNode> => new Map(j.nodes.map((n) => [n.id, n]));

/** The draw input; `domain` = sorted agent ids the colours are assigned from, `palette` the theme's categorical hues (default Okabe–Ito). */
export function sankeyData(j: JourneySankey, domain: readonly string[], f: JourneyFormatters, palette?: readonly string[]): SankeyDrawData {
  const nodes = nodeMap(j);
  return {
    nodes: j.nodes.map((n) => ({
      id: n.id,
      column: n.column,
      value: n.sessions,
      label: n.kind === 'exit' ? 'Exit' : n.kind === 'continues' ? 'Continues' : n.kind === 'other' ? 'Other' : nodeName(n),
      detail: f.count(n.sessions),
      ariaLabel: nodeLabel(n, f),
      swatch: swatchOf(n, domain, palette),
      kind: n.kind,
      active: true,
    })),
    links: j.links.map((l) => ({
      source: l.source,
      target: l.target,
      value: l.sessions,
      ariaLabel: linkLabel(l, nodes, f),
      neutral: !l.target.startsWith('a:') && !l.target.startsWith('o:'),
    })),
    columnLabel: (c) => columnLabel(j, c),
  };
}

function countRows(x: { sessions: number; users: number; usersPct: number | null }, f: JourneyFormatters): TooltipRow[] {
  return [
    { label: 'Sessions', value: f.count(x.sessions), emphasis: true },
    { label: 'Users', value: f.count(x.users) },
    { label: 'Share of users', value: f.pct(x.usersPct) },
  ];
}

const reasonRows = (rs: JourneyNode['reasons'], f: JourneyFormatters): TooltipRow[] =>
  rs.map((r) => ({ label: `Exit: ${reasonText(r.reason)}`, value: `${f.count(r.sessions)} (${f.count(r.users)} ${plural(r.users, 'user', 'users')})` }));

export function nodeTooltip(n: JourneyNode, f: JourneyFormatters): TooltipContent {
  const rows = [...countRows(n, f), ...reasonRows(n.reasons, f)];
  const note =
    n.kind === 'agent'
      ? 'Click or press Enter for the agent’s detail.'
      : n.kind === 'other'
        ? 'Agents outside the top ones at this step. Click or press Enter for the sessions.'
        : n.kind === 'continues'
          ? 'Sessions going on beyond the steps shown. Click or press Enter for them.'
          : 'Sessions whose last agent was at the step before. Click or press Enter for them.';
  return { title: nodeTitle(n), rows, note };
}

export function linkTooltip(l: JourneyLink, nodes: ReadonlyMap<string, JourneyNode>, f: JourneyFormatters): TooltipContent {
  return { title: linkTitle(l, nodes), rows: [...countRows(l, f), ...reasonRows(l.reasons, f)], note: 'Click or press Enter for the sessions.' };
}

export interface LinkRow {
  step: number;
  from: string;
  to: string;
  sessions: number;
  users: number;
  users_pct: number | null;
  exit_reasons: string;
}

/** One row per link (CSV and the frame's table view). */
export function linkRows(j: JourneySankey): LinkRow[] {
  const nodes = nodeMap(j);
  return j.links.map((l) => {
    const t = nodes.get(l.target)!;
    return {
      step: l.step,
      from: nodeName(nodes.get(l.source)!),
      to: t.kind === 'exit' ? 'Exit' : t.kind === 'continues' ? 'Continues' : nodeName(t),
      sessions: l.sessions,
      users: l.users,
      users_pct: l.usersPct,
      exit_reasons: l.reasons.map((r) => `${r.reason} ${r.sessions}`).join('; '),
    };
  });
}

export const LINK_COLUMNS: DataColumn<LinkRow>[] = [
  { key: 'step', label: 'Step', type: 'integer' },
  { key: 'from', label: 'From' },
  { key: 'to', label: 'To (next step)' },
  { key: 'sessions', label: 'Sessions', type: 'integer' },
  { key: 'users', label: 'Users', type: 'integer' },
  { key: 'users_pct', label: 'Share of users %', type: 'number' },
  { key: 'exit_reasons', label: 'Exit reasons' },
];

/** The drill-down of a link. */
export function linkDrilldown(l: JourneyLink, j: JourneySankey, filters: UsageFilters): JourneyLinkDrilldown {
  const nodes = nodeMap(j);
  const s = nodes.get(l.source)!;
  const t = nodes.get(l.target)!;
  return {
    kind: 'journey-link',
    step: l.step,
    source: s.agentId,
    targetKind: t.kind === 'exit' ? 'exit' : t.kind === 'continues' ? 'continues' : 'agent',
    target: t.agentId,
    label: linkTitle(l, nodes),
    sessions: l.sessions,
    steps: j.steps,
    topN: j.topN,
    anchor: j.anchor ? { ...j.anchor } : null,
    filters: structuredClone(filters),
  };
}

/** The drill-down of an other, exit or continues node: its sessions. */
export function nodeDrilldown(n: JourneyNode, j: JourneySankey, filters: UsageFilters): JourneyLinkDrilldown {
  const whole = n.kind === 'exit' || n.kind === 'continues';
  return {
    kind: 'journey-link',
    step: n.step,
    source: whole ? null : n.agentId,
    ...(whole ? { anySource: true } : {}),
    targetKind: n.kind === 'exit' ? 'exit' : n.kind === 'continues' ? 'continues' : 'through',
    target: null,
    label: nodeTitle(n),
    sessions: n.sessions,
    steps: j.steps,
    topN: j.topN,
    anchor: j.anchor ? { ...j.anchor } : null,
    filters: structuredClone(filters),
  };
}

export function agentDrilldown(agentId: string, filters: UsageFilters): AgentDrilldown {
  return { kind: 'agent', agentId, filters: { ...structuredClone(filters), agentIds: [agentId], agentStatuses: [] } };
}

/** The summary line's words for the anchor. */
export function anchorText(a: JourneyAnchor | null): string {
  if (!a) return 'from the start of each session';
  return a.mode === 'start' ? `from the first time each session reached ${a.agentId}` : `up to the last time each session reached ${a.agentId}`;
}
