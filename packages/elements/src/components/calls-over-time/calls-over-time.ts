import { define } from '../../internal/usage-element.js';
import UsageCallsOverTime from './calls-over-time.component.js';

export * from './calls-over-time.component.js';
export default UsageCallsOverTime;

define('usage-calls-over-time', UsageCallsOverTime);
