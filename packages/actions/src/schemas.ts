/**
 * Request and response schemas of the actions API (zod 4), one module per action. The service
 * validates every request with them and publishes them as OpenAPI; the dialogs validate the same
 * fields with the same schemas before they send. Rules that need the clock or the registry are
 * functions beside them, run on both sides.
 */
export * from './schemas/common.js';
export * from './schemas/deprecate-agent.js';
export * from './schemas/promote-agent.js';
export * from './schemas/export-users.js';
export * from './schemas/request-quota.js';
export * from './schemas/create-segment.js';
export * from './schemas/capacity-alert.js';
export * from './schemas/registry.js';
