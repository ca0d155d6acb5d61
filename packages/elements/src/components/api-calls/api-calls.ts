import { define } from '../../internal/usage-element.js';
import UsageApiCalls from './api-calls.component.js';

export * from './api-calls.component.js';
export default UsageApiCalls;

define('usage-api-calls', UsageApiCalls);
