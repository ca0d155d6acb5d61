import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

/** Styles of `<usage-calls-per-user>`: the histogram beside the at-risk list, the legend and the notes. */
export default [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  css`
    .layout {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-m')};
      align-items: flex-start;
    }
    .chart {
      flex: 3 1 24rem;
      min-width: 0;
    }
    .at-risk {
      flex: 2 1 22rem;
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: ${token('space-xs')};
    }
    .at-risk h4 {
      margin: 0;
      font-size: 0.875rem;
    }
    .at-risk p {
      margin: 0;
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
    }
    .at-risk usage-data-table {
      --usage-table-max-height: var(--usage-calls-per-user-list-max-height, 18rem);
    }
    .plot-wrap {
      position: relative;
      height: var(--usage-calls-per-user-height, 280px);
    }
    usage-chart-frame[fullscreen] .plot-wrap {
      height: max(var(--usage-calls-per-user-height, 280px), 60vh);
    }
    .plot-wrap svg {
      position: absolute;
      top: 0;
      left: 0;
    }
    svg .bar {
      cursor: pointer;
      outline: none;
    }
    svg .bar .hit {
      fill: transparent;
    }
    svg .bar:hover .hit,
    svg .bar:focus-visible .hit {
      fill: ${token('color-surface-raised')};
    }
    svg .bar:focus-visible .hit {
      stroke: ${token('color-focus-ring')};
      stroke-width: 2;
    }
    svg .seg-mid {
      fill: var(--usage-calls-per-user-bar, ${token('cat-5')});
    }
    svg .seg-high {
      fill: var(--usage-calls-per-user-high, ${token('cat-6')});
    }
    svg .seg-low {
      fill: var(--usage-calls-per-user-low, ${token('cat-1')});
    }
    svg .texture {
      pointer-events: none;
    }
    svg .previous-line {
      stroke: ${token('color-text')};
      stroke-width: 2;
      stroke-dasharray: 5 3;
      pointer-events: none;
    }
    svg .marker {
      stroke: ${token('color-text')};
      stroke-opacity: 0.7;
      stroke-dasharray: 2 2;
    }
    svg .marker-p50 {
      stroke-dasharray: none;
      stroke-width: 1.5;
    }
    svg .marker-label,
    svg .bar-label,
    svg .axis-title {
      fill: ${token('color-text-muted')};
      font-size: 11px;
    }
    svg .marker-label {
      fill: ${token('color-text')};
      font-weight: 600;
    }
    .legend {
      margin-top: ${token('space-s')};
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')} ${token('space-m')};
      align-items: center;
      font-size: 0.8125rem;
    }
    .key {
      display: inline-block;
      width: 0.9rem;
      height: 0.9rem;
      border-radius: 2px;
      vertical-align: -2px;
      margin-inline-end: 0.3rem;
    }
    .key.mid {
      background: var(--usage-calls-per-user-bar, ${token('cat-5')});
    }
    .key.high {
      background:
        repeating-linear-gradient(135deg, rgba(255, 255, 255, 0.75) 0 1.5px, transparent 1.5px 4px), var(--usage-calls-per-user-high, ${token('cat-6')});
    }
    .key.low {
      background:
        radial-gradient(circle, rgba(0, 0, 0, 0.6) 1px, transparent 1.3px) 0 0 / 5px 5px,
        var(--usage-calls-per-user-low, ${token('cat-1')});
    }
    .key.previous {
      height: 0;
      border-top: 2px dashed ${token('color-text')};
      border-radius: 0;
      vertical-align: middle;
    }
    .legend button {
      font: inherit;
      padding: 0 0.35rem;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      cursor: pointer;
    }
    .legend button:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .summary {
      margin: 0;
      font-size: 0.8125rem;
    }
    .notes {
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
    }
  `,
];
