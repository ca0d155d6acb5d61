import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

/** Styles of `<usage-journey-sankey>`: the controls, the diagram (links, nodes, labels, focus), the legend. */
export default [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  css`
    .controls {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')} ${token('space-m')};
      align-items: center;
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
      max-width: 16rem;
      color: ${token('color-text')};
      background: ${token('color-surface')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: 0.1rem 0.25rem;
    }
    .controls select:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 1px;
    }
    .summary {
      margin: 0 0 ${token('space-s')};
      font-size: 0.8125rem;
    }
    /* An agent id in running text: one line, cut with an ellipsis (the whole id in the tooltip and the DOM). */
    .summary .id {
      display: inline-block;
      max-width: min(32ch, 60%);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      vertical-align: bottom;
    }
    .plot-wrap {
      position: relative;
    }
    .plot {
      position: relative;
      overflow: hidden;
      height: var(--usage-journey-sankey-height, 460px);
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-journey-sankey-fullscreen-height, 75vh);
    }
    .plot svg {
      position: absolute;
      top: 0;
      left: 0;
    }
    svg .link {
      fill: none;
      stroke-opacity: var(--usage-journey-sankey-link-opacity, 0.35);
      cursor: pointer;
      outline: none;
    }
    svg .link-exit {
      stroke-opacity: calc(var(--usage-journey-sankey-link-opacity, 0.35) * 0.7);
    }
    svg .link:hover,
    svg .link:focus-visible {
      stroke-opacity: 0.7;
    }
    svg .link:focus-visible {
      filter: drop-shadow(0 0 1.5px ${token('color-focus-ring')});
    }
    svg .node {
      outline: none;
    }
    svg .node[role='button'] {
      cursor: pointer;
    }
    svg .node-rect {
      stroke: ${token('color-surface')};
      stroke-width: 0.5;
    }
    svg .node:hover .node-rect,
    svg .node:focus-visible .node-rect {
      stroke: ${token('color-focus-ring')};
      stroke-width: 2;
    }
    svg .node-label,
    svg .column-label {
      fill: ${token('color-text')};
      font-size: 11px;
      pointer-events: none;
    }
    svg .node-label {
      paint-order: stroke;
      stroke: ${token('color-surface')};
      stroke-width: 3px;
      stroke-linejoin: round;
    }
    svg .column-label {
      fill: ${token('color-text-muted')};
      font-weight: 600;
    }
    .legend {
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
    .key.link {
      height: 0.45rem;
      background: ${token('color-text-muted')};
      opacity: 0.5;
    }
    .key.other {
      background: #8c8c8c;
    }
    .key.exit {
      background: repeating-linear-gradient(135deg, rgba(255, 255, 255, 0.75) 0 1.5px, transparent 1.5px 4px), var(--key);
    }
    .key.continues {
      background:
        radial-gradient(circle, rgba(0, 0, 0, 0.55) 1px, transparent 1.3px) 0 0 / 5px 5px,
        var(--key);
    }
  `,
];
