import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

/**
 * Styles of `<usage-geo-map>`: the map (ocean, countries, borders, bubbles), the zoom bar, the Unknown
 * bucket beside the map and the legend. Themeable through `--usage-geo-*` custom properties.
 */
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
    .plot-wrap {
      position: relative;
      flex: 4 1 28rem;
      min-width: 0;
    }
    .plot {
      position: relative;
      overflow: hidden;
      height: var(--usage-geo-height, 420px);
      border-radius: ${token('radius')};
      touch-action: none;
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-geo-fullscreen-height, 70vh);
    }
    .plot svg {
      position: absolute;
      top: 0;
      left: 0;
      cursor: grab;
    }
    svg .ocean {
      fill: var(--usage-geo-ocean, ${token('color-surface')});
    }
    svg .sphere {
      fill: var(--usage-geo-sphere, ${token('color-surface-raised')});
      stroke: ${token('color-border')};
      vector-effect: non-scaling-stroke;
    }
    svg .country {
      stroke: var(--usage-geo-border, ${token('color-surface')});
      stroke-width: 0.5;
      vector-effect: non-scaling-stroke;
      outline: none;
    }
    svg .no-data-fill {
      fill: var(--usage-geo-no-data, #d4d4d4);
    }
    svg .no-data-hatch {
      stroke: var(--usage-geo-no-data-hatch, #bdbdbd);
      stroke-width: 2;
    }
    svg .has-data {
      cursor: pointer;
    }
    svg .has-data.dimmed {
      fill-opacity: 0.35;
    }
    svg .dot {
      stroke: ${token('color-text')};
    }
    svg .borders {
      fill: none;
      stroke: var(--usage-geo-border, ${token('color-surface')});
      stroke-width: 0.6;
      vector-effect: non-scaling-stroke;
      pointer-events: none;
    }
    svg .has-data:hover,
    svg .city:hover {
      stroke: ${token('color-text')};
      stroke-width: 2;
    }
    svg .has-data:focus-visible,
    svg .city:focus-visible {
      stroke: ${token('color-focus-ring')};
      stroke-width: 3;
    }
    svg .city {
      fill: var(--usage-geo-bubble, #d55e00);
      fill-opacity: 0.7;
      stroke: var(--usage-geo-bubble-stroke, #5a2000);
      stroke-width: 1;
      vector-effect: non-scaling-stroke;
      cursor: pointer;
      outline: none;
    }
    svg .city-label {
      fill: ${token('color-text')};
      paint-order: stroke;
      stroke: ${token('color-surface')};
      stroke-width: 3px;
      stroke-linejoin: round;
      vector-effect: non-scaling-stroke;
      pointer-events: none;
    }
    .side {
      flex: 1 1 13rem;
      min-width: 0;
      display: flex;
      flex-direction: column;
      gap: ${token('space-s')};
      font-size: 0.8125rem;
    }
    .side h3 {
      margin: 0;
      font-size: 0.8125rem;
    }
    .side p {
      margin: 0;
      color: ${token('color-text-muted')};
    }
    .place-button {
      font: inherit;
      text-align: start;
      display: flex;
      gap: ${token('space-s')};
      align-items: flex-start;
      padding: ${token('space-xs')} ${token('space-s')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      cursor: pointer;
    }
    .place-button:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .place-button .line {
      display: block;
      color: ${token('color-text-muted')};
    }
    .unknown-swatch {
      flex: none;
      width: 0.9rem;
      height: 0.9rem;
      margin-top: 0.15rem;
      border: 1px dashed ${token('color-text-muted')};
      border-radius: 50%;
      background: ${token('color-surface-raised')};
    }
    .zoom-bar {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')};
      align-items: center;
      margin-bottom: ${token('space-xs')};
      font-size: 0.8125rem;
    }
    .zoom-bar .where {
      font-weight: 600;
      margin-inline-end: auto;
    }
    .legend {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: ${token('space-xs')} ${token('space-m')};
      font-size: 0.8125rem;
      color: ${token('color-text-muted')};
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .legend li {
      display: inline-flex;
      align-items: center;
      gap: ${token('space-xs')};
    }
    .swatch {
      display: inline-block;
      width: 0.9rem;
      height: 0.9rem;
      border: 1px solid ${token('color-border')};
    }
    .swatch.no-data {
      background: repeating-linear-gradient(45deg, var(--usage-geo-no-data, #d4d4d4) 0 3px, var(--usage-geo-no-data-hatch, #bdbdbd) 3px 5px);
    }
    .bubble-key {
      display: inline-block;
      border-radius: 50%;
      background: var(--usage-geo-bubble, #d55e00);
      opacity: 0.7;
      border: 1px solid var(--usage-geo-bubble-stroke, #5a2000);
    }
  `,
];
