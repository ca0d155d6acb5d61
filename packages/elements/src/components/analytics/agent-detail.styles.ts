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
    display: grid;
    gap: ${token('space-l')};
  }
  .section {
    min-width: 0;
    padding: ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
  }
  .title {
    margin: 0 0 ${token('space-s')};
    font-size: 1rem;
  }
  .summary,
  .message {
    margin: 0 0 ${token('space-s')};
    color: ${token('color-text-muted')};
    overflow-wrap: anywhere;
  }
  .name {
    display: inline-block;
    max-width: min(100%, var(--usage-agent-detail-name-max-width, 40ch));
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    vertical-align: bottom;
  }
  .message.error {
    padding: ${token('space-s')} ${token('space-m')};
    border: 1px solid ${token('color-danger')};
    border-inline-start-width: 4px;
    border-radius: ${token('radius')};
    background: ${token('color-danger-surface')};
    color: ${token('color-text')};
  }
  .adoption {
    display: block;
    width: 100%;
    height: 6rem;
    margin-block-end: ${token('space-s')};
  }
  .adoption path {
    fill: none;
    stroke: ${token('color-accent')};
    stroke-width: 2;
    vector-effect: non-scaling-stroke;
  }
  button.link {
    padding: 0;
    border: 0;
    background: transparent;
    color: ${token('color-accent')};
    font: inherit;
    text-decoration: underline;
    cursor: pointer;
    text-align: start;
    overflow-wrap: anywhere;
  }
  .table-wrap {
    max-height: var(--usage-agent-detail-max-height, 24rem);
    overflow: auto;
    border: 1px solid ${token('color-border')};
    border-radius: 4px;
  }
  .table-wrap:focus-visible,
  button:focus-visible {
    outline: 3px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  table {
    width: 100%;
    border-collapse: collapse;
    font-size: 0.875rem;
    font-variant-numeric: tabular-nums;
  }
  caption {
    padding: ${token('space-xs')} ${token('space-s')};
    text-align: start;
    color: ${token('color-text-muted')};
  }
  th,
  td {
    padding: 0.3125rem 0.625rem;
    border-block-start: 1px solid ${token('color-border')};
    text-align: start;
    white-space: nowrap;
    max-width: 20rem;
    overflow: hidden;
    text-overflow: ellipsis;
  }
  .num {
    text-align: end;
  }
  thead th {
    position: sticky;
    top: 0;
    background: ${token('color-surface-raised')};
    font-weight: 600;
  }
  tbody th {
    font-weight: 500;
  }
  td.bad {
    color: ${token('color-negative')};
    font-weight: 600;
  }
  button {
    font: inherit;
    margin-block-start: ${token('space-s')};
    padding: ${token('space-xs')} ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    cursor: pointer;
  }
  code {
    font-family: ${token('font-family-mono')};
  }
`;
