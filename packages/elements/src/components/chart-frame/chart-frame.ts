import { define } from '../../internal/usage-element.js';
import UsageChartFrame from './chart-frame.component.js';

export * from './chart-frame.component.js';
export default UsageChartFrame;

define('usage-chart-frame', UsageChartFrame);
