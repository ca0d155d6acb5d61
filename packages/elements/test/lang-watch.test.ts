/**
 * A chart without its own or the provider's locale follows the page's `lang` when the host
 * switches it at runtime (a MutationObserver on the document, internal/locale.ts `watchLang`);
 * a chart with its own `locale` keeps it.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { defaultFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageApiCalls from '../src/components/api-calls/api-calls.component.js';
import { watchLang } from '../src/internal/locale.js';
import { chartClient, makeCalls } from './helpers/chart-fakes.js';

const KEYS = ['engineering', 'support'];
const CALLS = makeCalls(30, KEYS, (i, k) => (k === 'engineering' ? 1000 + i : 500));
const answering = () => chartClient({ callsOverTime: () => CALLS, apiCallsForecast: () => ({ horizon: 14, series: [] }) }, {}, { departments: KEYS });
const label = (el: UsageApiCalls) => el.shadowRoot!.querySelector('[part="plot"]')?.getAttribute('aria-label') ?? '';
const ticks = (el: UsageApiCalls) => [...el.shadowRoot!.querySelectorAll('svg [class*="axis-x"] .tick text')].map((t) => t.textContent ?? '').join(' ');

describe('runtime lang changes', () => {
  afterEach(() => document.documentElement.removeAttribute('lang'));

  it('a chart re-renders in the new language of <html lang>; one with its own locale does not', async () => {
    document.documentElement.lang = 'en-US';
    const wrap = await fixture<HTMLDivElement>(
      html`<div style="width: 900px">
        <usage-api-calls .client=${answering()} .filters=${defaultFilters()}></usage-api-calls>
        <usage-api-calls locale="en-GB" .client=${answering()} .filters=${defaultFilters()}></usage-api-calls>
      </div>`,
    );
    const [follows, own] = [...wrap.querySelectorAll<UsageApiCalls>('usage-api-calls')];
    const total = CALLS.total;
    expect(total).to.be.greaterThan(10_000);
    await waitUntil(() => label(follows).includes(new Intl.NumberFormat('en-US').format(total)), 'English total not shown', { timeout: 20_000 });
    await waitUntil(() => label(own).includes(new Intl.NumberFormat('en-GB').format(total)), 'en-GB total not shown', { timeout: 20_000 });
    await waitUntil(() => /Oct|Nov/.test(ticks(follows)), `no English month on the axis (${ticks(follows)})`);

    document.documentElement.lang = 'de-DE';
    const german = new Intl.NumberFormat('de-DE').format(total);
    await waitUntil(() => label(follows).includes(german), `the chart did not switch to German (label: ${label(follows)})`, { timeout: 20_000 });
    await waitUntil(() => /Okt|Nov/.test(ticks(follows)) && !/Oct/.test(ticks(follows)), `the axis stayed English (${ticks(follows)})`);
    await own.settled();
    expect(label(own)).to.include(new Intl.NumberFormat('en-GB').format(total));
    expect(label(own)).not.to.include(german);
  });

  it('watchLang: one observer for every subscriber, none after the last unsubscribes', async () => {
    let a = 0;
    let b = 0;
    const offA = watchLang(() => a++);
    const offB = watchLang(() => b++);
    document.documentElement.lang = 'fr';
    await waitUntil(() => a === 1 && b === 1, `listeners not called (${a}, ${b})`);
    offA();
    document.body.setAttribute('lang', 'it');
    await waitUntil(() => b === 2, 'the remaining listener was not called');
    expect(a).to.equal(1);
    offB();
    document.documentElement.lang = 'es';
    await new Promise((r) => setTimeout(r, 50));
    expect([a, b]).to.deep.equal([1, 2]);
    document.body.removeAttribute('lang');
  });
});
