import { expect } from '@open-wc/testing';
import {
  OTHER_COLOUR,
  RETENTION_STOPS,
  colourFor,
  contrast,
  luminance,
  paletteFromStyles,
  parseColour,
  retentionScale,
  sequentialScale,
  sortDomain,
  swatchFor,
  textOn,
} from '../src/internal/palette.js';
import { OKABE_ITO } from '../src/theme/tokens.js';

const DEPARTMENTS = ['sales', 'engineering', 'support', 'hr', 'legal', 'it', 'finance', 'design', 'research', 'security', 'platform', 'product'];

describe('palette', () => {
  it('sortDomain(keys) is unique and in code-unit order whatever the locale', () => {
    expect(sortDomain(['b', 'a', 'B', 'a', 'é'])).to.deep.equal(['B', 'a', 'b', 'é']);
  });

  it('colourFor(key, domain) gives a department the same colour whatever subset a chart shows', () => {
    const domain = sortDomain(DEPARTMENTS);
    const all = new Map(DEPARTMENTS.map((d) => [d, colourFor(d, domain)]));
    // A chart showing only two departments, in another order, still uses the snapshot domain.
    for (const d of ['support', 'sales']) expect(colourFor(d, domain)).to.equal(all.get(d));
    expect(colourFor(domain[0], domain)).to.equal(OKABE_ITO[0]);
    expect(colourFor(domain[7], domain)).to.equal(OKABE_ITO[7]);
  });

  it('swatchFor(key, domain) tells 24 keys apart: hue, then darker + diagonal hatch, then lighter + dots', () => {
    const domain = sortDomain(Array.from({ length: 24 }, (_, i) => `d${String(i).padStart(2, '0')}`));
    const swatches = domain.map((k) => swatchFor(k, domain));
    expect(new Set(swatches.map((s) => `${s.colour}|${s.hatch}`)).size).to.equal(24);
    expect(swatches.slice(0, 8).every((s) => s.hatch === 'none')).to.be.true;
    expect(swatches.slice(8, 16).every((s) => s.hatch === 'diagonal')).to.be.true;
    expect(swatches.slice(16).every((s) => s.hatch === 'dots')).to.be.true;
    expect(luminance(swatches[8].colour)).to.be.lessThan(luminance(swatches[0].colour));
    expect(luminance(swatches[16].colour)).to.be.greaterThan(luminance(swatches[0].colour));
  });

  it('keys outside the domain (Unknown) are grey', () => {
    expect(swatchFor('Unknown', ['a', 'b'])).to.deep.equal({ index: -1, colour: OTHER_COLOUR, hatch: 'none' });
  });

  it('paletteFromStyles(el) follows the theme tokens, else Okabe–Ito', () => {
    const div = document.createElement('div');
    div.style.setProperty('--usage-cat-8', '#999999');
    document.body.append(div);
    try {
      const p = paletteFromStyles(div);
      expect(p.slice(0, 7)).to.deep.equal(OKABE_ITO.slice(0, 7));
      expect(p[7]).to.equal('#999999');
      expect(colourFor('h', ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], p)).to.equal('#999999');
    } finally {
      div.remove();
    }
  });

  it('sequentialScale(domain) is viridis or cividis and clamps', () => {
    const v = sequentialScale([0, 10]);
    expect(parseColour(v(0))).to.deep.equal([68, 1, 84]); // viridis start
    expect(v(-5)).to.equal(v(0));
    expect(luminance(v(10))).to.be.greaterThan(luminance(v(0)));
    const c = sequentialScale([0, 1], { scheme: 'cividis' });
    expect(c(0)).not.to.equal(v(0));
    expect(() => sequentialScale([0, 1], { scheme: 'jet' as 'viridis' })).to.throw(/unknown scheme "jet"/);
  });

  it('retentionScale() runs red (low) → light → green (high), and the ends differ in lightness too', () => {
    const s = retentionScale();
    expect(parseColour(s(0))).to.deep.equal(parseColour(RETENTION_STOPS[0]));
    expect(parseColour(s(1))).to.deep.equal(parseColour(RETENTION_STOPS[2]));
    const [r0, g0] = parseColour(s(0));
    const [r1, g1] = parseColour(s(1));
    expect(r0).to.be.greaterThan(g0); // red end
    expect(g1).to.be.greaterThan(r1); // green end
    expect(luminance(s(0.5))).to.be.greaterThan(0.8);
    // Both ends are dark enough for white labels, the middle for black ones.
    expect(textOn(s(0))).to.equal('#ffffff');
    expect(textOn(s(0.5))).to.equal('#000000');
    expect(contrast(s(1), '#ffffff')).to.be.greaterThan(4.5);
  });

  it('parseColour() reads hex and rgb(), and names the bad value', () => {
    expect(parseColour('#fff')).to.deep.equal([255, 255, 255]);
    expect(parseColour('rgb(1, 2, 3)')).to.deep.equal([1, 2, 3]);
    expect(() => parseColour('red')).to.throw(/"red"/);
  });
});
