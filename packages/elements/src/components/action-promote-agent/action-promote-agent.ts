import { define } from '../../internal/usage-element.js';
import UsageActionPromoteAgent from './action-promote-agent.component.js';

export * from './action-promote-agent.component.js';
export default UsageActionPromoteAgent;

define('usage-action-promote-agent', UsageActionPromoteAgent);
