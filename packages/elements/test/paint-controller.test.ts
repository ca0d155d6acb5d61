// The paint scheduler: which function of a draw module runs after an update, and when nothing does.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement, html as litHtml } from 'lit';
import type { ChartModule } from '../src/charts/contract.js';
import { stackedArea, type SeriesData, type StackedAreaLayout, type StackedAreaOptions } from '../src/charts/stacked-area.js';
import { PaintController } from '../src/internal/paint-controller.js';
import { swatchFor } from '../src/internal/palette.js';
import { makeCalls } from './helpers/chart-fakes.js';

/** The real stacked-area module, counting its calls. */
function counted() {
  const calls: string[] = [];
  const module: ChartModule<SeriesData, StackedAreaOptions, StackedAreaLayout> = {
    draw: (...a) => (calls.push('draw'), stackedArea.draw(...a)),
    update: (...a) => (calls.push('update'), stackedArea.update(...a)),
    resize: (...a) => (calls.push('resize'), stackedArea.resize(...a)),
    clear: (svg) => (calls.push('clear'), stackedArea.clear(svg)),
  };
  return { module, calls };
}

class PaintHost extends LitElement {
  static override properties = { data: { attribute: false }, width: { type: Number } };
  data?: SeriesData;
  width = 300;
  layout?: StackedAreaLayout;
  readonly spy = counted();

  constructor() {
    super();
    new PaintController(this).add({
      module: this.spy.module,
      svg: () => this.renderRoot.querySelector('svg'),
      args: () => (this.data ? ([this.data.points, this.data.keys] as const) : undefined),
      size: () => [this.width, 120],
      draw: ([points, keys], [width, height]) => ({
        data: { points, keys, bucket: 'day' },
        options: { width, height, swatch: (k: string) => swatchFor(k, ['a', 'b']) },
      }),
      done: (layout) => {
        this.layout = layout;
      },
    });
  }

  override render() {
    return litHtml`<svg></svg>`;
  }
}
customElements.define('usage-test-paint-host', PaintHost);

describe('PaintController', () => {
  it('draws once, updates when the args change, resizes when only the size does, clears when there is nothing', async () => {
    const calls = makeCalls(5, ['a', 'b'], (i) => i + 1);
    const el = await fixture<PaintHost>(html`<usage-test-paint-host></usage-test-paint-host>`);
    const log = el.spy.calls;
    expect(log, 'no data: nothing to draw').to.deep.equal([]);
    el.data = calls;
    await el.updateComplete;
    expect(log).to.deep.equal(['draw']);
    expect(el.layout!.width).to.equal(300);
    el.requestUpdate();
    await el.updateComplete;
    expect(log, 'same args: nothing runs').to.deep.equal(['draw']);
    el.data = { ...calls }; // a new object with the same points and keys: the same drawing
    await el.updateComplete;
    expect(log).to.deep.equal(['draw']);
    el.data = { ...calls, keys: ['b'] };
    await el.updateComplete;
    expect(log).to.deep.equal(['draw', 'update']);
    expect(el.layout!.keys).to.deep.equal(['b']);
    el.width = 200;
    await el.updateComplete;
    expect(log).to.deep.equal(['draw', 'update', 'resize']);
    expect(el.shadowRoot!.querySelector('svg')!.getAttribute('width')).to.equal('200');
    el.data = undefined;
    await el.updateComplete;
    expect(log).to.deep.equal(['draw', 'update', 'resize', 'clear']);
    expect(el.shadowRoot!.querySelector('svg')!.childElementCount).to.equal(0);
    el.data = calls;
    await el.updateComplete;
    expect(log.at(-1), 'after a clear: from scratch').to.equal('draw');
  });

  it('waits until the drawing has a size', async () => {
    const el = await fixture<PaintHost>(html`<usage-test-paint-host .width=${0}></usage-test-paint-host>`);
    el.data = makeCalls(5, ['a'], () => 1);
    await el.updateComplete;
    expect(el.spy.calls).to.deep.equal([]);
    el.width = 250;
    await el.updateComplete;
    expect(el.spy.calls).to.deep.equal(['draw']);
    expect(el.layout!.width).to.equal(250);
  });
});
