import { define } from '../../internal/usage-element.js';
import UsageActionDeprecateAgent from './action-deprecate-agent.component.js';

export * from './action-deprecate-agent.component.js';
export default UsageActionDeprecateAgent;

define('usage-action-deprecate-agent', UsageActionDeprecateAgent);
