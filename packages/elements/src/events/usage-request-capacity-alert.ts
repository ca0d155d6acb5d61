import type { CapacityStatus, UsageFilters } from '@usage-analytics/queries';

/**
 * "Configure alert" was pressed on a capacity gauge (chart 2.13), for the Set Capacity Threshold
 * Alert action (PRD A2.5). `<usage-analytics>` with an actions client opens its
 * `<usage-action-capacity-alert>` prefilled from the detail (`prefill`) and stops the event there;
 * otherwise the host listens for it. Bubbles and is composed; not cancelable (the chart does
 * nothing else on the press).
 */
export interface UsageRequestCapacityAlertDetail {
  /** `api_rate_limit`, `compute`, `memory`, `tokens_per_min` (as in the snapshot). */
  resourceType: string;
  environment: string;
  /** Unit of the usage and capacity figures (e.g. `req/min`). */
  unit: string;
  /** The thresholds in force now, in % of max capacity (the snapshot's fractions × 100). */
  warningThreshold: number;
  criticalThreshold: number;
  /** Latest sample: usage, capacity (in `unit`), utilisation in % (null without capacity) and status. */
  currentUsage: number;
  maxCapacity: number;
  utilisation: number | null;
  status: CapacityStatus;
  /** Sample time of the latest sample, ISO 8601 UTC. */
  at: string;
  /** The chart's filters (the period the peak was computed over). */
  filters: UsageFilters;
}

export type UsageRequestCapacityAlertEvent = CustomEvent<UsageRequestCapacityAlertDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-request-capacity-alert': UsageRequestCapacityAlertEvent;
  }
}
