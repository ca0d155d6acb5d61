import { elementUpdated, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HttpSource, UsageDataClient, WasmBrowserConnector } from '@usage-analytics/data-client';
import { defaultFilters, topUsers, type UserJourneyRow } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageDrilldownPanel from '../src/components/drilldown-panel/drilldown-panel.component.js';
import { deepActiveElement } from '../src/components/drilldown-panel/drilldown-panel.component.js';
import { sessionsOf, type PanelDetail } from '../src/components/drilldown-panel/drilldown-panel.data.js';
import type { UsageRequestSaveSegmentEvent } from '../src/events/usage-request-save-segment.js';
import { sendKeys } from './helpers/commands.js';
import { renamedSnapshot } from './helpers/hostile-snapshot.js';
import { BUNDLES, DAY, SNAPSHOT, callsByDayAndDepartment, loadSnapshot } from './helpers/snapshot.js';

const LONG = { timeout: 60_000, interval: 50 };
const text = (n: Element | null | undefined) => (n?.textContent ?? '').replace(/\s+/g, ' ').trim();

let shared: Promise<UsageDataClient> | undefined;
const client = () =>
  (shared ??= UsageDataClient.open({
    source: new HttpSource(new URL(SNAPSHOT, location.href).href),
    connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
  }));

const iso = (t: number) => new Date(t).toISOString();
function bucketDetail(day: number, department?: string): PanelDetail {
  const f = defaultFilters({ timeRange: { preset: 'custom', start: iso(day), end: iso(day + DAY) }, ...(department ? { departments: [department] } : {}) });
  return { kind: 'time-bucket', bucketStart: iso(day), bucketEnd: iso(day + DAY), bucket: 'day', ...(department ? { department } : {}), filters: f };
}

async function panel(c: unknown) {
  const wrap = await fixture<HTMLElement>(html`<div><button id="opener">Open</button><usage-drilldown-panel .client=${c}></usage-drilldown-panel></div>`);
  return { wrap, el: wrap.querySelector('usage-drilldown-panel') as UsageDrilldownPanel, opener: wrap.querySelector<HTMLButtonElement>('#opener')! };
}
const loaded = (el: UsageDrilldownPanel) => waitUntil(() => el.rows !== undefined, 'the panel did not load', LONG);
const inPanel = (el: UsageDrilldownPanel, node: Element | null) => {
  for (let n: Node | null = node; n; n = n instanceof ShadowRoot ? n.host : n.parentNode) if (n === el) return true;
  return false;
};

describe('drilldown-panel data', () => {
  it('sessionsOf(rows) groups by session (latest first), agents in time order with repeats collapsed', () => {
    const r = (requestId: string, ts: number, sessionId: string | null, agentId: string, status = 'success') =>
      ({ requestId, ts, sessionId, agentId, status }) as UserJourneyRow;
    const s = sessionsOf([r('4', 40, 's2', 'b'), r('1', 10, 's1', 'a'), r('3', 30, 's1', 'b'), r('2', 20, 's1', 'a', 'error'), r('5', 50, null, 'c')]);
    expect(s.map((x) => [x.sessionId, x.requests, x.errors, x.agents.join('>')])).to.deep.equal([
      [null, 1, 0, 'c'],
      ['s2', 1, 0, 'b'],
      ['s1', 3, 1, 'a>b'],
    ]);
  });
});

describe('<usage-drilldown-panel>', () => {
  it('lists exactly the requests of a time bucket (independent count), pages through them, is an accessible modal dialog', async () => {
    const snap = await loadSnapshot();
    const day = Math.floor((snap.end - 10 * DAY) / DAY) * DAY;
    const perDept = callsByDayAndDepartment(snap, day, day + DAY).get(day)!;
    const want = [...perDept.values()].reduce((a, b) => a + b, 0);
    const { el, opener } = await panel(await client());
    opener.focus();
    el.show(bucketDetail(day));
    await loaded(el);
    await elementUpdated(el);
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).to.equal(true);
    expect([dialog.getAttribute('role'), dialog.getAttribute('aria-modal')]).to.deep.equal(['dialog', 'true']);
    expect(text(el.shadowRoot!.querySelector('[part="title"]'))).to.equal(
      `Requests from ${iso(day).slice(0, 10)} 00:00 UTC to ${iso(day + DAY).slice(0, 10)} 00:00 UTC`,
    );
    expect(el.total).to.equal(want);
    expect(el.rows!.length).to.equal(Math.min(50, want));
    expect(el.rows!.every((r) => (r as { ts: number }).ts >= day && (r as { ts: number }).ts < day + DAY)).to.equal(true);
    expect(text(el.shadowRoot!.querySelector('[part="pager"] span'))).to.equal(
      `1–${Math.min(50, want)} of ${new Intl.NumberFormat('en-US').format(want)} requests`,
    );
    expect(deepActiveElement()?.getAttribute('part')).to.equal('close-button');
    await expect(el).to.be.accessible();
    if (want > 50) {
      const first = el.rows;
      el.shadowRoot!.querySelector<HTMLButtonElement>('.next')!.click();
      await waitUntil(() => el.page === 1 && el.rows && el.rows !== first, 'no page 2', LONG);
      expect((el.rows![0] as { total: number }).total).to.equal(want);
      const seen = el.rows!.length;
      expect(seen).to.equal(Math.min(50, want - 50));
    }
    // The department under the pointer narrows to that department's requests.
    const [dept, n] = [...perDept.entries()].sort((a, b) => b[1] - a[1])[0];
    el.show(bucketDetail(day, dept));
    await waitUntil(() => el.page === 0 && el.total === n, `not ${n} requests of ${dept}`, LONG);
  });

  it('Escape closes and focus returns to the opener; Tab stays inside the dialog', async () => {
    const snap = await loadSnapshot();
    const day = Math.floor((snap.end - 3 * DAY) / DAY) * DAY;
    const { el, opener } = await panel(await client());
    opener.focus();
    el.show(bucketDetail(day));
    await loaded(el);
    await elementUpdated(el);
    for (let i = 0; i < 25; i++) {
      if (i % 5 === 4) {
        await sendKeys({ down: 'Shift' });
        await sendKeys({ press: 'Tab' });
        await sendKeys({ up: 'Shift' });
      } else await sendKeys({ press: 'Tab' });
      expect(inPanel(el, deepActiveElement()), `Tab ${i} left the dialog`).to.equal(true);
    }
    await sendKeys({ press: 'Escape' });
    await elementUpdated(el);
    expect(el.open).to.equal(false);
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(false);
    expect(deepActiveElement()).to.equal(opener);
  });

  it('shows a user journey: sessions with their agent sequence as text chips, counts from the real snapshot', async () => {
    const c = await client();
    const top = await c.run((await import('@usage-analytics/queries')).topUsers, defaultFilters(), { limit: 1 });
    const userId = top[0].userId;
    const { el, opener } = await panel(c);
    opener.focus();
    el.show({ kind: 'user', userId, userName: top[0].userName, filters: defaultFilters({ userIds: [userId] }) });
    await loaded(el);
    await elementUpdated(el);
    expect(el.total).to.equal(top[0].calls);
    const rows = el.rows as UserJourneyRow[];
    expect(rows.every((r) => r.userId === userId)).to.equal(true);
    const sessions = el.shadowRoot!.querySelectorAll('[part="session"]');
    expect(sessions.length).to.equal(sessionsOf(rows).length);
    expect(sessions.length).to.be.greaterThan(0);
    expect(text(sessions[0].querySelector('.chip'))).to.equal(sessionsOf(rows)[0].agents[0]);
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!.click();
    await elementUpdated(el);
    expect(deepActiveElement()).to.equal(opener);
  });

  it('lists a segment’s users and "Save as segment" emits the segment’s filters', async () => {
    const { el } = await panel(await client());
    el.show({ kind: 'segment', segment: 'power', filters: defaultFilters() });
    await loaded(el);
    await elementUpdated(el);
    expect(el.total).to.be.greaterThan(0);
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')!.click());
    const ev = (await oneEvent(el, 'usage-request-save-segment')) as UsageRequestSaveSegmentEvent;
    expect(ev.bubbles && ev.composed).to.equal(true);
    expect(ev.detail).to.deep.equal({ source: 'segment', name: 'Power users', filters: { ...defaultFilters(), userSegments: ['power'] } });
  });

  it('lists a cohort cell’s users and "Save as segment" emits their ids', async () => {
    const snap = await loadSnapshot();
    const month = new Date(snap.end - 40 * DAY).toISOString().slice(0, 7);
    const { el } = await panel(await client());
    el.show({ kind: 'cohort-cell', cohortMonth: month, monthOffset: 0, filters: defaultFilters() });
    await loaded(el);
    await elementUpdated(el);
    const ids = (el.rows as { userId: string }[]).map((r) => r.userId);
    setTimeout(() => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="save-segment-button"]')?.click());
    expect(el.total, `users in cohort ${month}, month 0`).to.be.greaterThan(0);
    const ev = (await oneEvent(el, 'usage-request-save-segment')) as UsageRequestSaveSegmentEvent;
    expect(ev.detail.source).to.equal('cohort-cell');
    expect(ev.detail.userIds!.length).to.equal(el.total);
    expect(ev.detail.userIds!.slice(0, ids.length)).to.deep.equal(ids);
  });

  it('renders hostile agent and session names as inert text, and query errors as an alert', async () => {
    const hostile = '<img src=x onerror="window.__pwned=1">' + 'x'.repeat(200) + ' وكيل';
    const rows = [{ requestId: 'r1', ts: Date.UTC(2026, 1, 1), userId: 'u', sessionId: hostile, agentId: hostile, status: 'success', total: 1 }];
    const { el } = await panel({ run: async () => rows, precomputed: () => undefined });
    el.show({ kind: 'user', userId: hostile, filters: defaultFilters() });
    await loaded(el);
    await elementUpdated(el);
    expect(text(el.shadowRoot!.querySelector('.chip'))).to.equal(hostile);
    expect(text(el.shadowRoot!.querySelector('[part="title"]'))).to.equal(`Journey of user ${hostile}`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();

    const bad = await panel({ run: async () => Promise.reject(new Error('nope')), precomputed: () => undefined });
    bad.el.show({ kind: 'segment', segment: 'new', filters: defaultFilters() });
    await waitUntil(() => bad.el.shadowRoot!.querySelector('[role="alert"]'), 'no alert');
    expect(text(bad.el.shadowRoot!.querySelector('[role="alert"]'))).to.contain('nope');
  });

  it('keeps the title of a 10,000-character user’s journey (real snapshot, user renamed) to two lines, the whole name in its tooltip', async () => {
    const real = await client();
    const [top] = await real.run(topUsers, defaultFilters(), { limit: 1 });
    const hostile = `<img src=x onerror="window.__pwned=1">${'\u05E9y'.repeat(4981)}`;
    expect(hostile.length).to.equal(10_000);
    const renamed = await UsageDataClient.open({
      source: await renamedSnapshot({ users: { [top.userId]: hostile } }),
      connector: new WasmBrowserConnector({ bundleBase: BUNDLES }),
    });
    try {
      const { el } = await panel(renamed);
      el.show({ kind: 'user', userId: hostile, filters: defaultFilters({ userIds: [hostile] }) });
      await loaded(el);
      await elementUpdated(el);
      expect(el.total, 'the renamed user has the original’s requests').to.equal(top.calls);
      const title = el.shadowRoot!.querySelector<HTMLElement>('[part="title"]')!;
      expect(title.title === `Journey of user ${hostile}`, 'the whole title is in the tooltip').to.equal(true);
      expect(text(title) === `Journey of user ${hostile}`, 'the whole name stays in the DOM for screen readers').to.equal(true);
      expect(title.getBoundingClientRect().height).to.be.at.most(2 * 1.5 * parseFloat(getComputedStyle(title).fontSize));
      const dialog = el.shadowRoot!.querySelector('dialog')!;
      expect(dialog.scrollWidth).to.be.at.most(dialog.clientWidth);
      expect(el.shadowRoot!.querySelectorAll('[part="session"]').length).to.be.greaterThan(0);
      expect(el.shadowRoot!.querySelector('img, script')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
      await expect(el).to.be.accessible();
      el.close();
    } finally {
      await renamed.close();
    }
  });
});
