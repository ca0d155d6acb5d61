import { css } from 'lit';
import { chartElementStyles, chartStyles, timeSeriesStyles } from '../../charts/chart.styles.js';
import { legendStyles } from '../../internal/legend.js';
import { tooltipStyles } from '../../internal/tooltip.js';

export default [
  chartStyles,
  legendStyles,
  tooltipStyles,
  chartElementStyles,
  timeSeriesStyles,
  css`
    .plot-wrap {
      flex: 1;
    }
    .plot {
      height: var(--usage-api-calls-height, 320px);
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-api-calls-fullscreen-height, 70vh);
    }
  `,
];
