import type { LoadProgress } from '@usage-analytics/data-client';

/** Where the snapshot load is: phase, the table being loaded, tables done of total. */
export type UsageLoadProgressDetail = LoadProgress;

/** Emitted by `<usage-provider>` at each step of opening a snapshot, ending with phase `ready`. */
export type UsageLoadProgressEvent = CustomEvent<UsageLoadProgressDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-load-progress': UsageLoadProgressEvent;
  }
}
