import { css } from 'lit';
import { chartElementStyles, chartStyles, timeSeriesStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

export default [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  timeSeriesStyles,
  css`
    :host {
      --_fc: var(--usage-forecast-colour, ${token('color-text')});
      --_actual: var(--usage-forecast-actual-colour, ${token('cat-1')});
      --_past: var(--usage-forecast-past-colour, ${token('cat-3')});
    }
    .name {
      display: inline-block;
      max-width: var(--usage-forecast-name-max-width, 40ch);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      vertical-align: bottom;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')};
      align-items: center;
      margin-bottom: ${token('space-s')};
      font-size: 0.8125rem;
    }
    .controls label {
      display: inline-flex;
      gap: ${token('space-xs')};
      align-items: center;
    }
    .controls select {
      max-width: 16rem;
      text-overflow: ellipsis;
    }
    .horizons {
      display: inline-flex;
      gap: 2px;
    }
    .plot-wrap {
      flex: 1;
    }
    .plot {
      height: var(--usage-forecast-height, 320px);
      cursor: crosshair;
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-forecast-fullscreen-height, 70vh);
    }
    .actual-line {
      stroke: var(--_actual);
      stroke-width: 1.75;
    }
    .anomaly {
      fill: ${token('color-surface')};
      stroke: ${token('color-danger')};
      stroke-width: 2;
    }
    .forecast-band {
      fill: var(--_fc);
      fill-opacity: 0.12;
    }
    .forecast-line {
      stroke: var(--_fc);
    }
    .past-line {
      stroke: var(--_past);
      stroke-width: 1.5;
      stroke-opacity: 0.85;
    }
    .past-band {
      fill: var(--_past);
      fill-opacity: 0.12;
    }
    .origin-rule {
      stroke: ${token('color-text-muted')};
      stroke-dasharray: 2 3;
    }
    .focus-dot {
      fill: var(--_actual);
    }
    .focus-dot.forecast {
      fill: var(--_fc);
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')} ${token('space-m')};
      list-style: none;
      padding: 0;
      margin: ${token('space-s')} 0 0;
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
    }
    .legend li {
      display: inline-flex;
      align-items: center;
      gap: ${token('space-xs')};
    }
    .key {
      display: inline-block;
      width: 18px;
      height: 0;
      border-top: 2px solid;
    }
    .key.actual {
      border-color: var(--_actual);
    }
    .key.forecast {
      border-top-style: dashed;
      border-color: var(--_fc);
      box-shadow: 0 4px 0 4px color-mix(in srgb, var(--_fc) 15%, transparent);
    }
    .key.past {
      border-top-style: dotted;
      border-color: var(--_past);
    }
    .key.anomaly {
      width: 8px;
      height: 8px;
      border: 2px solid ${token('color-danger')};
      border-radius: 50%;
    }
    .details {
      margin-top: ${token('space-m')};
      padding: ${token('space-s')} ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface-raised')};
      font-size: 0.875rem;
    }
    .details:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .details header {
      display: flex;
      justify-content: space-between;
      align-items: center;
      gap: ${token('space-s')};
    }
    .details h3 {
      font-size: 0.9375rem;
      margin: 0;
    }
    .explanation {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: ${token('space-xs')} ${token('space-m')};
      margin: ${token('space-s')} 0;
    }
    .explanation dt {
      font-weight: 600;
    }
    .explanation dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .accuracy {
      margin-top: ${token('space-m')};
      font-size: 0.8125rem;
    }
    .accuracy summary {
      cursor: pointer;
    }
    .accuracy summary:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .accuracy table {
      border-collapse: collapse;
      margin-top: ${token('space-s')};
      font-variant-numeric: tabular-nums;
    }
    .accuracy th,
    .accuracy td {
      text-align: right;
      padding: 2px ${token('space-s')};
      border-bottom: 1px solid ${token('color-border')};
    }
    .accuracy th[scope='col'],
    .accuracy th[scope='row'] {
      text-align: left;
    }
  `,
];
