// axe on every story of the charts (2.x), second half: see helpers/stories.ts.
// The stories files are split over stories-a11y*.test.ts so that each file stays well within the
// runner's time limit per file; scripts/stories.test.ts checks that every stories file is in one.
import { axeEveryStory } from './helpers/stories.js';

await axeEveryStory('the charts, second half', {
  'usage-forecast': () => import('../../../stories/usage-forecast.stories.js'),
  'usage-geo-map': () => import('../../../stories/usage-geo-map.stories.js'),
  'usage-intent-matrix': () => import('../../../stories/usage-intent-matrix.stories.js'),
  'usage-journey-sankey': () => import('../../../stories/usage-journey-sankey.stories.js'),
  'usage-retention-cohorts': () => import('../../../stories/usage-retention-cohorts.stories.js'),
  'usage-time-heatmap': () => import('../../../stories/usage-time-heatmap.stories.js'),
  'usage-top-users': () => import('../../../stories/usage-top-users.stories.js'),
  'usage-unique-users': () => import('../../../stories/usage-unique-users.stories.js'),
});
