/**
 * The charts `<usage-analytics>` lays out, in PRD order. A slot is rendered only once its tag is
 * registered (`customElements.get(tag)`), so the tab grows as chart elements are loaded.
 */
export interface ChartSlot {
  /** PRD chart id, e.g. `2.1`. */
  id: string;
  /** The chart's custom element tag. */
  tag: string;
  title: string;
  /** Spans two grid columns on wide screens. */
  wide?: boolean;
}

export const CHART_SLOTS: readonly ChartSlot[] = [
  { id: '2.1', tag: 'usage-api-calls', title: 'Total API Calls', wide: true },
  { id: '2.2', tag: 'usage-unique-users', title: 'Unique Users' },
  { id: '2.3', tag: 'usage-active-agents', title: 'Active Agents' },
  { id: '2.4', tag: 'usage-calls-per-user', title: 'Calls per User' },
  { id: '2.5', tag: 'usage-calls-over-time', title: 'API Calls Over Time', wide: true },
  { id: '2.6', tag: 'usage-agent-distribution', title: 'Agent Distribution' },
  { id: '2.7', tag: 'usage-top-users', title: 'Top Users', wide: true },
  { id: '2.8', tag: 'usage-intent-matrix', title: 'Intent Distribution Matrix', wide: true },
  { id: '2.9', tag: 'usage-retention-cohorts', title: 'User Retention Cohorts', wide: true },
  { id: '2.10', tag: 'usage-adoption-curve', title: 'Agent Adoption Curve' },
  { id: '2.11', tag: 'usage-journey-sankey', title: 'User Journey', wide: true },
  { id: '2.12', tag: 'usage-forecast', title: 'Usage Forecast', wide: true },
  { id: '2.13', tag: 'usage-capacity-gauges', title: 'Capacity' },
  { id: '2.14', tag: 'usage-dependency-graph', title: 'Agent Dependency Graph' },
  { id: '2.15', tag: 'usage-geo-map', title: 'Geographic Usage', wide: true },
  { id: '2.16', tag: 'usage-time-heatmap', title: 'Time Heatmap', wide: true },
];

/** A custom element tag: lowercase, starts with a letter, has a hyphen (nothing else gets near `unsafeStatic`). */
export const isValidTag = (tag: string): boolean => /^[a-z][a-z0-9._]*-[a-z0-9._-]*$/.test(tag);
