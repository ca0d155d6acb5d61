import type { UsageFilters } from '@usage-analytics/queries';

/**
 * "Save as segment" was pressed on a list of users (a user segment, a retention cohort cell).
 * For the Create User Segment action (PRD A2.3): `<usage-analytics>` with an actions client opens
 * its builder prefilled; without one the host listens for this event. `filters` select the users
 * where filters can (a segment); `userIds` lists them where they cannot (a cohort cell).
 */
export interface UsageRequestSaveSegmentDetail {
  /** The drill-down the users came from (`segment`, `cohort-cell`, `call-range`, `journey-link`). */
  source: string;
  /** A suggested name, e.g. "Power users" or "Cohort 2026-01, month 2". */
  name: string;
  filters: UsageFilters;
  userIds?: string[];
  /** For a calls-per-user range: the users' requests in the window, inclusive bounds (`max` absent = no upper bound). */
  requests?: { min: number; max?: number };
}

export type UsageRequestSaveSegmentEvent = CustomEvent<UsageRequestSaveSegmentDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-request-save-segment': UsageRequestSaveSegmentEvent;
  }
}
