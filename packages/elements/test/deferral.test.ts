/**
 * Charts off screen do not re-query on filter changes (the engine runs one query at a time, so a
 * filter change costs only what one can see) and catch up when scrolled near; `eager` opts out.
 * `settled()` resolves once the chart shows the answer for its current inputs.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { defaultFilters, intentMatrix, type IntentMatrix, type UsageFilters } from '@usage-analytics/queries';
import '../src/index.js';
import type UsageIntentMatrix from '../src/components/intent-matrix/intent-matrix.component.js';
import { chartClient } from './helpers/chart-fakes.js';

const matrixFor = (filters: UsageFilters): IntentMatrix => {
  const d = filters.departments[0] ?? 'all';
  return intentMatrix.transform(
    [
      { department_id: d, intent_category: 'docs', requests: 10 },
      { department_id: d, intent_category: 'email', requests: 5 },
    ],
    undefined as never,
    undefined,
  );
};

/** Resolves after `ms`, or with the settled() result first. */
const raceTimeout = <T>(p: Promise<T>, ms: number) =>
  Promise.race([p.then(() => 'settled' as const), new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), ms))]);

async function page(eager = false) {
  let release: (() => void) | undefined;
  const gate = { hold: false };
  const client = chartClient({
    intentMatrix: (f) => (gate.hold ? new Promise<IntentMatrix>((res) => (release = () => res(matrixFor(f)))) : matrixFor(f)),
  });
  const root = await fixture<HTMLDivElement>(
    html`<div style="width: 700px">
      <usage-intent-matrix class="top" .client=${client} .filters=${defaultFilters()}></usage-intent-matrix>
      <div style="height: 4000px"></div>
      <usage-intent-matrix class="below" ?eager=${eager} .client=${client} .filters=${defaultFilters()}></usage-intent-matrix>
    </div>`,
  );
  const top = root.querySelector<UsageIntentMatrix>('.top')!;
  const below = root.querySelector<UsageIntentMatrix>('.below')!;
  await Promise.all([top.settled(), below.settled()]);
  return { root, top, below, client, gate, release: () => release?.() };
}

const departmentsShown = (el: UsageIntentMatrix) => el.data?.departments;

describe('charts off screen', () => {
  afterEach(() => window.scrollTo(0, 0));

  it('re-query only when near the viewport, and catch up when scrolled to', async () => {
    const { top, below, client } = await page();
    // Both painted the first time (first paint is never deferred).
    expect(departmentsShown(top)).to.deep.equal(['all']);
    expect(departmentsShown(below)).to.deep.equal(['all']);
    await waitUntil(() => (below as unknown as { nearViewport: boolean }).nearViewport === false, 'the lower chart was never seen as off screen');
    const before = client.runs.length;
    const sales = { ...defaultFilters(), departments: ['sales'] };
    top.filters = sales;
    below.filters = sales;
    await Promise.all([top.settled(), below.settled()]);
    expect(departmentsShown(top)).to.deep.equal(['sales']);
    expect(departmentsShown(below), 'off screen: still what it showed').to.deep.equal(['all']);
    expect(client.runs.slice(before).map((r) => r.filters.departments)).to.deep.equal([['sales']]);
    expect(below.deferred).to.equal(true);
    expect(below.activeFilters.departments, 'its drill-downs use the filters it shows').to.deep.equal([]);

    below.scrollIntoView();
    await waitUntil(() => departmentsShown(below)?.[0] === 'sales', 'the lower chart did not catch up when scrolled into view');
    expect(below.deferred).to.equal(false);
    expect(client.runs.slice(before).map((r) => r.filters.departments)).to.deep.equal([['sales'], ['sales']]);
  });

  it('`eager` charts re-query off screen too', async () => {
    const { below, client } = await page(true);
    await new Promise((r) => setTimeout(r, 100)); // the observer has reported
    const before = client.runs.length;
    below.filters = { ...defaultFilters(), departments: ['hr'] };
    await below.settled();
    expect(departmentsShown(below)).to.deep.equal(['hr']);
    expect(client.runs.length - before).to.equal(1);
  });
});

describe('settled()', () => {
  it('waits for the pending query and the paint, not longer', async () => {
    const { top, gate, release } = await page();
    gate.hold = true;
    top.filters = { ...defaultFilters(), departments: ['legal'] };
    expect(await raceTimeout(top.settled(), 300), 'settled while the query is pending').to.equal('timeout');
    const done = top.settled();
    release();
    expect(await raceTimeout(done, 5_000)).to.equal('settled');
    expect(departmentsShown(top)).to.deep.equal(['legal']);
    expect(top.layout, 'painted').to.not.equal(undefined);
    expect(top.shadowRoot!.querySelectorAll('g.cell').length).to.equal(2);
  });

  it('settles on an error state too', async () => {
    const client = chartClient({ intentMatrix: () => Promise.reject(new Error('boom')) });
    const el = await fixture<UsageIntentMatrix>(html`<usage-intent-matrix .client=${client}></usage-intent-matrix>`);
    expect(await raceTimeout(el.settled(), 5_000)).to.equal('settled');
    expect((el.shadowRoot!.querySelector('usage-chart-frame') as unknown as { state: string }).state).to.equal('error');
  });
});
