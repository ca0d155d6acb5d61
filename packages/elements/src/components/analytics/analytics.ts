import { define } from '../../internal/usage-element.js';
import UsageAnalytics from './analytics.component.js';

export * from './analytics.component.js';
export default UsageAnalytics;

define('usage-analytics', UsageAnalytics);
