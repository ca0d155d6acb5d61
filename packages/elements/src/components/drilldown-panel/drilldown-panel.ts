import { define } from '../../internal/usage-element.js';
import UsageDrilldownPanel from './drilldown-panel.component.js';

export * from './drilldown-panel.component.js';
export {
  PANEL_KINDS,
  PANEL_PAGE,
  JOURNEY_PAGE,
  isPanelDetail,
  panelTitle,
  sessionsOf,
  type PanelDetail,
  type PanelKind,
  type JourneySession,
} from './drilldown-panel.data.js';
export default UsageDrilldownPanel;

define('usage-drilldown-panel', UsageDrilldownPanel);
