import { css } from 'lit';
import { token } from '../../theme/tokens.js';
import { heatmapElementStyles } from '../intent-matrix/heatmap-element.js';

/** Styles of `<usage-active-agents>`: the shared heatmap styles plus the agent list and the adoption panel. */
export default [
  ...heatmapElementStyles,
  css`
    .layout {
      display: flex;
      flex-direction: column;
      gap: ${token('space-m')};
    }
    .agents {
      position: relative;
    }
    .agents usage-data-table {
      --usage-table-max-height: var(--usage-active-agents-table-max-height, 24rem);
    }
    .adoption {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: ${token('space-s')};
      display: flex;
      flex-direction: column;
      gap: ${token('space-xs')};
      font-size: 0.8125rem;
    }
    .adoption h4 {
      margin: 0;
      font-size: 0.875rem;
    }
    .adoption label {
      display: inline-flex;
      gap: ${token('space-xs')};
      align-items: center;
    }
    .adoption select {
      font: inherit;
      max-width: 20rem;
    }
    .adoption svg {
      display: block;
      max-width: 100%;
      height: auto;
    }
    .adoption svg .axis text {
      fill: ${token('color-text')};
      font-size: 10px;
    }
    .versions {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-s')};
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .versions li {
      display: inline-flex;
      align-items: center;
      gap: ${token('space-xs')};
    }
    .line-key {
      display: inline-block;
      width: 1.5rem;
      border-top-width: 3px;
      border-top-style: solid;
    }
    .line-key.old {
      border-top-style: dashed;
      border-top-width: 2px;
    }
    .muted {
      color: ${token('color-text-muted')};
    }
  `,
];
