/** The visible time window of a time series after a zoom, pan or reset (UX2.1). */
export interface UsageZoomDetail {
  /** Window start and end (epoch ms, UTC). After a reset: the full extent. */
  start: number;
  end: number;
  /** False after a reset (the whole extent is visible). */
  zoomed: boolean;
  /** What changed it: `brush` (click-drag), `wheel`, `pan`, `keyboard`, `reset`, `api`. */
  source: 'brush' | 'wheel' | 'pan' | 'keyboard' | 'reset' | 'api';
}

/** Emitted by time-series charts when their visible window changes. Bubbles and is composed. */
export type UsageZoomEvent = CustomEvent<UsageZoomDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-zoom': UsageZoomEvent;
  }
}
