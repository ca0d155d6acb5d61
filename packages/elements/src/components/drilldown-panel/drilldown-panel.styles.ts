import { css } from 'lit';
import { token } from '../../theme/tokens.js';

export default css`
  :host {
    display: contents;
    font-family: ${token('font-family')};
    color: ${token('color-text')};
  }
  dialog {
    width: min(var(--usage-drilldown-panel-width, 64rem), calc(100vw - 2rem));
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
  header {
    display: flex;
    align-items: flex-start;
    justify-content: space-between;
    gap: 1rem;
  }
  /* A title with a 10,000-character user id stays two lines; the whole text is in the title attribute and the DOM. */
  h2 {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    min-width: 0;
    margin: 0;
    font-size: 1.1rem;
    overflow-wrap: anywhere;
  }
  .actions,
  .pager {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem;
  }
  button {
    font: inherit;
    padding: 0.25rem 0.6rem;
    border-radius: 4px;
    border: 1px solid ${token('color-border')};
    background: ${token('color-surface')};
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: not-allowed;
    opacity: 0.6;
  }
  button:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 2px;
  }
  .sentinel {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  .journey {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    max-height: 60vh;
    overflow: auto;
  }
  .session {
    border-left: 3px solid ${token('color-border')};
    padding: 0.25rem 0.5rem;
  }
  .session-head {
    margin: 0 0 0.25rem;
    font-size: 0.9rem;
    overflow-wrap: anywhere;
  }
  .session-name {
    display: inline-block;
    max-width: min(100%, 40ch);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    vertical-align: bottom;
  }
  .chips {
    list-style: none;
    margin: 0;
    padding: 0;
    display: flex;
    flex-wrap: wrap;
    gap: 0.25rem;
    align-items: center;
  }
  .chip {
    display: inline-block;
    max-width: 20rem;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    padding: 0.1rem 0.5rem;
    border-radius: 999px;
    border: 1px solid ${token('color-border')};
    background: ${token('color-surface-raised')};
    font-size: 0.85rem;
  }
  .arrow {
    color: ${token('color-text-muted')};
  }
  .message {
    margin: 0;
  }
  [role='alert'] {
    color: ${token('color-text')};
    border-left: 3px solid #b00020;
    padding-left: 0.5rem;
  }
`;
