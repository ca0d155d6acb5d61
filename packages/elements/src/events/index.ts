export type * from './usage-drilldown.js';
export type * from './usage-filter-change.js';
export type * from './usage-load-progress.js';
export type * from './usage-snapshot-update.js';
export type * from './usage-retry.js';
export type * from './usage-zoom.js';
export type * from './usage-series-toggle.js';
export type * from './usage-forecast-period.js';
