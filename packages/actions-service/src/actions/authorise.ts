/**
 * The server-side check every action runs first: the role (the PRD's "Who can perform it") and the
 * scope (the caller's departments must cover the agent's or the department acted on). A refusal is
 * audited and answered 403 with the reason; the UI hiding a button is never the check.
 */
import { ACTION_BY_KEY, ROLE_LABELS, coversDepartment, mayPerform, type Role } from '@usage-analytics/actions';
import { audit } from '../audit.js';
import type { Actor } from '../auth.js';
import type { Queryable } from '../db.js';
import { HttpError } from '../errors.js';

export interface Caller {
  actor: Actor;
}

export interface ScopeTarget {
  agentId?: string;
  /** The department the target belongs to (an agent's owner, a segment's department); null = none known. */
  department?: string | null;
  /** The action acts on every department (fleet-wide, global). */
  fleet?: boolean;
  /** The action acts on the caller's own departments (a department filter left empty): the token must name one. */
  own?: boolean;
}

export async function authorise(q: Queryable, caller: Caller, action: string, target: ScopeTarget): Promise<void> {
  const spec = ACTION_BY_KEY.get(action);
  if (!spec) throw new HttpError(404, 'not_found', `no action "${action}"`);
  const { actor } = caller;
  let reason: string | undefined;
  if (!mayPerform(actor.roles, spec)) {
    const who = spec.roles.map((r) => ROLE_LABELS[r as Role]).join(', ');
    reason = `${spec.name} (${spec.id}) may be performed by ${who}; your roles: ${actor.roles.map((r) => ROLE_LABELS[r as Role] ?? r).join(', ') || 'none'}`;
  } else if (target.fleet && !actor.departments.includes('*')) {
    reason = `${spec.name} at fleet scope needs every department; yours: ${actor.departments.join(', ') || 'none'}`;
  } else if (target.own && actor.departments.length === 0) {
    reason = `${spec.name} without a department acts on your departments, and your token names none`;
  } else if ('department' in target && !coversDepartment(actor.departments, target.department)) {
    reason = `${target.agentId ? `agent "${target.agentId}" belongs to` : 'the target is in'} department "${target.department ?? 'none'}", not one of yours (${actor.departments.join(', ') || 'none'})`;
  }
  if (reason) {
    await audit(q, { actor, action, target: target.agentId ?? target.department ?? (target.fleet ? '*' : null), outcome: 'denied', status: 403, reason });
    throw new HttpError(403, 'forbidden', reason);
  }
}
