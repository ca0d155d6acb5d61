import { css } from 'lit';
import { chartElementStyles, chartStyles } from '../../charts/chart.styles.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token } from '../../theme/tokens.js';

const ok = css`var(--usage-capacity-ok, ${token('cat-3')})`;
const warning = css`var(--usage-capacity-warning, ${token('cat-1')})`;
const critical = css`var(--usage-capacity-critical, ${token('cat-6')})`;

/** Styles of `<usage-capacity-gauges>`: the gauge cards, the selectors, the detail panel. */
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
      margin-bottom: ${token('space-s')};
      font-size: 0.8125rem;
    }
    .segmented {
      display: inline-flex;
      gap: 0;
      border: 1px solid ${token('color-accent')};
      border-radius: ${token('radius')};
      overflow: hidden;
    }
    .segmented button {
      font: inherit;
      padding: ${token('space-xs')} ${token('space-s')};
      border: 0;
      background: ${token('color-surface')};
      color: ${token('color-text')};
      cursor: pointer;
    }
    .segmented button + button {
      border-inline-start: 1px solid ${token('color-accent')};
    }
    .segmented button[aria-pressed='true'] {
      background: ${token('color-accent')};
      color: ${token('color-surface')};
    }
    .segmented button:focus-visible,
    .gauge-button:focus-visible,
    .alert-button:focus-visible,
    .detail button:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .env-group h3 {
      font-size: 0.875rem;
      margin: ${token('space-s')} 0;
    }
    .grid {
      display: grid;
      grid-template-columns: repeat(auto-fill, minmax(var(--usage-capacity-card-min-width, 13.5rem), 1fr));
      gap: ${token('space-s')};
      list-style: none;
      margin: 0;
      padding: 0;
    }
    :host([variant='bullet']) .grid {
      grid-template-columns: repeat(auto-fill, minmax(var(--usage-capacity-card-min-width, 15rem), 1fr));
    }
    .gauge {
      display: flex;
      flex-direction: column;
      gap: ${token('space-xs')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: ${token('space-s')};
      background: ${token('color-surface')};
      min-width: 0;
    }
    .gauge[data-status='warning'] {
      border-inline-start: 4px solid ${warning};
    }
    .gauge[data-status='critical'] {
      border-inline-start: 4px double ${critical};
    }
    .gauge.selected {
      box-shadow: 0 0 0 2px ${token('color-accent')};
    }
    .gauge-button {
      font: inherit;
      color: inherit;
      text-align: start;
      background: none;
      border: 0;
      padding: 0;
      cursor: pointer;
      display: flex;
      flex-direction: column;
      gap: 2px;
      align-items: stretch;
      min-width: 0;
    }
    .gauge-button:hover .gauge-svg {
      filter: drop-shadow(0 0 2px ${token('color-border')});
    }
    .gauge-title {
      font-weight: 600;
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    .gauge-svg {
      display: block;
      max-width: 100%;
      height: auto;
      margin: 0 auto;
    }
    .status {
      display: inline-flex;
      align-items: center;
      gap: 0.3rem;
      font-weight: 600;
      font-size: 0.8125rem;
    }
    .status-icon {
      flex: none;
    }
    .status-icon .glyph {
      fill: none;
      stroke: ${token('color-surface')};
      stroke-width: 2;
      stroke-linecap: round;
    }
    .status-ok {
      fill: ${ok};
    }
    .status-warning {
      fill: ${warning};
    }
    .status-warning .glyph {
      stroke: ${token('color-text')};
    }
    .status-critical {
      fill: ${critical};
    }
    .status-unknown {
      fill: ${token('color-text-muted')};
    }
    .figure,
    .peak,
    .thresholds,
    .stale {
      font-size: 0.8125rem;
      overflow-wrap: anywhere;
    }
    .peak,
    .thresholds,
    .stale {
      color: ${token('color-text-muted')};
    }
    .thresholds,
    .stale {
      margin: 0;
    }
    .alert-rule {
      margin: 0;
      font-size: 0.8125rem;
      overflow-wrap: anywhere;
      display: flex;
      flex-wrap: wrap;
      gap: 0 0.35rem;
      align-items: center;
    }
    .alert-rule .alert-state {
      font-weight: 600;
    }
    .alert-rule .alert-thresholds {
      color: ${token('color-text-muted')};
    }
    .alert-tick line {
      stroke: var(--usage-capacity-alert, ${token('color-text')});
      stroke-width: 2;
      stroke-dasharray: 2 2;
    }
    .alert-tick circle {
      fill: var(--usage-capacity-alert, ${token('color-text')});
      stroke: ${token('color-surface')};
      stroke-width: 0.75;
    }
    .alert-button {
      align-self: flex-start;
      font: inherit;
      font-size: 0.8125rem;
      padding: 2px ${token('space-s')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      cursor: pointer;
    }
    /* The gauges' drawing. */
    .zone {
      fill-opacity: 0.55;
    }
    .zone-ok {
      fill: ${ok};
    }
    .zone-warning {
      fill: ${warning};
    }
    .zone-critical {
      fill: ${critical};
    }
    .zone-texture {
      pointer-events: none;
    }
    .texture-line {
      stroke: ${token('color-text')};
      stroke-opacity: 0.45;
    }
    .threshold {
      stroke: ${token('color-text')};
      stroke-width: 1.5;
    }
    .tick-label,
    .threshold-label,
    .axis-title {
      fill: ${token('color-text')};
      font-size: 10px;
    }
    .end-label {
      fill: ${token('color-text-muted')};
    }
    .value-arc,
    .value-bar,
    .needle-hub {
      fill: var(--usage-capacity-value, ${token('color-text')});
    }
    .needle {
      stroke: var(--usage-capacity-value, ${token('color-text')});
      stroke-width: 2.5;
      stroke-linecap: round;
    }
    .value-text {
      fill: ${token('color-text')};
      font-size: 20px;
      font-weight: 700;
    }
    .peak-marker {
      fill: var(--usage-capacity-peak, ${token('color-accent')});
      stroke: ${token('color-surface')};
      stroke-width: 0.75;
    }
    .peak-line {
      stroke: var(--usage-capacity-peak, ${token('color-accent')});
      stroke-width: 2;
    }
    /* The detail panel. */
    .detail {
      margin-top: ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: ${token('space-s')} ${token('space-m')};
    }
    .detail-head {
      display: flex;
      justify-content: space-between;
      align-items: baseline;
      gap: ${token('space-s')};
    }
    .detail h3 {
      font-size: 0.9375rem;
      margin: 0;
      overflow-wrap: anywhere;
    }
    .detail-plot {
      position: relative;
      height: var(--usage-capacity-detail-height, 240px);
    }
    usage-chart-frame[fullscreen] .detail-plot {
      height: max(var(--usage-capacity-detail-height, 240px), 45vh);
    }
    .detail-plot:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .detail-plot svg {
      position: absolute;
      top: 0;
      left: 0;
    }
    .detail p {
      margin: ${token('space-xs')} 0;
      font-size: 0.8125rem;
    }
    .detail-legend {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')} ${token('space-m')};
      font-size: 0.8125rem;
      align-items: center;
    }
    .detail-legend svg {
      vertical-align: middle;
      margin-inline-end: 0.3rem;
    }
    .series-mean {
      stroke: var(--usage-capacity-mean, ${token('cat-5')});
      stroke-width: 2;
    }
    .series-max {
      stroke: var(--usage-capacity-max, ${token('color-text')});
      stroke-width: 1.25;
      stroke-dasharray: 4 2;
    }
    .threshold-warning {
      stroke-dasharray: 6 3;
    }
    .threshold-critical {
      stroke-dasharray: 8 3 2 3;
      stroke-width: 2;
    }
    .breach-warning {
      fill: ${token('color-surface')};
      stroke: ${token('color-text')};
      stroke-width: 1.2;
    }
    .breach-critical {
      fill: ${critical};
      stroke: ${token('color-text')};
      stroke-width: 1;
    }
    .png-stage {
      position: absolute;
      left: -100000px;
      top: 0;
      pointer-events: none;
    }
  `,
];
