/** A legend item was toggled. */
export interface UsageSeriesToggleDetail {
  key: string;
  /** True when the series is now hidden. */
  hidden: boolean;
  /** Every hidden series after the change. */
  hiddenKeys: string[];
}

/** Emitted by charts when a series is shown or hidden from the legend. Bubbles and is composed. */
export type UsageSeriesToggleEvent = CustomEvent<UsageSeriesToggleDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-series-toggle': UsageSeriesToggleEvent;
  }
}
