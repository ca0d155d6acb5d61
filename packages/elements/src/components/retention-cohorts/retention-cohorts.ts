import { define } from '../../internal/usage-element.js';
import UsageRetentionCohorts from './retention-cohorts.component.js';

export * from './retention-cohorts.component.js';
export default UsageRetentionCohorts;

define('usage-retention-cohorts', UsageRetentionCohorts);
