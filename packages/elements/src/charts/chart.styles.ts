/**
 * Styles of the marks drawn by `charts/*` (axes, gridlines, focus marker, brush, forecast, heatmap
 * grid), and of what every chart element shares around them (the host, the toolbar actions, the
 * notes, a time series' plot), for the shadow root of any chart element. Colours come from the
 * theme tokens, so light and dark themes and PNG export (computed styles are inlined) follow them.
 */
import { css } from 'lit';
import { token, visuallyHidden } from '../theme/tokens.js';

export const chartStyles = css`
  svg {
    display: block;
    overflow: visible;
    font-family: ${token('font-family')};
  }
  .layer-axis-x text,
  .layer-axis-y text {
    fill: ${token('color-text-muted')};
    font-size: 11px;
  }
  .layer-axis-x .domain,
  .layer-axis-y .domain,
  .layer-axis-x .tick line,
  .layer-axis-y .tick line {
    stroke: ${token('color-border')};
  }
  .layer-axis-y .domain {
    display: none;
  }
  .gridline {
    stroke: ${token('color-border')};
    stroke-opacity: 0.6;
    shape-rendering: crispEdges;
  }
  path.area {
    stroke-width: 0.75;
    stroke-opacity: 0.9;
  }
  .focus-rule {
    stroke: ${token('color-text')};
    stroke-opacity: 0.45;
    stroke-width: 1;
    shape-rendering: crispEdges;
  }
  .focus-dot {
    stroke: ${token('color-surface')};
    stroke-width: 1.5;
  }
  .forecast-band {
    fill: ${token('color-text')};
    fill-opacity: 0.12;
  }
  .forecast-line {
    stroke: ${token('color-text')};
    stroke-width: 2;
  }
  .trend-line {
    stroke: ${token('color-text')};
    stroke-width: 1.25;
    stroke-opacity: 0.75;
  }
  .layer-interaction .overlay {
    cursor: crosshair;
  }
  .layer-interaction .selection {
    fill: ${token('color-accent')};
    fill-opacity: 0.15;
    stroke: ${token('color-accent')};
  }
`;

/** The host of a chart element, its toolbar actions (buttons and selects), its notes, and screen-reader-only text. */
export const chartElementStyles = css`
  :host {
    display: block;
    font-family: ${token('font-family')};
    color: ${token('color-text')};
  }
  :host([hidden]),
  [hidden] {
    display: none !important;
  }
  .actions {
    display: inline-flex;
    gap: ${token('space-xs')};
    align-items: center;
  }
  .actions button,
  .actions select,
  button[slot='actions'],
  button.chart-button {
    font: inherit;
    font-size: 0.8125rem;
    padding: ${token('space-xs')} ${token('space-s')};
    border: 1px solid ${token('color-accent')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    cursor: pointer;
  }
  .actions button[aria-pressed='true'] {
    background: ${token('color-accent')};
    color: ${token('color-surface')};
  }
  .actions button:focus-visible,
  .actions select:focus-visible,
  button[slot='actions']:focus-visible,
  button.chart-button:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .notes {
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  ${visuallyHidden}
`;

/** The focusable plot of a time series (`TimeSeriesController.renderPlot`); the chart sets its height. */
export const timeSeriesStyles = css`
  .plot-wrap {
    position: relative;
  }
  .plot {
    position: relative;
    border-radius: 4px;
    touch-action: pan-y;
  }
  .plot:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .plot svg {
    position: absolute;
    top: 0;
    left: 0;
  }
`;

/** The cells, headers and marginal bars of a heatmap grid (`charts/heatmap.ts`). */
export const heatmapGridStyles = css`
  svg text:not(.cell-label) {
    fill: ${token('color-text')};
    font-size: 11px;
  }
  svg text.cell-label {
    font-variant-numeric: tabular-nums;
    pointer-events: none;
  }
  svg .cell,
  svg .interactive {
    cursor: pointer;
    outline: none;
  }
  svg .cell:focus-visible .cell-fill,
  svg .cell:hover .cell-fill {
    stroke: ${token('color-text')};
    stroke-width: 2;
  }
  svg .interactive:focus-visible .hit,
  svg .interactive:hover .hit {
    fill: ${token('color-surface-raised')};
    stroke: ${token('color-focus-ring')};
    stroke-width: 2;
  }
  svg .interactive text {
    text-decoration: underline dotted;
  }
  svg .total-bar {
    fill: ${token('color-text-muted')};
    fill-opacity: 0.35;
  }
  svg .total-label {
    fill: ${token('color-text')};
    font-variant-numeric: tabular-nums;
  }
  svg .cell-hatch {
    pointer-events: none;
  }
`;
