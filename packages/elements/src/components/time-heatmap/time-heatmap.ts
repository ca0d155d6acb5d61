import { define } from '../../internal/usage-element.js';
import UsageTimeHeatmap from './time-heatmap.component.js';

export * from './time-heatmap.component.js';
export default UsageTimeHeatmap;

define('usage-time-heatmap', UsageTimeHeatmap);
