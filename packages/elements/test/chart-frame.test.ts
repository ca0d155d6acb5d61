import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDataTable from '../src/components/data-table/data-table.component.js';
import type { UsageRetryEvent } from '../src/events/usage-retry.js';
import { FRAME_PARTS } from '../src/internal/frame.js';
import { sendKeys } from './helpers/commands.js';

const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const part = (el: UsageChartFrame, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const ROWS = [
  { day: Date.UTC(2026, 9, 1), dept: 'sales', calls: 12 },
  { day: Date.UTC(2026, 9, 2), dept: '=cmd|"/c calc"!A1', calls: 7 },
];
const COLUMNS = [
  { key: 'day', label: 'Day', type: 'date' as const },
  { key: 'dept', label: 'Department' },
  { key: 'calls', label: 'Calls', type: 'integer' as const },
];

function captureDownloads() {
  const files: { name: string; url: string }[] = [];
  const click = HTMLAnchorElement.prototype.click;
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) files.push({ name: this.download, url: this.href });
    else click.call(this);
  };
  return { files, restore: () => (HTMLAnchorElement.prototype.click = click) };
}

async function frame(state = 'ready', extra = '') {
  const el = await fixture<UsageChartFrame>(html`
    <usage-chart-frame
      heading="Total API Calls"
      description="Calls per department over time."
      state=${state}
      updated-at="2026-11-28T00:13:08.694Z"
      .rows=${ROWS}
      .columns=${COLUMNS}
    >
      <svg width="200" height="100" role="img" aria-label="chart"><rect width="100" height="50" fill="#0072b2"></rect></svg>
      <button slot="actions" type="button">Reset zoom</button>
      ${extra}
    </usage-chart-frame>
  `);
  return el;
}

describe('<usage-chart-frame>', () => {
  it('is an accessible region labelled by its title in every state', async () => {
    for (const state of ['ready', 'loading', 'empty']) {
      const el = await frame(state);
      const base = part(el, 'base')!;
      expect(base.tagName).to.equal('SECTION');
      expect(base.getAttribute('aria-labelledby')).to.equal(part(el, 'title')!.id);
      expect(part(el, 'title')!.getAttribute('role')).to.equal('heading');
      expect(part(el, 'title')!.getAttribute('aria-level')).to.equal('3');
      expect(text(part(el, 'description'))).to.equal('Calls per department over time.');
      await expect(el).to.be.accessible();
    }
    const failed = await frame('error');
    failed.error = { message: 'boom', code: 'query_failed' };
    await elementUpdated(failed);
    await expect(failed).to.be.accessible();
  });

  it('shows the skeleton, the empty message and the error with Retry (callback + usage-retry)', async () => {
    const loading = await frame('loading');
    expect(part(loading, 'skeleton')).to.exist;
    expect(part(loading, 'base')!.getAttribute('aria-busy')).to.equal('true');
    expect(part(loading, 'csv-button')!.hasAttribute('disabled')).to.be.true;

    const empty = await frame('empty');
    empty.emptyMessage = 'No API calls match these filters.';
    await elementUpdated(empty);
    expect(text(part(empty, 'empty'))).to.equal('No API calls match these filters.');

    const failed = await frame('error');
    let called = 0;
    failed.retry = () => called++;
    failed.error = { message: '<img src=x onerror="window.__pwned=1">', code: 'query_failed' };
    await elementUpdated(failed);
    const panel = part(failed, 'error')!;
    expect(panel.getAttribute('role')).to.equal('alert');
    expect(panel.querySelector('img')).to.equal(null);
    expect(text(panel)).to.contain('<img src=x');
    expect(text(panel.querySelector('code'))).to.equal('query_failed');
    setTimeout(() => part(failed, 'retry-button')!.click());
    const ev = (await oneEvent(failed, 'usage-retry')) as UsageRetryEvent;
    expect(ev.detail).to.deep.equal({ source: 'Total API Calls' });
    expect(ev.bubbles && ev.composed).to.be.true;
    expect(called).to.equal(1);
  });

  it('shows when the data were generated, in UTC, with a machine-readable <time>', async () => {
    const el = await frame();
    const time = part(el, 'updated')!.querySelector('time')!;
    expect(time.getAttribute('datetime')).to.equal('2026-11-28T00:13:08.694Z');
    expect(text(part(el, 'updated'))).to.equal('Last updated 28 Nov 2026, 00:13 UTC');
  });

  it('exports the rows as CSV (formula-safe) and the chart as PNG with progress', async () => {
    const el = await frame();
    expect(el.csv()).to.equal(`Day,Department,Calls\n2026-10-01T00:00:00.000Z,sales,12\n2026-10-02T00:00:00.000Z,"'=cmd|""/c calc""!A1",7`);
    const cap = captureDownloads();
    try {
      part(el, 'csv-button')!.click();
      expect(cap.files.map((f) => f.name)).to.deep.equal(['Total-API-Calls.csv']);
      await elementUpdated(el);
      expect(text(part(el, 'status'))).to.equal('Exported 2 rows as CSV.');

      const fractions: number[] = [];
      const observer = new MutationObserver(() => {
        const p = el.shadowRoot!.querySelector('progress');
        if (p) fractions.push(p.value);
      });
      observer.observe(el.shadowRoot!, { subtree: true, childList: true, attributes: true, characterData: true });
      part(el, 'png-button')!.click();
      await waitUntil(() => cap.files.length === 2, 'no PNG download');
      observer.disconnect();
      expect(cap.files[1].name).to.equal('Total-API-Calls.png');
      expect(fractions.length, 'progress was shown').to.be.greaterThan(0);
      const blob = await (await fetch(cap.files[1].url)).blob();
      expect(blob.type).to.equal('image/png');
      await elementUpdated(el);
      expect(text(part(el, 'status'))).to.equal('Exported the chart as PNG.');
    } finally {
      cap.restore();
    }
  });

  it('a PNG export can be cancelled', async () => {
    const el = await frame();
    const done = el.exportPng();
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelector('progress')).to.exist;
    const cancel = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="status"] button')].find((b) => text(b) === 'Cancel')!;
    cancel.click();
    let error: unknown;
    try {
      await done;
    } catch (e) {
      error = e;
    }
    expect((error as Error).name).to.equal('AbortError');
    await elementUpdated(el);
    expect(el.shadowRoot!.querySelector('progress')).to.equal(null);
  });

  it('shows the data as a sortable table (aria-pressed) instead of the chart', async () => {
    const el = await frame();
    const toggle = part(el, 'table-button')!;
    expect(toggle.getAttribute('aria-pressed')).to.equal('false');
    toggle.click();
    await elementUpdated(el);
    expect(toggle.getAttribute('aria-pressed')).to.equal('true');
    const table = el.shadowRoot!.querySelector('usage-data-table') as UsageDataTable;
    await elementUpdated(table);
    expect(text(table.shadowRoot!.querySelector('caption'))).to.equal('Total API Calls data');
    expect([...table.shadowRoot!.querySelectorAll('tbody tr')].map((tr) => text(tr))).to.deep.equal(['2026-10-01 sales 12', '2026-10-02 =cmd|"/c calc"!A1 7']);
    expect(part(el, 'png-button')!.hasAttribute('disabled')).to.be.true;
    await expect(el).to.be.accessible();
  });

  it('goes fullscreen (API, else filling the window) and Escape leaves the fallback', async () => {
    const el = await frame();
    const button = part(el, 'fullscreen-button')!;
    // Headless tests have no user activation, so requestFullscreen() rejects: the fallback is used.
    button.click();
    await waitUntil(() => el.fullscreen);
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    expect(text(button)).to.equal('Exit fullscreen');
    const box = el.getBoundingClientRect();
    expect([box.width, box.height]).to.deep.equal([window.innerWidth, window.innerHeight]);
    button.focus();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !el.fullscreen, 'Escape did not leave fullscreen');
    expect(el.getBoundingClientRect().height).to.be.lessThan(window.innerHeight);
  });

  it('uses the Fullscreen API when it is allowed', async () => {
    const el = await frame();
    let requested = 0;
    el.requestFullscreen = async () => {
      requested++;
    };
    part(el, 'fullscreen-button')!.click();
    await waitUntil(() => el.fullscreen);
    expect(requested).to.equal(1);
    await el.exitFullscreen();
    expect(el.fullscreen).to.be.false;
  });

  it('the toolbar is one Tab stop; the arrow keys reach the chart actions and every toolbar button', async () => {
    const el = await frame();
    const before = document.createElement('button');
    before.textContent = 'before';
    el.before(before);
    const now = () => {
      const a = el.shadowRoot!.activeElement ?? document.activeElement;
      return a?.getAttribute('part') ?? text(a);
    };
    try {
      expect(el.shadowRoot!.querySelector('[part="toolbar"]')!.getAttribute('role')).to.equal('toolbar');
      before.focus();
      await sendKeys({ press: 'Tab' });
      const reached = [now()];
      for (let i = 0; i < 5; i++) {
        await sendKeys({ press: 'ArrowRight' });
        reached.push(now());
      }
      expect(reached).to.deep.equal(['Reset zoom', 'button csv-button', 'button png-button', 'button table-button', 'button fullscreen-button', 'Reset zoom']);
      await sendKeys({ press: 'End' });
      expect(now()).to.equal('button fullscreen-button');
      await sendKeys({ press: 'Home' });
      expect(now()).to.equal('Reset zoom');
      await sendKeys({ press: 'ArrowLeft' });
      expect(now()).to.equal('button fullscreen-button');
      // Tab leaves the toolbar; Shift+Tab comes back to the button focused last.
      await sendKeys({ press: 'Tab' });
      expect(['Reset zoom', 'button csv-button', 'button png-button', 'button table-button']).not.to.include(now());
      before.focus();
      await sendKeys({ press: 'Tab' });
      expect(now()).to.equal('button fullscreen-button');
    } finally {
      before.remove();
    }
  });

  it('is themable through custom properties and parts', async () => {
    const el = await frame();
    el.style.setProperty('--usage-chart-frame-background', 'rgb(1, 2, 3)');
    expect(getComputedStyle(part(el, 'base')!).backgroundColor).to.equal('rgb(1, 2, 3)');
    el.style.setProperty('--usage-chart-frame-min-height', '123px');
    expect(getComputedStyle(part(el, 'body')!).minHeight).to.equal('123px');
  });

  it('renders exactly the parts of FRAME_PARTS (the list every chart exports as frame-*)', async () => {
    const seen = new Set<string>();
    const collect = (el: UsageChartFrame) =>
      el.shadowRoot!.querySelectorAll('[part]').forEach((n) =>
        n
          .getAttribute('part')!
          .split(/\s+/)
          .forEach((p) => seen.add(p)),
      );
    for (const state of ['loading', 'empty', 'ready']) collect(await frame(state));
    const failed = await frame('error');
    failed.error = { message: 'boom', code: 'query_failed', field: 'requests.arrows' };
    await elementUpdated(failed);
    collect(failed);
    const ready = await frame();
    (ready.shadowRoot!.querySelector('[part~="table-button"]') as HTMLButtonElement).click();
    await elementUpdated(ready);
    collect(ready);
    (ready.shadowRoot!.querySelector('[part~="table-button"]') as HTMLButtonElement).click();
    await elementUpdated(ready);
    const png = ready.exportPng();
    await elementUpdated(ready);
    collect(ready);
    await png;
    expect([...seen].sort()).to.deep.equal([...FRAME_PARTS].sort());
  });

  it('renders a hostile title as text', async () => {
    const el = await frame();
    el.heading = '<script>window.__pwned=1</script>';
    await elementUpdated(el);
    expect(part(el, 'title')!.querySelector('script')).to.equal(null);
    expect(text(part(el, 'title'))).to.equal('<script>window.__pwned=1</script>');
  });
});
