import { css } from 'lit';
import { chartElementStyles, chartStyles, heatmapGridStyles, timeSeriesStyles } from '../../charts/chart.styles.js';
import { legendStyles } from '../../internal/legend.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

export default [
  chartStyles,
  legendStyles,
  tooltipStyles,
  chartElementStyles,
  timeSeriesStyles,
  heatmapGridStyles,
  css`
    .views {
      display: flex;
      flex-direction: column;
      gap: ${token('space-m')};
    }
    h3,
    h4 {
      font-size: 0.875rem;
      margin: 0 0 ${token('space-xs')};
    }
    .plot {
      height: var(--usage-calls-over-time-height, 280px);
    }
    .marker {
      position: absolute;
      width: 16px;
      height: 16px;
      margin: -8px 0 0 -8px;
      padding: 0;
      border-radius: 50%;
      border: 2px solid ${token('color-surface')};
      background: #b94a00;
      cursor: pointer;
      z-index: 2;
    }
    .marker[data-direction='dip'] {
      background: #0072b2;
      border-radius: 2px;
    }
    .marker:focus-visible,
    .marker[aria-pressed='true'] {
      outline: 3px solid ${token('color-focus-ring')};
      outline-offset: 1px;
    }
    .heat {
      overflow: auto;
    }
    .causes {
      border: 1px solid ${token('color-accent')};
      border-radius: ${token('radius')};
      padding: ${token('space-s')};
    }
    .causes-head {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: ${token('space-s')};
    }
    .cause-lists {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(14rem, 1fr));
      gap: ${token('space-s')};
    }
    .cause-lists ol {
      margin: 0;
      padding-inline-start: 1.25rem;
      font-size: 0.8125rem;
    }
    .cause-lists li,
    .bars li {
      overflow-wrap: anywhere;
    }
    .bars {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 2px;
      font-size: 0.8125rem;
    }
    .bars li {
      display: grid;
      grid-template-columns: 3rem 1fr 5rem;
      align-items: center;
      gap: ${token('space-xs')};
    }
    .bar {
      display: block;
      height: 12px;
      background: ${token('color-accent')};
      border-radius: 2px;
    }
    .bar-value {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
  `,
];
