/**
 * What the two heatmap elements (2.8 and 2.9) share: their styles and the
 * drill-down detail types (dispatched with `this.emit('usage-drilldown', …)`, cancelable).
 */
import { css } from 'lit';
import { chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token, visuallyHidden } from '../../theme/tokens.js';
import type { CohortCellDrilldown, DepartmentDrilldown, IntentCellDrilldown, IntentDrilldown } from '../../events/usage-drilldown.js';

export type { CohortCellDrilldown, IntentCellDrilldown, IntentDrilldown };

export type HeatmapDrilldown = IntentCellDrilldown | IntentDrilldown | CohortCellDrilldown | DepartmentDrilldown;


/** Shared styles of the heatmap elements. */
export const heatmapElementStyles = [
  chartStyles,
  tooltipStyles,
  css`
    :host {
      display: block;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
    }
    :host([hidden]),
    [hidden] {
      display: none !important;
    }
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
    .actions {
      display: inline-flex;
      gap: ${token('space-xs')};
      align-items: center;
    }
    .actions button,
    .actions select {
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
    .actions select:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
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
    .notes {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    ${visuallyHidden}
  `,
];
