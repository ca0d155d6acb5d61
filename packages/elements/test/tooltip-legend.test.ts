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

  it('renders toggle buttons with aria-pressed and drill buttons, reachable with Tab', async () => {
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
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: ' ' });
    expect(el.toggled).to.deep.equal(['support', 'sales']);
    expect(el.drilled).to.deep.equal(['sales', 'sales']);
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
