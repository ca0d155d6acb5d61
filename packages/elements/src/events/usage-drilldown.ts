import type { Kpis, UsageFilters } from '@usage-analytics/queries';

/** A KPI card was activated (click, Enter or Space). */
export interface KpiDrilldown {
  kind: 'kpi';
  /** Which KPI: `totalCalls`, `uniqueUsers`, `activeAgents` or `avgCallsPerUser`. */
  metric: keyof Kpis;
  /** A copy of the filters the value was computed under. */
  filters: UsageFilters;
}

/** What was drilled into; a union that grows with each chart (`kind` tells them apart). */
export type UsageDrilldownDetail = KpiDrilldown;

/** Emitted when the user asks for the detail behind a figure. Bubbles and is composed. */
export type UsageDrilldownEvent = CustomEvent<UsageDrilldownDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-drilldown': UsageDrilldownEvent;
  }
}
