import { define } from '../../internal/usage-element.js';
import UsageCallsPerUser from './calls-per-user.component.js';

export * from './calls-per-user.component.js';
export { AT_RISK_LIMIT, binPosition, outlierRanges, rangeDrilldown } from './calls-per-user.data.js';
export default UsageCallsPerUser;

define('usage-calls-per-user', UsageCallsPerUser);
