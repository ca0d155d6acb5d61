/**
 * @usage-analytics/elements: the `<usage-*>` custom elements. Importing this module registers
 * every element (safe to load twice).
 */
export { default as UsageProvider } from './components/provider/provider.js';
export { default as UsageKpiCards, KPI_CARDS } from './components/kpi-cards/kpi-cards.js';
export { UsageElement, define } from './internal/usage-element.js';
export {
  dataClientContext,
  filtersContext,
  loadStatusContext,
  actionsClientContext,
  savedSegmentsContext,
  type SavedSegmentList,
  type LoadFailure,
  type LoadStatus,
  type QueryClient,
  type ChartClient,
} from './internal/context.js';
export { formatDelta, formatValue, previousPeriodLabel, currentPeriodLabel } from './internal/format.js';
export * from './theme/tokens.js';
export type * from './events/index.js';
export { default as UsageFilterBar, type DimensionsSource } from './components/filter-bar/filter-bar.js';
export { toSegmentFilters, type UsageSavedSegmentsChangeDetail, type UsageSavedSegmentsChangeEvent } from './components/provider/saved-segments.js';
export { default as UsageAnalytics } from './components/analytics/analytics.js';
export { default as UsageAgentDetail } from './components/analytics/agent-detail.js';
export { CHART_SLOTS, type ChartSlot } from './components/analytics/chart-slots.js';
export { levelContext, comparedKeys, describeLevel } from './components/analytics/level.js';
export { COMPARE_DIMENSIONS, MAX_COMPARED, FLEET } from './events/usage-level-change.js';
export type * from './events/usage-level-change.js';
export { filtersToQuery, queryToFilters, toQueryString, sanitizeFilters, UrlStateController, URL_KEYS } from './internal/url-state.js';
export { default as UsageChartFrame, type FrameState } from './components/chart-frame/chart-frame.js';
export { default as UsageDataTable, type DataColumn, type ColumnType, type SortDirection } from './components/data-table/data-table.js';
export { default as UsageApiCalls, API_CALLS_PARAMS } from './components/api-calls/api-calls.js';
export {
  colourFor,
  swatchFor,
  sortDomain,
  paletteFromStyles,
  sequentialScale,
  retentionScale,
  textOn,
  contrast,
  OTHER_COLOUR,
  type Swatch,
  type Hatch,
} from './internal/palette.js';
export { toCsv, csvCell, downloadCsv, downloadBlob, safeFilename, type CsvColumn, type ExportProgress } from './internal/export.js';
export { svgToPng, inlineSvg, type PngOptions } from './internal/png-export.js';
export { TooltipController, tooltipStyles, type TooltipContent, type TooltipRow } from './internal/tooltip.js';
export { renderLegend, legendStyles, type LegendItem, type LegendOptions } from './internal/legend.js';
export { TimeZoom, zoomDomain, panDomain, clampDomain, type ZoomSource } from './internal/time-zoom.js';
export { ResizeController } from './internal/resize-controller.js';
export * as stackedArea from './charts/stacked-area.js';
export { drawForecast, clearForecast, type ForecastSeries, type ForecastBandPoint } from './charts/forecast-band.js';
export { timeScale, formatBucket, drawTimeAxis, BUCKET_MS, type Domain, type TimeBucket } from './charts/time-axis.js';
export { valueScale, drawValueAxis } from './charts/value-axis.js';
export {
  layers,
  sizeSvg,
  clearLayers,
  DEFAULT_MARGIN,
  type ChartModule,
  type Margin,
  type PlotRect,
  type TimeLayout,
  type TimeSeriesLayout,
} from './charts/contract.js';
export { chartStyles } from './charts/chart.styles.js';
export { default as UsageIntentMatrix } from './components/intent-matrix/intent-matrix.js';
export { default as UsageRetentionCohorts, RETENTION_DOMAIN } from './components/retention-cohorts/retention-cohorts.js';
export type { IntentCellDrilldown, IntentDrilldown, CohortCellDrilldown, HeatmapDrilldown } from './components/intent-matrix/heatmap-element.js';
export * as heatmap from './charts/heatmap.js';
export type { HeatmapData, HeatmapOptions, HeatmapLayout, HeatmapTarget } from './charts/heatmap.js';
export { default as UsageCallsOverTime, type BucketBreakdown, type CausesState } from './components/calls-over-time/calls-over-time.js';
export { default as UsageUniqueUsers, RETENTION_OVERLAY_PARAMS } from './components/unique-users/unique-users.js';
export { default as UsageActiveAgents } from './components/active-agents/active-agents.js';
export {
  default as UsageTopUsers,
  TOP_USERS_LIMIT,
  TOP_USERS_PARAMS,
  VIEW_ALL_PAGE,
  concentrationText,
  fetchAllUsers,
  topUserColumns,
  userDrilldown,
} from './components/top-users/top-users.js';
export {
  default as UsageDrilldownPanel,
  deepActiveElement,
  PANEL_KINDS,
  PANEL_PAGE,
  JOURNEY_PAGE,
  isPanelDetail,
  panelTitle,
  sessionsOf,
  type PanelDetail,
  type PanelKind,
  type JourneySession,
} from './components/drilldown-panel/drilldown-panel.js';
export type * from './events/usage-request-save-segment.js';
export { UsageChartElement, jsonObject, type FrameInputs, type QueryTaskOptions } from './internal/chart-element.js';
export { FRAME_PARTS, FRAME_EXPORTPARTS, type FramePart, type FrameStatus } from './internal/frame.js';
export { PaintController, type Drawing } from './internal/paint-controller.js';
export { TimeSeriesController, type TimeSeriesChart, type TimeSeriesSource } from './internal/time-series-controller.js';
export { HeatmapView, type HeatmapViewOptions } from './internal/heatmap-view.js';
export { forecastBand } from './charts/forecast-band.js';
export { default as UsageAdoptionCurve, MAX_SERIES as ADOPTION_MAX_SERIES } from './components/adoption-curve/adoption-curve.js';
export { default as UsageAgentDistribution } from './components/agent-distribution/agent-distribution.js';
export { default as UsageTimeHeatmap } from './components/time-heatmap/time-heatmap.js';
export { default as UsageCallsPerUser, AT_RISK_LIMIT, binPosition, outlierRanges, rangeDrilldown } from './components/calls-per-user/calls-per-user.js';
export { default as UsageForecastChart, HORIZONS as FORECAST_HORIZONS, explainForecast, forecastRows } from './components/forecast/forecast.js';
export { default as UsageJourneySankey } from './components/journey-sankey/journey-sankey.js';
export { default as UsageCapacityGauges, ALL_ENVIRONMENTS as CAPACITY_ALL_ENVIRONMENTS } from './components/capacity-gauges/capacity-gauges.js';
export { default as UsageGeoMap, geoMapChart, colourScale as geoColourScale } from './components/geo-map/geo-map.js';
export {
  default as UsageDependencyGraph,
  CANVAS_NODES,
  CANVAS_EDGES,
  syntheticGraph,
  graphKernel,
  LayoutRunner,
} from './components/dependency-graph/dependency-graph.js';
export {
  UsageActionDialog,
  toActionFailure,
  focusablesIn,
  activeElementDeep,
  type ActionPhase,
  type ActionFailure,
  type FieldErrors,
} from './components/action-dialog/action-dialog.js';
export {
  default as UsageActionDeprecateAgent,
  DEFAULT_SUBJECT as DEPRECATE_DEFAULT_SUBJECT,
  DEFAULT_BODY as DEPRECATE_DEFAULT_BODY,
  fillTemplate,
  type DeprecateAgentForm,
} from './components/action-deprecate-agent/action-deprecate-agent.js';
export {
  default as UsageActionRequestQuota,
  QUOTA_PREVIEW_DEBOUNCE_MS,
  type RequestQuotaForm,
} from './components/action-request-quota/action-request-quota.js';
export {
  default as UsageActionPromoteAgent,
  CHANNEL_LABELS as PROMOTION_CHANNEL_LABELS,
  PROMOTE_PREVIEW_DEBOUNCE_MS,
  PromotionCampaign,
  PromotionCampaigns,
  SEGMENT_LABELS as AUDIENCE_SEGMENT_LABELS,
  promotionIssues,
  type AudienceSegment,
  type PromoteAgentForm,
  type PromotionChannel,
} from './components/action-promote-agent/action-promote-agent.js';
export {
  default as UsageActionExportUsers,
  saveBlob,
  type ExportFormat,
  type ExportRun,
  type ExportUsersOutcome,
} from './components/action-export-users/action-export-users.js';
export {
  default as UsageActionCreateSegment,
  SEGMENT_COUNT_DEBOUNCE_MS,
  fromFilters as segmentFromFilters,
  nearestWindow as nearestSegmentWindow,
  criteriaOf as segmentCriteriaOf,
  formFromCriteria as segmentFormFromCriteria,
  type CreateSegmentForm,
  type FiltersAsCriteria,
  type SegmentSharing,
  type SegmentWindow,
} from './components/action-create-segment/action-create-segment.js';
export {
  default as UsageActionCapacityAlert,
  ALERT_PREVIEW_DEBOUNCE_MS,
  splitAddresses,
  type CapacityAlertForm,
  type CapacityAlertImpact,
  type ThresholdUnit,
} from './components/action-capacity-alert/action-capacity-alert.js';
export type * from './events/usage-action.js';
