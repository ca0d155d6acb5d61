// axe on every story of the action dialogs (against the real actions service): see helpers/stories.ts.
// The stories files are split over stories-a11y*.test.ts so that each file stays well within the
// runner's time limit per file; scripts/stories.test.ts checks that every stories file is in one.
import { axeEveryStory } from './helpers/stories.js';

await axeEveryStory('the action dialogs', {
  'action-capacity-alert': () => import('../../../stories/action-capacity-alert.stories.js'),
  'action-create-segment': () => import('../../../stories/action-create-segment.stories.js'),
  'action-export-users': () => import('../../../stories/action-export-users.stories.js'),
  'action-promote-agent': () => import('../../../stories/action-promote-agent.stories.js'),
  'action-request-quota': () => import('../../../stories/action-request-quota.stories.js'),
  actions: () => import('../../../stories/actions.stories.js'),
});
