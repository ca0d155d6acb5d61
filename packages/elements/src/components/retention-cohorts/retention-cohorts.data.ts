/** Pure helpers of `<usage-retention-cohorts>`: the cohort grid, heatmap input, CSV rows, tooltip and drill-down. */
import type { RetentionCell, UsageFilters } from '@usage-analytics/queries';
import type { HeatmapData } from '../../charts/heatmap.js';
import type { TooltipContent } from '../../internal/tooltip.js';
import type { DataColumn } from '../data-table/data-table.model.js';
import type { CohortCellDrilldown } from '../intent-matrix/heatmap-element.js';

/** The cells arranged as cohorts (rows, oldest first) × months since first seen (columns). */
export interface CohortGrid {
  cohorts: string[];
  /** Cohort size per row (month-0 users). */
  sizes: number[];
  /** 0..max offset. */
  offsets: number[];
  /** cells[r][k]: the cell, or null where the cohort has not reached offset k. */
  cells: (RetentionCell | null)[][];
}

export function cohortGrid(cells: readonly RetentionCell[]): CohortGrid {
  const cohorts = [...new Set(cells.map((c) => c.cohortMonth))].sort();
  const maxOffset = cells.reduce((m, c) => Math.max(m, c.monthOffset), -1);
  const offsets = Array.from({ length: maxOffset + 1 }, (_, k) => k);
  const index = new Map(cohorts.map((c, i) => [c, i]));
  const grid: (RetentionCell | null)[][] = cohorts.map(() => offsets.map(() => null));
  const sizes = cohorts.map(() => 0);
  for (const c of cells) {
    const r = index.get(c.cohortMonth)!;
    grid[r][c.monthOffset] = c;
    sizes[r] = c.cohortSize;
  }
  return { cohorts, sizes, offsets, cells: grid };
}

export interface CohortFormatters {
  count: (v: number) => string;
  /** Retention with one decimal: "41.2 %". */
  pct: (v: number) => string;
  /** Compact form printed in cells: "41.2%". */
  cell: (v: number) => string;
}

export function formatters(locale: string): CohortFormatters {
  const nf = new Intl.NumberFormat(locale);
  const pf = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return { count: (v) => nf.format(v), pct: (v) => `${pf.format(v)} %`, cell: (v) => `${pf.format(v)}%` };
}

/** 'YYYY-MM' plus `k` months. */
export function addMonths(month: string, k: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + k, 1));
  return d.toISOString().slice(0, 7);
}

export function heatmapData(g: CohortGrid, f: CohortFormatters): HeatmapData {
  return {
    rows: g.cohorts.map((c, r) => `${c} (${f.count(g.sizes[r])})`),
    columns: g.offsets.map((k) => `M${k}`),
    values: g.cells.map((row) => row.map((c) => (c ? c.retentionPct : null))),
    label: (r, k) => f.cell(g.cells[r][k]!.retentionPct),
    ariaLabel: (r, k) => {
      const c = g.cells[r][k]!;
      return `Cohort ${c.cohortMonth}, month ${k} (${addMonths(c.cohortMonth, k)}): ${f.pct(c.retentionPct)} retained, ${f.count(c.retainedUsers)} of ${f.count(c.cohortSize)} users${c.incomplete ? ', incomplete month' : ''}`;
    },
    incomplete: (r, k) => g.cells[r][k]?.incomplete ?? false,
    rowHeaderLabel: (r) => `Cohort ${g.cohorts[r]}: ${f.count(g.sizes[r])} users`,
    columnHeaderLabel: (k) => `Month ${k} since first seen`,
  };
}

export function cellTooltip(c: RetentionCell, f: CohortFormatters): TooltipContent {
  return {
    title: `Cohort ${c.cohortMonth} · month ${c.monthOffset} (${addMonths(c.cohortMonth, c.monthOffset)})`,
    rows: [
      { label: 'Retained users', value: `${f.count(c.retainedUsers)} of ${f.count(c.cohortSize)}`, emphasis: true },
      { label: 'Retention', value: f.pct(c.retentionPct) },
    ],
    note: c.incomplete
      ? 'Incomplete: this month is not over yet in the data, so the value can still rise.'
      : 'Click or press Enter for the users of this cell.',
  };
}

export interface CohortRow {
  cohort_month: string;
  month_offset: number;
  activity_month: string;
  cohort_size: number;
  retained_users: number;
  /** Unrounded, as the query returns it (DA2.3). */
  retention_pct: number;
  incomplete: boolean;
}

export function screenRows(cells: readonly RetentionCell[]): CohortRow[] {
  return cells.map((c) => ({
    cohort_month: c.cohortMonth,
    month_offset: c.monthOffset,
    activity_month: addMonths(c.cohortMonth, c.monthOffset),
    cohort_size: c.cohortSize,
    retained_users: c.retainedUsers,
    retention_pct: c.retentionPct,
    incomplete: c.incomplete,
  }));
}

export const SCREEN_COLUMNS: DataColumn<CohortRow>[] = [
  { key: 'cohort_month', label: 'Cohort month' },
  { key: 'month_offset', label: 'Month offset', type: 'integer' },
  { key: 'activity_month', label: 'Activity month' },
  { key: 'cohort_size', label: 'Cohort size', type: 'integer' },
  { key: 'retained_users', label: 'Retained users', type: 'integer' },
  { key: 'retention_pct', label: 'Retention %', type: 'number' },
  { key: 'incomplete', label: 'Incomplete', format: (v) => (v ? 'yes' : 'no') },
];

export const cohortDrilldown = (c: RetentionCell, filters: UsageFilters): CohortCellDrilldown => ({
  kind: 'cohort-cell',
  cohortMonth: c.cohortMonth,
  monthOffset: c.monthOffset,
  filters: structuredClone(filters),
});
