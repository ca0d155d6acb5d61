// axe on every story of the charts (2.x): see helpers/stories.ts.
// The stories files are split over stories-a11y*.test.ts so that each file stays well within the
// runner's time limit per file; scripts/stories.test.ts checks that every stories file is in one.
import { axeEveryStory } from './helpers/stories.js';

await axeEveryStory('the charts', {
  'usage-active-agents': () => import('../../../stories/usage-active-agents.stories.js'),
  'usage-adoption-curve': () => import('../../../stories/usage-adoption-curve.stories.js'),
  'usage-agent-distribution': () => import('../../../stories/usage-agent-distribution.stories.js'),
  'usage-api-calls': () => import('../../../stories/usage-api-calls.stories.js'),
  'usage-calls-over-time': () => import('../../../stories/usage-calls-over-time.stories.js'),
  'usage-calls-per-user': () => import('../../../stories/usage-calls-per-user.stories.js'),
  'usage-capacity-gauges': () => import('../../../stories/usage-capacity-gauges.stories.js'),
  'usage-dependency-graph': () => import('../../../stories/usage-dependency-graph.stories.js'),
  'usage-forecast': () => import('../../../stories/usage-forecast.stories.js'),
  'usage-geo-map': () => import('../../../stories/usage-geo-map.stories.js'),
  'usage-intent-matrix': () => import('../../../stories/usage-intent-matrix.stories.js'),
  'usage-journey-sankey': () => import('../../../stories/usage-journey-sankey.stories.js'),
  'usage-retention-cohorts': () => import('../../../stories/usage-retention-cohorts.stories.js'),
  'usage-time-heatmap': () => import('../../../stories/usage-time-heatmap.stories.js'),
  'usage-top-users': () => import('../../../stories/usage-top-users.stories.js'),
  'usage-unique-users': () => import('../../../stories/usage-unique-users.stories.js'),
});
