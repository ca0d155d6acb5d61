/**
 * The PRD's twelve actions (Table 3), who may perform each ("Who Can Perform It") and at what scope.
 * The service enforces this table on every call; the elements read it only to hide what a role
 * cannot do. One table, imported by both sides, so they cannot disagree.
 */

/** The PRD's personas and the roles its action table names. */
export const ROLES = [
  'product_manager',
  'director_ai_ml',
  'engineering_manager',
  'business_analyst',
  'customer_success',
  'platform_architect',
  'devops',
  'finance',
  'engineer',
  'ml_engineer',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** How the PRD names each role (for messages and the UI). */
export const ROLE_LABELS: Record<Role, string> = {
  product_manager: 'Product Manager',
  director_ai_ml: 'Director AI/ML',
  engineering_manager: 'Engineering Manager',
  business_analyst: 'Business Analyst',
  customer_success: 'Customer Success',
  platform_architect: 'Platform Architect',
  devops: 'DevOps',
  finance: 'Finance',
  engineer: 'Engineer',
  ml_engineer: 'ML Engineer',
  admin: 'Admin',
};

/**
 * What an action acts on, which decides the department check:
 * - `agent`: one agent; the caller's departments must include the agent's department;
 * - `department-or-fleet`: a department (must be the caller's) or, without one, the fleet (the caller must hold every department, `*`);
 * - `global-or-agent`: an agent (its department must be the caller's) or global (`*` needed);
 * - `global-or-environment`: infrastructure (capacity): a rule for one environment needs no particular department; a rule over every environment needs the whole fleet (`*`);
 * - `filtered`: the current filters; a department filter must be within the caller's departments, none means theirs only.
 */
export type ActionScope = 'agent' | 'department-or-fleet' | 'global-or-agent' | 'global-or-environment' | 'filtered';

export interface ActionSpec {
  /** The PRD's id, A2.1–A2.12. */
  readonly id: string;
  /** The URL and tag name part: `/v1/actions/<key>`, `<usage-action-<key>>`. */
  readonly key: string;
  readonly name: string;
  readonly priority: 'P0' | 'P1' | 'P2';
  readonly roles: readonly Role[];
  readonly scope: ActionScope;
}

/** Table 3 of the PRD, verbatim in roles and scope. */
export const ACTIONS = [
  { id: 'A2.1', key: 'promote-agent', name: 'Promote agent', priority: 'P1', roles: ['product_manager', 'director_ai_ml'], scope: 'agent' },
  { id: 'A2.2', key: 'deprecate-agent', name: 'Deprecate agent', priority: 'P0', roles: ['director_ai_ml', 'engineering_manager'], scope: 'agent' },
  {
    id: 'A2.3',
    key: 'create-segment',
    name: 'Create user segment',
    priority: 'P1',
    roles: ['product_manager', 'business_analyst', 'customer_success'],
    scope: 'department-or-fleet',
  },
  {
    id: 'A2.4',
    key: 'export-users',
    name: 'Export user list',
    priority: 'P1',
    roles: ['engineering_manager', 'customer_success', 'business_analyst'],
    scope: 'filtered',
  },
  {
    id: 'A2.5',
    key: 'capacity-alert',
    name: 'Set capacity threshold alert',
    priority: 'P0',
    roles: ['platform_architect', 'devops', 'engineering_manager'],
    scope: 'global-or-environment',
  },
  { id: 'A2.6', key: 'schedule-downtime', name: 'Schedule agent downtime', priority: 'P1', roles: ['devops', 'engineering_manager'], scope: 'agent' },
  { id: 'A2.7', key: 'clone-agent', name: 'Clone agent configuration', priority: 'P2', roles: ['engineer', 'ml_engineer', 'product_manager'], scope: 'agent' },
  {
    id: 'A2.8',
    key: 'invite-user',
    name: 'Invite user to platform',
    priority: 'P1',
    roles: ['engineering_manager', 'customer_success', 'admin'],
    scope: 'department-or-fleet',
  },
  {
    id: 'A2.9',
    key: 'usage-report',
    name: 'Create usage report',
    priority: 'P1',
    roles: ['product_manager', 'business_analyst', 'director_ai_ml'],
    scope: 'filtered',
  },
  {
    id: 'A2.10',
    key: 'request-quota',
    name: 'Set agent request quota',
    priority: 'P0',
    roles: ['platform_architect', 'devops', 'finance'],
    scope: 'global-or-agent',
  },
  {
    id: 'A2.11',
    key: 'intent-rules',
    name: 'Configure intent tagging rules',
    priority: 'P2',
    roles: ['ml_engineer', 'product_manager'],
    scope: 'department-or-fleet',
  },
  { id: 'A2.12', key: 'auto-retry', name: 'Enable auto-retry', priority: 'P1', roles: ['devops', 'engineering_manager'], scope: 'global-or-agent' },
] as const satisfies readonly ActionSpec[];

export type ActionKey = (typeof ACTIONS)[number]['key'];

export const ACTION_BY_KEY: ReadonlyMap<string, ActionSpec> = new Map(ACTIONS.map((a) => [a.key, a]));

/** Roles that may see names and e-mail addresses in exports (A2.4, "RBAC (privacy controls)"). */
export const PII_ROLES: readonly Role[] = ['customer_success', 'admin'];

/** Whether any of `roles` may perform `action` (the role half of the check; the scope half needs the target). */
export function mayPerform(roles: readonly string[], action: ActionKey | ActionSpec): boolean {
  const spec = typeof action === 'string' ? ACTION_BY_KEY.get(action) : action;
  if (!spec) return false;
  return roles.some((r) => (spec.roles as readonly string[]).includes(r));
}

/** Whether `departments` (from the token; `*` = all) cover `department`. */
export function coversDepartment(departments: readonly string[], department: string | null | undefined): boolean {
  if (departments.includes('*')) return true;
  return department != null && departments.includes(department);
}

/** The actions `roles` may perform, in the PRD's order. */
export function allowedActions(roles: readonly string[]): ActionKey[] {
  return ACTIONS.filter((a) => mayPerform(roles, a)).map((a) => a.key);
}
