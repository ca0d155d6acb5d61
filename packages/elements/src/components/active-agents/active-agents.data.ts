/**
 * Pure helpers of `<usage-active-agents>` (chart 2.3): the status × intensity heatmap input, the
 * agent table's columns, the version-adoption series, tooltips and the drill-down details.
 */
import {
  AGENT_STATUSES,
  INTENSITY_BANDS,
  type AgentPortfolio,
  type AgentStatus,
  type IntensityBand,
  type PortfolioAgent,
  type UsageFilters,
  type VersionAdoptionRow,
} from '@usage-analytics/queries';
import type { HeatmapData } from '../../charts/heatmap.js';
import type { AgentDrilldown, AgentStatusDrilldown } from '../../events/usage-drilldown.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { DataColumn } from '../data-table/data-table.model.js';

export const BAND_LABELS: Readonly<Record<IntensityBand, string>> = Object.freeze({ none: 'No usage', low: 'Low', medium: 'Medium', high: 'High' });
/** A band in words ("high usage", "no usage"). */
export const BAND_WORDS: Readonly<Record<IntensityBand, string>> = Object.freeze({
  none: 'no usage',
  low: 'low usage',
  medium: 'medium usage',
  high: 'high usage',
});

export interface Formatters {
  count: (v: number) => string;
  pct: (v: number) => string;
  date: (ms: number | null) => string;
  compact: (v: number) => string;
}

export function formatters(locale: string): Formatters {
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const cf = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const df = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  return {
    count: (v) => nf.format(v),
    pct: (v) => `${pf.format(v)} %`,
    compact: (v) => cf.format(v),
    date: (ms) => (ms === null ? '—' : df.format(new Date(ms))),
  };
}

/** The statuses shown as rows: the known ones in lifecycle order, then any other status of the data. */
export function statusesOf(p: AgentPortfolio): string[] {
  return [...new Set<string>([...AGENT_STATUSES, ...Object.keys(p.matrix)])];
}

/** Agents per status (row totals) and per band (column totals). */
export function totals(p: AgentPortfolio): { rows: number[]; cols: number[]; total: number } {
  const statuses = statusesOf(p);
  const rows = statuses.map((s) => INTENSITY_BANDS.reduce((n, b) => n + (p.matrix[s]?.[b] ?? 0), 0));
  const cols = INTENSITY_BANDS.map((b) => statuses.reduce((n, s) => n + (p.matrix[s]?.[b] ?? 0), 0));
  return { rows, cols, total: rows.reduce((a, b) => a + b, 0) };
}

/** Words for a band, with its request range when the cut points are known. */
export function bandRange(band: IntensityBand, p: AgentPortfolio, f: Formatters): string {
  const c = p.cuts;
  if (band === 'none') return 'no requests in the period';
  if (!c) return `${BAND_LABELS[band].toLowerCase()} usage`;
  if (band === 'low') return `1 to ${f.count(Math.floor(c.low))} requests`;
  if (band === 'medium') return `over ${f.count(Math.floor(c.low))}, up to ${f.count(Math.floor(c.medium))} requests`;
  return `over ${f.count(Math.floor(c.medium))} requests`;
}

/** The heatmap input: statuses × intensity bands, agent counts. */
export function heatmapData(p: AgentPortfolio, f: Formatters): HeatmapData {
  const statuses = statusesOf(p);
  const t = totals(p);
  return {
    rows: statuses,
    columns: INTENSITY_BANDS.map((b) => BAND_LABELS[b]),
    values: statuses.map((s) => INTENSITY_BANDS.map((b) => p.matrix[s]?.[b] ?? 0)),
    label: (r, c) => f.count(p.matrix[statuses[r]]?.[INTENSITY_BANDS[c]] ?? 0),
    ariaLabel: (r, c) => {
      const n = p.matrix[statuses[r]]?.[INTENSITY_BANDS[c]] ?? 0;
      return `${statuses[r]} × ${BAND_WORDS[INTENSITY_BANDS[c]]}: ${f.count(n)} ${n === 1 ? 'agent' : 'agents'}`;
    },
    rowTotals: t.rows,
    colTotals: t.cols,
    totalLabel: f.count,
    rowHeaderLabel: (r) => `${statuses[r]}: ${f.count(t.rows[r])} agents. Open the agent list`,
    columnHeaderLabel: (c) =>
      `${BAND_LABELS[INTENSITY_BANDS[c]]}${INTENSITY_BANDS[c] === 'none' ? '' : ' usage'} (${bandRange(INTENSITY_BANDS[c], p, f)}): ${f.count(t.cols[c])} agents`,
  };
}

/** Up to `n` agents of a status (and band), heaviest first. */
export function agentsOf(p: AgentPortfolio, status: string, band?: IntensityBand, n = 3): PortfolioAgent[] {
  return p.agents
    .filter((a) => a.status === status && (band === undefined || a.band === band))
    .sort((a, b) => b.requests - a.requests || (a.agentId < b.agentId ? -1 : 1))
    .slice(0, n);
}

export function cellTooltip(p: AgentPortfolio, status: string, band: IntensityBand, f: Formatters): TooltipContent {
  const n = p.matrix[status]?.[band] ?? 0;
  const top = agentsOf(p, status, band);
  return {
    title: `${status} × ${BAND_WORDS[band]}`,
    rows: [
      { label: 'Agents', value: f.count(n), emphasis: true },
      { label: 'Band', value: bandRange(band, p, f) },
      ...top.map((a) => ({ label: a.name || a.agentId, value: `${f.count(a.requests)} requests` })),
    ],
    note: 'Click or press Enter for the agent list.',
  };
}

export function statusTooltip(p: AgentPortfolio, row: number, f: Formatters): TooltipContent {
  const status = statusesOf(p)[row];
  const t = totals(p);
  return {
    title: status,
    rows: [
      { label: 'Agents', value: f.count(t.rows[row]), emphasis: true },
      ...INTENSITY_BANDS.map((b) => ({ label: BAND_WORDS[b], value: f.count(p.matrix[status]?.[b] ?? 0) })),
    ],
    note: 'Click or press Enter for the agent list.',
  };
}

export function bandTooltip(p: AgentPortfolio, col: number, f: Formatters): TooltipContent {
  const band = INTENSITY_BANDS[col];
  return {
    title: BAND_WORDS[band],
    rows: [
      { label: 'Agents', value: f.count(totals(p).cols[col]), emphasis: true },
      { label: 'Band', value: bandRange(band, p, f) },
    ],
    note: 'Bands are terciles of requests among the agents in scope that have usage.',
  };
}

/** Tooltip of an agent: requests, top users, last deployment. */
export function agentTooltip(a: PortfolioAgent, f: Formatters): TooltipContent {
  return {
    title: a.name || a.agentId,
    rows: [
      { label: 'Requests', value: f.count(a.requests), emphasis: true },
      { label: 'Users', value: f.count(a.users) },
      { label: 'Top users', value: a.topUsers.length ? a.topUsers.join(', ') : '—' },
      { label: 'Last deployed', value: f.date(a.lastDeployedAt) },
      { label: 'Last request', value: f.date(a.lastRequest) },
    ],
    note: 'Click or press Enter for the agent detail.',
  };
}

const isStatus = (s: string): s is AgentStatus => (AGENT_STATUSES as readonly string[]).includes(s);

/** `usage-drilldown` detail of a status row or a status × band cell. */
export function statusDrilldown(status: string, filters: UsageFilters, band?: IntensityBand): AgentStatusDrilldown {
  const next = structuredClone(filters);
  return { kind: 'agent-status', status, ...(band ? { band } : {}), filters: isStatus(status) ? { ...next, agentStatuses: [status] } : next };
}

/** `usage-drilldown` detail of an agent (the tab opens the agent detail level). */
export const agentDrilldown = (agentId: string, filters: UsageFilters): AgentDrilldown => ({
  kind: 'agent',
  agentId,
  filters: { ...structuredClone(filters), agentIds: [agentId] },
});

/** The agent table's columns; the agent column drills into the agent. */
export function agentColumns(filters: () => UsageFilters): DataColumn<PortfolioAgent>[] {
  return [
    { key: 'agent', label: 'Agent', value: (a) => a.name || a.agentId, drill: (a) => agentDrilldown(a.agentId, filters()) },
    { key: 'agentId', label: 'Agent id' },
    { key: 'status', label: 'Status' },
    { key: 'version', label: 'Version' },
    { key: 'requests', label: 'Requests', type: 'integer' },
    { key: 'users', label: 'Users', type: 'integer' },
    { key: 'lastRequest', label: 'Last request', type: 'datetime' },
    { key: 'lastDeployedAt', label: 'Last deployed', type: 'date' },
  ];
}

export interface MatrixRow {
  status: string;
  band: IntensityBand;
  agents: number;
}

export function screenRows(p: AgentPortfolio): MatrixRow[] {
  return statusesOf(p).flatMap((status) => INTENSITY_BANDS.map((band) => ({ status, band, agents: p.matrix[status]?.[band] ?? 0 })));
}

export const SCREEN_COLUMNS: DataColumn<MatrixRow>[] = [
  { key: 'status', label: 'Status' },
  { key: 'band', label: 'Usage intensity' },
  { key: 'agents', label: 'Agents', type: 'integer' },
];

/** Compares versions numerically by dot-separated parts ("1.10" > "1.9"), then as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = Number(pa[i] ?? 0);
    const y = Number(pb[i] ?? 0);
    if (Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      const c = (pa[i] ?? '').localeCompare(pb[i] ?? '');
      if (c) return c;
    }
  }
  return 0;
}

export interface AdoptionSeries {
  agentId: string;
  /** Versions oldest first (the last is the newest). */
  versions: string[];
  dates: string[];
  /** share[versionIndex][dateIndex] in %. */
  share: number[][];
  /** Requests per version over the period. */
  requests: number[];
}

/** Version adoption per agent, for the agents with two or more versions in use (most requests first). */
export function adoptionSeries(rows: readonly VersionAdoptionRow[]): AdoptionSeries[] {
  const byAgent = new Map<string, VersionAdoptionRow[]>();
  for (const r of rows) {
    const g = byAgent.get(r.agentId);
    if (g) g.push(r);
    else byAgent.set(r.agentId, [r]);
  }
  const out: AdoptionSeries[] = [];
  for (const [agentId, g] of byAgent) {
    const versions = [...new Set(g.map((r) => r.version))].sort(compareVersions);
    if (versions.length < 2) continue;
    const dates = [...new Set(g.map((r) => r.date))].sort();
    const vi = new Map(versions.map((v, i) => [v, i]));
    const di = new Map(dates.map((d, i) => [d, i]));
    const share = versions.map(() => dates.map(() => 0));
    const requests = versions.map(() => 0);
    for (const r of g) {
      share[vi.get(r.version)!][di.get(r.date)!] = r.share;
      requests[vi.get(r.version)!] += r.requests;
    }
    out.push({ agentId, versions, dates, share, requests });
  }
  const sum = (s: AdoptionSeries) => s.requests.reduce((a, b) => a + b, 0);
  return out.sort((a, b) => sum(b) - sum(a) || (a.agentId < b.agentId ? -1 : 1));
}
