/**
 * What the two heatmap elements (2.8 and 2.9) share: their styles and the
 * drill-down detail types (dispatched with `this.emit('usage-drilldown', …)`, cancelable).
 */
import { css } from 'lit';
import { chartElementStyles, chartStyles, heatmapGridStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';
import type { CohortCellDrilldown, DepartmentDrilldown, IntentCellDrilldown, IntentDrilldown } from '../../events/usage-drilldown.js';

export type { CohortCellDrilldown, IntentCellDrilldown, IntentDrilldown };

export type HeatmapDrilldown = IntentCellDrilldown | IntentDrilldown | CohortCellDrilldown | DepartmentDrilldown;

/** Shared styles of the matrix charts (2.3, 2.8, 2.9, and 2.2's figures). */
export const heatmapElementStyles = [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  heatmapGridStyles,
  css`
    .plot-wrap {
      position: relative;
    }
    .plot {
      overflow: auto;
      max-height: var(--usage-heatmap-max-height, 820px);
    }
    usage-chart-frame[fullscreen] .plot {
      max-height: 80vh;
    }
    .ramp {
      display: flex;
      align-items: center;
      gap: ${token('space-s')};
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
      flex-wrap: wrap;
    }
    .ramp-bar {
      display: inline-block;
      width: 10rem;
      height: 0.75rem;
      border-radius: 2px;
      border: 1px solid ${token('color-border')};
    }
  `,
];
