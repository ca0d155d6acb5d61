import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

/**
 * Styles of `<usage-dependency-graph>`. The canvas reads the same custom properties as the SVG
 * (`--usage-graph-edge`, `--usage-graph-cycle`, `--usage-graph-focus`, `--usage-graph-label`,
 * `--usage-graph-node-stroke`), so one theme colours both renderers.
 */
export default [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  css`
    :host {
      --usage-graph-edge: #6b7079;
      --usage-graph-cycle: #c34f00;
      --usage-graph-focus: ${token('color-text')};
      --usage-graph-label: ${token('color-text')};
      --usage-graph-node-stroke: ${token('color-surface')};
    }
    .plot-wrap {
      position: relative;
    }
    .plot {
      position: relative;
      overflow: hidden;
      height: var(--usage-graph-height, 480px);
      touch-action: none;
      cursor: grab;
      outline: none;
      border-radius: ${token('radius')};
    }
    .plot:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .plot.pointing {
      cursor: pointer;
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-graph-fullscreen-height, 75vh);
    }
    .plot svg,
    .plot canvas {
      position: absolute;
      top: 0;
      left: 0;
    }
    .plot svg.hidden-export {
      visibility: hidden;
    }
    svg .edge {
      fill: none;
      stroke: var(--usage-graph-edge);
      stroke-opacity: 0.5;
      stroke-linecap: round;
      vector-effect: non-scaling-stroke;
    }
    svg .edge.cyclic {
      stroke: var(--usage-graph-cycle);
      stroke-opacity: 0.85;
      stroke-dasharray: 6 3;
    }
    svg .arrow {
      fill: var(--usage-graph-edge);
      fill-opacity: 0.5;
    }
    svg .arrow.cyclic {
      fill: var(--usage-graph-cycle);
      fill-opacity: 0.85;
    }
    svg .edge.focus {
      stroke: var(--usage-graph-focus);
      stroke-opacity: 1;
      stroke-dasharray: none;
    }
    svg .arrow.focus {
      fill: var(--usage-graph-focus);
      fill-opacity: 1;
    }
    svg .node {
      stroke: var(--usage-graph-node-stroke);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
    }
    svg .ring {
      fill: none;
      stroke: var(--usage-graph-focus);
      stroke-width: 3;
      vector-effect: non-scaling-stroke;
    }
    svg .labels text {
      font-size: 11px;
      fill: var(--usage-graph-label);
      paint-order: stroke;
      stroke: ${token('color-surface')};
      stroke-width: 3px;
      stroke-linejoin: round;
    }
    .controls {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: ${token('space-s')} ${token('space-m')};
      margin-bottom: ${token('space-s')};
      font-size: 0.8125rem;
    }
    .controls label {
      display: inline-flex;
      align-items: center;
      gap: ${token('space-xs')};
    }
    .muted {
      color: ${token('color-text-muted')};
    }
    .progress {
      position: absolute;
      inset: auto 0 0 0;
      display: flex;
      align-items: center;
      gap: ${token('space-s')};
      padding: ${token('space-xs')} ${token('space-s')};
      background: ${token('color-surface')};
      border-top: 1px solid ${token('color-border')};
      font-size: 0.8125rem;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: ${token('space-xs')} ${token('space-m')};
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
    }
    .swatch {
      display: inline-block;
      width: 0.75rem;
      height: 0.75rem;
      border-radius: 50%;
      margin-right: 0.25rem;
      vertical-align: -1px;
      border: 1px solid ${token('color-border')};
    }
    .ramp-bar {
      display: inline-block;
      width: 8rem;
      height: 0.75rem;
      border-radius: 2px;
      border: 1px solid ${token('color-border')};
      vertical-align: -2px;
    }
    .key-line {
      display: inline-block;
      width: 1.5rem;
      border-top: 2px solid var(--usage-graph-edge);
      vertical-align: middle;
      margin-right: 0.25rem;
    }
    .key-line.cyclic {
      border-top: 2px dashed var(--usage-graph-cycle);
    }
    .key-line.tick {
      position: relative;
      border-top: 2px solid var(--usage-graph-cycle);
    }
    .key-line.tick::after {
      content: '';
      position: absolute;
      left: calc(50% - 1px);
      top: -5px;
      height: 8px;
      border-left: 1px solid var(--usage-graph-cycle);
    }
    .summary {
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
    }
    bdi {
      max-width: var(--usage-graph-name-max-width, 40ch);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      display: inline-block;
      vertical-align: bottom;
    }
  `,
];
