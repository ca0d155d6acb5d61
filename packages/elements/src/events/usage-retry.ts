/** What failed and is to be tried again. */
export interface UsageRetryDetail {
  /** The chart's title (or another name of what failed). */
  source: string;
}

/**
 * Emitted by `<usage-chart-frame>` when the user presses Retry in its error state (after it called
 * the frame's `retry` callback, if one was set). Bubbles and is composed.
 */
export type UsageRetryEvent = CustomEvent<UsageRetryDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-retry': UsageRetryEvent;
  }
}
