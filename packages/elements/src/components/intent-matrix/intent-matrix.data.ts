/** Pure helpers of `<usage-intent-matrix>`: heatmap input, CSV rows, tooltip and drill-downs. */
import type { IntentMatrix, UsageFilters } from '@usage-analytics/queries';
import type { HeatmapData } from '../../charts/heatmap.js';
import type { DataColumn } from '../data-table/data-table.model.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { DepartmentDrilldown } from '../../events/usage-drilldown.js';
import type { IntentCellDrilldown, IntentDrilldown } from './heatmap-element.js';

export type IntentColourBy = 'share' | 'count';

/** Display name of a department key (requests without a department have the key ''). */
export const departmentName = (d: string): string => (d === '' ? '(no department)' : d);
export const intentName = (i: string): string => (i === '' ? '(no intent)' : i);

/** Share of the intent's requests that the department made, in % (unrounded). */
export function pctOfIntent(m: IntentMatrix, d: number, i: number): number {
  const total = m.colTotals[i];
  return total > 0 ? (m.counts[d][i] / total) * 100 : 0;
}

export interface IntentFormatters {
  count: (v: number) => string;
  /** A percentage with one decimal: "41.0 %". */
  pct: (v: number) => string;
  /** Short numbers for cells and marginals: "1.2K". */
  compact: (v: number) => string;
}

export function formatters(locale: string): IntentFormatters {
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const cf = new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  return { count: (v) => nf.format(v), pct: (v) => `${pf.format(v)} %`, compact: (v) => cf.format(v) };
}

/** The heatmap input: colour by share of department (default) or by absolute count. */
export function heatmapData(m: IntentMatrix, by: IntentColourBy, f: IntentFormatters): HeatmapData {
  const pf1 = (v: number) => `${Math.round(v)}%`;
  return {
    rows: m.departments.map(departmentName),
    columns: m.intents.map(intentName),
    values: by === 'share' ? m.pctOfDept : m.counts,
    label: by === 'share' ? (r, c) => pf1(m.pctOfDept[r][c]) : (r, c) => f.compact(m.counts[r][c]),
    ariaLabel: (r, c) =>
      `${departmentName(m.departments[r])} × ${intentName(m.intents[c])}: ${f.count(m.counts[r][c])} requests, ${f.pct(m.pctOfDept[r][c])} of department`,
    rowTotals: m.rowTotals,
    colTotals: m.colTotals,
    totalLabel: f.compact,
    rowHeaderLabel: (r) => `${departmentName(m.departments[r])}: ${f.count(m.rowTotals[r])} requests (${f.pct(m.rowShares[r])} of all). Open the department`,
    columnHeaderLabel: (c) => `${intentName(m.intents[c])}: ${f.count(m.colTotals[c])} requests (${f.pct(m.colShares[c])} of all). Open the intent`,
  };
}

export interface IntentRow {
  department: string;
  intent: string;
  requests: number;
  pct_of_dept: number;
  pct_of_intent: number;
  dept_total: number;
  intent_total: number;
}

/** One row per (department, intent) — what the chart shows, for CSV and the data-table view. */
export function screenRows(m: IntentMatrix): IntentRow[] {
  const rows: IntentRow[] = [];
  m.departments.forEach((d, r) =>
    m.intents.forEach((i, c) =>
      rows.push({
        department: d,
        intent: i,
        requests: m.counts[r][c],
        pct_of_dept: m.pctOfDept[r][c],
        pct_of_intent: Math.round(pctOfIntent(m, r, c) * 10) / 10,
        dept_total: m.rowTotals[r],
        intent_total: m.colTotals[c],
      }),
    ),
  );
  return rows;
}

export const SCREEN_COLUMNS: DataColumn<IntentRow>[] = [
  { key: 'department', label: 'Department' },
  { key: 'intent', label: 'Intent' },
  { key: 'requests', label: 'Requests', type: 'integer' },
  { key: 'pct_of_dept', label: '% of department', type: 'number' },
  { key: 'pct_of_intent', label: '% of intent', type: 'number' },
  { key: 'dept_total', label: 'Department total', type: 'integer' },
  { key: 'intent_total', label: 'Intent total', type: 'integer' },
];

export function cellTooltip(m: IntentMatrix, r: number, c: number, f: IntentFormatters): TooltipContent {
  return {
    title: `${departmentName(m.departments[r])} × ${intentName(m.intents[c])}`,
    rows: [
      { label: 'Requests', value: f.count(m.counts[r][c]), emphasis: true },
      { label: '% of department', value: f.pct(m.pctOfDept[r][c]) },
      { label: '% of intent', value: f.pct(pctOfIntent(m, r, c)) },
    ],
    note: 'Click or press Enter for the agents behind this cell.',
  };
}

export function rowTooltip(m: IntentMatrix, r: number, f: IntentFormatters): TooltipContent {
  return {
    title: departmentName(m.departments[r]),
    rows: [
      { label: 'Requests', value: f.count(m.rowTotals[r]), emphasis: true },
      { label: '% of all requests', value: f.pct(m.rowShares[r]) },
    ],
    note: 'Click or press Enter for the department view.',
  };
}

export function columnTooltip(m: IntentMatrix, c: number, f: IntentFormatters): TooltipContent {
  return {
    title: intentName(m.intents[c]),
    rows: [
      { label: 'Requests', value: f.count(m.colTotals[c]), emphasis: true },
      { label: '% of all requests', value: f.pct(m.colShares[c]) },
    ],
    note: 'Click or press Enter for the intent analysis.',
  };
}

export const cellDrilldown = (department: string, intent: string, filters: UsageFilters): IntentCellDrilldown => ({
  kind: 'intent-cell',
  department,
  intent,
  filters: { ...structuredClone(filters), departments: [department], intents: [intent] },
});

export const departmentDrilldown = (department: string, filters: UsageFilters): DepartmentDrilldown => ({
  kind: 'department',
  department,
  filters: { ...structuredClone(filters), departments: [department] },
});

export const intentDrilldown = (intent: string, filters: UsageFilters): IntentDrilldown => ({
  kind: 'intent',
  intent,
  filters: { ...structuredClone(filters), intents: [intent] },
});
