import { define } from '../../internal/usage-element.js';
import UsageJourneySankey from './journey-sankey.component.js';

export * from './journey-sankey.component.js';
export { linkDrilldown, sankeyData, linkRows } from './journey-sankey.data.js';
export { sankeyChart, layoutSankey } from './sankey-chart.js';
export default UsageJourneySankey;

define('usage-journey-sankey', UsageJourneySankey);
