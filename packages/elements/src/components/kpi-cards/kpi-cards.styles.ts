import { css } from 'lit';
import { buttonStyles, shimmerKeyframes, token, visuallyHidden } from '../../theme/tokens.js';

export default css`
  :host {
    display: block;
    font-family: ${token('font-family')};
    color: ${token('color-text')};
    --_gap: var(--usage-kpi-gap, ${token('space-m')});
    --_min: var(--usage-kpi-min-width, 12rem);
  }
  :host([hidden]) {
    display: none;
  }
  .grid {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(var(--_min), 1fr));
    gap: var(--_gap);
    margin: 0;
    padding: 0;
  }
  .grid[aria-busy='true'] .card:not(.skeleton) {
    opacity: 0.6;
  }
  .card {
    display: flex;
    flex-direction: column;
    gap: ${token('space-xs')};
    min-height: var(--usage-kpi-min-height, 6.5rem);
    box-sizing: border-box;
    padding: var(--usage-kpi-padding, ${token('space-m')});
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: var(--usage-kpi-background, ${token('color-surface')});
    box-shadow: ${token('shadow')};
    cursor: pointer;
    transition: border-color 120ms ease-out;
  }
  .card:hover {
    border-color: ${token('color-accent')};
  }
  .card:focus-visible {
    outline: 3px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .label {
    font-size: var(--usage-kpi-label-size, 0.875rem);
    color: ${token('color-text-muted')};
  }
  .value {
    font-size: var(--usage-kpi-value-size, 2rem);
    font-weight: 650;
    line-height: 1.1;
    font-variant-numeric: tabular-nums;
    color: var(--usage-kpi-value-color, ${token('color-text')});
  }
  .delta {
    display: inline-flex;
    flex-wrap: wrap;
    align-items: baseline;
    gap: 0.25em;
    font-size: var(--usage-kpi-delta-size, 0.875rem);
    font-weight: 600;
    font-variant-numeric: tabular-nums;
  }
  .delta.up {
    color: var(--usage-kpi-positive-color, ${token('color-positive')});
  }
  .delta.down {
    color: var(--usage-kpi-negative-color, ${token('color-negative')});
  }
  .delta.flat,
  .delta.na {
    color: ${token('color-neutral')};
  }
  .delta-note {
    font-weight: 400;
    color: ${token('color-text-muted')};
  }
  .skeleton {
    cursor: default;
    box-shadow: none;
  }
  .bone {
    display: block;
    border-radius: 4px;
    background: linear-gradient(90deg, ${token('color-skeleton')} 0%, ${token('color-skeleton-highlight')} 50%, ${token('color-skeleton')} 100%);
    background-size: 200% 100%;
    animation: shimmer 1.4s ease-in-out infinite;
  }
  .bone.label-bone {
    width: 60%;
    height: 0.875rem;
  }
  .bone.value-bone {
    width: 45%;
    height: 2rem;
  }
  .bone.delta-bone {
    width: 70%;
    height: 0.875rem;
  }
  ${shimmerKeyframes}
  .message {
    grid-column: 1 / -1;
    padding: ${token('space-m')};
    border: 1px dashed ${token('color-border')};
    border-radius: ${token('radius')};
    background: ${token('color-surface')};
    color: ${token('color-text-muted')};
  }
  .message p {
    margin: 0 0 ${token('space-s')};
    overflow-wrap: anywhere;
  }
  .message p:last-child {
    margin-bottom: 0;
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
  ${buttonStyles}
  ${visuallyHidden}
`;
