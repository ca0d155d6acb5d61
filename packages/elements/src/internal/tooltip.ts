/**
 * The one tooltip every chart uses: a reactive controller that renders a positioned
 * `role="tooltip"` box with text-only content (title, label/value rows, a note), follows the
 * pointer and the keyboard focus alike (the focused mark's element points at it with
 * `aria-describedby`), stays inside its container, and hides on Escape (WCAG 1.4.13).
 *
 * Usage in an element: `tooltip = new TooltipController(this)`; render `tooltip.render()` inside a
 * `position: relative` container; call `show(content, {x, y})` with container coordinates and
 * `hide()`; add `tooltipStyles` to the element's styles.
 */
import { css, html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { token } from '../theme/tokens.js';

export interface TooltipRow {
  label: string;
  value: string;
  /** Swatch shown before the label (a colour; the label carries the meaning). */
  colour?: string;
  /** Bold row (e.g. the total, or the series under the pointer). */
  emphasis?: boolean;
}

export interface TooltipContent {
  title: string;
  rows?: TooltipRow[];
  note?: string;
}

export interface TooltipPoint {
  /** Container coordinates (px) of the point the tooltip describes. */
  x: number;
  y: number;
}

let ids = 0;

export class TooltipController implements ReactiveController {
  /** The tooltip's element id (for `aria-describedby`). */
  readonly id = `usage-tooltip-${++ids}`;
  content?: TooltipContent;
  private point: TooltipPoint = { x: 0, y: 0 };
  private readonly gap = 12;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  get visible(): boolean {
    return this.content !== undefined;
  }

  /** Shows `content` next to `point` (container coordinates). */
  show(content: TooltipContent, point: TooltipPoint): void {
    this.content = content;
    this.point = point;
    this.host.requestUpdate();
  }

  hide(): void {
    if (!this.content) return;
    this.content = undefined;
    this.host.requestUpdate();
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeydown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeydown);
  }

  /** Places the box after it rendered (it needs its own size): right of the point, flipped left near the edge. */
  hostUpdated(): void {
    const box = this.host.shadowRoot?.getElementById(this.id) as HTMLElement | null;
    if (!box || !this.content) return;
    const container = box.offsetParent as HTMLElement | null;
    const cw = container?.clientWidth ?? Infinity;
    const ch = container?.clientHeight ?? Infinity;
    const { offsetWidth: w, offsetHeight: h } = box;
    let left = this.point.x + this.gap;
    if (left + w > cw) left = this.point.x - this.gap - w;
    left = Math.max(0, Math.min(left, cw - w));
    let top = this.point.y - h / 2;
    top = Math.max(0, Math.min(top, ch - h));
    box.style.transform = `translate(${Math.round(left)}px, ${Math.round(top)}px)`;
  }

  /** The tooltip element (nothing while hidden). */
  render(): TemplateResult | typeof nothing {
    const c = this.content;
    if (!c) return nothing;
    return html`
      <div id=${this.id} class="tooltip" part="tooltip" role="tooltip">
        <div class="tooltip-title" part="tooltip-title">${c.title}</div>
        ${
          c.rows?.length
            ? html`<table class="tooltip-rows">
                <tbody>
                  ${c.rows.map(
                    (r) =>
                      html`<tr class=${r.emphasis ? 'emphasis' : ''}>
                        <th scope="row">
                          ${r.colour ? html`<span class="tooltip-swatch" style="background:${safeColour(r.colour)}"></span>` : nothing}<bdi>${r.label}</bdi>
                        </th>
                        <td>${r.value}</td>
                      </tr>`,
                  )}
                </tbody>
              </table>`
            : nothing
        }
        ${c.note ? html`<div class="tooltip-note">${c.note}</div>` : nothing}
      </div>
    `;
  }

  private readonly onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.visible) {
      this.hide();
      e.stopPropagation();
    }
  };
}

/** Only plain colour syntax reaches the style attribute. */
function safeColour(c: string): string {
  return /^(#[0-9a-f]{3,8}|rgba?\([\d\s.,%]+\))$/i.test(c) ? c : 'transparent';
}

export const tooltipStyles = css`
  .tooltip {
    position: absolute;
    top: 0;
    left: 0;
    z-index: 3;
    max-width: min(22rem, 90%);
    padding: ${token('space-s')} ${token('space-m')};
    border: 1px solid ${token('color-border')};
    border-radius: ${token('radius')};
    background: var(--usage-tooltip-background, ${token('color-surface')});
    color: var(--usage-tooltip-color, ${token('color-text')});
    box-shadow: ${token('shadow')};
    font-size: 0.8125rem;
    line-height: 1.35;
    pointer-events: none;
    overflow-wrap: anywhere;
  }
  .tooltip-title {
    font-weight: 650;
    margin-bottom: ${token('space-xs')};
  }
  .tooltip-rows {
    border-collapse: collapse;
    width: 100%;
  }
  .tooltip-rows th,
  .tooltip-rows td {
    padding: 1px 0;
    font-weight: 400;
    text-align: start;
    vertical-align: baseline;
  }
  .tooltip-rows td {
    padding-inline-start: ${token('space-m')};
    text-align: end;
    font-variant-numeric: tabular-nums;
    white-space: nowrap;
  }
  .tooltip-rows tr.emphasis th,
  .tooltip-rows tr.emphasis td {
    font-weight: 650;
  }
  .tooltip-swatch {
    display: inline-block;
    width: 0.7em;
    height: 0.7em;
    margin-inline-end: 0.4em;
    border-radius: 2px;
    vertical-align: baseline;
  }
  .tooltip-note {
    margin-top: ${token('space-xs')};
    color: ${token('color-text-muted')};
  }
`;
