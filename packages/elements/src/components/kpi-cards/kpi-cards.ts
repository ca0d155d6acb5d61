import { define } from '../../internal/usage-element.js';
import UsageKpiCards from './kpi-cards.component.js';

export * from './kpi-cards.component.js';
export default UsageKpiCards;

define('usage-kpi-cards', UsageKpiCards);
