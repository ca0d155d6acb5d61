import { define } from '../../internal/usage-element.js';
import UsageActiveAgents from './active-agents.component.js';

export * from './active-agents.component.js';
export default UsageActiveAgents;

define('usage-active-agents', UsageActiveAgents);
