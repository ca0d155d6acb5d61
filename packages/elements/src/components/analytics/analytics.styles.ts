import { css } from 'lit';
import { hostThemeStyles, token } from '../../theme/tokens.js';
import multiSelectStyles from '../filter-bar/multi-select.styles.js';

export default [
  hostThemeStyles,
  multiSelectStyles,
  css`
    :host {
      display: block;
      container-type: inline-size;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
      --_gap: var(--usage-analytics-gap, ${token('space-m')});
    }
    :host([hidden]) {
      display: none !important;
    }
    :host([theme]) {
      background: ${token('color-background')};
    }
    .tab {
      display: flex;
      flex-direction: column;
      gap: var(--_gap);
    }
    .header {
      display: flex;
      flex-direction: column;
      gap: ${token('space-xs')};
    }
    .crumbs {
      display: flex;
      flex-wrap: wrap;
      min-width: 0;
      align-items: center;
      gap: ${token('space-xs')};
      margin: 0;
      padding: 0;
      list-style: none;
      font-size: 0.875rem;
    }
    .crumbs li + li::before {
      content: '›';
      margin-inline-end: ${token('space-xs')};
      color: ${token('color-text-muted')};
    }
    .crumbs li {
      display: flex;
      min-width: 0;
      max-width: 100%;
    }
    /* Hostile or just long names: one line with an ellipsis (the whole text is in the title and the DOM). */
    .crumb {
      display: block;
      min-width: 0;
      max-width: min(100%, var(--usage-analytics-name-max-width, 40ch));
      padding: 0.125rem 0.25rem;
      border: 0;
      background: transparent;
      font: inherit;
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    button.crumb {
      color: ${token('color-accent')};
      text-decoration: underline;
    }
    .crumb[aria-current] {
      font-weight: 600;
    }
    .level-row {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: ${token('space-s')} ${token('space-m')};
    }
    /* At most two lines, then an ellipsis. */
    .level,
    .compare-key,
    .notice-text {
      display: -webkit-box;
      -webkit-box-orient: vertical;
      -webkit-line-clamp: 2;
      line-clamp: 2;
      overflow: hidden;
      overflow-wrap: anywhere;
      min-width: 0;
    }
    .level {
      flex: 1 1 20rem;
      margin: 0;
      font-size: 1.125rem;
      font-weight: 600;
    }
    .badge {
      display: inline-block;
      margin-inline-end: ${token('space-xs')};
      padding: 0.0625rem 0.5rem;
      border-radius: 999px;
      background: ${token('color-accent')};
      color: ${token('color-surface')};
      font-size: 0.8125rem;
      vertical-align: middle;
    }
    .hint {
      margin: 0;
      color: ${token('color-text-muted')};
      font-size: 0.875rem;
    }
    .compare-label {
      display: inline-flex;
      align-items: center;
      gap: ${token('space-s')};
      font-size: 0.875rem;
      font-weight: 600;
    }
    select {
      padding: 0.3125rem 0.5rem;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
    }
    .notice {
      display: flex;
      align-items: center;
      gap: ${token('space-s')} ${token('space-m')};
      padding: ${token('space-s')} ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-inline-start: 4px solid ${token('color-accent')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      font-size: 0.875rem;
      overflow-wrap: anywhere;
    }
    .notice-text {
      flex: 1 1 auto;
      margin: 0;
    }
    .notice button {
      flex: none;
    }
    .link-status {
      margin: 0;
      color: ${token('color-text-muted')};
    }
    .section-title {
      margin: 0 0 ${token('space-s')};
      font-size: 1rem;
    }
    .compare {
      display: flex;
      flex-direction: column;
      gap: ${token('space-m')};
    }
    .compare-key {
      margin: 0 0 ${token('space-xs')};
      font-size: 0.9375rem;
    }
    .versions {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: ${token('space-m')};
    }
    .version-table {
      border-collapse: collapse;
      font-size: 0.875rem;
      font-variant-numeric: tabular-nums;
    }
    .version-table caption {
      text-align: start;
      color: ${token('color-text-muted')};
      padding-block-end: ${token('space-xs')};
    }
    .version-table th,
    .version-table td {
      padding: 0.25rem 0.75rem;
      border-block-start: 1px solid ${token('color-border')};
      text-align: end;
    }
    .version-table th[scope='row'],
    .version-table th:first-child {
      text-align: start;
    }
    .version-table th[scope='row'] {
      max-width: var(--usage-analytics-name-max-width, 40ch);
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
    }
    /* One column on narrow screens; two (or --usage-analytics-columns-wide) when there is room. */
    .grid {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: var(--_gap);
    }
    .grid:empty {
      display: none;
    }
    .slot {
      min-width: 0;
    }
    .tab-actions {
      margin-inline-start: auto;
    }
    .agent-actions {
      display: flex;
      flex-wrap: wrap;
      gap: 0.5rem;
      justify-content: flex-end;
    }
    @container (min-width: 56rem) {
      .grid {
        grid-template-columns: repeat(var(--usage-analytics-columns-wide, 2), minmax(0, 1fr));
      }
      .slot.wide {
        grid-column: 1 / -1;
      }
    }
  `,
];
