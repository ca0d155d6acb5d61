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
  .note {
    margin: 0;
  }
  button.view-all {
    font: inherit;
    padding: 0.25rem 0.6rem;
    border-radius: 4px;
    border: 1px solid ${token('color-border')};
    background: ${token('color-surface')};
    color: inherit;
    cursor: pointer;
  }
  button.view-all:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
`;
