import { css } from 'lit';
import { buttonStyles, token } from '../../theme/tokens.js';

export default [
  buttonStyles,
  css`
    :host {
      display: inline-block;
      font-family: ${token('font-family')};
      color: ${token('color-text')};
    }
    dialog {
      width: min(var(--usage-action-dialog-width, 44rem), calc(100vw - 2rem));
      max-height: calc(100vh - 2rem);
      padding: 0;
      border: 1px solid ${token('color-border')};
      border-radius: 8px;
      background: ${token('color-surface')};
      color: ${token('color-text')};
      box-shadow: 0 8px 32px rgb(0 0 0 / 0.3);
    }
    dialog::backdrop {
      background: rgb(0 0 0 / 0.4);
    }
    .inner {
      display: flex;
      flex-direction: column;
      gap: 0.75rem;
      padding: 1rem;
    }
    h2,
    h3 {
      margin: 0;
      overflow-wrap: anywhere;
    }
    h2 {
      font-size: 1.15rem;
    }
    h3 {
      font-size: 1rem;
    }
    p {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .muted {
      color: ${token('color-text-muted')};
    }
    form {
      display: grid;
      gap: 0.75rem;
    }
    .field {
      display: grid;
      gap: 0.25rem;
    }
    label {
      font-weight: 600;
    }
    input,
    select,
    textarea {
      font: inherit;
      color: inherit;
      background: ${token('color-surface')};
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      padding: 0.3rem 0.4rem;
    }
    textarea {
      min-height: 5rem;
      resize: vertical;
    }
    input:focus-visible,
    select:focus-visible,
    textarea:focus-visible,
    [tabindex='-1']:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
    /* Invalid: a thicker border, a dashed outline and a message with a sign, never colour alone. */
    [aria-invalid='true'] {
      border: 2px dashed var(--usage-action-invalid-colour, ${token('color-danger')});
    }
    .field-error {
      color: var(--usage-action-invalid-colour, ${token('color-danger')});
      font-weight: 600;
    }
    .hint {
      font-size: 0.9em;
      color: ${token('color-text-muted')};
    }
    .preview,
    .review,
    .result,
    .error {
      display: grid;
      gap: 0.5rem;
      padding: 0.75rem;
      border: 1px solid ${token('color-border')};
      border-radius: ${token('radius')};
      background: ${token('color-surface-raised')};
    }
    .error {
      border: 2px solid ${token('color-danger')};
      background: ${token('color-danger-surface')};
    }
    .message {
      white-space: pre-wrap;
    }
    progress {
      width: 100%;
    }
    table {
      border-collapse: collapse;
      width: 100%;
    }
    th,
    td {
      text-align: start;
      padding: 0.2rem 0.4rem;
      border-bottom: 1px solid ${token('color-border')};
      overflow-wrap: anywhere;
    }
    td.num,
    th.num {
      text-align: end;
      font-variant-numeric: tabular-nums;
    }
    dl {
      display: grid;
      grid-template-columns: max-content 1fr;
      gap: 0.25rem 0.75rem;
      margin: 0;
    }
    dt {
      font-weight: 600;
    }
    dd {
      margin: 0;
      overflow-wrap: anywhere;
    }
    .template {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      padding: 0.5rem;
      border-left: 3px solid ${token('color-border')};
    }
    .footer {
      display: flex;
      flex-wrap: wrap;
      justify-content: flex-end;
      gap: 0.5rem;
    }
    button.primary {
      background: ${token('color-accent')};
      border-color: ${token('color-accent')};
      color: ${token('color-surface')};
      font-weight: 600;
    }
    button:disabled {
      opacity: 0.6;
      cursor: not-allowed;
    }
    .sr-only {
      position: absolute;
      width: 1px;
      height: 1px;
      margin: -1px;
      padding: 0;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
      border: 0;
    }
    /* Groups of choices (radios, checkboxes) in every dialog's form. */
    fieldset {
      border: 0;
      margin: 0;
      padding: 0;
      min-width: 0;
    }
    legend {
      font-weight: 600;
      padding: 0;
    }
    .choice {
      font-weight: normal;
      display: flex;
      gap: 0.4rem;
      align-items: center;
    }
  `,
];
