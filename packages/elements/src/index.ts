/**
 * @usage-analytics/elements: the `<usage-*>` custom elements. Importing this module registers
 * every element (safe to load twice).
 */
export { default as UsageProvider } from './components/provider/provider.js';
export { default as UsageKpiCards, KPI_CARDS } from './components/kpi-cards/kpi-cards.js';
export { UsageElement, define } from './internal/usage-element.js';
export {
  dataClientContext,
  filtersContext,
  loadStatusContext,
  type LoadFailure,
  type LoadStatus,
  type QueryClient,
} from './internal/context.js';
export { formatDelta, formatValue, previousPeriodLabel, currentPeriodLabel } from './internal/format.js';
export * from './theme/tokens.js';
export type * from './events/index.js';
