// axe on every story of the charts (2.x), first half (the rest: stories-a11y-charts.test.ts): see helpers/stories.ts.
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
});
