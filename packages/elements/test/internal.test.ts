import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LitElement } from 'lit';
import UsageKpiCards from '../src/components/kpi-cards/kpi-cards.js';
import { UsageElement, define } from '../src/internal/usage-element.js';
import { formatDelta, formatPercent, formatValue, previousPeriodLabel } from '../src/internal/format.js';
import { OKABE_ITO, applyTheme, darkTokens, lightTokens, themeStyles } from '../src/theme/tokens.js';

class EmitterElement extends UsageElement {}
define('usage-test-emitter', EmitterElement);

describe('UsageElement', () => {
  it('is accessible', async () => {
    const el = await fixture<EmitterElement>(html`<usage-test-emitter></usage-test-emitter>`);
    await expect(el).to.be.accessible();
  });

  it('emit() defaults to bubbles + composed and returns the event', async () => {
    const el = await fixture<EmitterElement>(html`<usage-test-emitter></usage-test-emitter>`);
    const seen = oneEvent(document, 'usage-filter-change');
    const returned = el.emit('usage-filter-change', { detail: { filters: { departments: ['d1'] } } });
    const ev = await seen;
    expect(ev).to.equal(returned);
    expect([ev.bubbles, ev.composed, ev.cancelable]).to.deep.equal([true, true, false]);
    expect(ev.detail.filters.departments).to.deep.equal(['d1']);
    const vetoable = el.emit('usage-filter-change', { detail: { filters: {} }, bubbles: false, cancelable: true });
    expect([vetoable.bubbles, vetoable.cancelable]).to.deep.equal([false, true]);
  });
});

describe('define()', () => {
  it('is safe when the SDK is loaded twice', () => {
    // Same class again: silently skipped.
    expect(() => define('usage-kpi-cards', UsageKpiCards)).not.to.throw();
    // Another copy's class for the same tag: the first stays, with one console warning.
    class OtherCopy extends LitElement {}
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...args: unknown[]) => void warnings.push(args);
    try {
      expect(() => define('usage-kpi-cards', OtherCopy)).not.to.throw();
      define('usage-kpi-cards', OtherCopy);
    } finally {
      console.warn = warn;
    }
    expect(customElements.get('usage-kpi-cards')).to.equal(UsageKpiCards);
    expect(warnings).to.have.length(1);
  });
});

describe('format', () => {
  it('formatValue(value) is compact at the threshold and keeps the full value', () => {
    expect(formatValue(9_999, { locale: 'en-US' })).to.deep.equal({ display: '9,999', full: '9,999' });
    expect(formatValue(1_284_912, { locale: 'en-US' })).to.deep.equal({ display: '1.3M', full: '1,284,912' });
    expect(formatValue(26.64, { locale: 'en-US', fractionDigits: 1 })).to.deep.equal({ display: '26.6', full: '26.64' });
    expect(formatValue(1_284_912, { locale: 'de-DE' }).full).to.equal('1.284.912');
  });

  it('formatDelta(delta in %) gives a shape, a sign and words; n/a for null', () => {
    expect(formatDelta(12.34, 'en-US')).to.deep.equal({ direction: 'up', glyph: '▲', text: '+12.3%', spoken: 'up 12.3%' });
    expect(formatDelta(-5, 'en-US')).to.deep.equal({ direction: 'down', glyph: '▼', text: '-5.0%', spoken: 'down 5.0%' });
    expect(formatDelta(0.04, 'en-US').direction).to.equal('flat');
    expect(formatPercent(58.4, 'en-US')).to.equal('58.4%');
    expect(formatPercent(100, 'en-US', { digits: 0 })).to.equal('100%');
    expect(formatDelta(null).text).to.equal('n/a');
    expect(formatDelta(Number.POSITIVE_INFINITY).direction).to.equal('na');
  });

  it('previousPeriodLabel(range) names the comparison period', () => {
    expect(previousPeriodLabel({ preset: '30d' })).to.equal('previous 30 days');
    expect(previousPeriodLabel({ preset: '1h' })).to.equal('previous hour');
    expect(previousPeriodLabel({ preset: 'custom', start: '2026-01-01', end: '2026-02-01' })).to.equal('previous period');
  });
});

describe('theme tokens', () => {
  it('define the same names in light and dark, with an Okabe–Ito palette', () => {
    expect(Object.keys(darkTokens).sort()).to.deep.equal(Object.keys(lightTokens).sort());
    expect(OKABE_ITO).to.have.length(8);
    expect(themeStyles.cssText).to.contain('--usage-color-surface: #1e1f24;');
  });

  it('applyTheme() adopts the sheet once and .usage-theme-dark switches tokens', () => {
    applyTheme();
    applyTheme();
    expect(document.adoptedStyleSheets.filter((s) => s === themeStyles.styleSheet)).to.have.length(1);
    const div = document.createElement('div');
    div.className = 'usage-theme-dark';
    document.body.append(div);
    try {
      expect(getComputedStyle(div).getPropertyValue('--usage-color-surface').trim()).to.equal('#1e1f24');
    } finally {
      div.remove();
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== themeStyles.styleSheet);
    }
  });
});
