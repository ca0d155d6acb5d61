import { css } from 'lit';
import { buttonStyles, hostThemeStyles, token } from '../../theme/tokens.js';

export default [
  hostThemeStyles,
  css`
    :host {
      display: block;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
    }
    :host([hidden]) {
      display: none;
    }
    .status {
      display: flex;
      align-items: center;
      gap: ${token('space-s')};
      margin-block-end: ${token('space-m')};
      padding: ${token('space-s')} ${token('space-m')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface')};
      color: ${token('color-text-muted')};
      font-size: 0.875rem;
    }
    .status[hidden] {
      display: none;
    }
    progress {
      flex: 0 0 var(--usage-provider-progress-width, 8rem);
      accent-color: ${token('color-accent')};
    }
    .error {
      margin-block-end: ${token('space-m')};
      padding: ${token('space-m')};
      border: 1px solid ${token('color-danger')};
      border-inline-start-width: 4px;
      border-radius: ${token('radius')};
      background: ${token('color-danger-surface')};
      color: ${token('color-text')};
    }
    .error h2 {
      margin: 0 0 ${token('space-xs')};
      font-size: 1rem;
    }
    .error p {
      margin: 0 0 ${token('space-s')};
      overflow-wrap: anywhere;
    }
    code {
      font-family: ${token('font-family-mono')};
      font-size: 0.875em;
    }
    ${buttonStyles}
  `,
];
