/**
 * The tab's level (PRD "Multi-Level Structure") and the event that changes it.
 *
 * - Level 1, `fleet`: everything across the organisation (under the shared filters).
 * - Level 2, `compare`: a filtered subset compared along one dimension (departments A vs B, up to
 *   5; agent versions 2.0 vs 1.9; production vs staging; intents).
 * - Level 3, `agent`: one agent's detail.
 */

/** Dimensions a Level 2 comparison can split by (a subset of the query modules' `Dimension`). */
export const COMPARE_DIMENSIONS = ['department', 'environment', 'agent_version', 'intent', 'provider'] as const;
export type CompareDimension = (typeof COMPARE_DIMENSIONS)[number];

/** At most this many keys are compared side by side (PRD: "Compare up to 5 departments"). */
export const MAX_COMPARED = 5;

export type UsageLevel =
  | { kind: 'fleet' }
  | {
      kind: 'compare';
      by: CompareDimension;
      /**
       * The keys compared. Absent: the values selected in the matching filter (departments,
       * environments, intents, providers). Required for `agent_version`, which has no filter.
       */
      values?: string[];
    }
  | { kind: 'agent'; agentId: string };

export const FLEET: UsageLevel = Object.freeze({ kind: 'fleet' }) as UsageLevel;

export interface UsageLevelChangeDetail {
  level: UsageLevel;
}

/**
 * Fired by `<usage-analytics>` after its level changed (bubbles, composed). Elements inside the tab
 * (and `<usage-filter-bar>`'s "Compare" hint) fire it to ask for a level; the tab applies the
 * request and fires its own.
 */
export type UsageLevelChangeEvent = CustomEvent<UsageLevelChangeDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-level-change': UsageLevelChangeEvent;
  }
}
