/**
 * The keyboard and pointer side of `heatmap.ts`: one set of listeners per grid `<svg>`, reading the
 * grid's last render from {@link states}. Keyboard (ARIA grid, roving tabindex): arrow keys move
 * (skipping empty cells, onto the headers when they take part), Home/End go to the ends of the row
 * (Ctrl: of the grid), Enter or Space activates. Pointer: hover and click report the target. Focus
 * entering or leaving the grid is reported as a hover from `'focus'`.
 */
import type { HeatmapData, HeatmapLayout, HeatmapOptions, HeatmapTarget } from './heatmap-types.js';

/** What a grid's listeners read: its last render. */
export interface HeatmapState {
  data: HeatmapData;
  options: HeatmapOptions;
  layout: HeatmapLayout;
  root: SVGGElement;
}

export const states = new WeakMap<SVGSVGElement, HeatmapState>();

const HANDLERS = {
  keydown: onKeydown,
  click: onClick,
  pointermove: onPointerMove,
  pointerleave: onPointerLeave,
  focusin: onFocusIn,
  focusout: onFocusOut,
} as const;

/** Records the grid's render and listens to it (once per svg). */
export function listen(svg: SVGSVGElement, state: HeatmapState): void {
  const listening = states.has(svg);
  states.set(svg, state);
  if (listening) return;
  for (const [type, handler] of Object.entries(HANDLERS)) svg.addEventListener(type, handler as EventListener);
}

/** Stops listening and forgets the render. */
export function unlisten(svg: SVGSVGElement): void {
  if (!states.delete(svg)) return;
  for (const [type, handler] of Object.entries(HANDLERS)) svg.removeEventListener(type, handler as EventListener);
}

/** The target an event happened on (a cell or an interactive header). */
export function targetOf(el: EventTarget | null): HeatmapTarget | null {
  const node = el instanceof Element ? el.closest('[data-row],[data-col]') : null;
  if (!node) return null;
  const r = node.getAttribute('data-row');
  const c = node.getAttribute('data-col');
  if (node.classList.contains('cell')) return { kind: 'cell', row: Number(r), col: Number(c) };
  if (!node.classList.contains('interactive')) return null;
  if (node.classList.contains('row-header')) return { kind: 'row', row: Number(r) };
  return { kind: 'column', col: Number(c) };
}

/** Grid coordinates of a target: headers are row/column −1. */
function coords(t: HeatmapTarget): [number, number] {
  return t.kind === 'cell' ? [t.row, t.col] : t.kind === 'row' ? [t.row, -1] : [-1, t.col];
}

function fromCoords(r: number, c: number): HeatmapTarget | null {
  if (r >= 0 && c >= 0) return { kind: 'cell', row: r, col: c };
  if (r >= 0 && c === -1) return { kind: 'row', row: r };
  if (r === -1 && c >= 0) return { kind: 'column', col: c };
  return null;
}

/** The next existing target from `t` in direction (dr, dc), skipping empty cells; `t` at the edge. */
function step(s: HeatmapState, t: HeatmapTarget, dr: number, dc: number): HeatmapTarget {
  const min = s.options.headers ? -1 : 0;
  let [r, c] = coords(t);
  for (;;) {
    r += dr;
    c += dc;
    if (r < min || c < min || r >= s.data.rows.length || c >= s.data.columns.length) return t;
    const next = fromCoords(r, c);
    if (next && s.layout.node(next)) return next;
    if (!next) return t;
  }
}

function onKeydown(this: SVGSVGElement, e: KeyboardEvent): void {
  const s = states.get(this);
  if (!s) return;
  const current = targetOf(e.target) ?? s.layout.active;
  const [r, c] = coords(current);
  let next: HeatmapTarget | null;
  switch (e.key) {
    case 'ArrowRight':
      next = step(s, current, 0, 1);
      break;
    case 'ArrowLeft':
      next = step(s, current, 0, -1);
      break;
    case 'ArrowDown':
      next = step(s, current, 1, 0);
      break;
    case 'ArrowUp':
      next = step(s, current, -1, 0);
      break;
    case 'Home':
      next = e.ctrlKey ? firstCellOf(s) : rowEnd(s, r, c, -1);
      break;
    case 'End':
      next = e.ctrlKey ? lastCellOf(s) : rowEnd(s, r, c, 1);
      break;
    case 'Enter':
    case ' ':
      e.preventDefault();
      s.options.onActivate?.(current);
      return;
    default:
      return;
  }
  e.preventDefault();
  if (next) s.layout.setActive(next, true);
}

function rowEnd(s: HeatmapState, r: number, c: number, dir: -1 | 1): HeatmapTarget {
  let t: HeatmapTarget = fromCoords(r, c) ?? s.layout.active;
  for (;;) {
    const n = step(s, t, 0, dir);
    if (n === t) return t;
    t = n;
  }
}

function firstCellOf(s: HeatmapState): HeatmapTarget {
  for (let r = 0; r < s.data.rows.length; r++)
    for (let c = 0; c < s.data.columns.length; c++) if (s.data.values[r][c] !== null) return { kind: 'cell', row: r, col: c };
  return { kind: 'cell', row: 0, col: 0 };
}

function lastCellOf(s: HeatmapState): HeatmapTarget {
  for (let r = s.data.rows.length - 1; r >= 0; r--)
    for (let c = s.data.columns.length - 1; c >= 0; c--) if (s.data.values[r][c] !== null) return { kind: 'cell', row: r, col: c };
  return { kind: 'cell', row: 0, col: 0 };
}

function onClick(this: SVGSVGElement, e: MouseEvent): void {
  const s = states.get(this);
  const t = targetOf(e.target);
  if (!s || !t) return;
  s.layout.setActive(t);
  s.options.onActivate?.(t);
}

function onPointerMove(this: SVGSVGElement, e: PointerEvent): void {
  const s = states.get(this);
  if (!s) return;
  const t = targetOf(e.target);
  s.options.onHover?.(t, t ? s.layout.rect(t) : null, 'pointer');
}

function onPointerLeave(this: SVGSVGElement): void {
  states.get(this)?.options.onHover?.(null, null, 'pointer');
}

function onFocusIn(this: SVGSVGElement, e: FocusEvent): void {
  const s = states.get(this);
  const t = targetOf(e.target);
  if (!s || !t) return;
  s.layout.setActive(t);
  s.options.onHover?.(t, s.layout.rect(t), 'focus');
}

function onFocusOut(this: SVGSVGElement, e: FocusEvent): void {
  const s = states.get(this);
  if (!s) return;
  if (e.relatedTarget instanceof Node && this.contains(e.relatedTarget)) return;
  s.options.onHover?.(null, null, 'focus');
}
