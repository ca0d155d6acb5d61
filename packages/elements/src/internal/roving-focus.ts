/**
 * Roving tabindex (WAI-ARIA Authoring Practices, "Managing focus within components"): a list of
 * items inside a chart — legend buttons, a toolbar's buttons, series toggles — is ONE Tab stop.
 * The last-focused item (or the first, until one was focused) has `tabindex="0"`, every other
 * `tabindex="-1"`; inside, ArrowRight / ArrowDown move to the next item, ArrowLeft / ArrowUp to the
 * previous (wrapping), Home / End to the first / last. Enter and Space are left to the items
 * (buttons toggle as before). Disabled, hidden and `aria-hidden` items (skeletons) are skipped.
 *
 * Two ways to use it:
 * - in a Lit template, on the container: `<div role="toolbar" aria-label=… ${rovingFocus()}>` (a
 *   directive; it re-applies the tabindex after every render of that template, so it also works
 *   in render helpers such as `renderLegend()` that have no element of their own);
 * - imperatively: `new RovingFocus(container, options)` then `sync()` after the items change
 *   (what the directive does).
 *
 * Charts whose marks are drawn with d3 (heatmap cells, histogram bars, sankey nodes, map
 * countries, treemap tiles) keep their own 2-D roving code next to their layout; this is the one
 * for lists of HTML controls.
 */
import { nothing } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

export interface RovingFocusOptions {
  /** The items: a selector inside the container (default every `button`), or a function. */
  items?: string | ((container: HTMLElement) => HTMLElement[]);
  /** Wrap from the last item to the first and back (default true). */
  wrap?: boolean;
}

const NEXT = new Set(['ArrowRight', 'ArrowDown']);
const PREV = new Set(['ArrowLeft', 'ArrowUp']);

export class RovingFocus {
  /** The item that holds the tab stop (the last focused), while it is still one of the items. */
  private active?: HTMLElement;
  private activeIndex = 0;

  constructor(
    readonly container: HTMLElement,
    public options: RovingFocusOptions = {},
  ) {
    container.addEventListener('keydown', this.onKeyDown);
    container.addEventListener('focusin', this.onFocusIn);
  }

  /** The container's current items, in order (disabled and hidden ones left out). */
  items(): HTMLElement[] {
    const { items = 'button' } = this.options;
    const all = typeof items === 'function' ? items(this.container) : [...this.container.querySelectorAll<HTMLElement>(items)];
    return all.filter(
      (el) => !(el as HTMLButtonElement).disabled && el.getAttribute('aria-disabled') !== 'true' && !el.closest('[hidden], [aria-hidden="true"]'),
    );
  }

  /** Gives exactly one item `tabindex="0"`: the last focused if it is still there, else the one at its place, else the first. */
  sync(): void {
    const items = this.items();
    if (!items.length) return;
    // Until an item was focused the first one holds the stop (so it follows the items becoming enabled).
    let i = this.active ? items.indexOf(this.active) : 0;
    if (i < 0) {
      // The focused item went away (a re-render): the one now at its place takes the stop.
      i = Math.min(this.activeIndex, items.length - 1);
      this.active = items[i];
    } else this.activeIndex = i;
    items.forEach((el, j) => el.setAttribute('tabindex', j === i ? '0' : '-1'));
    // Items that left the list (now disabled or hidden) must not keep a tab stop of their own.
    if (typeof this.options.items !== 'function')
      for (const el of this.container.querySelectorAll<HTMLElement>(this.options.items ?? 'button')) if (!items.includes(el)) el.setAttribute('tabindex', '-1');
  }

  /** Moves the tab stop (and focus) to an item. */
  focusItem(el: HTMLElement): void {
    this.active = el;
    this.activeIndex = Math.max(0, this.items().indexOf(el));
    this.sync();
    el.focus();
  }

  disconnect(): void {
    this.container.removeEventListener('keydown', this.onKeyDown);
    this.container.removeEventListener('focusin', this.onFocusIn);
  }

  private itemOf(e: Event, items: HTMLElement[]): number {
    const path = e.composedPath();
    return items.findIndex((el) => path.includes(el));
  }

  private readonly onFocusIn = (e: FocusEvent) => {
    const items = this.items();
    const i = this.itemOf(e, items);
    if (i < 0 || items[i] === this.active) return;
    this.active = items[i];
    this.activeIndex = i;
    this.sync();
  };

  private readonly onKeyDown = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    const items = this.items();
    const i = this.itemOf(e, items);
    if (i < 0) return;
    const last = items.length - 1;
    const wrap = this.options.wrap ?? true;
    let next: number;
    if (NEXT.has(e.key)) next = i < last ? i + 1 : wrap ? 0 : last;
    else if (PREV.has(e.key)) next = i > 0 ? i - 1 : wrap ? last : 0;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = last;
    else return;
    e.preventDefault();
    this.focusItem(items[next]);
  };
}

class RovingFocusDirective extends Directive {
  private roving?: RovingFocus;

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('rovingFocus() belongs on an element: <div role="toolbar" ${rovingFocus()}>');
  }

  render(_options?: RovingFocusOptions) {
    return nothing;
  }

  override update(part: ElementPart, [options]: [RovingFocusOptions?]) {
    const el = part.element as HTMLElement;
    if (this.roving?.container !== el) {
      this.roving?.disconnect();
      this.roving = new RovingFocus(el, options);
    } else this.roving.options = options ?? {};
    // The items are children of this element, committed after this part: set the tabindex once the render is done
    // (a microtask, so before `updateComplete` resolves and before anything can press Tab).
    const roving = this.roving;
    queueMicrotask(() => roving.sync());
    return nothing;
  }
}

/** Makes the element's items one Tab stop with arrow keys inside (see {@link RovingFocus}). */
export const rovingFocus = directive(RovingFocusDirective);
