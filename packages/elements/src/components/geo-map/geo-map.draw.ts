/**
 * The geographic usage drawing (chart 2.15), pure: a d3-geo world choropleth (countries filled by
 * `options.colour`) with city bubbles on top, in Mercator or Robinson, drawn into an `<svg>` the
 * element owns, following the chart contract (`draw` / `update` / `resize` / `clear`).
 *
 * - Geometry: the bundled 1:110m countries (world.ts), projected once per projection and size (the
 *   path strings are cached, so a metric or data change only refills). Antarctica is left out (no
 *   users; it would take a third of a Mercator map). Countries the 1:110m set has no outline for
 *   (Singapore, Hong Kong, …) are a dot at their cities' centre.
 * - Zoom: all marks sit in one `<g class="viewport">` moved by a d3-zoom transform (free pan by drag,
 *   zoom with Ctrl/⌘ + wheel or pinch). `options.zoom` names a country to fit (its largest polygon
 *   and its cities), animated with d3-interpolate's `interpolateZoom` (smooth pan-and-zoom, van Wijk
 *   & Nuij) unless `transitionMs` is 0; strokes do not scale (`vector-effect`), bubbles and labels
 *   are resized by 1/k so they keep their screen size.
 * - Bubbles: area ∝ users (the element passes a sqrt radius); at world level every city, zoomed only
 *   the country's cities (at least 4 px, a pointer target), with their names (set as text, never markup).
 * - Accessibility: the SVG is a labelled group; the countries with data (world level) or the zoomed
 *   country and its cities are buttons with full descriptions, one of them in the tab order at a time
 *   (roving tabindex) in `options.order`. Keys: ArrowRight / ArrowDown next, ArrowLeft / ArrowUp
 *   previous, Home / End, Enter or Space activate, Escape or Backspace `options.onBack`.
 */
import { geoArea, geoMercator, geoPath, type GeoPermissibleObjects, type GeoProjection } from 'd3-geo';
import { geoRobinson } from 'd3-geo-projection';
import { interpolateZoom } from 'd3-interpolate';
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, zoomTransform, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { svgEl, type ChartModule } from '../../charts/contract.js';
import type { CityRow, CountryRow, GeoProjectionKind } from './geo-map.data.js';
import { worldGeometry } from './world.js';

export type GeoTarget = { kind: 'country'; row: CountryRow } | { kind: 'city'; city: CityRow };

export interface GeoMapData {
  /** Countries with data (not the Unknown bucket). */
  countries: readonly CountryRow[];
  /** Cities to draw (those without coordinates are skipped). */
  cities: readonly CityRow[];
}

export interface GeoMapOptions {
  width: number;
  height: number;
  projection: GeoProjectionKind;
  /** Fill of a country with data. */
  colour(row: CountryRow): string;
  /** Bubble radius of a city at zoom 1 (0 = not drawn). */
  radius(city: CityRow): number;
  /** Country codes in keyboard order (the countries with data, by the metric). */
  order: readonly string[];
  /** Alpha-2 code of the country to zoom into ('' or undefined: the world). */
  zoom?: string;
  /** Accessible names. */
  describeCountry(row: CountryRow): string;
  describeCity(city: CityRow): string;
  /** Accessible name of the map. */
  label?: string;
  /** Length of the zoom animation (default 600 ms; 0 = jump). */
  transitionMs?: number;
  /** Pointer or focus reached a mark (`null`: left). `point` is in SVG pixels. `name` for a country without data. */
  onHover?(target: GeoTarget | null, point: { x: number; y: number } | null, source: 'pointer' | 'focus', name?: string): void;
  /** A mark was clicked, or activated with Enter or Space. */
  onActivate?(target: GeoTarget): void;
  /** Escape or Backspace: back to the world; returns whether it did. */
  onBack?(): boolean;
}

export interface GeoItem {
  target: GeoTarget;
  el: SVGElement;
}

export interface GeoMapLayout {
  width: number;
  height: number;
  projection: GeoProjectionKind;
  /** The zoomed country ('' = world). */
  zoom: string;
  /** The keyboard items in order (countries at world level; the country and its cities zoomed). */
  items: readonly GeoItem[];
  /** The item in the tab order (-1: none). */
  active: number;
  setActive(index: number, focus?: boolean): void;
  /** Projected position of a longitude / latitude at zoom 1 (null when not visible in the projection). */
  project(lon: number, lat: number): [number, number] | null;
  /** The current pan / zoom. */
  transform(): ZoomTransform;
  /** Resolves when the running zoom animation has ended. */
  settled(): Promise<void>;
  /** Zooms by a factor around the centre (buttons); animated. */
  zoomBy(factor: number): Promise<void>;
  /** Back to the whole world view (pan / zoom reset); animated. */
  reset(): Promise<void>;
}

/** Cached projected geometry per projection and size. */
interface Projected {
  key: string;
  projection: GeoProjection;
  /** Path string per ISO numeric id (and per feature index for those without an id). */
  paths: { id: string; name: string; d: string; main: [[number, number], [number, number]] }[];
  byId: Map<string, number>;
  borders: string;
  sphere: string;
}

const cache: Projected[] = [];
const ANTARCTICA = '010';

/** Forgets the projected outlines (the bench measures an uncached projection with it). */
export function clearProjectionCache(): void {
  cache.length = 0;
}

function projected(kind: GeoProjectionKind, width: number, height: number): Projected {
  const key = `${kind}|${width}|${height}`;
  const hit = cache.find((c) => c.key === key);
  if (hit) return hit;
  const world = worldGeometry();
  const features = world.countries.filter((f) => f.id !== ANTARCTICA);
  const projection = kind === 'robinson' ? geoRobinson() : geoMercator();
  const pad = 6;
  const fit = kind === 'robinson' ? ({ type: 'Sphere' } as GeoPermissibleObjects) : ({ type: 'FeatureCollection', features } as GeoPermissibleObjects);
  projection.fitExtent(
    [
      [pad, pad],
      [width - pad, height - pad],
    ],
    fit,
  );
  projection.precision(0.5);
  const path = geoPath(projection).digits(1);
  const paths = features.map((f) => ({ id: String(f.id ?? ''), name: f.properties?.name ?? '', d: path(f) ?? '', main: path.bounds(largestPolygon(f)) }));
  const byId = new Map<string, number>();
  paths.forEach((p, i) => p.id && byId.set(p.id, i));
  const out: Projected = {
    key,
    projection,
    paths,
    byId,
    borders: path(world.borders) ?? '',
    sphere: kind === 'robinson' ? (path({ type: 'Sphere' }) ?? '') : '',
  };
  cache.unshift(out);
  if (cache.length > 4) cache.pop();
  return out;
}

/** The polygon of largest spherical area (metropolitan France rather than France with Guiana). */
function largestPolygon(f: Feature): Feature<Polygon> {
  const g = f.geometry;
  if (g?.type === 'MultiPolygon') {
    let best = 0;
    let bestArea = -1;
    (g as MultiPolygon).coordinates.forEach((coordinates, i) => {
      const a = geoArea({ type: 'Polygon', coordinates });
      if (a > bestArea) {
        bestArea = a;
        best = i;
      }
    });
    return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: (g as MultiPolygon).coordinates[best] } };
  }
  return f as Feature<Polygon>;
}

interface State {
  data: GeoMapData;
  options: GeoMapOptions;
  layout: GeoMapLayout;
  behaviour: ZoomBehavior<SVGSVGElement, unknown>;
  listeners: { type: string; fn: EventListener }[];
  /** Element → item index (keyboard items) or a city without a keyboard slot (-1 - city index). */
  hit: Map<Element, GeoTarget>;
  itemIndex: Map<Element, number>;
  animation?: { cancel(): void; done: Promise<void>; goal: ZoomTransform };
  scaled: { el: SVGElement; r?: number; dx?: number }[];
}

const states = new WeakMap<SVGSVGElement, State>();
let patternIds = 0;

export function draw(svg: SVGSVGElement, data: GeoMapData, options: GeoMapOptions): GeoMapLayout {
  clear(svg);
  return render(svg, data, options, zoomIdentity, undefined);
}

/** Renders new data or options; keeps pan / zoom when the zoom target stays, animates to a new one; keeps the keyboard position. */
export function update(svg: SVGSVGElement, data: GeoMapData, options: GeoMapOptions): GeoMapLayout {
  const s = states.get(svg);
  const sameFrame = s && s.options.projection === options.projection && s.options.width === options.width && s.options.height === options.height;
  // Mid-animation, the redraw starts where the animation was going.
  const from = sameFrame ? (s.animation?.goal ?? zoomTransform(svg)) : zoomIdentity;
  const previousZoom = s?.layout.zoom ?? '';
  const activeKey = s && s.layout.active >= 0 ? keyOf(s.layout.items[s.layout.active]?.target) : undefined;
  const hadFocus = svg.contains((svg.getRootNode() as Document | ShadowRoot).activeElement);
  clear(svg);
  const layout = render(svg, data, options, from, sameFrame ? previousZoom : undefined);
  const again = activeKey === undefined ? -1 : layout.items.findIndex((it) => keyOf(it.target) === activeKey);
  if (again >= 0) layout.setActive(again, hadFocus);
  else if (hadFocus && layout.items.length) layout.setActive(0, true);
  return layout;
}

export function resize(svg: SVGSVGElement, width: number, height: number): GeoMapLayout | undefined {
  const s = states.get(svg);
  return s ? update(svg, s.data, { ...s.options, width, height }) : undefined;
}

export function clear(svg: SVGSVGElement): void {
  const s = states.get(svg);
  if (s) {
    for (const l of s.listeners) svg.removeEventListener(l.type, l.fn);
    s.animation?.cancel();
    select(svg).on('.zoom', null);
  }
  states.delete(svg);
  svg.querySelector(':scope > g.geo')?.remove();
  svg.querySelector(':scope > defs.geo-defs')?.remove();
  svg.removeAttribute('role');
  svg.removeAttribute('aria-label');
}

export const geoMapChart = { draw, update, resize, clear } satisfies ChartModule<GeoMapData, GeoMapOptions, GeoMapLayout>;

const keyOf = (t: GeoTarget | undefined): string | undefined => (t ? (t.kind === 'country' ? `country:${t.row.code}` : `city:${t.city.key}`) : undefined);

function render(svg: SVGSVGElement, data: GeoMapData, options: GeoMapOptions, from: ZoomTransform, previousZoom: string | undefined): GeoMapLayout {
  if (!(options.width > 0) || !(options.height > 0)) throw new RangeError(`geo map: size must be positive, got ${options.width}×${options.height}`);
  const width = Math.max(1, Math.floor(options.width));
  const height = Math.max(1, Math.floor(options.height));
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', options.label ?? 'Map of usage by country');

  const geo = projected(options.projection, width, height);
  const byCode = new Map(data.countries.map((c) => [c.code, c]));
  const zoomed = options.zoom && byCode.has(options.zoom) ? options.zoom : '';

  // A hatch for countries without data (told apart from the lowest class without colour).
  const defs = svgEl('defs', { class: 'geo-defs' });
  const hatchId = `usage-geo-hatch-${++patternIds}`;
  const pattern = svgEl('pattern', { id: hatchId, width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' });
  pattern.append(svgEl('rect', { width: 6, height: 6, class: 'no-data-fill' }), svgEl('line', { x1: 0, y1: 0, x2: 0, y2: 6, class: 'no-data-hatch' }));
  defs.append(pattern);
  svg.prepend(defs);

  const root = svgEl('g', { class: 'geo' });
  root.append(svgEl('rect', { class: 'ocean', x: 0, y: 0, width, height }));
  const viewport = svgEl('g', { class: 'viewport' });
  root.append(viewport);
  if (geo.sphere) viewport.append(svgEl('path', { class: 'sphere', d: geo.sphere }));
  const countriesG = svgEl('g', { class: 'countries' });
  viewport.append(countriesG);
  const hit = new Map<Element, GeoTarget>();
  const itemIndex = new Map<Element, number>();
  const countryEls = new Map<string, SVGElement>();
  const emptyProto = svgEl('path', { class: 'country no-data', fill: `url(#${hatchId})` });
  const dataProto = svgEl('path', { class: 'country has-data', role: 'button', tabindex: -1 });
  const numericToRow = new Map<string, CountryRow>();
  for (const c of data.countries) if (c.numeric) numericToRow.set(c.numeric, c);
  const emptyNames = new Map<Element, string>();
  for (const p of geo.paths) {
    const row = p.id ? numericToRow.get(p.id) : undefined;
    const el = (row ? dataProto : emptyProto).cloneNode() as SVGPathElement;
    el.setAttribute('d', p.d);
    if (row) {
      el.setAttribute('fill', options.colour(row));
      el.setAttribute('data-code', row.code);
      el.setAttribute('aria-label', options.describeCountry(row));
      hit.set(el, { kind: 'country', row });
      countryEls.set(row.code, el);
      if (zoomed && row.code !== zoomed) el.classList.add('dimmed');
    } else {
      emptyNames.set(el, p.name);
    }
    countriesG.append(el);
  }
  viewport.append(svgEl('path', { class: 'borders', d: geo.borders, 'aria-hidden': 'true' }));

  // Countries with data but no outline at 1:110m: a dot at their cities' centre.
  const scaled: State['scaled'] = [];
  const dots = svgEl('g', { class: 'dots' });
  for (const c of data.countries) {
    if (countryEls.has(c.code) || !c.centre) continue;
    const pt = geo.projection(c.centre);
    if (!pt) continue;
    const el = svgEl('circle', {
      class: 'country has-data dot',
      role: 'button',
      tabindex: -1,
      cx: pt[0],
      cy: pt[1],
      r: 4,
      fill: options.colour(c),
      'data-code': c.code,
      'aria-label': options.describeCountry(c),
    });
    hit.set(el, { kind: 'country', row: c });
    countryEls.set(c.code, el);
    scaled.push({ el, r: 4 });
    dots.append(el);
  }
  viewport.append(dots);

  // City bubbles: biggest first so small ones stay on top; zoomed, only the country's.
  const citiesG = svgEl('g', { class: 'cities' });
  const labels = svgEl('g', { class: 'city-labels', 'aria-hidden': 'true' });
  const cityEls: { city: CityRow; el: SVGElement }[] = [];
  const cityProto = svgEl('circle', { class: 'city' });
  const shown = data.cities.filter((c) => c.latitude !== null && c.longitude !== null && (!zoomed || c.country === zoomed));
  const sorted = [...shown].sort((a, b) => b.users - a.users || (a.key < b.key ? -1 : 1));
  const points: [number, number][] = [];
  for (const c of sorted) {
    // Zoomed, a bubble is at least 4 px so that it stays a target for the pointer.
    const r0 = options.radius(c);
    const r = zoomed && r0 > 0 ? Math.max(4, r0) : r0;
    const pt = geo.projection([c.longitude!, c.latitude!]);
    if (!pt || !(r > 0)) continue;
    const el = cityProto.cloneNode() as SVGCircleElement;
    el.setAttribute('cx', String(Math.round(pt[0] * 10) / 10));
    el.setAttribute('cy', String(Math.round(pt[1] * 10) / 10));
    el.setAttribute('r', String(r));
    el.setAttribute('data-key', c.key);
    if (zoomed) {
      el.setAttribute('role', 'button');
      el.setAttribute('tabindex', '-1');
      el.setAttribute('aria-label', options.describeCity(c));
      const t = svgEl('text', { class: 'city-label', x: pt[0], y: pt[1], 'dominant-baseline': 'central' });
      t.textContent = c.city;
      labels.append(t);
      scaled.push({ el: t, dx: r + 3 });
    } else {
      el.setAttribute('aria-hidden', 'true');
    }
    hit.set(el, { kind: 'city', city: c });
    cityEls.push({ city: c, el });
    scaled.push({ el, r });
    points.push(pt);
    citiesG.append(el);
  }
  viewport.append(citiesG, labels);
  svg.append(root);

  // Keyboard items: the countries with data by the metric; zoomed, the country then its cities by users.
  const items: GeoItem[] = [];
  if (zoomed) {
    const el = countryEls.get(zoomed);
    if (el) items.push({ target: { kind: 'country', row: byCode.get(zoomed)! }, el });
    for (const { city, el: cel } of cityEls) items.push({ target: { kind: 'city', city }, el: cel });
  } else {
    for (const code of options.order) {
      const el = countryEls.get(code);
      if (el) items.push({ target: { kind: 'country', row: byCode.get(code)! }, el });
    }
  }
  items.forEach((it, i) => itemIndex.set(it.el, i));

  // Zoom behaviour: drag pans, Ctrl/⌘ + wheel or pinch zooms (a plain wheel scrolls the page).
  const behaviour = d3zoom<SVGSVGElement, unknown>()
    .scaleExtent([1, 64])
    .extent([
      [0, 0],
      [width, height],
    ])
    .translateExtent([
      [0, 0],
      [width, height],
    ])
    .filter((e: Event) => {
      if (e.type === 'wheel') return (e as WheelEvent).ctrlKey || (e as WheelEvent).metaKey;
      if (e.type === 'dblclick') return false;
      return !(e as MouseEvent).button;
    })
    .on('zoom', (e: { transform: ZoomTransform }) => apply(e.transform));
  const apply = (t: ZoomTransform) => {
    viewport.setAttribute('transform', `translate(${round2(t.x)},${round2(t.y)}) scale(${round4(t.k)})`);
    for (const s of scaled) {
      if (s.r !== undefined) s.el.setAttribute('r', String(round4(s.r / t.k)));
      if (s.dx !== undefined) {
        s.el.setAttribute('font-size', String(round4(11 / t.k)));
        s.el.setAttribute('dx', String(round4(s.dx / t.k)));
      }
    }
    // The no-data hatch keeps its screen spacing too.
    pattern.setAttribute('patternTransform', `scale(${round4(1 / t.k)}) rotate(45)`);
    root.setAttribute('data-k', String(round4(t.k)));
  };
  const sel = select(svg);
  sel.call(behaviour);

  // The target view: the zoomed country's largest polygon and its cities, with a margin.
  const target = (): ZoomTransform => {
    if (!zoomed) return zoomIdentity;
    let [[x0, y0], [x1, y1]] = [
      [Infinity, Infinity],
      [-Infinity, -Infinity],
    ];
    const i = byCode.get(zoomed)?.numeric ? geo.byId.get(byCode.get(zoomed)!.numeric!) : undefined;
    if (i !== undefined) [[x0, y0], [x1, y1]] = geo.paths[i].main;
    for (const [x, y] of points) {
      x0 = Math.min(x0, x);
      y0 = Math.min(y0, y);
      x1 = Math.max(x1, x);
      y1 = Math.max(y1, y);
    }
    if (!Number.isFinite(x0)) return zoomIdentity;
    const w = Math.max(x1 - x0, 8);
    const h = Math.max(y1 - y0, 8);
    const k = Math.max(1, Math.min(64, 0.8 / Math.max(w / width, h / height)));
    return zoomIdentity.translate(width / 2 - (k * (x0 + x1)) / 2, height / 2 - (k * (y0 + y1)) / 2).scale(k);
  };

  const state: State = { data, options, layout: undefined as unknown as GeoMapLayout, behaviour, listeners: [], hit, itemIndex, scaled };
  const animate = (to: ZoomTransform, ms: number): Promise<void> => {
    state.animation?.cancel();
    const start = zoomTransform(svg);
    const reduce = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
    if (!(ms > 0) || reduce) {
      behaviour.transform(sel, to);
      state.animation = undefined;
      return Promise.resolve();
    }
    const view = (t: ZoomTransform): [number, number, number] => [(width / 2 - t.x) / t.k, (height / 2 - t.y) / t.k, width / t.k];
    const interp = interpolateZoom(view(start), view(to));
    const duration = Math.min(Math.max(ms, interp.duration * 0.5), ms * 2);
    let cancelled = false;
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    const t0 = performance.now();
    const frame = (now: number) => {
      if (cancelled) return resolve();
      const u = Math.min(1, (now - t0) / duration);
      if (u >= 1) {
        behaviour.transform(sel, to);
        state.animation = undefined;
        return resolve();
      }
      const [cx, cy, w] = interp(easeInOut(u));
      const k = width / w;
      behaviour.transform(sel, zoomIdentity.translate(width / 2 - cx * k, height / 2 - cy * k).scale(k));
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    state.animation = {
      cancel: () => {
        cancelled = true;
      },
      done,
      goal: to,
    };
    return done;
  };

  // Start where the previous drawing was; move to the new target when the zoom changed.
  behaviour.transform(sel, from);
  apply(from);
  if (previousZoom === undefined) behaviour.transform(sel, target());
  else if (previousZoom !== zoomed) void animate(target(), options.transitionMs ?? 600);

  const layout: GeoMapLayout = {
    width,
    height,
    projection: options.projection,
    zoom: zoomed,
    items,
    active: items.length ? 0 : -1,
    setActive(i, focus = false) {
      const next = items[i];
      if (!next) return;
      if (layout.active >= 0) items[layout.active]?.el.setAttribute('tabindex', '-1');
      layout.active = i;
      next.el.setAttribute('tabindex', '0');
      if (focus) (next.el as SVGElement & { focus(o?: FocusOptions): void }).focus({ preventScroll: true });
    },
    project: (lon, lat) => geo.projection([lon, lat]),
    transform: () => zoomTransform(svg),
    settled: () => state.animation?.done ?? Promise.resolve(),
    zoomBy: (factor) => {
      const t = zoomTransform(svg);
      const k = Math.max(1, Math.min(64, t.k * factor));
      const cx = (width / 2 - t.x) / t.k;
      const cy = (height / 2 - t.y) / t.k;
      return animate(zoomIdentity.translate(width / 2 - cx * k, height / 2 - cy * k).scale(k), (options.transitionMs ?? 600) / 2);
    },
    reset: () => animate(target(), options.transitionMs ?? 600),
  };
  if (items.length) items[0].el.setAttribute('tabindex', '0');
  state.layout = layout;
  states.set(svg, state);
  listen(svg, state, emptyNames);
  return layout;
}

const round2 = (v: number) => Math.round(v * 100) / 100;
const round4 = (v: number) => Math.round(v * 10000) / 10000;
const easeInOut = (t: number) => (t < 0.5 ? 4 * t * t * t : 1 - Math.pow(-2 * t + 2, 3) / 2);

function listen(svg: SVGSVGElement, state: State, emptyNames: Map<Element, string>): void {
  const { layout, options } = state;
  const targetOf = (e: Event): { target?: GeoTarget; el?: Element } => {
    const el = (e.target as Element | null)?.closest?.('.has-data, .city');
    return el ? { target: state.hit.get(el), el } : {};
  };
  const pointOf = (el: Element): { x: number; y: number } => {
    const box = (el as SVGGraphicsElement).getBoundingClientRect();
    const frame = svg.getBoundingClientRect();
    return { x: box.x - frame.x + box.width / 2, y: box.y - frame.y + Math.min(box.height / 2, 24) };
  };
  const on = (type: string, fn: EventListener) => {
    svg.addEventListener(type, fn);
    state.listeners.push({ type, fn });
  };
  on('pointermove', (e) => {
    const { target, el } = targetOf(e);
    if (target && el) return options.onHover?.(target, pointOf(el), 'pointer');
    const empty = (e.target as Element | null)?.closest?.('.no-data');
    if (empty) return options.onHover?.(null, pointOf(empty), 'pointer', emptyNames.get(empty));
    options.onHover?.(null, null, 'pointer');
  });
  on('pointerleave', () => options.onHover?.(null, null, 'pointer'));
  on('click', (e) => {
    const { target, el } = targetOf(e);
    if (!target || !el) return;
    const i = state.itemIndex.get(el);
    if (i !== undefined) layout.setActive(i);
    options.onActivate?.(target);
  });
  on('focusin', (e) => {
    const el = e.target as Element;
    const i = state.itemIndex.get(el);
    if (i === undefined) return;
    if (layout.active !== i) layout.setActive(i);
    options.onHover?.(layout.items[i].target, pointOf(el), 'focus');
  });
  on('focusout', (e) => {
    const next = (e as FocusEvent).relatedTarget as Node | null;
    if (!next || !svg.contains(next)) options.onHover?.(null, null, 'focus');
  });
  on('keydown', (e) => {
    const ev = e as KeyboardEvent;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const i = layout.active;
    const n = layout.items.length;
    if (i < 0 || !n) return;
    let next: number;
    switch (ev.key) {
      case 'ArrowRight':
      case 'ArrowDown':
        next = Math.min(n - 1, i + 1);
        break;
      case 'ArrowLeft':
      case 'ArrowUp':
        next = Math.max(0, i - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = n - 1;
        break;
      case 'Enter':
      case ' ':
        ev.preventDefault();
        options.onActivate?.(layout.items[i].target);
        return;
      case 'Escape':
      case 'Backspace':
        if (options.onBack?.()) {
          ev.preventDefault();
          ev.stopPropagation();
        }
        return;
      default:
        return;
    }
    ev.preventDefault();
    if (next !== i) layout.setActive(next, true);
  });
}
