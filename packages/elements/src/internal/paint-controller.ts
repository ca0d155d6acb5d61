/**
 * The one paint scheduler of the charts: a reactive controller that decides when a chart's
 * drawings run, so no chart keeps its own memo keys or animation frame.
 *
 * A chart registers each drawing once ({@link PaintController.add}): a draw module that follows the
 * chart contract (`charts/contract.ts`), the `<svg>` it draws into, `args` — everything the drawing
 * depends on, like a `@lit/task`'s args — and `draw(args, size)`, which turns them into the
 * module's data and options. After every update of the host (its `updated` phase, so what the
 * element rendered is in the DOM and the drawing is there when `updateComplete` resolves), each
 * drawing in registration order:
 *
 * - `args()` is `undefined` (nothing to show): the module's `clear` runs once;
 * - no `<svg>` in the page, or no size yet (a width or height of 0, e.g. while the plot is not
 *   displayed): nothing runs; it paints after the update that brings the size;
 * - a new `<svg>` (or after a clear): `draw`; args changed (item by item, by identity, one level
 *   into arrays, so `[start, end]` pairs compare by value): `update`; only the size changed:
 *   `resize` (its `update` when the module cannot resize); else nothing.
 *
 * `done(layout)` receives what the module returned, e.g. to keep the layout for hit-testing. A later
 * drawing can take an earlier one's layout in its args (a forecast over the chart's scales).
 *
 * Size changes reach the host through `ResizeController`, which re-renders in an animation frame
 * rather than inside the observer's callback, so a drawing that changes the observed box (a grid
 * growing taller) cannot start a ResizeObserver loop.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { ChartModule } from '../charts/contract.js';

export interface Drawing<D, O, L, A extends readonly unknown[]> {
  /** The draw module (the chart contract). */
  module: ChartModule<D, O, L>;
  /** The `<svg>` it draws into (none: not rendered now). */
  svg(): SVGSVGElement | null | undefined;
  /** What the drawing depends on; `undefined` when there is nothing to draw. */
  args(): A | undefined;
  /** The size to draw at, `[width, height]`, when the module can resize; 0 (not measured yet) waits. */
  size?(): readonly [number, number];
  /** The module's data and options for `args` at `size`. */
  draw(args: A, size: readonly [number, number]): { data: D; options: O };
  /** What the module returned (e.g. the layout), after each draw, update or resize. */
  done?(result: L, svg: SVGSVGElement): void;
}

interface Painted {
  svg: SVGSVGElement;
  args: readonly unknown[];
  size: readonly [number, number];
}

interface Entry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  drawing: Drawing<any, any, any, readonly unknown[]>;
  last?: Painted;
}

const NO_SIZE: readonly [number, number] = [1, 1];

/** Same by identity, or arrays of the same items by identity. */
const same = (a: unknown, b: unknown): boolean => a === b || (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => v === b[i]));

const sameArgs = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((v, i) => same(v, b[i]));

export class PaintController implements ReactiveController {
  private readonly entries: Entry[] = [];

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  /** Registers a drawing (painted after those registered before it). */
  add<D, O, L, A extends readonly unknown[]>(drawing: Drawing<D, O, L, A>): void {
    this.entries.push({ drawing: drawing as unknown as Entry['drawing'] });
  }

  hostUpdated(): void {
    this.paint();
  }

  /** Runs every drawing whose inputs changed (after each update of the host). */
  paint(): void {
    for (const entry of this.entries) this.paintOne(entry);
  }

  private paintOne(entry: Entry): void {
    const { drawing, last } = entry;
    const svg = drawing.svg();
    const args = drawing.args();
    if (!args) {
      if (last?.svg.isConnected) drawing.module.clear(last.svg);
      entry.last = undefined;
      return;
    }
    if (!svg?.isConnected) return;
    const size = drawing.size?.() ?? NO_SIZE;
    if (!(size[0] > 0) || size[1] < 0) return;
    let result: unknown;
    if (last?.svg === svg && sameArgs(last.args, args)) {
      if (same(last.size, size)) return;
      result = drawing.module.resize(svg, size[0], size[1]);
    }
    if (result === undefined) {
      const { data, options } = drawing.draw(args, size);
      result = last?.svg === svg ? drawing.module.update(svg, data, options) : drawing.module.draw(svg, data, options);
    }
    entry.last = { svg, args, size };
    drawing.done?.(result, svg);
  }
}
