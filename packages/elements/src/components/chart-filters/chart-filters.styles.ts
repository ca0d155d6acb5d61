import { css } from 'lit';
import { hostThemeStyles, token, visuallyHidden } from '../../theme/tokens.js';
import multiSelectStyles from '../filter-bar/multi-select.styles.js';

export default [
  hostThemeStyles,
  multiSelectStyles,
  css`
    :host {
      display: inline-block;
      position: relative;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
    }
    .toggle {
      /* the chart frame's toolbar buttons */
      font-size: 0.8125rem;
      padding: ${token('space-xs')} ${token('space-s')};
      display: inline-flex;
      align-items: center;
      gap: 0.375rem;
    }
    .badge {
      min-width: 1.25rem;
      padding: 0 0.375rem;
      border-radius: 999px;
      background: ${token('color-accent')};
      color: ${token('color-surface')};
      font-size: 0.75rem;
      text-align: center;
    }
    .panel {
      position: absolute;
      inset-inline-end: 0;
      top: calc(100% + 0.25rem);
      z-index: 20;
      display: flex;
      flex-direction: column;
      gap: ${token('space-s')};
      width: max-content;
      max-width: min(90vw, 24rem);
      padding: ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      box-shadow: 0 6px 24px rgb(0 0 0 / 0.18);
    }
    ${visuallyHidden}
    .row {
      display: flex;
      gap: ${token('space-s')};
      justify-content: flex-end;
    }
  `,
];
