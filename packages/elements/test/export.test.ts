import { expect } from '@open-wc/testing';
import { csvParseRows } from 'd3-dsv';
import { csvCell, downloadCsv, safeFilename, toCsv, type ExportProgress } from '../src/internal/export.js';
import { inlineSvg, svgToPng } from '../src/internal/png-export.js';

/** Captures `<a download>` clicks instead of downloading. */
function captureDownloads(): { files: { name: string; url: string }[]; restore: () => void } {
  const files: { name: string; url: string }[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) files.push({ name: this.download, url: this.href });
    else click.call(this);
  };
  return { files, restore: () => (HTMLAnchorElement.prototype.click = click) };
}

function chartSvg(): SVGSVGElement {
  const host = document.createElement('div');
  document.body.append(host);
  host.innerHTML = `<svg width="120" height="60" style="--c: rgb(0, 114, 178)"><rect class="bar" x="10" y="10" width="50" height="40" style="fill: var(--c)"></rect><text x="70" y="30" style="font-size: 12px">a&lt;b</text><g style="display:none"><circle r="3"></circle></g></svg>`;
  return host.querySelector('svg')!;
}

describe('export', () => {
  it('csvCell(value) writes text cells and neutralises formulas', () => {
    expect(csvCell('=SUM(A1:A9)')).to.equal("'=SUM(A1:A9)");
    expect(csvCell('+1')).to.equal("'+1");
    expect(csvCell('-cmd')).to.equal("'-cmd");
    expect(csvCell('@x')).to.equal("'@x");
    expect(csvCell('\tx')).to.equal("'\tx");
    expect(csvCell(-5)).to.equal('-5'); // numbers stay numbers
    expect(csvCell(1234.5)).to.equal('1234.5');
    expect(csvCell(Number.NaN)).to.equal('');
    expect(csvCell(null)).to.equal('');
    expect(csvCell(new Date(Date.UTC(2026, 9, 5)))).to.equal('2026-10-05T00:00:00.000Z');
    expect(csvCell(['a', '=b'])).to.equal("a; '=b");
    expect(csvCell({ a: 1 })).to.equal('{"a":1}');
  });

  it('toCsv(rows, columns) quotes per RFC 4180 and round-trips', () => {
    const rows = [
      { name: 'a, "b"\nc', n: 1, dept: '=HYPERLINK("x")' },
      { name: '<script>', n: 2, dept: 'قسم' },
    ];
    const csv = toCsv(rows, [{ key: 'name', label: 'Name' }, { key: 'n' }, { key: 'dept', label: 'Dept', value: (r) => r.dept }]);
    const parsed = csvParseRows(csv);
    expect(parsed).to.deep.equal([
      ['Name', 'n', 'Dept'],
      ['a, "b"\nc', '1', `'=HYPERLINK("x")`],
      ['<script>', '2', 'قسم'],
    ]);
    expect(toCsv([{ x: 1, y: 'b' }])).to.equal('x,y\n1,b');
    expect(toCsv([])).to.equal('');
  });

  it('safeFilename(name, ext) keeps letters, digits, dot, dash, underscore', () => {
    expect(safeFilename('Total API Calls / <sales>', 'csv')).to.equal('Total-API-Calls-sales.csv');
    expect(safeFilename('../..', 'png')).to.equal('export.png');
    expect(safeFilename('x'.repeat(300), 'csv')).to.have.length(104);
  });

  it('downloadCsv(name, rows) downloads UTF-8 CSV with a BOM', async () => {
    const cap = captureDownloads();
    try {
      const text = downloadCsv('api calls', [{ a: 'é' }]);
      expect(text).to.equal('a\né');
      expect(cap.files).to.have.length(1);
      expect(cap.files[0].name).to.equal('api-calls.csv');
      const body = await (await fetch(cap.files[0].url)).arrayBuffer();
      expect([...new Uint8Array(body).slice(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    } finally {
      cap.restore();
    }
  });

  it('inlineSvg(svg) resolves CSS variables into inline styles and drops hidden elements', async () => {
    const svg = chartSvg();
    try {
      const copy = await inlineSvg(svg);
      const rect = copy.querySelector('rect')!;
      expect(rect.getAttribute('style')).to.contain('fill:rgb(0, 114, 178)');
      expect(rect.hasAttribute('class')).to.be.false;
      expect(copy.querySelector('circle')).to.equal(null);
      expect(copy.getAttribute('xmlns')).to.equal('http://www.w3.org/2000/svg');
      expect(copy.getAttribute('viewBox')).to.equal('0 0 120 60');
      expect(copy.querySelector('text')!.textContent).to.equal('a<b');
    } finally {
      svg.parentElement!.remove();
    }
  });

  it('svgToPng(svg) renders a PNG of the chart (with its colours) and reports progress', async () => {
    const svg = chartSvg();
    try {
      const progress: ExportProgress[] = [];
      const blob = await svgToPng(svg, { scale: 1, background: '#ffffff', onProgress: (p) => progress.push(p) });
      expect(blob.type).to.equal('image/png');
      expect(progress.map((p) => p.phase)).to.include.members(['styles', 'serialize', 'rasterize', 'encode', 'done']);
      expect(progress.at(-1)!.fraction).to.equal(1);
      const bitmap = await createImageBitmap(blob);
      expect([bitmap.width, bitmap.height]).to.deep.equal([120, 60]);
      const canvas = new OffscreenCanvas(120, 60);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      expect([...ctx.getImageData(30, 30, 1, 1).data]).to.deep.equal([0, 114, 178, 255]);
      expect([...ctx.getImageData(5, 5, 1, 1).data]).to.deep.equal([255, 255, 255, 255]);
    } finally {
      svg.parentElement!.remove();
    }
  });

  it('svgToPng() can be cancelled and refuses a chart without size', async () => {
    const svg = chartSvg();
    try {
      const abort = new AbortController();
      abort.abort();
      let error: unknown;
      try {
        await svgToPng(svg, { signal: abort.signal });
      } catch (e) {
        error = e;
      }
      expect((error as Error | undefined)?.name).to.equal('AbortError');
      const empty = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
      document.body.append(empty);
      empty.style.display = 'none';
      let sizeError: unknown;
      try {
        await svgToPng(empty);
      } catch (e) {
        sizeError = e;
      }
      expect((sizeError as Error).message).to.contain('no size');
      empty.remove();
    } finally {
      svg.parentElement!.remove();
    }
  });
});
