import { expect } from '@open-wc/testing';
import { layers, sizeSvg, DEFAULT_MARGIN } from '../src/charts/contract.js';
import { timeScale } from '../src/charts/time-axis.js';
import { TimeZoom, clampDomain, isFull, panDomain, zoomDomain, type Domain, type ZoomSource } from '../src/internal/time-zoom.js';
import { lazyPartsLoaded } from '../src/internal/lazy.js';

const H = 3_600_000;
const FULL: Domain = [0, 100 * H];

describe('time-zoom domain math', () => {
  it('zoomDomain(d, factor, full) scales around the centre or a point and clamps', () => {
    expect(zoomDomain(FULL, 0.5, FULL)).to.deep.equal([25 * H, 75 * H]);
    expect(zoomDomain(FULL, 0.5, FULL, { centre: 0 })).to.deep.equal([0, 50 * H]);
    expect(zoomDomain([40 * H, 60 * H], 4, FULL)).to.deep.equal([10 * H, 90 * H]);
    expect(zoomDomain([40 * H, 60 * H], 100, FULL)).to.deep.equal(FULL);
    expect(zoomDomain([40 * H, 41 * H], 0.1, FULL, { minSpan: 2 * H })).to.deep.equal([39.5 * H, 41.5 * H]);
    expect(() => zoomDomain(FULL, 0, FULL)).to.throw(/factor must be > 0, got 0/);
  });

  it('panDomain(d, delta, full) keeps the span and stops at the edges', () => {
    expect(panDomain([10 * H, 20 * H], 5 * H, FULL)).to.deep.equal([15 * H, 25 * H]);
    expect(panDomain([10 * H, 20 * H], -50 * H, FULL)).to.deep.equal([0, 10 * H]);
    expect(panDomain([10 * H, 20 * H], 500 * H, FULL)).to.deep.equal([90 * H, 100 * H]);
  });

  it('clampDomain() and isFull()', () => {
    expect(clampDomain([-10 * H, 200 * H], FULL)).to.deep.equal(FULL);
    expect(isFull(FULL, FULL)).to.be.true;
    expect(isFull([1 * H, 100 * H], FULL)).to.be.false;
  });
});

describe('TimeZoom', () => {
  function setup() {
    const changes: [Domain | null, ZoomSource][] = [];
    const clicks: [number, number][] = [];
    const zoom = new TimeZoom({ onChange: (d, s) => changes.push([d, s]), onClick: (x, y) => clicks.push([x, y]) });
    zoom.full = FULL;
    return { zoom, changes, clicks };
  }

  it('zoomTo/zoomBy/panBy/reveal/reset report each change once with its source', () => {
    const { zoom, changes } = setup();
    zoom.zoomBy(0.5);
    expect(zoom.view).to.deep.equal([25 * H, 75 * H]);
    expect(zoom.zoomed).to.be.true;
    zoom.panBy(0.2);
    expect(zoom.view).to.deep.equal([35 * H, 85 * H]);
    zoom.reveal(95 * H);
    expect(zoom.view).to.deep.equal([45 * H, 95 * H]);
    zoom.zoomTo([0, 200 * H]); // the full extent = reset
    expect(zoom.zoomed).to.be.false;
    zoom.reset(); // already full: no event
    expect(changes.map(([d, s]) => [d && d.map((v) => v / H), s])).to.deep.equal([
      [[25, 75], 'api'],
      [[35, 85], 'api'],
      [[45, 95], 'keyboard'],
      [null, 'api'],
    ]);
  });

  it('handleKey(): + and - zoom around a point, Shift+arrows pan, 0 resets; other keys are not used', () => {
    const { zoom } = setup();
    const key = (k: string, init: KeyboardEventInit = {}) => zoom.handleKey(new KeyboardEvent('keydown', { key: k, ...init }), 50 * H);
    expect(key('+')).to.be.true;
    expect(zoom.view).to.deep.equal([25 * H, 75 * H]);
    expect(key('ArrowLeft', { shiftKey: true })).to.be.true;
    expect(zoom.view).to.deep.equal([15 * H, 65 * H]);
    expect(key('ArrowLeft')).to.be.false; // plain arrows move the chart's focus, not the view
    expect(key('-')).to.be.true;
    expect(zoom.view).to.deep.equal([0, 100 * H]);
    key('=');
    expect(key('0')).to.be.true;
    expect(zoom.zoomed).to.be.false;
    expect(key('+', { ctrlKey: true })).to.be.false; // browser zoom stays the browser's
    expect(key('x')).to.be.false;
  });

  it('a new full extent keeps a zoom that still fits and drops one that does not', () => {
    const { zoom } = setup();
    zoom.zoomTo([10 * H, 20 * H]);
    zoom.full = [0, 200 * H];
    expect(zoom.view).to.deep.equal([10 * H, 20 * H]);
    zoom.full = [50 * H, 200 * H];
    expect(zoom.zoomed).to.be.false;
  });

  it('attach(): drag zooms, a click is a click, Shift+drag pans, Ctrl+wheel zooms', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    host.append(svg);
    try {
      const plot = sizeSvg(svg, 500, 200, DEFAULT_MARGIN);
      const x = timeScale(FULL, plot);
      const { zoom, changes, clicks } = setup();
      const layer = layers(svg).interaction;
      zoom.attach(layer, x, plot);
      expect(layer.querySelectorAll('.overlay'), 'd3-brush loads on first attach (its own chunk)').to.have.length(0);
      await lazyPartsLoaded();
      zoom.attach(layer, x, plot); // idempotent
      expect(layer.querySelectorAll('.overlay')).to.have.length(1);
      const overlay = layer.querySelector('.overlay')!;
      const box = svg.getBoundingClientRect();
      const at = (px: number, init: MouseEventInit = {}) => ({
        clientX: box.left + px,
        clientY: box.top + 50,
        bubbles: true,
        view: window,
        button: 0,
        ...init,
      });

      overlay.dispatchEvent(new MouseEvent('mousedown', at(x(20 * H))));
      window.dispatchEvent(new MouseEvent('mouseup', at(x(20 * H))));
      expect(clicks).to.have.length(1);
      expect(clicks[0][0]).to.be.closeTo(x(20 * H), 0.5);
      expect(changes).to.have.length(0);

      overlay.dispatchEvent(new MouseEvent('mousedown', at(x(20 * H))));
      window.dispatchEvent(new MouseEvent('mousemove', at(x(30 * H))));
      window.dispatchEvent(new MouseEvent('mousemove', at(x(40 * H))));
      window.dispatchEvent(new MouseEvent('mouseup', at(x(40 * H))));
      expect(changes).to.have.length(1);
      expect(changes[0][1]).to.equal('brush');
      expect(changes[0][0]![0] / H).to.be.closeTo(20, 0.5);
      expect(changes[0][0]![1] / H).to.be.closeTo(40, 0.5);
      expect(layer.querySelector<SVGRectElement>('.selection')!.getAttribute('width'), 'the brush is cleared').to.equal(null);

      // Shift + drag pans the zoomed window (re-attach with the zoomed scale, as the chart does).
      const zx = timeScale(zoom.view, plot);
      zoom.attach(layer, zx, plot);
      const span = zoom.view[1] - zoom.view[0];
      const start = zoom.view[0];
      layer.dispatchEvent(new PointerEvent('pointerdown', { ...at(300, { shiftKey: true }), pointerId: 1 }));
      layer.dispatchEvent(new PointerEvent('pointermove', { ...at(300 - plot.width / 4, { shiftKey: true }), pointerId: 1 }));
      layer.dispatchEvent(new PointerEvent('pointerup', { ...at(300 - plot.width / 4), pointerId: 1 }));
      expect(changes.at(-1)![1]).to.equal('pan');
      expect((zoom.view[0] - start) / span).to.be.closeTo(0.25, 0.01);
      expect(zoom.view[1] - zoom.view[0]).to.be.closeTo(span, 1);

      overlay.dispatchEvent(new WheelEvent('wheel', { ...at(250), ctrlKey: true, deltaY: 300, cancelable: true }));
      expect(changes.at(-1)![1]).to.equal('wheel');
      expect(zoom.view[1] - zoom.view[0]).to.be.greaterThan(span);

      zoom.detach();
      expect(layer.childElementCount).to.equal(0);
    } finally {
      host.remove();
    }
  });
});
