// axe on every story of the whole tab (<usage-analytics>, every story on the real snapshot): see helpers/stories.ts.
// The stories files are split over stories-a11y*.test.ts so that each file stays well within the
// runner's time limit per file; scripts/stories.test.ts checks that every stories file is in one.
import { axeEveryStory } from './helpers/stories.js';

await axeEveryStory('the whole tab', {
  'usage-analytics': () => import('../../../stories/usage-analytics.stories.js'),
});
