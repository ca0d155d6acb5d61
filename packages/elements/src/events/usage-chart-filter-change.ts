import type { UsageFilters } from '@usage-analytics/queries';

export interface UsageChartFilterChangeDetail {
  /** The chart's own filters now (its `filtersOverride`; `{}` = none). */
  override: Partial<UsageFilters>;
}

/**
 * Emitted when a chart's own filters change (its "Filters" panel). The chart applies it to itself
 * (`filtersOverride`); the shared filters do not change. Bubbles and is composed, so a host can
 * keep per-chart filters (seen from outside, the target is the chart).
 */
export type UsageChartFilterChangeEvent = CustomEvent<UsageChartFilterChangeDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-chart-filter-change': UsageChartFilterChangeEvent;
  }
}
