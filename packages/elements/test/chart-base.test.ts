// What every chart gets from UsageChartElement: its frame's parts styled from outside with
// ::part(frame-*), and a Retry that re-runs every data task.
import { elementUpdated, expect, fixture, html, waitUntil } from '@open-wc/testing';
import { defaultFilters } from '@usage-analytics/queries';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';
import '../src/index.js';
import type UsageChartFrame from '../src/components/chart-frame/chart-frame.component.js';
import type { UsageChartElement } from '../src/internal/chart-element.js';
import { FRAME_PARTS, type FramePart } from '../src/internal/frame.js';
import { chartClient, makeCalls } from './helpers/chart-fakes.js';

const CHARTS = [
  'usage-api-calls',
  'usage-calls-over-time',
  'usage-unique-users',
  'usage-active-agents',
  'usage-top-users',
  'usage-intent-matrix',
  'usage-retention-cohorts',
  'usage-adoption-curve',
  'usage-time-heatmap',
  'usage-calls-per-user',
  'usage-agent-distribution',
  'usage-capacity-gauges',
  'usage-geo-map',
  'usage-dependency-graph',
  'usage-journey-sankey',
] as const;
/** Charts that are tables, not drawings: no Export PNG. */
const NO_PNG = new Set<string>(['usage-top-users']);

const frameOf = (el: Element) => el.shadowRoot!.querySelector('usage-chart-frame') as UsageChartFrame;

/**
 * Puts `frame` through every state it has (loading, empty, error, ready with an export running,
 * the data-table view) and calls `visit` with the frame after each, so every part exists once.
 */
async function everyState(frame: UsageChartFrame, visit: () => void): Promise<void> {
  visit(); // loading: the skeleton
  frame.state = 'empty';
  await elementUpdated(frame);
  visit();
  frame.error = { message: 'boom', code: 'query_failed', field: 'requests', retryable: true };
  frame.state = 'error';
  await elementUpdated(frame);
  visit();
  frame.state = 'ready';
  frame.rows = [{ calls: 1 }];
  frame.updatedAt = '2026-11-01T00:00:00Z';
  // An export in progress shows its <progress> bar (set as the export itself sets it).
  (frame as unknown as { progress: unknown }).progress = { phase: 'styles', fraction: 0.5 };
  await elementUpdated(frame);
  visit();
  frame.tableView = true;
  await elementUpdated(frame);
  visit();
}

describe('every chart exports the same frame parts', () => {
  for (const tag of CHARTS) {
    it(`<${tag}>::part(frame-*) styles each part of its frame from outside`, async () => {
      const style = document.createElement('style');
      // A property nothing else sets, so the rule is the only way it can have this value.
      style.textContent = FRAME_PARTS.map((p) => `${tag}::part(frame-${p}) { scroll-margin-top: 7px; }`).join('\n');
      document.head.append(style);
      try {
        const el = await fixture<UsageChartElement>(
          staticHtml`<${unsafeStatic(tag)} .client=${chartClient({})} .filters=${defaultFilters()}></${unsafeStatic(tag)}>`,
        );
        const frame = frameOf(el);
        expect(frame.getAttribute('exportparts')).to.equal(FRAME_PARTS.map((p) => `${p}:frame-${p}`).join(','));
        const seen = new Set<FramePart>();
        const unstyled = new Set<string>();
        await everyState(frame, () => {
          for (const p of FRAME_PARTS) {
            for (const node of frame.shadowRoot!.querySelectorAll(`[part~="${p}"]`)) {
              seen.add(p);
              if (getComputedStyle(node).scrollMarginTop !== '7px') unstyled.add(p);
            }
          }
        });
        const expected = FRAME_PARTS.filter((p) => !(NO_PNG.has(tag) && p === 'png-button'));
        expect([...seen].sort(), 'every frame part was shown').to.deep.equal([...expected].sort());
        expect([...unstyled], 'parts ::part(frame-*) did not reach').to.deep.equal([]);
      } finally {
        style.remove();
      }
    });
  }
});

describe('Retry', () => {
  it('re-runs every data task of a chart with several (series, forecast, heatmap and the colour domain)', async () => {
    const fail = () => Promise.reject(Object.assign(new Error('query failed: boom'), { code: 'query_failed' }));
    const client = chartClient({
      callsOverTime: (_f, _p, n) => (n === 0 ? fail() : makeCalls(30, ['engineering'], () => 5)),
      usageForecast: (_f, _p, n) => (n === 0 ? fail() : never()),
      hourWeekday: (_f, _p, n) => (n === 0 ? fail() : never()),
    });
    let dimensionCalls = 0;
    Object.assign(client, {
      dimensions: async () => {
        dimensionCalls += 1;
        if (dimensionCalls === 1) throw new Error('dimensions failed');
        return { departments: ['engineering'], intents: [], providers: [], modelFamilies: [], agentIds: [] };
      },
    });
    const div = await fixture<HTMLDivElement>(
      html`<div style="width: 800px"><usage-calls-over-time .client=${client} .filters=${defaultFilters()}></usage-calls-over-time></div>`,
    );
    const el = div.querySelector('usage-calls-over-time')!;
    await waitUntil(() => frameOf(el).state === 'error', 'no error state');
    await waitUntil(() => dimensionCalls === 1);
    const runs = (module: string) => client.runs.filter((r) => r.module === module).length;
    expect([runs('callsOverTime'), runs('usageForecast'), runs('hourWeekday'), dimensionCalls]).to.deep.equal([1, 1, 1, 1]);
    frameOf(el).shadowRoot!.querySelector<HTMLButtonElement>('[part="retry-button"]')!.click();
    await waitUntil(() => frameOf(el).state === 'ready', 'the retry did not load the series');
    await waitUntil(() => dimensionCalls === 2, 'the colour domain was not asked again');
    expect([runs('callsOverTime'), runs('usageForecast'), runs('hourWeekday'), dimensionCalls]).to.deep.equal([2, 2, 2, 2]);
  });
});

const never = <T>(): Promise<T> => new Promise<T>(() => undefined);
