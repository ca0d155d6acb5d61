import { css } from 'lit';
import { token } from '../../theme/tokens.js';
import multiSelectStyles from './multi-select.styles.js';

export default [
  multiSelectStyles,
  css`
    :host {
      display: block;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
      --_gap: var(--usage-filter-bar-gap, ${token('space-m')});
    }
    :host([hidden]) {
      display: none !important;
    }
    .bar {
      display: flex;
      flex-direction: column;
      gap: ${token('space-s')};
      padding: ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: var(--usage-filter-bar-background, ${token('color-surface')});
    }
    .row {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-end;
      gap: var(--_gap);
    }
    fieldset {
      margin: 0;
      padding: 0;
      border: 0;
      min-width: 0;
    }
    .segmented {
      display: inline-flex;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      overflow: hidden;
    }
    .segment {
      position: relative;
    }
    .segment input {
      position: absolute;
      inset: 0;
      opacity: 0;
      margin: 0;
      cursor: pointer;
    }
    .segment span {
      display: block;
      padding: 0.375rem 0.625rem;
      font-size: 0.875rem;
      border-inline-start: 1px solid ${token('color-border')};
    }
    .segment:first-child span {
      border-inline-start: 0;
    }
    .segment input:checked + span {
      background: ${token('color-accent')};
      color: ${token('color-surface')};
      font-weight: 600;
    }
    .segment input:focus-visible + span {
      outline: 3px solid ${token('color-focus-ring')};
      outline-offset: -3px;
    }
    input[type='date'],
    input[type='text'] {
      padding: 0.3125rem 0.5rem;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
    }
    input[aria-invalid='true'] {
      border-color: ${token('color-danger')};
    }
    .more-button {
      border-color: transparent;
      background: transparent;
      padding-inline: 0;
      font-weight: 600;
    }
    .custom .date {
      display: flex;
      flex-direction: column;
      gap: ${token('space-xs')};
      font-size: 0.875rem;
    }
    .custom .ms-label {
      flex-basis: 100%;
    }
    .error {
      flex-basis: 100%;
      margin: 0;
      color: ${token('color-danger')};
      font-size: 0.875rem;
      font-weight: 600;
    }
    .error:empty {
      display: none;
    }
    .userid-row {
      display: flex;
      gap: ${token('space-xs')};
    }
    .summary {
      align-items: center;
      padding-block-start: ${token('space-s')};
      border-block-start: 1px solid ${token('color-border')};
    }
    .count {
      font-size: 0.875rem;
      color: ${token('color-text-muted')};
    }
    .chips {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')};
      margin: 0;
      padding: 0;
      list-style: none;
      flex: 1 1 auto;
      min-width: 0;
    }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
      max-width: 100%;
      padding: 0.125rem 0.125rem 0.125rem 0.5rem;
      border: 1px solid ${token('color-border')};
      border-radius: 999px;
      background: var(--usage-filter-bar-chip-background, ${token('color-surface-raised')});
      font-size: 0.8125rem;
    }
    .chip-label {
      color: ${token('color-text-muted')};
      white-space: nowrap;
    }
    .chip-value {
      overflow: hidden;
      text-overflow: ellipsis;
      white-space: nowrap;
      max-width: 18rem;
    }
    .chip-remove {
      padding: 0 0.375rem;
      border: 0;
      border-radius: 999px;
      background: transparent;
      line-height: 1.4;
    }
    .chip-remove:hover {
      background: ${token('color-border')};
    }
    .reset {
      margin-inline-start: auto;
    }
  `,
];
