import { define } from '../../internal/usage-element.js';
import UsageAgentDistribution from './agent-distribution.component.js';

export * from './agent-distribution.component.js';
export { intensity, intensityScale, flatten, readingText, type DistributionRow } from './agent-distribution.data.js';
export {
  distributionChart,
  layoutNodes,
  type DistributionKind,
  type DistributionLayout,
  type DistributionOptions,
  type DrawnNode,
} from './distribution-chart.js';
export default UsageAgentDistribution;

define('usage-agent-distribution', UsageAgentDistribution);
