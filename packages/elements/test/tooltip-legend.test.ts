import { elementUpdated, expect, fixture, html as testHtml } from '@open-wc/testing';
import { LitElement, css, html } from 'lit';
import { property } from 'lit/decorators.js';
import { renderLegend, legendStyles, type LegendItem } from '../src/internal/legend.js';
import { TooltipController, tooltipStyles, type TooltipContent } from '../src/internal/tooltip.js';
import { define } from '../src/internal/usage-element.js';
import { sendKeys } from './helpers/commands.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A minimal host using both, as a chart does. */
class TestChart extends LitElement {
  static override styles = [
    tooltipStyles,
    legendStyles,
    css`
      .wrap {
        position: relative;
        width: 400px;
        height: 200px;
      }
    `,
  ];
  readonly tooltip = new TooltipController(this);
  @property({ attribute: false }) items: LegendItem[] = [];
  toggled: string[] = [];
  drilled: string[] = [];
  override render() {
    return html`<div class="wrap">
        <div class="plot" tabindex="0" role="group" aria-label="plot" aria-describedby=${this.tooltip.visible ? this.tooltip.id : ''}></div>
        ${this.tooltip.render()}
      </div>
      ${renderLegend({
        label: 'Departments',
        items: this.items,
        onToggle: (k) => this.toggled.push(k),
        onDrill: (k) => this.drilled.push(k),
        drillLabel: (i) => `View department ${i.key}`,
      })}`;
  }
}
define('usage-test-chart', TestChart);

const CONTENT: TooltipContent = {
  title: '5 Oct 2026',
  rows: [
    { label: 'sales', value: '12', colour: '#e69f00' },
    { label: 'Total', value: '40', emphasis: true },
  ],
  note: 'Click for requests.',
};

describe('TooltipController', () => {
  it('renders a text-only role=tooltip, positioned inside its container, and hides on Escape', async () => {
    const el = await fixture<TestChart>(testHtml`<usage-test-chart></usage-test-chart>`);
    el.tooltip.show(CONTENT, { x: 100, y: 100 });
    await elementUpdated(el);
    const tip = el.shadowRoot!.getElementById(el.tooltip.id)!;
    expect(tip.getAttribute('role')).to.equal('tooltip');
    expect(text(tip)).to.equal('5 Oct 2026 sales 12 Total 40 Click for requests.');
    expect(tip.style.transform).to.match(/^translate\(112px, \d+px\)$/);
    expect(el.shadowRoot!.querySelector('.plot')!.getAttribute('aria-describedby')).to.equal(el.tooltip.id);
    // Near the right edge it flips to the left of the point.
    el.tooltip.show(CONTENT, { x: 390, y: 190 });
    await elementUpdated(el);
    const box = tip.getBoundingClientRect();
    const wrap = el.shadowRoot!.querySelector('.wrap')!.getBoundingClientRect();
    expect(box.right).to.be.at.most(wrap.right + 0.5);
    expect(box.bottom).to.be.at.most(wrap.bottom + 0.5);
    expect(box.right).to.be.at.most(wrap.left + 390 - 11);
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLElement>('.plot')!.focus();
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(el.tooltip.visible).to.be.false;
    expect(el.shadowRoot!.querySelector('[role="tooltip"]')).to.equal(null);
  });

  it('renders hostile labels as text and refuses non-colour swatches', async () => {
    const el = await fixture<TestChart>(testHtml`<usage-test-chart></usage-test-chart>`);
    el.tooltip.show(
      { title: '<b>t</b>', rows: [{ label: '<img src=x onerror="window.__pwned=1">', value: '1', colour: 'red;background:url(x)' }] },
      { x: 0, y: 0 },
    );
    await elementUpdated(el);
    const tip = el.shadowRoot!.querySelector('[role="tooltip"]')!;
    expect(tip.querySelector('img, b')).to.equal(null);
    expect(text(tip)).to.contain('<img src=x');
    expect(tip.querySelector<HTMLElement>('.tooltip-swatch')!.style.background).to.equal('transparent');
  });
});

describe('renderLegend()', () => {
  const ITEMS: LegendItem[] = [
    { key: 'sales', colour: '#e69f00', detail: '1.2K' },
    { key: 'support', colour: '#56b4e9', hatch: 'diagonal', hidden: true },
  ];

  it('renders toggle buttons with aria-pressed and drill buttons, reachable with the arrow keys', async () => {
    const el = await fixture<TestChart>(testHtml`<usage-test-chart .items=${ITEMS}></usage-test-chart>`);
    const list = el.shadowRoot!.querySelector('[part="legend"]')!;
    expect(list.getAttribute('aria-label')).to.equal('Departments');
    const toggles = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="legend-toggle"]')];
    expect(toggles.map((b) => b.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    expect(text(toggles[0])).to.equal('sales 1.2K');
    expect(toggles[1].querySelector('.hatch-diagonal')).to.exist;
    const drills = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="legend-drill"]')];
    expect(drills.map((b) => b.getAttribute('aria-label'))).to.deep.equal(['View department sales', 'View department support']);
    toggles[1].click();
    drills[0].click();
    expect(el.toggled).to.deep.equal(['support']);
    expect(el.drilled).to.deep.equal(['sales']);
    toggles[0].focus();
    await sendKeys({ press: 'Enter' });
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: ' ' });
    expect(el.toggled).to.deep.equal(['support', 'sales']);
    expect(el.drilled).to.deep.equal(['sales', 'sales']);
    await expect(el).to.be.accessible();
  });

  it('is one Tab stop: a toolbar with a roving tabindex, arrows, Home / End, and the last-focused button remembered', async () => {
    const items: LegendItem[] = ['a', 'b', 'c'].map((key) => ({ key, colour: '#000' }));
    const el = await fixture<TestChart>(testHtml`<usage-test-chart .items=${items}></usage-test-chart>`);
    const sr = el.shadowRoot!;
    const legend = sr.querySelector('[part="legend"]')!;
    expect(legend.getAttribute('role')).to.equal('toolbar');
    // In DOM order: toggle a, view a, toggle b, view b, toggle c, view c.
    const buttons = [...legend.querySelectorAll<HTMLButtonElement>('button')];
    const names = buttons.map((b) => b.getAttribute('aria-label') ?? text(b));
    const tabStops = () => buttons.filter((b) => b.tabIndex === 0).map((b) => names[buttons.indexOf(b)]);
    const focused = () => names[buttons.indexOf(sr.activeElement as HTMLButtonElement)];
    expect(tabStops()).to.deep.equal(['a']);
    expect(buttons.filter((b) => b.getAttribute('tabindex') === '-1')).to.have.length(5);

    const plot = sr.querySelector<HTMLElement>('.plot')!;
    plot.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal('a');
    const moves: [string, string][] = [
      ['ArrowRight', 'View department a'],
      ['ArrowDown', 'b'],
      ['End', 'View department c'],
      ['ArrowRight', 'a'], // wraps
      ['ArrowLeft', 'View department c'], // and back
      ['Home', 'a'],
      ['ArrowUp', 'View department c'],
      ['ArrowLeft', 'c'],
    ];
    for (const [key, expected] of moves) {
      await sendKeys({ press: key });
      expect([key, focused()]).to.deep.equal([key, expected]);
      expect(tabStops()).to.deep.equal([expected]);
    }
    // Tab leaves the legend (one stop), Shift+Tab comes back to the last focused button, not the first.
    await sendKeys({ press: 'Tab' });
    expect(buttons).not.to.include(sr.activeElement);
    plot.focus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal('c');
    await sendKeys({ press: 'Enter' });
    expect(el.toggled).to.deep.equal(['c']);
    // A re-render with fewer items keeps exactly one stop.
    el.items = items.slice(0, 1);
    await elementUpdated(el);
    const left = [...legend.querySelectorAll<HTMLButtonElement>('button')];
    expect(left.filter((b) => b.tabIndex === 0)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('shows hostile, very long and right-to-left names as text, truncated in <bdi>', async () => {
    const items: LegendItem[] = [
      { key: '<script>window.__pwned=1</script>', colour: '#000' },
      { key: 'y'.repeat(500), colour: '#000' },
      { key: 'الموارد البشرية', colour: 'javascript:alert(1)' },
    ];
    const el = await fixture<TestChart>(testHtml`<usage-test-chart .items=${items}></usage-test-chart>`);
    expect(el.shadowRoot!.querySelector('[part="legend"] script')).to.equal(null);
    const names = [...el.shadowRoot!.querySelectorAll('bdi.legend-name')];
    expect(names.map((n) => n.textContent)).to.deep.equal(items.map((i) => i.key));
    expect(names[1].getBoundingClientRect().width).to.be.lessThan(300);
    expect(el.shadowRoot!.querySelectorAll<HTMLElement>('.legend-swatch')[2].style.getPropertyValue('--swatch')).to.equal('transparent');
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
  });
});
