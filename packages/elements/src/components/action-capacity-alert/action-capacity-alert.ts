import { define } from '../../internal/usage-element.js';
import UsageActionCapacityAlert from './action-capacity-alert.component.js';

export * from './action-capacity-alert.component.js';
export default UsageActionCapacityAlert;

define('usage-action-capacity-alert', UsageActionCapacityAlert);
