import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

/**
 * Styles of `<usage-agent-distribution>`: the shared chart styles (host, actions, tooltip) plus the
 * tiles, breadcrumb, selection bar and colour ramp. Tile labels keep the fill the drawing gives them
 * (black or white by contrast), so no rule here sets `fill` on them.
 */
export default [
  chartStyles,
  tooltipStyles,
  chartElementStyles,
  css`
    .plot-wrap {
      position: relative;
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
    .plot {
      position: relative;
      overflow: hidden;
      height: var(--usage-distribution-height, 440px);
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-distribution-fullscreen-height, 70vh);
    }
    .plot svg {
      position: absolute;
      top: 0;
      left: 0;
    }
    svg .tile {
      cursor: pointer;
      outline: none;
    }
    svg .tile-fill {
      stroke: ${token('color-surface')};
      stroke-width: 0.5;
    }
    svg .tile:hover > .tile-fill,
    svg .tile.tile-fill:hover {
      stroke: ${token('color-text')};
      stroke-width: 2;
    }
    svg .tile:focus-visible > .tile-fill,
    svg .tile.tile-fill:focus-visible {
      stroke: ${token('color-focus-ring')};
      stroke-width: 3;
    }
    svg .labels text {
      pointer-events: none;
      font-size: 11px;
    }
    svg text.tile-label {
      fill-opacity: 1;
    }
    svg text.tile-detail {
      font-variant-numeric: tabular-nums;
      font-size: 10px;
    }
    svg .centre {
      cursor: pointer;
    }
    svg text.centre-label {
      fill: ${token('color-text')};
      font-size: 12px;
      font-weight: 600;
    }
    .breadcrumb ol {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')};
      margin: 0 0 ${token('space-s')};
      padding: 0;
      list-style: none;
      font-size: 0.8125rem;
    }
    .breadcrumb li + li::before {
      content: '›';
      margin-inline-end: ${token('space-xs')};
      color: ${token('color-text-muted')};
    }
    .breadcrumb li[aria-current] {
      font-weight: 600;
    }
    .crumb {
      font: inherit;
      padding: 0;
      border: none;
      background: none;
      color: ${token('color-accent')};
      text-decoration: underline;
      cursor: pointer;
    }
    .crumb:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .breadcrumb bdi,
    .selected bdi {
      display: inline-block;
      max-width: 20rem;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      vertical-align: bottom;
    }
    .selection {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: ${token('space-s')};
      margin-top: ${token('space-s')};
      min-height: 2rem;
      font-size: 0.8125rem;
    }
    .reading {
      font-size: 0.8125rem;
    }
    .muted {
      color: ${token('color-text-muted')};
    }
  `,
];
