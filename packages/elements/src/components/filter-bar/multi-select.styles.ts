import { css } from 'lit';
import { token } from '../../theme/tokens.js';

/** Styles of {@link MultiSelect} (and the controls around it), shared by every host that renders one. */
export default css`
  [hidden] {
    display: none !important;
  }
  button,
  input,
  select {
    font: inherit;
    color: inherit;
  }
  button {
    padding: 0.375rem 0.75rem;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    color: ${token('color-text-muted')};
    opacity: 0.7;
  }
  button:focus-visible,
  input:focus-visible,
  select:focus-visible,
  .listbox:focus-visible {
    outline: 3px solid ${token('color-focus-ring')};
    outline-offset: 1px;
  }
  input[type='search'] {
    padding: 0.3125rem 0.5rem;
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
  }
  .ms-label {
    display: block;
    margin-block-end: ${token('space-xs')};
    padding: 0;
    font-size: 0.8125rem;
    font-weight: 600;
    color: ${token('color-text-muted')};
  }
  .ms {
    position: relative;
  }
  .trigger {
    display: inline-flex;
    align-items: center;
    justify-content: space-between;
    gap: ${token('space-s')};
    min-width: var(--usage-filter-bar-control-min-width, 9rem);
    max-width: 16rem;
  }
  .trigger-value {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .popup {
    position: absolute;
    z-index: 10;
    inset-block-start: calc(100% + 4px);
    inset-inline-start: 0;
    display: flex;
    flex-direction: column;
    gap: ${token('space-s')};
    width: max(100%, 16rem);
    max-width: 90vw;
    box-sizing: border-box;
    padding: ${token('space-s')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    box-shadow: 0 8px 24px rgb(0 0 0 / 0.18);
  }
  .listbox {
    max-height: var(--usage-filter-bar-popup-max-height, 18rem);
    overflow-y: auto;
    margin: 0;
    padding: 0;
    list-style: none;
    border-radius: 4px;
  }
  .group-options {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .group-label {
    display: block;
    margin-top: ${token('space-s')};
    padding: 0.25rem 0.5rem;
    border-top: 1px solid ${token('color-border')};
    font-size: 0.8125rem;
    font-weight: 600;
    color: ${token('color-text-muted')};
  }
  .option {
    display: flex;
    align-items: baseline;
    gap: ${token('space-s')};
    padding: 0.3125rem 0.5rem;
    border-radius: 4px;
    cursor: pointer;
    overflow-wrap: anywhere;
  }
  /* A long option (a 10,000-character agent id) stays two lines; the whole text is in its title. */
  .option-text {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    min-width: 0;
  }
  .option:hover {
    background: ${token('color-surface-raised')};
  }
  .option.active {
    outline: 2px solid ${token('color-accent')};
    outline-offset: -2px;
  }
  .check {
    flex: 0 0 1rem;
    height: 1rem;
    box-sizing: border-box;
    border: 1px solid ${token('color-text-muted')};
    border-radius: 3px;
    align-self: center;
  }
  .option[aria-selected='true'] .check {
    background: ${token('color-accent')};
    border-color: ${token('color-accent')};
    box-shadow: inset 0 0 0 2px ${token('color-surface')};
  }
  .option[aria-selected='true'] {
    font-weight: 600;
  }
  .popup-note,
  .hint {
    margin: 0;
    font-size: 0.8125rem;
    color: ${token('color-text-muted')};
    overflow-wrap: anywhere;
  }
  .popup-footer {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: ${token('space-s')};
    font-size: 0.8125rem;
  }
  .popup-count {
    color: ${token('color-text-muted')};
  }
  .link {
    padding: 0.125rem 0.375rem;
    border-color: transparent;
    background: transparent;
    color: ${token('color-accent')};
    text-decoration: underline;
  }
`;
