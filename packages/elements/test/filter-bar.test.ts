import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { DEFAULT_FILTERS, defaultFilters, type Dimensions, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageFilterBar from '../src/components/filter-bar/filter-bar.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type { UsageFilterChangeEvent } from '../src/events/usage-filter-change.js';
import type { UsageLevelChangeEvent } from '../src/events/usage-level-change.js';
import { sendKeys } from './helpers/commands.js';

const SNAPSHOT = '/.data/test-snapshot/manifest.json';
const BUNDLES = '/node_modules/@duckdb/duckdb-wasm/dist/';

const DIMS: Dimensions = {
  departments: ['engineering', 'finance', 'marketing', 'sales', 'support', 'legal'],
  intents: ['analysis', 'code_gen', 'content', 'customer_support', 'other'],
  providers: ['anthropic', 'openai'],
  modelFamilies: ['claude-3.5', 'gpt-4o'],
  agentIds: ['agt-a', 'agt-b', 'agt-c'],
};

const root = (el: UsageFilterBar) => el.shadowRoot!;
const $ = <T extends Element = HTMLElement>(el: UsageFilterBar, sel: string) => root(el).querySelector<T & HTMLElement>(sel)!;
const $$ = (el: UsageFilterBar, sel: string) => [...root(el).querySelectorAll<HTMLElement>(sel)];
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();
const trigger = (el: UsageFilterBar, field: string) => $<HTMLButtonElement>(el, `#${field}-trigger`);
const optionTexts = (el: UsageFilterBar, field: string) => $$(el, `#${field}-listbox [role="option"]`).map((o) => text(o));
const active = (el: UsageFilterBar) => root(el).activeElement as HTMLElement | null;

async function bar(props: { filters?: UsageFilters; dimensions?: Dimensions } = { dimensions: DIMS }) {
  const el = await fixture<UsageFilterBar>(html`<usage-filter-bar .filters=${props.filters} .dimensions=${props.dimensions}></usage-filter-bar>`);
  await el.updateComplete;
  return el;
}

async function open(el: UsageFilterBar, field: string) {
  trigger(el, field).click();
  await elementUpdated(el);
  await waitUntil(() => !$(el, `#${field}-popup`).hidden, `${field} did not open`);
}

/** Every change the bar fires while `fn` runs. */
async function changes(el: UsageFilterBar, fn: () => unknown | Promise<unknown>) {
  const seen: UsageFilterChangeEvent['detail'][] = [];
  const listener = (e: UsageFilterChangeEvent) => void seen.push(e.detail);
  el.addEventListener('usage-filter-change', listener);
  try {
    await fn();
    await elementUpdated(el);
  } finally {
    el.removeEventListener('usage-filter-change', listener);
  }
  return seen;
}

describe('<usage-filter-bar>', () => {
  it('is accessible closed, with a list open, with secondary filters shown and with a range error', async () => {
    const el = await bar({ dimensions: DIMS, filters: defaultFilters({ departments: ['finance'], timeRange: { preset: '7d' } }) });
    await expect(el).to.be.accessible();
    await open(el, 'departments');
    await expect(el).to.be.accessible();
    $(el, '.more-button').click();
    $<HTMLInputElement>(el, 'input[value="custom"]').click();
    await elementUpdated(el);
    $(el, '[part="apply-button"]').click();
    await elementUpdated(el);
    await expect(el).to.be.accessible();
  });

  it('shows every primary filter with the PRD defaults, and the secondary ones under "More filters"', async () => {
    const el = await bar();
    expect($<HTMLInputElement>(el, 'input[name="time"]:checked').value).to.equal('30d');
    expect($$(el, 'input[name="time"]').map((r) => (r as HTMLInputElement).value)).to.deep.equal(['1h', '24h', '7d', '30d', '90d', 'custom']);
    const label = (f: string) => text($(el, `#${f}-label`)) + ': ' + text($(el, `#${f}-value`));
    expect(['departments', 'agentStatuses', 'intents', 'userSegments', 'environments', 'providers'].map(label)).to.deep.equal([
      'Departments: All',
      'Agent status: Active',
      'Intent category: All',
      'User segment: All',
      'Environment: Production',
      'Provider: All',
    ]);
    expect($(el, '#more').hidden).to.equal(true);
    const more = $(el, '.more-button');
    expect(more.getAttribute('aria-expanded')).to.equal('false');
    more.click();
    await elementUpdated(el);
    expect(more.getAttribute('aria-expanded')).to.equal('true');
    expect($(el, '#more').hidden).to.equal(false);
    expect(['agentIds', 'requestStatuses', 'modelFamilies'].map(label)).to.deep.equal(['Agents: All', 'Request status: All', 'Model family: All']);
    expect($(el, '#user-input')).to.exist;
    expect(text($(el, '[part="count"]'))).to.equal('Default filters');
    expect($<HTMLButtonElement>(el, '[part="reset-button"]').disabled).to.equal(true);
  });

  it('labels user segments and intents as the PRD does', async () => {
    const el = await bar();
    await open(el, 'userSegments');
    expect(optionTexts(el, 'userSegments')).to.deep.equal(['Power (top 10%)', 'Regular', 'New (30d)', 'Dormant (30d+)']);
    await open(el, 'agentStatuses');
    expect(optionTexts(el, 'agentStatuses')).to.deep.equal(['Active', 'Beta', 'Deprecated']);
    await open(el, 'intents');
    expect(optionTexts(el, 'intents')).to.deep.equal(['Analysis', 'Code Gen', 'Content', 'Customer Support', 'Other']);
  });

  it('emits the department chosen by click, and applies it to its own filters when standalone', async () => {
    const el = await bar();
    await open(el, 'departments');
    const option = $$(el, '#departments-listbox [role="option"]').find((o) => text(o) === 'support')!;
    setTimeout(() => option.click());
    const ev = (await oneEvent(el, 'usage-filter-change')) as UsageFilterChangeEvent;
    expect(ev.detail).to.deep.equal({ filters: { departments: ['support'] }, replace: false });
    expect(ev.bubbles && ev.composed).to.equal(true);
    await elementUpdated(el);
    expect(el.filters!.departments).to.deep.equal(['support']);
    expect(option.getAttribute('aria-selected')).to.equal('true');
    expect(text($(el, '#departments-value'))).to.equal('support');
  });

  it('is operable with the keyboard: ArrowDown opens, arrows move, Space and Enter toggle, Escape closes', async () => {
    const el = await bar();
    trigger(el, 'departments').focus();
    await sendKeys({ press: 'ArrowDown' });
    await elementUpdated(el);
    expect(trigger(el, 'departments').getAttribute('aria-expanded')).to.equal('true');
    expect(active(el)?.id).to.equal('departments-listbox');
    expect(active(el)!.getAttribute('aria-activedescendant')).to.equal('departments-opt-0');

    const seen = await changes(el, async () => {
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'ArrowDown' });
      await sendKeys({ press: 'Space' }); // marketing
      await elementUpdated(el);
      await sendKeys({ press: 'End' });
      await sendKeys({ press: 'Enter' }); // legal
      await elementUpdated(el);
      await sendKeys({ press: 'Home' });
      await sendKeys({ press: 'Space' }); // engineering
    });
    expect(seen.map((d) => d.filters.departments)).to.deep.equal([['marketing'], ['marketing', 'legal'], ['marketing', 'legal', 'engineering']]);
    expect($(el, '#departments-opt-0').getAttribute('aria-selected')).to.equal('true');

    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    await elementUpdated(el);
    expect(trigger(el, 'departments').getAttribute('aria-expanded')).to.equal('false');
    expect(active(el)?.id).to.equal('departments-trigger');
  });

  it('searches the list: typing in the listbox goes to the search field, ArrowDown returns to the list', async () => {
    const el = await bar();
    await open(el, 'departments');
    await elementUpdated(el);
    expect(active(el)?.id).to.equal('departments-listbox');
    await sendKeys({ type: 'fin' });
    await elementUpdated(el);
    expect(active(el)?.id).to.equal('departments-search');
    expect(optionTexts(el, 'departments')).to.deep.equal(['finance']);
    await sendKeys({ press: 'ArrowDown' });
    await elementUpdated(el);
    expect(active(el)?.id).to.equal('departments-listbox');
    const seen = await changes(el, () => sendKeys({ press: 'Space' }));
    expect(seen[0].filters.departments).to.deep.equal(['finance']);
    $<HTMLInputElement>(el, '#departments-search').value = 'zzz';
    $(el, '#departments-search').dispatchEvent(new Event('input'));
    await elementUpdated(el);
    expect($(el, '#departments-listbox').hidden).to.equal(true);
    await waitUntil(() => active(el)?.id === 'departments-search', 'focus did not move to the search field when the list emptied');
    expect($(el, '#departments-popup').hidden).to.equal(false);
    expect(text($(el, '#departments-popup .popup-note'))).to.equal('No match for “zzz”.');
  });

  it('closes a list when focus leaves it', async () => {
    const el = await bar();
    await open(el, 'providers');
    trigger(el, 'environments').focus();
    await elementUpdated(el);
    expect($(el, '#providers-popup').hidden).to.equal(true);
  });

  it('shows chips for non-default filters with a count, removes a chip by click or Delete, and resets to the PRD defaults', async () => {
    const el = await bar({
      dimensions: DIMS,
      filters: defaultFilters({ timeRange: { preset: '7d' }, departments: ['finance', 'sales'], environments: ['production', 'staging'] }),
    });
    const chips = () => $$(el, '[part="chip"]').map((c) => text(c).replace(' ×', ''));
    expect(chips()).to.deep.equal(['Time range: 7d', 'Department: finance', 'Department: sales', 'Environment: Production, Staging']);
    expect(text($(el, '[part="count"]'))).to.equal('3 filters changed');

    let seen = await changes(el, () => $(el, '[data-chip="1"]').click());
    expect(seen).to.deep.equal([{ filters: { departments: ['sales'] }, replace: false }]);
    expect(chips()).to.deep.equal(['Time range: 7d', 'Department: sales', 'Environment: Production, Staging']);
    expect(active(el)?.dataset.chip, 'focus moves to the chip that took its place').to.equal('1');

    seen = await changes(el, () => sendKeys({ press: 'Delete' }));
    expect(seen[0].filters).to.deep.equal({ departments: [] });
    seen = await changes(el, () => $(el, '[data-chip="1"]').click());
    expect(seen[0].filters).to.deep.equal({ environments: ['production'] });
    expect(chips()).to.deep.equal(['Time range: 7d']);

    el.filters = defaultFilters({ userSegments: ['power'], agentStatuses: [] });
    await elementUpdated(el);
    expect(chips()).to.deep.equal(['Agent status: All', 'User segment: Power (top 10%)']);
    seen = await changes(el, () => $(el, '[part="reset-button"]').click());
    expect(seen).to.deep.equal([{ filters: {}, replace: true }]);
    expect(el.filters).to.deep.equal(DEFAULT_FILTERS);
    expect(chips()).to.deep.equal([]);
    expect(active(el)).to.equal($(el, 'input[name="time"]:checked'));
  });

  it('validates a custom range: an end before the start shows an error and emits nothing', async () => {
    const el = await bar();
    $<HTMLInputElement>(el, 'input[value="custom"]').click();
    await elementUpdated(el);
    const start = $<HTMLInputElement>(el, '#custom-start');
    const end = $<HTMLInputElement>(el, '#custom-end');
    const set = (input: HTMLInputElement, v: string) => {
      input.value = v;
      input.dispatchEvent(new Event('input'));
    };
    set(start, '2026-10-08');
    set(end, '2026-10-01');
    let seen = await changes(el, () => $(el, '[part="apply-button"]').click());
    expect(seen).to.deep.equal([]);
    expect(text($(el, '#range-error'))).to.equal('The end date must be after the start date.');
    expect($(el, '#range-error').getAttribute('role')).to.equal('alert');
    expect(end.getAttribute('aria-invalid')).to.equal('true');
    expect(end.getAttribute('aria-describedby')).to.equal('range-error');
    expect(active(el)).to.equal(end);

    set(end, '');
    seen = await changes(el, () => $(el, '[part="apply-button"]').click());
    expect(seen).to.deep.equal([]);
    expect(text($(el, '#range-error'))).to.equal('Choose an end date.');

    set(end, '2026-10-15');
    seen = await changes(el, () => $(el, '[part="apply-button"]').click());
    expect(seen).to.deep.equal([{ filters: { timeRange: { preset: 'custom', start: '2026-10-08', end: '2026-10-15' } }, replace: false }]);
    expect(text($(el, '#range-error'))).to.equal('');
    expect(end.getAttribute('aria-invalid')).to.equal('false');
    expect($$(el, '[part="chip"]').map(text)[0]).to.contain('Time range: 2026-10-08 – 2026-10-15');
  });

  it('refuses impossible dates and years outside 1700–2200 in a custom range, as the queries do', async () => {
    const el = await bar();
    $<HTMLInputElement>(el, 'input[value="custom"]').click();
    await elementUpdated(el);
    const set = (id: string, v: string) => {
      const input = $<HTMLInputElement>(el, id);
      input.value = v;
      input.dispatchEvent(new Event('input'));
    };
    set('#custom-start', '0001-01-01');
    set('#custom-end', '9999-12-31');
    const seen = await changes(el, () => $(el, '[part="apply-button"]').click());
    expect(seen).to.deep.equal([]);
    expect(text($(el, '#range-error'))).to.equal('The start date "0001-01-01" is not a valid date: year 1 is outside 1700–2200.');
    expect($(el, '#custom-start').getAttribute('aria-invalid')).to.equal('true');
  });

  it('bounds a custom range by the snapshot’s data (the rule a link is held to), with min and max on the date inputs', async () => {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { time_range: { start: string; end: string } };
    const real = await UsageDataClient.open({
      source: new HttpSource(new URL(SNAPSHOT, location.href).href),
      connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
    });
    try {
      const el = await fixture<UsageFilterBar>(html`<usage-filter-bar .client=${real}></usage-filter-bar>`);
      $<HTMLInputElement>(el, 'input[value="custom"]').click();
      await elementUpdated(el);
      // The data's whole days, and as many days again on either side.
      const day = 86_400_000;
      const [first, end] = [Date.parse(manifest.time_range.start), Date.parse(manifest.time_range.end)];
      const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
      const [min, max] = [iso(first - (end - first)), iso(end + (end - first))];
      expect([$(el, '#custom-start').getAttribute('min'), $(el, '#custom-end').getAttribute('max')]).to.deep.equal([min, max]);
      const set = (id: string, v: string) => {
        const input = $<HTMLInputElement>(el, id);
        input.value = v;
        input.dispatchEvent(new Event('input'));
      };
      set('#custom-start', iso(end - 30 * day));
      set('#custom-end', iso(end + (end - first) + day));
      let seen = await changes(el, () => $(el, '[part="apply-button"]').click());
      expect(seen).to.deep.equal([]);
      expect(text($(el, '#range-error'))).to.equal(`The data runs from ${iso(first)} to ${iso(end)}: choose dates between ${min} and ${max}.`);
      set('#custom-end', max);
      seen = await changes(el, () => $(el, '[part="apply-button"]').click());
      expect(seen).to.deep.equal([{ filters: { timeRange: { preset: 'custom', start: iso(end - 30 * day), end: max } }, replace: false }]);
      await expect(el).to.be.accessible();
    } finally {
      await real.close();
    }
  });

  it('adds a user id with Enter and lists it as a chip', async () => {
    const el = await bar();
    $(el, '.more-button').click();
    await elementUpdated(el);
    const input = $<HTMLInputElement>(el, '#user-input');
    input.focus();
    let seen = await changes(el, () => sendKeys({ press: 'Enter' }));
    expect(seen).to.deep.equal([]);
    expect(text($(el, '#user-error'))).to.equal('Type a user id to add.');
    await sendKeys({ type: ' u-42 ' });
    seen = await changes(el, () => sendKeys({ press: 'Enter' }));
    expect(seen[0].filters).to.deep.equal({ userIds: ['u-42'] });
    expect($$(el, '[part="chip"]').map(text)).to.deep.equal(['User: u-42 ×']);
    expect(text($(el, '.more-button'))).to.contain('More filters (1 set)');
  });

  it('offers the compare hint for 2–5 departments, which asks for the comparison level', async () => {
    const el = await bar({ dimensions: DIMS, filters: defaultFilters({ departments: ['finance', 'sales'] }) });
    await open(el, 'departments');
    const hint = $(el, '#departments-popup [part="compare-hint"]');
    expect(text(hint)).to.equal('Compare these 2 departments');
    setTimeout(() => hint.click());
    const ev = (await oneEvent(el, 'usage-level-change')) as UsageLevelChangeEvent;
    expect(ev.detail).to.deep.equal({ level: { kind: 'compare', by: 'department' } });

    el.filters = defaultFilters({ departments: DIMS.departments });
    await elementUpdated(el);
    expect(text($(el, '#departments-popup [part="compare-hint"]'))).to.equal('Up to 5 departments can be compared side by side.');
  });

  it('lets Tab reach every control, in order', async () => {
    const before = document.createElement('button');
    before.textContent = 'before';
    document.body.prepend(before);
    try {
      const el = await bar({ dimensions: DIMS, filters: defaultFilters({ departments: ['finance'] }) });
      $(el, '.more-button').click();
      await elementUpdated(el);
      const expected = [
        'time',
        'departments-trigger',
        'agentStatuses-trigger',
        'intents-trigger',
        'userSegments-trigger',
        'environments-trigger',
        'providers-trigger',
        'more-button',
        'agentIds-trigger',
        'user-input',
        'add-user-button',
        'requestStatuses-trigger',
        'modelFamilies-trigger',
        'chip-remove',
        'reset-button',
      ];
      before.focus();
      const reached: string[] = [];
      for (let i = 0; i < expected.length + 1; i++) {
        await sendKeys({ press: 'Tab' });
        const a = active(el);
        if (!a) break;
        reached.push(a.getAttribute('name') ?? (a.id || a.getAttribute('part') || a.className));
      }
      expect(reached).to.deep.equal(expected);
      // Every enabled, visible control outside the closed popups was reached.
      const controls = $$(el, 'button, input, select, [tabindex="0"]').filter(
        (c) => !(c as HTMLButtonElement).disabled && !c.closest('[hidden]') && (c.getAttribute('type') !== 'radio' || (c as HTMLInputElement).checked),
      );
      expect(controls).to.have.length(expected.length);
    } finally {
      before.remove();
    }
  });

  it('renders hostile option values (markup, very long, right-to-left) as inert text', async () => {
    const hostile = ['<img src=x onerror="window.__pwned=1">', '<script>window.__pwned=2</script>', 'x'.repeat(2000), 'מחלקת מכירות', '\u202Eevil'];
    const dims = { ...DIMS, departments: hostile };
    const el = await bar({ dimensions: dims, filters: defaultFilters({ departments: hostile }) });
    await open(el, 'departments');
    expect(optionTexts(el, 'departments')).to.deep.equal(hostile);
    // A long option is at most two lines, the whole text in its tooltip (issue 7 B8).
    const long = $$(el, '#departments-listbox [role="option"] .option-text')[2];
    expect(long.title === 'x'.repeat(2000), 'the whole option is in its tooltip').to.equal(true);
    expect(long.getBoundingClientRect().height).to.be.at.most(2 * 1.5 * parseFloat(getComputedStyle(long).fontSize));
    expect($$(el, '[part="chip"] bdi').map((b) => b.textContent)).to.deep.equal(hostile);
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    // Long values do not widen the bar past its container.
    el.style.width = '600px';
    expect(el.scrollWidth).to.be.at.most(600);
    await expect(el).to.be.accessible();
  });

  it('says so when the options cannot be loaded, and keeps the fixed ones', async () => {
    const client = { dimensions: () => Promise.reject(Object.assign(new Error('engine gone'), { code: 'query_failed' })) };
    const el = await fixture<UsageFilterBar>(html`<usage-filter-bar .client=${client}></usage-filter-bar>`);
    await open(el, 'departments');
    await waitUntil(() => text($(el, '#departments-popup [role="alert"]')).includes('engine gone'));
    await open(el, 'environments');
    expect(optionTexts(el, 'environments')).to.deep.equal(['Production', 'Staging', 'Development']);
  });

  it('takes styling from custom properties and tokens', async () => {
    const el = await bar();
    el.style.setProperty('--usage-filter-bar-background', 'rgb(1, 2, 3)');
    expect(getComputedStyle($(el, '[part="base"]')).backgroundColor).to.equal('rgb(1, 2, 3)');
    el.style.setProperty('--usage-color-accent', 'rgb(4, 5, 6)');
    expect(getComputedStyle($(el, 'input[name="time"]:checked + span')).backgroundColor).to.equal('rgb(4, 5, 6)');
  });
});

describe('<usage-filter-bar> over the real test snapshot', () => {
  async function distinctDepartments(): Promise<string[]> {
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
    const url = new URL(manifest.tables.requests.file, new URL(SNAPSHOT, location.href));
    const requests = tableFromIPC(new Uint8Array(await (await fetch(url)).arrayBuffer()));
    const col = requests.getChild('department_id')!;
    const seen = new Set<string>();
    for (let i = 0; i < requests.numRows; i++) seen.add(String(col.get(i)));
    return [...seen].sort();
  }

  it('lists the snapshot’s departments (all 20, no paging) and drives the provider’s filters', async () => {
    const expected = await distinctDepartments();
    expect(expected.length).to.be.within(2, 20);
    const provider = await fixture<UsageProvider>(html`
      <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES}><usage-filter-bar></usage-filter-bar></usage-provider>
    `);
    const el = provider.querySelector('usage-filter-bar')!;
    await open(el, 'departments');
    await waitUntil(() => optionTexts(el, 'departments').length === expected.length, 'the departments did not load', { timeout: 60_000, interval: 100 });
    expect(optionTexts(el, 'departments')).to.deep.equal(expected);
    await expect(provider).to.be.accessible();

    const option = $$(el, '#departments-listbox [role="option"]')[1];
    setTimeout(() => option.click());
    const ev = (await oneEvent(el, 'usage-filter-change')) as UsageFilterChangeEvent;
    expect(ev.detail.filters).to.deep.equal({ departments: [expected[1]] });
    await elementUpdated(provider);
    expect(provider.filters).to.deep.equal(defaultFilters({ departments: [expected[1]] }));
    expect(el.filters, 'inside a provider the bar shows the provider’s filters').to.equal(undefined);
    await elementUpdated(el);
    expect(text($(el, '#departments-value'))).to.equal(expected[1]);
  });
});
