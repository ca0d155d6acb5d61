// axe on every story of the provider, filter bar, KPI cards, frame, chart filters, table, agent detail and drill-down panel: see helpers/stories.ts.
// The stories files are split over stories-a11y*.test.ts so that each file stays well within the
// runner's time limit per file; scripts/stories.test.ts checks that every stories file is in one.
import { axeEveryStory } from './helpers/stories.js';

await axeEveryStory('shared elements', {
  'usage-agent-detail': () => import('../../../stories/usage-agent-detail.stories.js'),
  'usage-chart-filters': () => import('../../../stories/usage-chart-filters.stories.js'),
  'usage-chart-frame': () => import('../../../stories/usage-chart-frame.stories.js'),
  'usage-data-table': () => import('../../../stories/usage-data-table.stories.js'),
  'usage-drilldown-panel': () => import('../../../stories/usage-drilldown-panel.stories.js'),
  'usage-filter-bar': () => import('../../../stories/usage-filter-bar.stories.js'),
  'usage-kpi-cards': () => import('../../../stories/usage-kpi-cards.stories.js'),
  'usage-provider': () => import('../../../stories/usage-provider.stories.js'),
});
