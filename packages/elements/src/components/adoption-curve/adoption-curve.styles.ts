import { css } from 'lit';
import { chartElementStyles, chartStyles, timeSeriesStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';
import multiSelectStyles from '../filter-bar/multi-select.styles.js';

/** Styles of `<usage-adoption-curve>`. */
export default [
  chartStyles,
  chartElementStyles,
  timeSeriesStyles,
  tooltipStyles,
  multiSelectStyles,
  css`
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')} ${token('space-m')};
      align-items: flex-end;
      font-size: 0.8125rem;
      margin-bottom: ${token('space-s')};
    }
    .controls label {
      display: inline-flex;
      gap: ${token('space-xs')};
      align-items: center;
    }
    .controls select {
      font: inherit;
    }
    .hint {
      color: ${token('color-text-muted')};
      font-size: 0.75rem;
      margin: 0;
    }
    .plot {
      height: var(--usage-adoption-curve-height, 320px);
    }
    .end-label {
      font-size: 11px;
      paint-order: stroke;
      stroke: ${token('color-surface')};
      stroke-width: 3px;
    }
    .benchmark-band {
      fill: var(--usage-adoption-curve-band-colour, ${token('color-text')});
      fill-opacity: 0.12;
    }
    .benchmark-median {
      stroke: var(--usage-adoption-curve-band-colour, ${token('color-text')});
      stroke-width: 1.5;
      stroke-opacity: 0.7;
    }
    .campaign-rule {
      stroke: var(--usage-adoption-curve-campaign-colour, ${token('color-text')});
      stroke-width: 1.5;
    }
    .campaign-tag {
      font-size: 10px;
      fill: var(--usage-adoption-curve-campaign-colour, ${token('color-text')});
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')} ${token('space-m')};
      align-items: center;
      font-size: 0.8125rem;
    }
    .swatch {
      display: inline-block;
      width: 1.25rem;
      height: 0;
      border-top: 3px solid currentColor;
      vertical-align: middle;
      margin-right: 0.25rem;
    }
    .swatch.dashed {
      border-top-style: dashed;
    }
    .swatch.band {
      height: 0.6rem;
      border: 0;
      background: ${token('color-text')};
      opacity: 0.25;
    }
    .series-list {
      list-style: none;
      padding: 0;
      margin: ${token('space-s')} 0 0;
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')};
    }
    .series-list button {
      font: inherit;
      font-size: 0.8125rem;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      padding: 2px ${token('space-s')};
      cursor: pointer;
    }
    .series-list button:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .campaigns {
      font-size: 0.8125rem;
      margin: ${token('space-xs')} 0 0;
    }
    .campaigns ul {
      margin: 0;
      padding-left: 1.2rem;
    }
    .note {
      color: ${token('color-text-muted')};
      font-size: 0.75rem;
      margin: ${token('space-xs')} 0 0;
    }
  `,
];
