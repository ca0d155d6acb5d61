import { css } from 'lit';
import { chartStyles } from '../../charts/chart.styles.js';
import { legendStyles } from '../../internal/legend.js';
import { tooltipStyles } from '../../internal/tooltip.js';
import { token, visuallyHidden } from '../../theme/tokens.js';

export default [
  chartStyles,
  legendStyles,
  tooltipStyles,
  css`
    :host {
      display: block;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
    }
    :host([hidden]) {
      display: none;
    }
    [hidden] {
      display: none !important;
    }
    .plot-wrap {
      position: relative;
      flex: 1;
    }
    .plot {
      position: relative;
      height: var(--usage-api-calls-height, 320px);
      border-radius: 4px;
      touch-action: pan-y;
    }
    usage-chart-frame[fullscreen] .plot {
      height: var(--usage-api-calls-fullscreen-height, 70vh);
    }
    .plot:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .plot svg {
      position: absolute;
      top: 0;
      left: 0;
    }
    button[slot='actions'] {
      font: inherit;
      font-size: 0.8125rem;
      padding: ${token('space-xs')} ${token('space-s')};
      border: 1px solid ${token('color-accent')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text')};
      cursor: pointer;
    }
    button[slot='actions']:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    .notes {
      display: flex;
      flex-direction: column;
      gap: 2px;
    }
    ${visuallyHidden}
  `,
];
