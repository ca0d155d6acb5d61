/**
 * The list filters a chart's own "Filters" panel can offer, in the base layer: the chart base
 * names its default fields and the filter bar and `<usage-chart-filters>` use the same type.
 */
import type { ListField } from './url-state.js';

/** The list filters offered as multi-select listboxes (user ids are typed in). */
export type ListFilterField = Exclude<ListField, 'userIds'>;

/** The PRD's per-chart secondary filters (agent, request status, model family). */
export const SECONDARY_CHART_FIELDS: readonly ListFilterField[] = ['agentIds', 'requestStatuses', 'modelFamilies'];
