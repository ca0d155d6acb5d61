/** Every action's routes, registered by the app in the PRD's order. */
import { capacityAlertRoutes } from './capacity-alert.js';
import type { ActionRoutes } from './context.js';
import { createSegmentRoutes } from './create-segment.js';
import { deprecateAgentRoutes } from './deprecate-agent.js';
import { exportUsersRoutes } from './export-users.js';
import { promoteAgentRoutes } from './promote-agent.js';
import { requestQuotaRoutes } from './request-quota.js';

export const ACTION_ROUTES: readonly ActionRoutes[] = [
  promoteAgentRoutes,
  deprecateAgentRoutes,
  createSegmentRoutes,
  exportUsersRoutes,
  capacityAlertRoutes,
  requestQuotaRoutes,
];
