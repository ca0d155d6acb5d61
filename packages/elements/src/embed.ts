/**
 * The one-script embed: `usage-analytics.js` in the CDN folder that `SITE=embed pnpm build` writes
 * (packages/elements/cdn/: this script, `chunks/`, `duckdb/`). A plain page needs only
 *
 *   <script type="module" src="https://host/any/path/usage-analytics.js"></script>
 *   <usage-analytics src="https://host/snapshots/manifest.json"></usage-analytics>
 *
 * It registers `<usage-analytics>`, `<usage-provider>`, the filter bar, the KPI cards and the
 * dialogs at once (first paint), then every chart element from lazy chunks (the tab shows each
 * chart as its element registers). The DuckDB-WASM files load from `duckdb/` next to this script,
 * wherever it is served from (`import.meta.url`); to load them from elsewhere, in order of precedence:
 * the `bundle-base` attribute on an element, {@link setBasePath} (or the `data-usage-base`
 * attribute on the script tag), the folder of this script.
 */
import { setBundleBase } from '@usage-analytics/data-client';
import './components/analytics/analytics.js';

/** Where the embed's assets (`duckdb/`, `chunks/`) are, unless set: the folder of this script. */
const here = new URL('./', import.meta.url);

/**
 * Sets the folder that holds the embed's `duckdb/` folder (the CDN folder's root, e.g.
 * `https://cdn.example.com/usage-analytics/1.0.0/`). Relative URLs resolve against the page.
 * Call it before the first element starts its engine (any time before the first query: the folder
 * is read when the engine starts). An element's own `bundle-base` still wins.
 */
export function setBasePath(url: string | URL): void {
  const base = new URL(String(url), document.baseURI);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  basePath = base;
  setBundleBase(new URL('duckdb/', base));
}

/** The folder set by {@link setBasePath}, else the folder of this script. */
export function getBasePath(): string {
  return basePath.href;
}

let basePath = here;
setBasePath(document.querySelector<HTMLScriptElement>('script[data-usage-base]')?.dataset.usageBase || here);

/** The chart elements, each in its own lazy chunk, in the tab's order (PRD 2.1–2.16). */
const CHARTS: readonly (() => Promise<unknown>)[] = [
  () => import('./components/api-calls/api-calls.js'),
  () => import('./components/unique-users/unique-users.js'),
  () => import('./components/active-agents/active-agents.js'),
  () => import('./components/calls-per-user/calls-per-user.js'),
  () => import('./components/calls-over-time/calls-over-time.js'),
  () => import('./components/agent-distribution/agent-distribution.js'),
  () => import('./components/top-users/top-users.js'),
  () => import('./components/intent-matrix/intent-matrix.js'),
  () => import('./components/retention-cohorts/retention-cohorts.js'),
  () => import('./components/adoption-curve/adoption-curve.js'),
  () => import('./components/journey-sankey/journey-sankey.js'),
  () => import('./components/forecast/forecast.js'),
  () => import('./components/capacity-gauges/capacity-gauges.js'),
  () => import('./components/dependency-graph/dependency-graph.js'),
  () => import('./components/geo-map/geo-map.js'),
  () => import('./components/time-heatmap/time-heatmap.js'),
];

/**
 * Resolves once every chart element is registered; rejects (and logs) when a chunk cannot be
 * loaded, naming the folder it was expected in.
 */
export const chartsReady: Promise<void> = Promise.all(CHARTS.map((load) => load())).then(
  () => undefined,
  (e: unknown) => {
    const error = new Error(`usage-analytics: a chart's code could not be loaded from ${new URL('chunks/', here).href} (${(e as Error)?.message ?? e})`, {
      cause: e,
    });
    console.error(error.message);
    throw error;
  },
);
chartsReady.catch(() => undefined); // reported above; a host may also await it
