import { define } from '../../internal/usage-element.js';
import UsageChartFilters from './chart-filters.component.js';

export * from './chart-filters.component.js';
export default UsageChartFilters;

define('usage-chart-filters', UsageChartFilters);
