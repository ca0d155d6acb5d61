import { expect } from '@open-wc/testing';
import * as heatmap from '../src/charts/heatmap.js';
import type { HeatmapData, HeatmapTarget } from '../src/charts/heatmap.js';
import { contrast, textOn } from '../src/internal/palette.js';
import { sendKeys } from './helpers/commands.js';

function mount(): SVGSVGElement {
  const host = document.createElement('div');
  document.body.append(host);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  host.append(svg);
  return svg;
}

function synthetic(nRows: number, nCols: number, value: (r: number, c: number) => number | null = (r, c) => (r * 7 + c * 13) % 97): HeatmapData {
  const rows = Array.from({ length: nRows }, (_, r) => `dept-${r}`);
  const columns = Array.from({ length: nCols }, (_, c) => `intent-${c}`);
  const values = rows.map((_, r) => columns.map((_, c) => value(r, c)));
  return {
    rows,
    columns,
    values,
    label: (r, c) => String(values[r][c]),
    ariaLabel: (r, c) => `${rows[r]} × ${columns[c]}: ${values[r][c]}`,
    rowTotals: values.map((row) => row.reduce<number>((a, b) => a + (b ?? 0), 0)),
    colTotals: columns.map((_, c) => values.reduce<number>((a, row) => a + (row[c] ?? 0), 0)),
  };
}

const cells = (svg: SVGSVGElement) => [...svg.querySelectorAll<SVGGElement>('g.cell')];

describe('heatmap.draw(svg, data, options)', () => {
  afterEach(() => document.querySelectorAll('body > div').forEach((d) => d.remove()));

  it('renders a synthetic 50 intents × 20 departments matrix: all 1000 cells, headers and marginals', () => {
    const svg = mount();
    const data = synthetic(20, 50);
    const { scale } = heatmap.robustSequential(data.values.flat());
    const layout = heatmap.draw(svg, data, { width: 900, colour: scale, headers: true, label: 'Synthetic' });
    expect(cells(svg)).to.have.length(1000);
    expect(svg.querySelectorAll('[role="rowheader"].row-header')).to.have.length(20);
    expect(svg.querySelectorAll('[role="columnheader"].col-header')).to.have.length(50);
    expect(svg.querySelectorAll('g.row-total')).to.have.length(20);
    expect(svg.querySelectorAll('g.col-total')).to.have.length(50);
    expect(svg.getAttribute('role')).to.equal('grid');
    expect(svg.getAttribute('aria-label')).to.equal('Synthetic');
    expect(cells(svg)[51].getAttribute('aria-label')).to.equal('dept-1 × intent-1: 20');
    // Cells never get narrower than minCellWidth: the grid grows and the container scrolls.
    expect(layout.cellWidth).to.be.at.least(30);
    expect(layout.width).to.be.greaterThan(900);
    // One tab stop (roving tabindex), on the first cell.
    const stops = [...svg.querySelectorAll('[tabindex="0"]')];
    expect(stops).to.have.length(1);
    expect(stops[0].getAttribute('data-row')).to.equal('0');
    expect(stops[0].getAttribute('data-col')).to.equal('0');
  });

  it('prints values where they fit, in black or white whichever contrasts more with the fill', () => {
    const svg = mount();
    const data = synthetic(3, 4);
    const { scale } = heatmap.robustSequential(data.values.flat());
    heatmap.draw(svg, data, { width: 600, colour: scale });
    for (const g of cells(svg)) {
      const fill = g.querySelector('rect.cell-fill')!.getAttribute('fill')!;
      const text = svg.querySelector(`.cell-labels text[data-row="${g.dataset.row}"][data-col="${g.dataset.col}"]`)!;
      expect(text.getAttribute('fill')).to.equal(textOn(fill));
      expect(contrast(fill, text.getAttribute('fill')!)).to.be.at.least(4.5);
    }
  });

  it('robustSequential clamps at the 95th percentile so one outlier cannot take the whole range', () => {
    const values = [...Array.from({ length: 99 }, (_, i) => i + 1), 1_000_000];
    const { scale, max, clamped } = heatmap.robustSequential(values);
    expect(clamped).to.equal(true);
    expect(max).to.be.lessThan(100);
    expect(scale(1_000_000)).to.equal(scale(max)); // the outlier takes the top colour …
    expect(scale(10)).to.not.equal(scale(50)); // … and ordinary values still differ
    const naive = heatmap.robustSequential(values, { clampAt: 1 });
    expect(naive.scale(10)).to.equal(naive.scale(50)); // without the clamp they would look alike
    expect(() => heatmap.robustSequential(values, { clampAt: 0 })).to.throw(/clampAt/);
  });

  it('skips null cells, hatches incomplete cells and marks them with *', () => {
    const svg = mount();
    const data: HeatmapData = {
      ...synthetic(3, 3, (r, c) => (r + c > 2 ? null : 50)),
      incomplete: (r, c) => r + c === 2,
    };
    heatmap.draw(svg, data, { width: 400, colour: () => '#ffffff' });
    expect(cells(svg)).to.have.length(6);
    const incomplete = svg.querySelectorAll('g.cell[data-incomplete]');
    expect(incomplete).to.have.length(3);
    for (const g of incomplete) {
      expect(g.querySelector('rect.cell-hatch')).to.exist;
      expect(
        svg.querySelector(`.cell-labels text[data-row="${(g as SVGGElement).dataset.row}"][data-col="${(g as SVGGElement).dataset.col}"]`)!.textContent,
      ).to.equal('50*');
    }
  });

  it('arrow keys move the roving tabindex (skipping empty cells, onto headers), Enter and click activate', async () => {
    const svg = mount();
    const activated: HeatmapTarget[] = [];
    const hovered: (HeatmapTarget | null)[] = [];
    const data = synthetic(3, 4, (r, c) => (r === 1 && c === 1 ? null : r * 10 + c));
    const layout = heatmap.draw(svg, data, {
      width: 500,
      colour: () => '#336699',
      headers: true,
      onActivate: (t) => activated.push(t),
      onHover: (t) => hovered.push(t),
    });
    (layout.node(layout.active) as SVGElement & { focus(): void }).focus();
    await sendKeys({ press: 'ArrowRight' });
    await sendKeys({ press: 'ArrowDown' }); // (1,1) is empty: jumps to (2,1)
    expect(layout.active).to.deep.equal({ kind: 'cell', row: 2, col: 1 });
    expect(hovered.at(-1)).to.deep.equal({ kind: 'cell', row: 2, col: 1 }); // focus reports the target (for the tooltip)
    expect(svg.querySelector('[tabindex="0"]')!.getAttribute('aria-label')).to.equal('dept-2 × intent-1: 21');
    expect(svg.querySelectorAll('[tabindex="0"]')).to.have.length(1);
    await sendKeys({ press: 'Enter' });
    expect(activated.at(-1)).to.deep.equal({ kind: 'cell', row: 2, col: 1 });
    await sendKeys({ press: 'Home' });
    await sendKeys({ press: 'ArrowLeft' }); // onto the row header
    expect(layout.active).to.deep.equal({ kind: 'row', row: 2 });
    await sendKeys({ press: ' ' });
    expect(activated.at(-1)).to.deep.equal({ kind: 'row', row: 2 });
    await sendKeys({ press: 'End' });
    expect(layout.active).to.deep.equal({ kind: 'cell', row: 2, col: 3 });
    for (let i = 0; i < 4; i++) await sendKeys({ press: 'ArrowUp' }); // past row 0 onto the column header
    expect(layout.active).to.deep.equal({ kind: 'column', col: 3 });
    (svg.querySelector('g.cell[data-row="1"][data-col="2"] rect') as SVGRectElement).dispatchEvent(new MouseEvent('click', { bubbles: true }));
    expect(activated.at(-1)).to.deep.equal({ kind: 'cell', row: 1, col: 2 });
  });

  it('renders hostile names as text; update keeps the keyboard position; resize and clear', () => {
    const svg = mount();
    const hostile = '<img src=x onerror="window.__pwned=1">';
    const long = 'x'.repeat(300);
    const rtl = 'قسم المبيعات';
    const data: HeatmapData = {
      rows: [hostile, long, rtl],
      columns: [hostile, rtl],
      values: [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      ariaLabel: (r, c) => `${r},${c}`,
    };
    const layout = heatmap.draw(svg, data, { width: 500, colour: () => '#eeeeee', headers: true });
    expect(svg.querySelector('img')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    expect(svg.querySelector('.row-header title')!.textContent).to.equal(hostile);
    expect(svg.querySelector('.row-header[data-row="1"] text')!.textContent!.length).to.be.lessThan(40);
    expect(svg.querySelector('.row-header[data-row="1"] text')!.textContent!.endsWith('…')).to.equal(true);
    expect(svg.querySelector('.row-header[data-row="2"]')!.getAttribute('aria-label')).to.equal(rtl);
    layout.setActive({ kind: 'cell', row: 2, col: 1 });
    const next = heatmap.update(
      svg,
      {
        ...data,
        values: [
          [6, 5],
          [4, 3],
          [2, 1],
        ],
      },
      { width: 500, colour: () => '#eeeeee', headers: true },
    );
    expect(next.active).to.deep.equal({ kind: 'cell', row: 2, col: 1 });
    expect(svg.querySelectorAll('g.heatmap')).to.have.length(1);
    const narrower = heatmap.resize(svg, 260)!;
    expect(narrower.cellWidth).to.be.lessThan(next.cellWidth);
    expect(Number(svg.getAttribute('width'))).to.equal(narrower.width);
    heatmap.clear(svg);
    expect(svg.childElementCount).to.equal(0);
    expect(svg.hasAttribute('role')).to.equal(false);
    expect(heatmap.resize(svg, 500)).to.equal(undefined);
    expect(() => heatmap.draw(svg, { ...data, values: [[1]] }, { width: 500, colour: () => '#fff' })).to.throw(/values must be 3 × 2/);
  });
});
