/**
 * Zoom and pan for every time series (UX2.1).
 *
 * - **Zoom**: click-drag across the plot (d3-brush on x) zooms to the dragged span; Ctrl/⌘ + wheel
 *   zooms around the pointer; `+` / `-` zoom around the focused point (or the centre).
 * - **Pan**: Shift + drag, horizontal wheel (or Shift + wheel) while zoomed, `Shift + ←/→`.
 * - **Reset**: `0`, or the chart's "Reset zoom" button calling {@link TimeZoom.reset}.
 * - A plain click (no drag) is not a zoom: it is handed to the chart as `onClick` (drill-down).
 *
 * The domain math is pure ({@link zoomDomain}, {@link panDomain}, {@link clampDomain}); the
 * {@link TimeZoom} class binds it to an SVG layer and reports every change through `onChange`
 * (`null` = back to the full extent), which the element turns into a `usage-zoom` event.
 */
import type { BrushBehavior, D3BrushEvent } from 'd3-brush';
import type { ScaleTime } from 'd3-scale';
import { pointer, select } from 'd3-selection';
import type { PlotRect } from '../charts/contract.js';
import type { Domain } from '../charts/time-axis.js';
import { lazy } from './lazy.js';

/**
 * d3-brush (with d3-transition, which it needs) is not part of a chart's first paint: it loads in
 * its own chunk when a chart first draws, and the brush is bound once it is there (`settled()`
 * waits for it). Keyboard and wheel zoom work without it.
 */
const loadBrush = lazy(() => import('d3-brush'));
let brushModule: typeof import('d3-brush') | undefined;

export type { Domain };

/** Fits `d` inside `full` keeping its span (shrunk to `full` if wider) and at least `minSpan`. */
export function clampDomain(d: Domain, full: Domain, minSpan = 0): Domain {
  const fullSpan = full[1] - full[0];
  let span = Math.min(Math.max(d[1] - d[0], Math.min(minSpan, fullSpan)), fullSpan);
  if (!(span > 0)) span = fullSpan;
  let start = Math.min(Math.max(d[0], full[0]), full[1] - span);
  if (d[1] - d[0] < span) start = Math.min(Math.max((d[0] + d[1]) / 2 - span / 2, full[0]), full[1] - span);
  return [start, start + span];
}

/** Scales `d` by `factor` (< 1 zooms in) around `centre` (default its middle), clamped to `full`. */
export function zoomDomain(d: Domain, factor: number, full: Domain, { centre, minSpan = 0 }: { centre?: number; minSpan?: number } = {}): Domain {
  if (!(factor > 0)) throw new RangeError(`zoomDomain: factor must be > 0, got ${factor}`);
  const c = centre ?? (d[0] + d[1]) / 2;
  return clampDomain([c - (c - d[0]) * factor, c + (d[1] - c) * factor], full, minSpan);
}

/** Shifts `d` by `delta` ms, clamped to `full` (the span is kept). */
export function panDomain(d: Domain, delta: number, full: Domain): Domain {
  return clampDomain([d[0] + delta, d[1] + delta], full);
}

/** True when `d` covers all of `full` (within a millisecond). */
export const isFull = (d: Domain, full: Domain): boolean => d[0] <= full[0] + 1 && d[1] >= full[1] - 1;

export type ZoomSource = 'brush' | 'wheel' | 'pan' | 'keyboard' | 'reset' | 'api';

export interface TimeZoomOptions {
  /** Smallest span one can zoom to (ms); default 2 hours. */
  minSpan?: number;
  /** Every change of the visible window; `null` = the full extent. */
  onChange: (domain: Domain | null, source: ZoomSource) => void;
  /** A click on the plot that was not a drag (plot pixel coordinates). */
  onClick?: (px: number, py: number, event: MouseEvent) => void;
}

const ZOOM_STEP = 0.5;
const PAN_STEP = 0.2;

export class TimeZoom {
  private fullDomain: Domain = [0, 1];
  private current: Domain | null = null;
  private brush?: BrushBehavior<unknown>;
  private extent?: [[number, number], [number, number]];
  private layer?: SVGGElement;
  private x?: ScaleTime<number, number>;
  private drag?: { id: number; startX: number; startDomain: Domain };

  constructor(private readonly options: TimeZoomOptions) {}

  /** The full extent (everything there is to see). Keeps the zoom when it still fits, else resets. */
  set full(full: Domain) {
    const changed = full[0] !== this.fullDomain[0] || full[1] !== this.fullDomain[1];
    this.fullDomain = full;
    if (changed && this.current) {
      const inside = this.current[0] >= full[0] && this.current[1] <= full[1] && !isFull(this.current, full);
      if (!inside) this.current = null;
    }
  }

  get full(): Domain {
    return this.fullDomain;
  }

  /** The visible window. */
  get view(): Domain {
    return this.current ?? this.fullDomain;
  }

  get zoomed(): boolean {
    return this.current !== null;
  }

  /** Shows `domain` (clamped to the full extent; the full extent resets). */
  zoomTo(domain: Domain, source: ZoomSource = 'api'): void {
    const next = clampDomain(domain, this.fullDomain, this.minSpan);
    this.set(isFull(next, this.fullDomain) ? null : next, source);
  }

  /** Zooms by `factor` (< 1 in, > 1 out) around `centre` (ms). */
  zoomBy(factor: number, centre?: number, source: ZoomSource = 'api'): void {
    this.zoomTo(zoomDomain(this.view, factor, this.fullDomain, { centre, minSpan: this.minSpan }), source);
  }

  /** Pans by a fraction of the visible span (negative = earlier). */
  panBy(fraction: number, source: ZoomSource = 'api'): void {
    if (!this.current) return;
    const [a, b] = this.current;
    this.zoomTo(panDomain(this.current, (b - a) * fraction, this.fullDomain), source);
  }

  /** Pans just enough for `t` to be visible. */
  reveal(t: number, source: ZoomSource = 'keyboard'): void {
    if (!this.current) return;
    const [a, b] = this.current;
    if (t < a) this.zoomTo([t, t + (b - a)], source);
    else if (t > b) this.zoomTo([t - (b - a), t], source);
  }

  reset(source: ZoomSource = 'reset'): void {
    this.set(null, source);
  }

  /**
   * Handles the zoom keys on the focused plot: `+`/`=` in, `-` out (around `centre`), `0` reset,
   * `Shift + ←/→` pan. Returns true when the key was used (the caller then prevents its default).
   */
  handleKey(event: KeyboardEvent, centre?: number): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey) return false;
    switch (event.key) {
      case '+':
      case '=':
        this.zoomBy(ZOOM_STEP, centre, 'keyboard');
        return true;
      case '-':
      case '_':
        this.zoomBy(1 / ZOOM_STEP, centre, 'keyboard');
        return true;
      case '0':
        this.reset('keyboard');
        return true;
      case 'ArrowLeft':
      case 'ArrowRight':
        if (!event.shiftKey) return false;
        this.panBy(event.key === 'ArrowLeft' ? -PAN_STEP : PAN_STEP, 'keyboard');
        return true;
      default:
        return false;
    }
  }

  /**
   * Binds the pointer gestures to `layer` (the chart's top `interaction` layer) for the scale `x`
   * of the visible window; call again after every render (idempotent).
   */
  attach(layer: SVGGElement, x: ScaleTime<number, number>, plot: PlotRect): void {
    this.x = x;
    this.extent = [
      [plot.left, plot.top],
      [plot.left + plot.width, plot.top + plot.height],
    ];
    if (this.layer !== layer) {
      this.detach();
      this.layer = layer;
      this.brush = undefined;
      layer.addEventListener('pointerdown', this.pointerDown);
      layer.addEventListener('wheel', this.wheel, { passive: false });
    }
    if (brushModule) this.bindBrush(brushModule);
    else
      loadBrush().then(
        (m) => {
          brushModule = m;
          if (this.layer === layer) this.bindBrush(m);
        },
        (e: Error) => console.warn(`usage-analytics: drag-to-zoom is unavailable (d3-brush did not load: ${e.message})`),
      );
  }

  private bindBrush(m: typeof import('d3-brush')): void {
    const layer = this.layer;
    if (!layer || !this.extent) return;
    this.brush ??= m
      .brushX()
      .filter((e: MouseEvent) => !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.button)
      .on('end', (e: D3BrushEvent<unknown>) => this.brushed(e));
    this.brush.extent(this.extent);
    select(layer).call(this.brush);
    layer.querySelector('.overlay')?.setAttribute('aria-hidden', 'true');
    layer.querySelector('.selection')?.setAttribute('aria-hidden', 'true');
  }

  /** Removes the gestures. */
  detach(): void {
    if (!this.layer) return;
    this.layer.removeEventListener('pointerdown', this.pointerDown);
    this.layer.removeEventListener('wheel', this.wheel);
    select(this.layer).on('.brush', null).selectAll('*').remove();
    this.layer = undefined;
  }

  private get minSpan(): number {
    return this.options.minSpan ?? 2 * 3_600_000;
  }

  private set(domain: Domain | null, source: ZoomSource): void {
    const before = this.current;
    if (before === domain || (before && domain && before[0] === domain[0] && before[1] === domain[1])) return;
    this.current = domain;
    this.options.onChange(domain, source);
  }

  private brushed(event: D3BrushEvent<unknown>): void {
    if (!event.sourceEvent || !this.layer || !this.x) return; // our own brush.move(null)
    const sel = event.selection as [number, number] | null;
    if (sel && Math.abs(sel[1] - sel[0]) >= 4) {
      select(this.layer).call(this.brush!.move, null);
      this.zoomTo([this.x.invert(sel[0]).getTime(), this.x.invert(sel[1]).getTime()], 'brush');
      return;
    }
    if (sel) select(this.layer).call(this.brush!.move, null);
    const source = event.sourceEvent as MouseEvent;
    const [px, py] = pointer(source, this.layer);
    this.options.onClick?.(px, py, source);
  }

  private readonly pointerDown = (e: PointerEvent): void => {
    if (!e.shiftKey || e.button !== 0 || !this.current || !this.layer) return;
    e.preventDefault();
    this.drag = { id: e.pointerId, startX: e.clientX, startDomain: this.current };
    this.layer.setPointerCapture?.(e.pointerId);
    this.layer.addEventListener('pointermove', this.pointerMove);
    this.layer.addEventListener('pointerup', this.pointerUp);
    this.layer.addEventListener('pointercancel', this.pointerUp);
  };

  private readonly pointerMove = (e: PointerEvent): void => {
    if (!this.drag || e.pointerId !== this.drag.id || !this.x) return;
    const [a, b] = this.drag.startDomain;
    const [r0, r1] = this.x.range();
    const msPerPx = (b - a) / Math.max(1, r1 - r0);
    this.zoomTo(panDomain(this.drag.startDomain, -(e.clientX - this.drag.startX) * msPerPx, this.fullDomain), 'pan');
  };

  private readonly pointerUp = (e: PointerEvent): void => {
    if (!this.drag || e.pointerId !== this.drag.id || !this.layer) return;
    this.drag = undefined;
    this.layer.releasePointerCapture?.(e.pointerId);
    this.layer.removeEventListener('pointermove', this.pointerMove);
    this.layer.removeEventListener('pointerup', this.pointerUp);
    this.layer.removeEventListener('pointercancel', this.pointerUp);
  };

  private readonly wheel = (e: WheelEvent): void => {
    if (!this.x || !this.layer) return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      const [px] = pointer(e, this.layer);
      this.zoomBy(Math.exp(e.deltaY * 0.002), this.x.invert(px).getTime(), 'wheel');
      return;
    }
    const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
    if (!this.current || dx === 0 || (!e.shiftKey && Math.abs(e.deltaX) < Math.abs(e.deltaY))) return;
    e.preventDefault();
    const [a, b] = this.current;
    const [r0, r1] = this.x.range();
    this.zoomTo(panDomain(this.current, (dx * (b - a)) / Math.max(1, r1 - r0), this.fullDomain), 'pan');
  };
}
