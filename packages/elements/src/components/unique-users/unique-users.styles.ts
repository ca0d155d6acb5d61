import { css } from 'lit';
import { token } from '../../theme/tokens.js';
import { heatmapElementStyles } from '../intent-matrix/heatmap-element.js';

/** Styles of `<usage-unique-users>`: the shared chart styles plus the segment bar and the figures. */
export default [
  ...heatmapElementStyles,
  css`
    .layout {
      display: flex;
      flex-direction: column;
      gap: ${token('space-m')};
    }
    .bar-wrap {
      position: relative;
    }
    .bar {
      display: flex;
      width: 100%;
      height: var(--usage-unique-users-bar-height, 2.75rem);
      border-radius: ${token('radius')};
      overflow: hidden;
      border: 1px solid ${token('color-border')};
    }
    .segment {
      flex: 1 1 0;
      min-width: 4px;
      border: 0;
      border-right: 2px solid ${token('color-surface')};
      padding: 0 ${token('space-xs')};
      font: inherit;
      font-size: 0.8125rem;
      font-variant-numeric: tabular-nums;
      cursor: pointer;
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }
    .segment:last-child {
      border-right: 0;
    }
    .segment:hover,
    .segment:focus-visible {
      outline: 3px solid ${token('color-focus-ring')};
      outline-offset: -3px;
    }
    .segment-list {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
      gap: ${token('space-xs')} ${token('space-m')};
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.8125rem;
    }
    .segment-list li {
      display: flex;
      align-items: baseline;
      gap: ${token('space-xs')};
    }
    .swatch {
      display: inline-block;
      width: 0.75rem;
      height: 0.75rem;
      border-radius: 2px;
      flex: none;
      border: 1px solid ${token('color-border')};
    }
    .num {
      font-variant-numeric: tabular-nums;
      font-weight: 600;
    }
    .muted {
      color: ${token('color-text-muted')};
    }
    .figures {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(var(--usage-unique-users-figure-min-width, 11rem), 1fr));
      gap: ${token('space-s')};
      margin: 0;
    }
    .figure {
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: ${token('space-s')};
      background: var(--usage-unique-users-figure-background, ${token('color-surface')});
      display: flex;
      flex-direction: column;
      gap: 2px;
      font-size: 0.8125rem;
      min-width: 0;
    }
    .figure dt {
      font-weight: 600;
    }
    .figure dd {
      margin: 0;
    }
    .figure .big {
      font-size: 1.25rem;
      font-weight: 600;
      font-variant-numeric: tabular-nums;
    }
    .delta[data-direction='up'] {
      color: ${token('color-positive')};
    }
    .delta[data-direction='down'] {
      color: ${token('color-negative')};
    }
    .spark {
      color: ${token('color-accent')};
      display: block;
      max-width: 100%;
    }
  `,
];
