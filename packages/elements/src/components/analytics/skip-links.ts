/**
 * The tab's skip links: a `<nav>` at the top of `<usage-analytics>` with "Skip to filters", "Skip
 * to key figures", "Skip to charts" and one link per chart. It is visually hidden until a link has
 * focus, then shown whole over the top of the tab. The nav is ONE Tab stop (roving tabindex, like
 * the charts' lists): the first Tab on the tab lands on "Skip to filters", the arrow keys (or
 * Home / End) move between the links, Enter follows one, Tab moves on to the tab itself. Screen
 * reader users also find every link in their links list.
 *
 * Each link moves focus to its target (a section with `tabindex="-1"` and an accessible name) and
 * scrolls it into view, without touching the URL (the tab keeps its state in the query string, and
 * a `#…` fragment would not reach into the shadow root anyway).
 *
 * Themeable: `::part(skip-links)`, `::part(skip-link)`, `--usage-analytics-skip-link-background`,
 * `--usage-analytics-skip-link-colour`.
 */
import { css, html, type TemplateResult } from 'lit';
import { rovingFocus } from '../../internal/roving-focus.js';
import { token, visuallyHidden } from '../../theme/tokens.js';

export interface SkipTarget {
  /** The target's id inside the tab's shadow root. */
  id: string;
  /** What the link says after "Skip to ". */
  label: string;
}

/** Focuses the element with this id in `root` (it must have `tabindex="-1"`), scrolling it into view. */
export function focusSkipTarget(root: ParentNode, id: string): boolean {
  const target = root.querySelector<HTMLElement>(`[id="${CSS.escape(id)}"]`);
  if (!target) return false;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'start' });
  return true;
}

/** The set of links at the top of the tab. */
export function renderSkipLinks(root: () => ParentNode, targets: readonly SkipTarget[]): TemplateResult {
  return html`<nav part="skip-links" class="skip-links" aria-label="Skip links" ${rovingFocus({ items: 'a' })}>
    <ul>
      ${targets.map(
        (t) =>
          html`<li>
            <a
              part="skip-link"
              class="skip-link"
              href=${`#${t.id}`}
              @click=${(e: Event) => {
                e.preventDefault();
                focusSkipTarget(root(), t.id);
              }}
              >Skip to ${t.label}</a
            >
          </li>`,
      )}
    </ul>
    <p class="skip-hint" aria-hidden="true">Arrow keys: other sections · Enter: go</p>
  </nav>`;
}

export const skipLinkStyles = [
  visuallyHidden,
  css`
    .tab {
      position: relative;
    }
    .skip-links:not(:focus-within) {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip-path: inset(50%);
      white-space: nowrap;
    }
    .skip-links:focus-within {
      position: absolute;
      z-index: 10;
      inset-inline: 0;
      top: 0;
      padding: ${token('space-s')};
      background: var(--usage-analytics-skip-link-background, ${token('color-surface')});
      border: 1px solid ${token('color-border')};
      border-radius: 4px;
      box-shadow: 0 2px 8px rgb(0 0 0 / 0.2);
    }
    .skip-links ul {
      display: flex;
      flex-wrap: wrap;
      gap: ${token('space-xs')} ${token('space-s')};
      margin: 0;
      padding: 0;
      list-style: none;
    }
    .skip-link {
      display: inline-block;
      padding: 2px ${token('space-xs')};
      color: var(--usage-analytics-skip-link-colour, ${token('color-accent')});
      border-radius: 4px;
    }
    .skip-link:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 1px;
    }
    .skip-hint {
      margin: ${token('space-xs')} 0 0;
      font-size: 0.75rem;
      color: ${token('color-text-muted')};
    }
    [data-skip-target]:focus {
      outline: none;
    }
    [data-skip-target]:focus-visible {
      outline: 2px solid ${token('color-focus-ring')};
      outline-offset: 2px;
    }
  `,
];
