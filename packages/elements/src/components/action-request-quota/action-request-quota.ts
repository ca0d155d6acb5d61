import { define } from '../../internal/usage-element.js';
import UsageActionRequestQuota from './action-request-quota.component.js';

export * from './action-request-quota.component.js';
export default UsageActionRequestQuota;

define('usage-action-request-quota', UsageActionRequestQuota);
