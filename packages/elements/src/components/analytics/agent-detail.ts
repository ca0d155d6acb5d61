import { define } from '../../internal/usage-element.js';
import UsageAgentDetail from './agent-detail.component.js';

export * from './agent-detail.component.js';
export default UsageAgentDetail;

define('usage-agent-detail', UsageAgentDetail);
