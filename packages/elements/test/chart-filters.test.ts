/**
 * <usage-chart-filters>: a chart's own filters (PRD "Secondary Filters (Per chart)"), alone and
 * inside a real chart over the real snapshot: the chart re-queries under its override, the shared
 * filters stay as they were.
 */
import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, type UsageFilters } from '@usage-analytics/queries';
import '../src/index.js';
import '../src/components/chart-filters/chart-filters.js';
import type UsageChartFilters from '../src/components/chart-filters/chart-filters.component.js';
import type UsageIntentMatrix from '../src/components/intent-matrix/intent-matrix.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageChartFilterChangeEvent } from '../src/events/usage-chart-filter-change.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const dims = {
  departments: ['<b>sales</b>', 'hr'],
  intents: ['docs'],
  providers: ['openai'],
  modelFamilies: ['gpt-4', 'claude-3'],
  agentIds: ['agt-1', 'agt-2'],
};
const source = { dimensions: async () => dims };
const deepActive = (): Element | null => {
  let a: Element | null = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
};

describe('<usage-chart-filters>', () => {
  it('opens from the keyboard, edits the override, says how many are set, clears, and is accessible', async () => {
    const el = await fixture<UsageChartFilters>(
      html`<usage-chart-filters chart="Top Users" .client=${source} .base=${defaultFilters()}></usage-chart-filters>`,
    );
    const root = el.shadowRoot!;
    const toggle = root.querySelector<HTMLButtonElement>('[part="toggle"]')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(root.querySelector<HTMLElement>('[part="panel"]')!.hidden).to.equal(true);
    await expect(el).to.be.accessible();

    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await elementUpdated(el);
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect([...root.querySelectorAll('[part="filter-label"]')].map(text)).to.deep.equal(['Agents', 'Request status', 'Model family']);
    await waitUntil(() => root.querySelectorAll('[role="option"]').length >= 2 + 3 + 2, 'options did not load');
    await expect(el).to.be.accessible();

    // Tab to "Request status", open it, pick "Error" with the keyboard.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(deepActive()?.id).to.match(/requestStatuses-trigger$/);
    await sendKeys({ press: 'Enter' });
    await elementUpdated(el);
    const change = oneEvent(el, 'usage-chart-filter-change') as Promise<UsageChartFilterChangeEvent>;
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'Space' });
    const ev = await change;
    expect(ev.detail.override).to.deep.equal({ requestStatuses: ['error'] });
    expect([ev.bubbles, ev.composed]).to.deep.equal([true, true]);
    await elementUpdated(el);
    expect(el.count).to.equal(1);
    expect(text(toggle)).to.equal('Filters 1 set');
    expect(text(root.querySelector('.badge'))).to.equal('1 set');

    // Escape closes the listbox, then the panel, and focus returns to the button.
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(deepActive()).to.equal(toggle);

    toggle.click();
    await elementUpdated(el);
    const cleared = oneEvent(el, 'usage-chart-filter-change') as Promise<UsageChartFilterChangeEvent>;
    root.querySelector<HTMLButtonElement>('[part="reset-button"]')!.click();
    expect((await cleared).detail.override).to.deep.equal({});
  });

  it('shows the shared selection where the override sets nothing, and option names as text', async () => {
    const base: UsageFilters = { ...defaultFilters(), departments: ['<b>sales</b>'] };
    const el = await fixture<UsageChartFilters>(
      html`<usage-chart-filters
        .fields=${['departments', 'agentIds']}
        .client=${source}
        .base=${base}
        .value=${{ agentIds: ['agt-2'] }}
      ></usage-chart-filters>`,
    );
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="toggle"]')!.click();
    await waitUntil(() => el.shadowRoot!.querySelectorAll('[role="option"]').length === 4, 'options did not load');
    const values = [...el.shadowRoot!.querySelectorAll('.trigger-value')].map(text);
    expect(values).to.deep.equal(['<b>sales</b>', 'agt-2']);
    expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    expect(el.count).to.equal(1);
  });
});

describe('a chart’s own filters over the real snapshot', () => {
  it('2.8 re-queries under its override (real counts), the shared filters do not change, and Clear goes back', async () => {
    const snap = await loadSnapshot();
    const count = (pred: (r: (typeof snap.requests)[number]) => boolean) =>
      snap.requests.filter((r) => r.environment === 'production' && snap.activeAgents.has(r.agent) && r.t >= snap.end - 30 * DAY && r.t < snap.end && pred(r))
        .length;
    const all = count(() => true);
    const errors = count((r) => r.status === 'error');
    expect(errors).to.be.greaterThan(0);
    expect(errors).to.be.lessThan(all);

    const client = await UsageDataClient.open({
      source: new HttpSource(new URL(SNAPSHOT, location.href).href),
      connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
    });
    const provider = await fixture<UsageProvider>(html`<usage-provider .client=${client}><usage-intent-matrix></usage-intent-matrix></usage-provider>`);
    const chart = provider.querySelector<UsageIntentMatrix>('usage-intent-matrix')!;
    await waitUntil(() => chart.data?.total === all, `the matrix did not show ${all} requests`, LONG);

    const shared: Event[] = [];
    const listen = (e: Event) => shared.push(e);
    document.addEventListener('usage-filter-change', listen);
    try {
      const panel = chart.shadowRoot!.querySelector<UsageChartFilters>('usage-chart-filters')!;
      expect(panel.fields).to.deep.equal(['agentIds', 'requestStatuses', 'modelFamilies']);
      panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="toggle"]')!.click();
      await elementUpdated(panel);
      panel.shadowRoot!.querySelector<HTMLButtonElement>('[id$="requestStatuses-trigger"]')!.click();
      await elementUpdated(panel);
      const option = [...panel.shadowRoot!.querySelectorAll<HTMLElement>('[id*="requestStatuses-listbox"] [role="option"]')].find((o) => text(o) === 'Error')!;
      option.click();
      await waitUntil(() => chart.data?.total === errors, `the matrix did not show the ${errors} errors`, LONG);
      expect(chart.filtersOverride).to.deep.equal({ requestStatuses: ['error'] });
      expect(provider.filters?.requestStatuses ?? []).to.deep.equal([]);
      expect(shared.length, 'no shared filter change').to.equal(0);
      await expect(chart).to.be.accessible();

      panel.shadowRoot!.querySelector<HTMLButtonElement>('[part="reset-button"]')!.click();
      await waitUntil(() => chart.data?.total === all, 'Clear did not go back to the shared filters', LONG);
      expect(chart.filtersOverride).to.equal(undefined);
    } finally {
      document.removeEventListener('usage-filter-change', listen);
      await client.close();
    }
  });
});
