import { css } from 'lit';
import { shimmerKeyframes, token, visuallyHidden } from '../../theme/tokens.js';

export default css`
  :host {
    display: block;
    font-family: ${token('font-family')};
    color: ${token('color-text')};
  }
  :host([hidden]) {
    display: none;
  }
  :host([fullscreen]) {
    background: ${token('color-background')};
    overflow: auto;
  }
  /* Fallback when the Fullscreen API is unavailable: fill the window. */
  :host([fullscreen]:not(:fullscreen)) {
    position: fixed;
    inset: 0;
    z-index: 2147483000;
    padding: ${token('space-m')};
  }
  :host([fullscreen]) .base {
    min-height: calc(100% - 2 * ${token('space-m')});
    box-sizing: border-box;
  }
  .base {
    display: flex;
    flex-direction: column;
    gap: ${token('space-s')};
    padding: var(--usage-chart-frame-padding, ${token('space-m')});
    border: var(--usage-chart-frame-border, 1px solid ${token('color-border')});
    border-radius: var(--usage-chart-frame-radius, ${token('radius')});
    background: var(--usage-chart-frame-background, ${token('color-surface')});
    box-shadow: ${token('shadow')};
    min-width: 0;
  }
  .header {
    display: flex;
    flex-wrap: wrap;
    align-items: flex-start;
    justify-content: space-between;
    gap: ${token('space-s')} ${token('space-m')};
  }
  .titles {
    min-width: 0;
    flex: 1 1 16rem;
  }
  .title {
    margin: 0;
    font-size: var(--usage-chart-frame-title-size, 1.0625rem);
    font-weight: 650;
    overflow-wrap: anywhere;
  }
  .description {
    margin: 2px 0 0;
    font-size: 0.875rem;
    color: ${token('color-text-muted')};
  }
  .toolbar {
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-xs')};
  }
  button,
  ::slotted(button) {
    font: inherit;
    font-size: 0.8125rem;
    padding: ${token('space-xs')} ${token('space-s')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text')};
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.55;
    cursor: default;
  }
  button[aria-pressed='true'] {
    background: ${token('color-surface-raised')};
    border-color: ${token('color-accent')};
  }
  button:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .status {
    display: flex;
    align-items: center;
    gap: ${token('space-s')};
    min-height: 0;
    font-size: 0.8125rem;
    color: ${token('color-text-muted')};
  }
  .status:empty {
    display: none;
  }
  .body {
    position: relative;
    min-height: var(--usage-chart-frame-min-height, 16rem);
    display: flex;
    flex-direction: column;
  }
  .chart {
    flex: 1;
    display: flex;
    flex-direction: column;
    min-width: 0;
  }
  :host([busy]) .chart {
    opacity: 0.65;
    transition: opacity 150ms ease-out;
  }
  .skeleton {
    flex: 1;
    display: flex;
  }
  .bone {
    flex: 1;
    border-radius: ${token('radius')};
    background: linear-gradient(90deg, ${token('color-skeleton')} 0%, ${token('color-skeleton-highlight')} 50%, ${token('color-skeleton')} 100%);
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }
  ${shimmerKeyframes}
  .message {
    flex: 1;
    padding: ${token('space-m')};
    border: 1px dashed ${token('color-border')};
    border-radius: ${token('radius')};
    color: ${token('color-text-muted')};
  }
  .message p {
    margin: 0 0 ${token('space-s')};
    overflow-wrap: anywhere;
  }
  .message.error {
    border-style: solid;
    border-color: ${token('color-danger')};
    border-inline-start-width: 4px;
    background: ${token('color-danger-surface')};
    color: ${token('color-text')};
  }
  code {
    font-family: ${token('font-family-mono')};
    font-size: 0.875em;
  }
  .footer {
    display: flex;
    flex-wrap: wrap;
    justify-content: space-between;
    gap: ${token('space-s')};
    font-size: 0.75rem;
    color: ${token('color-text-muted')};
  }
  [hidden] {
    display: none !important;
  }
  ${visuallyHidden}
`;
