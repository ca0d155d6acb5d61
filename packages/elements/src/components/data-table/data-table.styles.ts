import { css } from 'lit';
import { token } from '../../theme/tokens.js';

export default css`
  :host {
    display: block;
    font-family: ${token('font-family')};
    color: ${token('color-text')};
  }
  :host([hidden]) {
    display: none;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: ${token('space-s')};
  }
  .controls {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${token('space-s')};
  }
  .search-label {
    font-size: 0.875rem;
    color: ${token('color-text-muted')};
  }
  .search {
    font: inherit;
    min-width: 12rem;
    padding: ${token('space-xs')} ${token('space-s')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
  }
  .count {
    flex: 1;
    font-size: 0.875rem;
    color: ${token('color-text-muted')};
  }
  .scroller {
    max-height: var(--usage-table-max-height, 32rem);
    overflow: auto;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: var(--usage-table-font-size, 0.875rem);
  }
  caption {
    text-align: start;
    padding: ${token('space-s')};
    font-weight: 650;
  }
  th,
  td {
    padding: var(--usage-table-cell-padding, ${token('space-xs')} ${token('space-s')});
    text-align: start;
    border-bottom: 1px solid ${token('color-border')};
    max-width: 24rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  th {
    position: sticky;
    top: 0;
    background: var(--usage-table-header-background, ${token('color-surface-raised')});
    font-weight: 650;
  }
  .num {
    text-align: end;
    font-variant-numeric: tabular-nums;
  }
  tbody tr:nth-child(even) {
    background: var(--usage-table-stripe, transparent);
  }
  tbody tr:hover {
    background: ${token('color-surface-raised')};
  }
  button {
    font: inherit;
    font-size: 0.875rem;
    padding: ${token('space-xs')} ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.55;
  }
  button.sort {
    display: inline-flex;
    align-items: center;
    gap: 0.35em;
    width: 100%;
    padding: 0;
    border: 0;
    background: none;
    font-weight: inherit;
    justify-content: inherit;
    text-align: inherit;
  }
  th.num button.sort {
    justify-content: flex-end;
  }
  .sort-glyph {
    color: ${token('color-text-muted')};
    font-size: 0.75em;
  }
  .sort-glyph.active {
    color: ${token('color-text')};
  }
  button.drill {
    padding: 0;
    border: 0;
    background: none;
    color: ${token('color-accent')};
    text-decoration: underline;
    max-width: 100%;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  button:focus-visible,
  .search:focus-visible,
  .scroller:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .empty {
    margin: 0;
    padding: ${token('space-m')};
    color: ${token('color-text-muted')};
  }
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${token('space-s')};
    font-size: 0.875rem;
  }
  .page-of {
    color: ${token('color-text-muted')};
  }
`;
