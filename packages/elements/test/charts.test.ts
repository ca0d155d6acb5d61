/** The pure drawing functions of src/charts, on detached SVGs (no Lit, no element). */
import { expect } from '@open-wc/testing';
import { layers, sizeSvg, DEFAULT_MARGIN, LAYER_NAMES } from '../src/charts/contract.js';
import { clearForecast, drawForecast } from '../src/charts/forecast-band.js';
import { canvasFill, lineDash, svgFill } from '../src/charts/patterns.js';
import * as stackedArea from '../src/charts/stacked-area.js';
import { bucketStarts, formatBucket, isoOf, timeScale } from '../src/charts/time-axis.js';
import { valueScale } from '../src/charts/value-axis.js';
import { swatchFor, sortDomain, type Swatch } from '../src/internal/palette.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 9, 1);
const KEYS = ['b', 'a', 'c'];
const detached = () => document.createElementNS('http://www.w3.org/2000/svg', 'svg');
const swatch = (k: string): Swatch => swatchFor(k, sortDomain(KEYS));
const data = (days = 10, keys = KEYS) => ({
  bucket: 'day' as const,
  keys,
  points: Array.from({ length: days }, (_, i) => ({ t: T0 + i * DAY, values: Object.fromEntries(keys.map((k, j) => [k, (j + 1) * 10 + i])) })),
});
const round = (v: number) => Math.round(v * 10) / 10;

describe('charts/time-axis', () => {
  it('timeScale(domain, plot) is UTC and rejects an empty domain', () => {
    const x = timeScale([T0, T0 + 10 * DAY], { left: 50, width: 500 });
    expect(x(T0)).to.equal(50);
    expect(x(T0 + 5 * DAY)).to.equal(300);
    expect(() => timeScale([T0, T0], { left: 0, width: 1 })).to.throw(/empty domain/);
  });

  it('formatBucket(t, bucket) labels days and UTC hours', () => {
    expect(formatBucket(T0, 'day')).to.equal('1 Oct 2026');
    expect(formatBucket(T0 + 14 * 3_600_000, 'hour')).to.equal('1 Oct 2026, 14:00 UTC');
    expect(isoOf(T0)).to.equal('2026-10-01T00:00:00.000Z');
  });

  it('bucketStarts(start, end, bucket) lists every bucket touched', () => {
    expect(bucketStarts(T0 + 3_600_000, T0 + 2 * DAY, 'day')).to.deep.equal([T0, T0 + DAY]);
    expect(bucketStarts(T0, T0 + 3 * 3_600_000, 'hour')).to.have.length(3);
  });

  it('valueScale(max, plot) starts at 0, is niced, and survives max = 0', () => {
    const y = valueScale(87, { top: 10, height: 100 });
    expect(y.domain()).to.deep.equal([0, 90]);
    expect(y(0)).to.equal(110);
    expect(valueScale(0, { top: 0, height: 10 }).domain()).to.deep.equal([0, 1]);
  });
});

describe('charts/contract', () => {
  it('layers(svg) creates the shared layer stack once, in paint order, with a plot clip', () => {
    const svg = detached();
    const a = layers(svg);
    const b = layers(svg);
    expect(a.marks).to.equal(b.marks);
    expect([...svg.querySelectorAll(':scope > g')].map((g) => g.getAttribute('class'))).to.deep.equal(LAYER_NAMES.map((n) => `layer-${n}`));
    expect(a.marks.getAttribute('clip-path')).to.match(/^url\(#usage-plot-clip-\d+\)$/);
    const plot = sizeSvg(svg, 400, 200, DEFAULT_MARGIN);
    expect(plot).to.deep.equal({ left: 52, top: 12, width: 332, height: 160 });
    expect(a.clip.getAttribute('width')).to.equal('332');
    expect(() => sizeSvg(svg, 0, 100, DEFAULT_MARGIN)).to.throw(/positive/);
  });
});

describe('charts/stacked-area', () => {
  it('draw(svg, data, options) stacks one area per key, bottom first, with hatched fills where needed', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, data(), { width: 600, height: 300, swatch });
    const areas = [...svg.querySelectorAll<SVGPathElement>('path.area')];
    expect(areas.map((a) => a.dataset.key)).to.deep.equal(KEYS);
    expect(areas.every((a) => (a.getAttribute('d') ?? '').startsWith('M'))).to.be.true;
    expect(areas[0].getAttribute('fill')).to.equal(swatch('b').colour);
    expect(layout.renderer).to.equal('svg');
    expect(layout.marks).to.equal(30);
    expect(svg.getAttribute('viewBox')).to.equal('0 0 600 300');
    // y covers the top of the stack: 10+20+30 + 3×9 = 87 on the last day → niced to 90.
    expect(layout.y.domain()[1]).to.equal(90);
    expect(svg.querySelectorAll('.layer-axis-x .tick').length).to.be.greaterThan(1);
    expect(svg.querySelectorAll('.layer-axis-y .tick').length).to.be.greaterThan(1);
  });

  it('layout hit-testing: indexAt(px), keyAt(index, py) and anchor(index, key)', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, data(), { width: 600, height: 300, swatch });
    const i = 4;
    const { x } = layout.anchor(i);
    expect(layout.indexAt(x)).to.equal(i);
    expect(layout.indexAt(-100)).to.equal(0);
    expect(layout.indexAt(10_000)).to.equal(9);
    expect(layout.centre(i)).to.equal(T0 + i * DAY + DAY / 2);
    // Bucket 4: b = 14 (0–14), a = 24 (14–38), c = 34 (38–72).
    expect(layout.keyAt(i, layout.y(7))).to.equal('b');
    expect(layout.keyAt(i, layout.y(30))).to.equal('a');
    expect(layout.keyAt(i, layout.y(60))).to.equal('c');
    expect(layout.keyAt(i, layout.y(85))).to.equal(undefined);
    expect(round(layout.anchor(i).y)).to.equal(round(layout.y(72)));
    expect(round(layout.anchor(i, 'a').y)).to.equal(round(layout.y(38)));
  });

  it('hidden keys are not drawn; update() joins by key and resize() redraws at a new size', () => {
    const svg = detached();
    stackedArea.draw(svg, data(), { width: 600, height: 300, swatch });
    const first = svg.querySelector('path.area[data-key="a"]');
    const layout = stackedArea.update(svg, data(), { width: 600, height: 300, swatch, hidden: new Set(['b']) });
    expect([...svg.querySelectorAll<SVGPathElement>('path.area')].map((a) => a.dataset.key)).to.deep.equal(['a', 'c']);
    expect(svg.querySelector('path.area[data-key="a"]')).to.equal(first);
    expect(layout.keys).to.deep.equal(['a', 'c']);
    const resized = stackedArea.resize(svg, 300, 150)!;
    expect(svg.getAttribute('width')).to.equal('300');
    expect(resized.plot.width).to.equal(300 - 52 - 16);
    expect(resized.keys).to.deep.equal(['a', 'c']);
  });

  it('overlay mode draws one line per key, dashed for hatched swatches', () => {
    const keys = Array.from({ length: 10 }, (_, i) => `k${i}`);
    const sw = (k: string) => swatchFor(k, keys);
    const svg = detached();
    const layout = stackedArea.draw(svg, data(5, keys), { width: 600, height: 300, swatch: sw, mode: 'overlay' });
    const lines = [...svg.querySelectorAll<SVGPathElement>('path.line')];
    expect(lines).to.have.length(10);
    expect(svg.querySelectorAll('path.area')).to.have.length(0);
    expect(lines[0].getAttribute('stroke-dasharray')).to.equal(null);
    expect(lines[8].getAttribute('stroke-dasharray')).to.equal('7 3');
    // y fits the largest single series, not the sum.
    expect(layout.y.domain()[1]).to.equal(110);
    expect(layout.keyAt(2, layout.y(10 * 10 + 2))).to.equal('k9');
  });

  it('a zoomed domain rescales x and y to the window; the clip keeps marks inside the plot', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, data(), { width: 600, height: 300, swatch, domain: [T0, T0 + 3 * DAY] });
    expect(layout.x.domain().map(Number)).to.deep.equal([T0, T0 + 3 * DAY]);
    expect(layout.y.domain()[1]).to.be.lessThan(90);
    expect(layout.marks).to.equal(4 * 3); // buckets touching the window × keys
  });

  it('above canvasThreshold the marks are painted on a canvas, one <image> in the SVG', () => {
    const svg = detached();
    const big = data(400);
    const layout = stackedArea.draw(svg, big, { width: 600, height: 300, swatch, canvasThreshold: 1000 });
    expect(layout.renderer).to.equal('canvas');
    expect(svg.querySelectorAll('path.area')).to.have.length(0);
    const img = svg.querySelector<SVGImageElement>('.layer-marks image.raster')!;
    expect(img.getAttribute('href')).to.match(/^data:image\/png;base64,/);
    expect(img.getAttribute('width')).to.equal('600');
    // Back under the budget: paths again, the raster removed.
    stackedArea.update(svg, data(), { width: 600, height: 300, swatch, canvasThreshold: 1000 });
    expect(svg.querySelector('image.raster')).to.equal(null);
    expect(svg.querySelectorAll('path.area')).to.have.length(3);
  });

  it('drawFocus() marks a bucket and clear() removes everything', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, data(), { width: 600, height: 300, swatch });
    stackedArea.drawFocus(svg, layout, 3, swatch);
    expect(svg.querySelectorAll('.focus-rule')).to.have.length(1);
    expect([...svg.querySelectorAll<SVGCircleElement>('.focus-dot')].map((c) => c.dataset.key)).to.deep.equal(KEYS);
    stackedArea.drawFocus(svg, layout, null, swatch);
    expect(svg.querySelectorAll('.focus-dot')).to.have.length(0);
    stackedArea.clear(svg);
    expect(svg.childElementCount).to.equal(0);
    expect(stackedArea.resize(svg, 100, 100)).to.equal(undefined);
  });

  it('empty data draws axes only; bad options throw a message naming the value', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, { bucket: 'day', keys: [], points: [] }, { width: 200, height: 100, swatch });
    expect(layout.indexAt(50)).to.equal(-1);
    expect(svg.querySelectorAll('path.area')).to.have.length(0);
    expect(() => stackedArea.draw(svg, { ...data(), bucket: 'week' as 'day' }, { width: 200, height: 100, swatch })).to.throw(/"week"/);
    expect(() => stackedArea.draw(svg, data(), { width: 200, height: 100, swatch, mode: 'pie' as 'stack' })).to.throw(/"pie"/);
  });

  it('hostile keys end up only in data attributes (inert), never as markup', () => {
    const keys = ['<img src=x onerror="window.__pwned=1">', '"><script>window.__pwned=2</script>'];
    const svg = detached();
    stackedArea.draw(svg, data(3, keys), { width: 200, height: 100, swatch: (k) => swatchFor(k, keys) });
    expect(svg.querySelector('img, script')).to.equal(null);
    expect([...svg.querySelectorAll<SVGPathElement>('path.area')].map((a) => a.dataset.key)).to.deep.equal(keys);
  });
});

describe('charts/forecast-band', () => {
  it('drawForecast(svg, layout, series) draws a dashed forecast from the last point, its band and the trend', () => {
    const svg = detached();
    const layout = stackedArea.draw(svg, data(), { width: 600, height: 300, swatch, extent: [T0, T0 + 15 * DAY], yMax: 200 });
    const forecast = Array.from({ length: 5 }, (_, i) => ({ t: T0 + (10 + i) * DAY + DAY / 2, predicted: 100, lower: 80, upper: 120 }));
    const n = drawForecast(svg, layout, [
      {
        key: '',
        forecast,
        from: { t: T0 + 9.5 * DAY, value: 87 },
        trend: [
          { t: T0, value: 60 },
          { t: T0 + 9.5 * DAY, value: 87 },
        ],
      },
    ]);
    expect(n).to.equal(5);
    const line = svg.querySelector('.layer-overlay g.forecast path.forecast-line')!;
    expect(line.getAttribute('stroke-dasharray')).to.equal('6 4');
    const [mx, my] = /^M([\d.-]+),([\d.-]+)/.exec(line.getAttribute('d')!)!.slice(1).map(Number);
    expect([round(mx), round(my)]).to.deep.equal([round(layout.x(T0 + 9.5 * DAY)), round(layout.y(87))]);
    expect(svg.querySelector('path.forecast-band')).to.exist;
    expect(svg.querySelector('path.trend-line')).to.exist;
    drawForecast(svg, layout, [
      { key: 'a', forecast, colour: '#123456' },
      { key: 'b', forecast },
    ]);
    expect([...svg.querySelectorAll<SVGGElement>('g.forecast')].map((g) => g.dataset.key)).to.deep.equal(['a', 'b']);
    expect((svg.querySelector('g.forecast[data-key="a"] path.forecast-line') as SVGPathElement).style.stroke).to.equal('rgb(18, 52, 86)');
    clearForecast(svg);
    expect(svg.querySelector('g.forecast')).to.equal(null);
  });
});

describe('charts/patterns', () => {
  it('svgFill() is the colour, or a pattern created once per swatch; canvasFill() and lineDash() match', () => {
    const defs = document.createElementNS('http://www.w3.org/2000/svg', 'defs');
    expect(svgFill(defs, { index: 0, colour: '#e69f00', hatch: 'none' })).to.equal('#e69f00');
    const a = svgFill(defs, { index: 8, colour: '#963700', hatch: 'diagonal' });
    const b = svgFill(defs, { index: 8, colour: '#963700', hatch: 'diagonal' });
    expect(a).to.equal(b);
    expect(defs.querySelectorAll('pattern')).to.have.length(1);
    svgFill(defs, { index: 16, colour: '#f0c080', hatch: 'dots' });
    expect(defs.querySelectorAll('pattern circle')).to.have.length(1);
    const ctx = document.createElement('canvas').getContext('2d')!;
    expect(canvasFill(ctx, { index: 8, colour: '#963700', hatch: 'diagonal' })).to.be.instanceOf(CanvasPattern);
    expect(lineDash({ index: 0, colour: '#000000', hatch: 'none' })).to.deep.equal([]);
    expect(lineDash({ index: 16, colour: '#000000', hatch: 'dots' })).to.deep.equal([2, 2]);
  });
});
