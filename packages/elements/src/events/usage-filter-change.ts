import type { UsageFilters } from '@usage-analytics/queries';

export interface UsageFilterChangeDetail {
  /** The filters that changed; merged over the provider's current filters. */
  filters: Partial<UsageFilters>;
  /** Replace the whole filter state (missing keys take their defaults) instead of merging. */
  replace?: boolean;
}

/**
 * Emitted by a control inside `<usage-provider>` to change the shared filters. The provider applies
 * it and lets it bubble on, so the page can mirror the filters (e.g. into the URL).
 */
export type UsageFilterChangeEvent = CustomEvent<UsageFilterChangeDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-filter-change': UsageFilterChangeEvent;
  }
}
