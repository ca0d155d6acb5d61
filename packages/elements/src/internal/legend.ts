/**
 * The legend every chart uses: one item per series, each a toggle button (`aria-pressed` = the
 * series is shown; click, Enter or Space) with the series' swatch, and — for departments — a
 * second, link-styled button that opens the department's view (the chart emits `usage-drilldown`
 * `{kind: 'department'}` from `onDrill`). Names are rendered as text inside `<bdi>`, truncated
 * with the full name in `title`.
 *
 * Keyboard: the legend is a `toolbar` named by `label` and ONE Tab stop (roving tabindex, see
 * `roving-focus.ts`): arrow keys move between its buttons (toggle, view, next toggle…), Home / End
 * jump to the first / last, Enter / Space press the focused one. Tab leaves the legend.
 *
 * Render it with `renderLegend({...})` inside an element and add `legendStyles` to its styles.
 */
import { css, html, nothing, type TemplateResult } from 'lit';
import { token } from '../theme/tokens.js';
import type { Hatch } from './palette.js';
import { rovingFocus } from './roving-focus.js';

export interface LegendItem {
  key: string;
  /** Shown name (default the key). */
  label?: string;
  colour: string;
  hatch?: Hatch;
  /** Extra text after the name, e.g. the series total. */
  detail?: string;
  hidden?: boolean;
}

export interface LegendOptions {
  /** Accessible name of the legend (e.g. "Departments"). */
  label: string;
  items: readonly LegendItem[];
  onToggle: (key: string) => void;
  /** When set, each item gets a "view" button that calls it (department drill-down). */
  onDrill?: (key: string) => void;
  /** Text of the drill button (default "View"), and its accessible name for an item. */
  drillText?: string;
  drillLabel?: (item: LegendItem) => string;
}

/** The legend (a list of toggle buttons, and optional drill buttons). */
export function renderLegend({ label, items, onToggle, onDrill, drillText = 'View', drillLabel }: LegendOptions): TemplateResult {
  return html`
    <div class="legend" part="legend" role="toolbar" aria-label=${label} ${rovingFocus()}>
      <ul class="legend-list">
        ${items.map((item) => {
          const name = item.label ?? item.key;
          return html`
            <li class="legend-item" part="legend-item" data-key=${item.key}>
              <button
                type="button"
                class="legend-toggle"
                part="legend-toggle"
                aria-pressed=${item.hidden ? 'false' : 'true'}
                title=${`${item.hidden ? 'Show' : 'Hide'} ${name}`}
                @click=${() => onToggle(item.key)}
              >
                <span class="legend-swatch hatch-${item.hatch ?? 'none'}" style="--swatch:${safeColour(item.colour)}" aria-hidden="true"></span>
                <bdi class="legend-name">${name}</bdi>
                ${item.detail ? html`<span class="legend-detail">${item.detail}</span>` : nothing}
              </button>
              ${
                onDrill
                  ? html`<button
                      type="button"
                      class="legend-drill"
                      part="legend-drill"
                      aria-label=${drillLabel ? drillLabel(item) : `${drillText} ${name}`}
                      @click=${() => onDrill(item.key)}
                    >
                      ${drillText}
                    </button>`
                  : nothing
              }
            </li>
          `;
        })}
      </ul>
    </div>
  `;
}

function safeColour(c: string): string {
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(c) ? c : 'transparent';
}

export const legendStyles = css`
  .legend-list {
    display: flex;
    flex-wrap: wrap;
    gap: ${token('space-xs')} ${token('space-m')};
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.8125rem;
  }
  .legend-item {
    display: inline-flex;
    align-items: center;
    gap: 2px;
    max-width: 100%;
    min-width: 0;
  }
  .legend-toggle,
  .legend-drill {
    font: inherit;
    color: ${token('color-text')};
    background: none;
    border: 1px solid transparent;
    border-radius: 4px;
    cursor: pointer;
  }
  .legend-toggle {
    display: inline-flex;
    align-items: center;
    gap: 0.4em;
    min-width: 0;
    max-width: var(--usage-legend-item-max-width, 16rem);
    padding: 2px 4px;
  }
  .legend-toggle[aria-pressed='false'] {
    color: ${token('color-text-muted')};
    text-decoration: line-through;
  }
  .legend-toggle[aria-pressed='false'] .legend-swatch {
    background: transparent;
  }
  .legend-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    min-width: 0;
  }
  .legend-detail {
    color: ${token('color-text-muted')};
    font-variant-numeric: tabular-nums;
  }
  .legend-swatch {
    flex: none;
    width: 0.9em;
    height: 0.9em;
    border-radius: 2px;
    border: 1.5px solid var(--swatch);
    background: var(--swatch);
  }
  .legend-swatch.hatch-diagonal {
    background: repeating-linear-gradient(135deg, var(--swatch) 0 3px, rgb(255 255 255 / 0.7) 3px 4px);
  }
  .legend-swatch.hatch-dots {
    background:
      radial-gradient(circle, rgb(0 0 0 / 0.55) 1px, transparent 1.5px) 0 0 / 4px 4px,
      var(--swatch);
  }
  .legend-drill {
    padding: 2px 4px;
    color: ${token('color-accent')};
    text-decoration: underline;
    font-size: 0.75rem;
  }
  .legend-toggle:hover,
  .legend-drill:hover {
    border-color: ${token('color-border')};
  }
  .legend-toggle:focus-visible,
  .legend-drill:focus-visible {
    outline: 2px solid ${token('color-focus-ring')};
    outline-offset: 1px;
  }
`;
