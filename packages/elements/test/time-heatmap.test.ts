import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { defaultFilters, hourWeekday, type HourWeekdayCell, type MaintenanceWindow, type UsageFilters } from '@usage-analytics/queries';
import { tableFromIPC } from 'apache-arrow';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import type UsageProvider from '../src/components/provider/provider.component.js';
import type UsageTimeHeatmap from '../src/components/time-heatmap/time-heatmap.component.js';
import type { HourWeekdayDrilldown } from '../src/events/usage-drilldown.js';
import { chartClient } from './helpers/chart-fakes.js';
import { sendKeys } from './helpers/commands.js';
import { BUNDLES, DAY, SNAPSHOT, loadSnapshot } from './helpers/snapshot.js';

const HOUR = 3_600_000;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const root = (el: UsageTimeHeatmap) => el.shadowRoot!;
const frameOf = (el: UsageTimeHeatmap) => root(el).querySelector('usage-chart-frame') as UsageChartFrame;
const svg = (el: UsageTimeHeatmap) => root(el).querySelector('.plot svg')!;
const cells = (el: UsageTimeHeatmap) => [...svg(el).querySelectorAll<SVGGElement>('g.cell')];
/** The cell of ISO weekday `weekday` (1 = Monday) and hour `hour`: rows are hours, columns weekdays. */
const cell = (el: UsageTimeHeatmap, weekday: number, hour: number) =>
  svg(el).querySelector<SVGGElement>(`g.cell[data-row="${hour}"][data-col="${weekday - 1}"]`)!;
const painted = (el: UsageTimeHeatmap) => waitUntil(() => el.layout && cells(el).length > 0, 'heatmap did not paint', { timeout: 60_000 });
const ready = (el: UsageTimeHeatmap) =>
  waitUntil(() => frameOf(el)?.state === 'ready' && !frameOf(el).busy, 'chart did not render', { timeout: 60_000, interval: 100 });
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** (weekday, hour) of an epoch-ms instant in a zone, read straight from Intl (independent of the modules). */
function slotIn(timeZone: string): (ms: number) => [number, number] {
  const fmt = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: 'numeric', hourCycle: 'h23' });
  return (ms) => {
    const p = fmt.formatToParts(ms);
    return [DAYS.indexOf(p.find((x) => x.type === 'weekday')!.value) + 1, Number(p.find((x) => x.type === 'hour')!.value) % 24];
  };
}

/** Requests (PRD default filters: production, active agents, last 30 days) and exposure hours per weekday-hour in a zone, counted minute by minute. */
async function expected(timeZone: string) {
  const snap = await loadSnapshot();
  const end = snap.end;
  const start = end - 30 * DAY;
  const slot = slotIn(timeZone);
  const count = new Map<string, number>();
  for (const r of snap.requests) {
    if (r.t < start || r.t >= end || r.environment !== 'production' || !snap.activeAgents.has(r.agent)) continue;
    const k = slot(r.t).join('|');
    count.set(k, (count.get(k) ?? 0) + 1);
  }
  const minutes = new Map<string, number>();
  for (let m = start; m < end; m += 60_000) {
    const k = slot(m).join('|');
    minutes.set(k, (minutes.get(k) ?? 0) + 1);
  }
  return { count, hours: (k: string) => (minutes.get(k) ?? 0) / 60, total: [...count.values()].reduce((a, b) => a + b, 0), start, end };
}

async function onSnapshot(attrs: { timeZone?: string; utc?: boolean } = {}) {
  const provider = await fixture<UsageProvider>(html`
    <usage-provider src=${SNAPSHOT} bundle-base=${BUNDLES} .filters=${defaultFilters()}>
      <div style="width: 900px">
        <usage-time-heatmap time-zone=${attrs.timeZone ?? ''} ?utc=${attrs.utc ?? false}></usage-time-heatmap>
        <usage-drilldown-panel></usage-drilldown-panel>
      </div>
    </usage-provider>
  `);
  const el = provider.querySelector('usage-time-heatmap')!;
  await ready(el);
  await painted(el);
  return { provider, el, panel: provider.querySelector('usage-drilldown-panel') as UsageDrilldownPanel };
}

describe('<usage-time-heatmap> over the real snapshot', () => {
  it('shows every weekday-hour in UTC with its requests and average, matching an independent count', async () => {
    const exp = await expected('UTC');
    expect(exp.total).to.be.greaterThan(1000);
    const { provider, el } = await onSnapshot({ utc: true });
    expect(el.zone).to.equal('UTC');
    expect(cells(el)).to.have.length(168);
    const nf = new Intl.NumberFormat('en-US');
    const af = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
    let sum = 0;
    for (let w = 1; w <= 7; w++) {
      for (let h = 0; h < 24; h++) {
        const k = `${w}|${h}`;
        const n = exp.count.get(k) ?? 0;
        sum += n;
        const label = cell(el, w, h).getAttribute('aria-label')!;
        expect(label, k).to.contain(`: ${af.format(n / exp.hours(k))} calls per hour on average`);
        expect(label, k).to.contain(`(${nf.format(n)} calls over ${af.format(exp.hours(k))} hours)`);
      }
    }
    expect(el.heat!.cells.reduce((a, c) => a + c.requests, 0)).to.equal(sum);
    // Peak hours: the busiest weekday-hour by average comes first in the text list.
    const best = [...exp.count.entries()].map(([k, n]) => [k, n / exp.hours(k)] as const).sort((a, b) => b[1] - a[1])[0];
    const [bw, bh] = best[0].split('|').map(Number);
    const first = root(el).querySelector('[part="peaks"] li')!;
    expect([Number(first.getAttribute('data-weekday')), Number(first.getAttribute('data-hour'))]).to.deep.equal([bw, bh]);
    expect(text(first)).to.contain(`${af.format(best[1])} calls per hour`);
    await expect(provider).to.be.accessible();
  });

  it('shows the hours in a time zone exactly across DST (Europe/Berlin over 25 October)', async () => {
    const exp = await expected('Europe/Berlin');
    const { el } = await onSnapshot({ timeZone: 'Europe/Berlin' });
    expect(el.zone).to.equal('Europe/Berlin');
    const byKey = new Map(el.heat!.cells.map((c) => [`${c.weekday}|${c.hour}`, c]));
    for (const [k, c] of byKey) {
      expect(c.requests, k).to.equal(exp.count.get(k) ?? 0);
      expect(c.occurrences, k).to.be.closeTo(exp.hours(k), 1e-9);
    }
    // The fall-back Sunday: 02:00 happens twice that day, so its exposure is one hour more than 03:00's.
    expect(byKey.get('7|2')!.occurrences - byKey.get('7|3')!.occurrences).to.equal(1);
    expect(text(root(el).querySelector('.zone'))).to.contain('Europe/Berlin');
  });

  it('draws the registry’s maintenance windows over the hours they cover and lists them as text', async () => {
    const snap = await loadSnapshot();
    const manifest = (await (await fetch(SNAPSHOT)).json()) as { tables: Record<string, { file: string }> };
    const table = tableFromIPC(
      new Uint8Array(await (await fetch(new URL(manifest.tables.maintenance_windows.file, new URL(SNAPSHOT, location.href)).href)).arrayBuffer()),
    );
    const ids = table.getChild('window_id')!.toArray() as string[];
    const i = [...ids].indexOf('mw-platform-patch');
    expect(i).to.be.at.least(0);
    const ms = (v: unknown) => (typeof v === 'bigint' ? Number(v) / 1000 : v instanceof Date ? v.getTime() : Number(v));
    const s0 = ms(table.getChild('starts_at')!.get(i));
    const e0 = ms(table.getChild('ends_at')!.get(i));
    // Its UTC hours of the week, independently: step a week at a time, then hour by hour.
    const slot = slotIn('UTC');
    const want = new Set<string>();
    for (let a = s0; a < snap.end; a += 7 * DAY)
      for (let t = a; t < a + (e0 - s0); t += HOUR) if (a + (e0 - s0) > snap.end - 30 * DAY) want.add(slot(t).join('|'));
    expect(want.size).to.be.greaterThan(0);

    const { el } = await onSnapshot({ utc: true });
    await waitUntil(() => root(el).querySelector('[part="windows"]'), 'no window list', { timeout: 30_000 });
    const marks = [...svg(el).querySelectorAll('.maintenance-overlay rect.maintenance-mark')].map(
      (m) => `${Number(m.getAttribute('data-col')) + 1}|${m.getAttribute('data-row')}`,
    );
    for (const k of want) expect(marks, k).to.include(k);
    const items = [...root(el).querySelectorAll('[part="windows"] li')];
    const patch = items.find((li) => li.getAttribute('data-window') === 'mw-platform-patch')!;
    expect(text(patch)).to.contain('Platform patching — All agents: weekly');
    // Only windows of active agents (PRD default filter) or of the whole platform; the scheduled upgrade is listed as upcoming.
    const shown = items.map((li) => li.getAttribute('data-window'));
    expect(shown).to.include('mw-upgrade');
    expect(shown).not.to.include('mw-beta-canary');
    expect(text(items.find((li) => li.getAttribute('data-window') === 'mw-upgrade'))).to.contain('scheduled');
    // The cell's accessible name says it is under maintenance (not colour alone).
    const [w, h] = [...want][0].split('|').map(Number);
    expect(cell(el, w, h).getAttribute('aria-label')).to.contain('maintenance: Platform patching (all agents)');
  });

  it('suggests the quietest contiguous hours and marks them', async () => {
    const { el } = await onSnapshot({ utc: true });
    const quiet = [...root(el).querySelectorAll('[part="suggestions"] li')];
    expect(quiet).to.have.length(3);
    // Independently: the lowest mean of three consecutive averages, circular over the week.
    const avg = el.heat!.cells.map((c) => c.avg);
    let best = -1;
    let bestV = Infinity;
    for (let s = 0; s < 168; s++) {
      const v = (avg[s] + avg[(s + 1) % 168] + avg[(s + 2) % 168]) / 3;
      if (v < bestV) [best, bestV] = [s, v];
    }
    expect(Number(quiet[0].getAttribute('data-start'))).to.equal(best);
    expect(svg(el).querySelectorAll('.maintenance-overlay rect.suggested-mark')).to.have.length(9);
  });

  it('is keyboard operable: arrows move across cells, Enter drills into that hour’s requests, which the panel lists', async () => {
    const { el, panel } = await onSnapshot({ timeZone: 'Asia/Kolkata' });
    const exp = await expected('Asia/Kolkata');
    el.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowRight' });
    const active = root(el).activeElement as SVGGElement;
    expect(active.getAttribute('data-row')).to.equal('2');
    expect(active.getAttribute('data-col')).to.equal('1');
    const drill = oneEvent(el, 'usage-drilldown');
    await sendKeys({ press: 'Enter' });
    const detail = (await drill).detail as HourWeekdayDrilldown;
    expect(detail).to.deep.include({ kind: 'hour-weekday', weekday: 2, hour: 2, timeZone: 'Asia/Kolkata' });
    panel.show(detail);
    await waitUntil(() => panel.rows !== undefined, 'panel did not load', { timeout: 30_000 });
    expect(panel.total).to.equal(exp.count.get('2|2') ?? 0);
    expect(text(panel.shadowRoot!.querySelector('h2'))).to.contain('Tuesdays, 02:00–03:00 (Asia/Kolkata)');
    panel.close();
  });

  it('switches to UTC and back', async () => {
    const { el } = await onSnapshot({ timeZone: 'America/New_York' });
    const button = root(el).querySelector<HTMLButtonElement>('[part="utc-button"]')!;
    expect(button.getAttribute('aria-pressed')).to.equal('false');
    const before = el.heat!.cells;
    button.click();
    await elementUpdated(el);
    expect(el.utc).to.equal(true);
    expect(button.getAttribute('aria-pressed')).to.equal('true');
    await waitUntil(() => el.heat!.zone === 'UTC' && el.heat!.cells !== before, 'did not switch', { timeout: 30_000 });
    const exp = await expected('UTC');
    expect(el.heat!.cells.find((c) => c.weekday === 3 && c.hour === 15)!.requests).to.equal(exp.count.get('3|15') ?? 0);
    expect(text(root(el).querySelector('.zone'))).to.contain('UTC');
  });
});

// ---------------------------------------------------------------------------------------------

/** 168 cells from a load function, through the module's own transform (UTC rows). */
function grid(load: (w: number, h: number) => number): HourWeekdayCell[] {
  const rows = [];
  for (let w = 1; w <= 7; w++)
    for (let h = 0; h < 24; h++) rows.push({ hour: h, weekday: w, requests: load(w, h) * 4, occurrences: 4, avg: load(w, h), pr: 0 });
  return hourWeekday.transform(rows, undefined as never, undefined);
}

const WINDOW: MaintenanceWindow = {
  windowId: 'w1',
  agentId: 'agt-x',
  agentName: '<img src=x onerror="window.__pwnedHeat=1">',
  title: '<script>window.__pwnedHeat=2</script> وكيل',
  startsAt: Date.UTC(2026, 9, 4, 3),
  endsAt: Date.UTC(2026, 9, 4, 5),
  recurrence: 'weekly',
  recursUntil: null,
  createdBy: 'u1',
  occurrences: [{ start: Date.UTC(2026, 9, 4, 3), end: Date.UTC(2026, 9, 4, 5) }],
  upcoming: [],
  slots: [6 * 24 + 3, 6 * 24 + 4],
};

async function chartWith(client: ReturnType<typeof chartClient>, filters: UsageFilters = defaultFilters()) {
  const div = await fixture<HTMLDivElement>(
    html`<div style="width: 800px"><usage-time-heatmap time-zone="UTC" .client=${client} .filters=${filters}></usage-time-heatmap></div>`,
  );
  const el = div.querySelector('usage-time-heatmap')!;
  await elementUpdated(el);
  return el;
}

describe('<usage-time-heatmap> with a stand-in client', () => {
  it('is accessible loading, empty, in error (with Retry) and with data', async () => {
    const loading = await chartWith(chartClient({}));
    expect(frameOf(loading).state).to.equal('loading');
    await expect(loading).to.be.accessible();
    const empty = await chartWith(chartClient({ hourWeekday: () => grid(() => 0), maintenanceWindows: () => [] }));
    await waitUntil(() => frameOf(empty).state === 'empty');
    await expect(empty).to.be.accessible();
    let calls = 0;
    const failing = await chartWith(
      chartClient({
        hourWeekday: () => (calls++ === 0 ? Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' })) : grid((w, h) => w + h)),
        maintenanceWindows: () => [],
      }),
    );
    await waitUntil(() => frameOf(failing).state === 'error');
    await expect(failing).to.be.accessible();
    frameOf(failing).shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitUntil(() => frameOf(failing).state === 'ready', 'retry did not recover');
    await painted(failing);
    await expect(failing).to.be.accessible();
  });

  it('keeps hostile window titles and agent names inert text', async () => {
    const el = await chartWith(chartClient({ hourWeekday: () => grid((w, h) => 1 + ((w * 7 + h) % 5)), maintenanceWindows: () => [WINDOW] }));
    await painted(el);
    await waitUntil(() => root(el).querySelector('[part="windows"] li'));
    expect(root(el).querySelector('img, script')).to.equal(null);
    expect(svg(el).querySelector('img, script')).to.equal(null);
    expect((window as { __pwnedHeat?: number }).__pwnedHeat).to.equal(undefined);
    expect(text(root(el).querySelector('.window-title'))).to.equal(WINDOW.title);
    expect(text(root(el).querySelector('.window-agent'))).to.equal(WINDOW.agentName);
    expect(cell(el, 7, 3).getAttribute('aria-label')).to.contain(WINDOW.title);
    expect(svg(el).querySelector('.maintenance-mark title')!.textContent).to.contain(WINDOW.agentName!);
    await expect(el).to.be.accessible();
  });

  it('asks for the zone it shows, refuses an unknown one with a clear error, and exports the grid', async () => {
    const seen: unknown[] = [];
    const el = await chartWith(
      chartClient({
        hourWeekday: (_f, p) => {
          seen.push(p);
          return (p as { timeZone: string }).timeZone === 'Mars/Base'
            ? Promise.reject(Object.assign(new Error('timeZone is not a time zone'), { code: 'invalid_param', field: 'timeZone' }))
            : grid(() => 2);
        },
        maintenanceWindows: () => [],
      }),
    );
    await painted(el);
    expect(seen[0]).to.deep.equal({ timeZone: 'UTC' });
    expect(frameOf(el).rows).to.have.length(168);
    el.timeZone = 'Mars/Base';
    await waitUntil(() => frameOf(el).state === 'error');
    expect(text(frameOf(el).shadowRoot!.querySelector('[part="error"]'))).to.contain('not a time zone');
  });
});
