import { define } from '../../internal/usage-element.js';
import UsageCapacityGauges from './capacity-gauges.component.js';

export * from './capacity-gauges.component.js';
export {
  ALL_ENVIRONMENTS,
  alertDetail,
  gaugeView,
  resourceDrilldown,
  resourceLabel,
  seriesView,
  tableRows,
  type GaugeVariant,
  type GaugeView,
} from './capacity-gauges.data.js';
export default UsageCapacityGauges;

define('usage-capacity-gauges', UsageCapacityGauges);
