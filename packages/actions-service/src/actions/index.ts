/** Every action's routes, registered by the app in the PRD's order. */
import type { ActionRoutes } from './context.js';
import { deprecateAgentRoutes } from './deprecate-agent.js';
import { requestQuotaRoutes } from './request-quota.js';

export const ACTION_ROUTES: readonly ActionRoutes[] = [deprecateAgentRoutes, requestQuotaRoutes];
