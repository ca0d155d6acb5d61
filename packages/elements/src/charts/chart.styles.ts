/**
 * Styles of the marks drawn by `charts/*` (axes, gridlines, focus marker, brush, forecast), for
 * the shadow root of any chart element. Colours come from the theme tokens, so light and dark
 * themes and PNG export (computed styles are inlined) follow them.
 */
import { css } from 'lit';
import { token } from '../theme/tokens.js';

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
