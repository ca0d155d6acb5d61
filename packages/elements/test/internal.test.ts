import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { LitElement } from 'lit';
import UsageKpiCards from '../src/components/kpi-cards/kpi-cards.js';
import { UsageElement, define } from '../src/internal/usage-element.js';
import { formatDelta, formatPercent, formatValue, previousPeriodLabel } from '../src/internal/format.js';
import { OKABE_ITO, applyTheme, darkTokens, lightTokens, themeStyles } from '../src/theme/tokens.js';
import { failureTemplate, toFailure } from '../src/internal/failure.js';
import { FilterError, ParamError, UsageError } from '@usage-analytics/queries';
import { SnapshotError } from '@usage-analytics/data-client';
import { render } from 'lit';

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

describe('failure view (one UsageError family, shown one way)', () => {
  const shown = (e: unknown, onRetry?: () => void) => {
    const host = document.createElement('div');
    render(failureTemplate(toFailure(e), 'The chart', onRetry), host);
    return host;
  };
  it('reads code, field and message from every UsageError, and from anything else', () => {
    expect(toFailure(new FilterError('unknown_value', 'departments', 'unknown departments value "x"', 'x'))).to.deep.equal({
      code: 'unknown_value',
      message: 'unknown departments value "x"',
      field: 'departments',
      retryable: false,
    });
    expect(toFailure(new ParamError('limit', 'limit must be an integer', -1))).to.include({ code: 'invalid_param', field: 'limit', retryable: false });
    expect(toFailure(new SnapshotError('fetch_timeout', 'no data for 30 s', { file: 'requests.arrows' }))).to.include({
      code: 'fetch_timeout',
      field: 'requests.arrows',
      retryable: true,
    });
    // The brand, not the class, decides (a second copy of the SDK on the page has other classes).
    const foreign = Object.assign(new Error('from another copy'), { code: 'load_failed', field: 'users', [Symbol.for('usage-analytics/error')]: true });
    expect(toFailure(foreign)).to.include({ code: 'load_failed', field: 'users' });
    expect(toFailure(new TypeError('boom'))).to.deep.equal({ code: 'unknown', message: 'boom', retryable: true });
    expect(new UsageError('x', 'y', { field: 'f' }).field).to.equal('f');
  });
  it('offers Retry only where retrying can help, and renders hostile text as text', () => {
    let retried = 0;
    const bad = shown(new FilterError('invalid_range', 'timeRange', '<img src=x onerror="window.__pwned=1">'), () => retried++);
    expect(bad.querySelector('[part="retry-button"]')).to.equal(null);
    expect(bad.querySelector('.error-hint')?.textContent).to.contain('Change the filters');
    expect(bad.querySelector('[part="error-field"]')?.textContent).to.equal('timeRange');
    expect(bad.querySelector('img')).to.equal(null);
    expect(bad.querySelector('[part="error-message"]')?.textContent).to.equal('<img src=x onerror="window.__pwned=1">');
    const transient = shown(new SnapshotError('fetch_failed', 'the network failed', { file: 'manifest.json' }), () => retried++);
    (transient.querySelector('[part="retry-button"]') as HTMLButtonElement).click();
    expect(retried).to.equal(1);
    expect(transient.querySelector('[role="alert"]')).to.not.equal(null);
  });
});
