import type { IntensityBand, JourneyAnchor, Kpis, UsageFilters, UserSegment } from '@usage-analytics/queries';

/** A KPI card was activated (click, Enter or Space). */
export interface KpiDrilldown {
  kind: 'kpi';
  /** Which KPI: `totalCalls`, `uniqueUsers`, `activeAgents` or `avgCallsPerUser`. */
  metric: keyof Kpis;
  /** A copy of the filters the value was computed under. */
  filters: UsageFilters;
}

/** A department was chosen (legend "View", a department cell): open that department's view. */
export interface DepartmentDrilldown {
  kind: 'department';
  department: string;
  /** The filters of the chart with `departments` narrowed to this one. */
  filters: UsageFilters;
}

/** A data point of a time series was activated: the requests of that time bucket. */
export interface TimeBucketDrilldown {
  kind: 'time-bucket';
  /** Bucket start and end (exclusive), ISO 8601 UTC, clipped to the filter's time range. */
  bucketStart: string;
  bucketEnd: string;
  bucket: 'hour' | 'day';
  /** The series under the pointer (e.g. the department band), when there was one. */
  department?: string;
  /** The filters that select the requests behind the point (custom time range = the bucket). */
  filters: UsageFilters;
}

/** A cell of the intent matrix: the agents and requests of a department and an intent. */
export interface IntentCellDrilldown {
  kind: 'intent-cell';
  department: string;
  intent: string;
  /** The chart's filters narrowed to `departments: [department]`, `intents: [intent]`. */
  filters: UsageFilters;
}

/** An intent (a column of the intent matrix): the intent analysis. */
export interface IntentDrilldown {
  kind: 'intent';
  intent: string;
  /** The chart's filters narrowed to `intents: [intent]`. */
  filters: UsageFilters;
}

/** A retention cohort cell: the users of the cohort active in month `cohortMonth + monthOffset`. */
export interface CohortCellDrilldown {
  kind: 'cohort-cell';
  /** 'YYYY-MM' (UTC month of first_seen_at). */
  cohortMonth: string;
  /** Months since the cohort month (0 = the cohort month). */
  monthOffset: number;
  /** The chart's filters (the time range does not apply to cohorts; `usersInCohortCell` takes these). */
  filters: UsageFilters;
}

/** An agent was chosen (a chart mark, a table row): open the agent detail level. */
export interface AgentDrilldown {
  kind: 'agent';
  agentId: string;
  filters?: UsageFilters;
}

/** A user segment (chart 2.2): the list of the segment's users with their activity. */
export interface SegmentDrilldown {
  kind: 'segment';
  segment: UserSegment;
  /** The chart's filters with `userSegments: [segment]`. */
  filters: UsageFilters;
}

/** A status row, or a status × usage-intensity cell, of the agent portfolio (chart 2.3): the agent list. */
export interface AgentStatusDrilldown {
  kind: 'agent-status';
  status: string;
  /** The usage-intensity band of the cell (absent for the whole status row). */
  band?: IntensityBand;
  /** The chart's filters with `agentStatuses: [status]`. */
  filters: UsageFilters;
}

/** An anomaly marker was activated (chart 2.5): the day's likely causes and its requests. */
export interface AnomalyDrilldown {
  kind: 'anomaly';
  /** The anomalous UTC day, `YYYY-MM-DD`. */
  date: string;
  /** The chart's filters with the time range narrowed to that day. */
  filters: UsageFilters;
}

/** A user was chosen (2.7 top users): that user's journey (recent sessions and requests). */
export interface UserDrilldown {
  kind: 'user';
  userId: string;
  /** PII: the display name when known (render as text). */
  userName?: string | null;
  /** The chart's filters with `userIds: [userId]`. */
  filters: UsageFilters;
}

/** A cell of the time-of-day heatmap (chart 2.16): the requests of that weekday and hour in `timeZone`. */
export interface HourWeekdayDrilldown {
  kind: 'hour-weekday';
  /** ISO weekday 1 = Monday … 7 = Sunday, in `timeZone`. */
  weekday: number;
  /** 0–23, in `timeZone`. */
  hour: number;
  /** IANA time zone the chart showed (`UTC` when switched to UTC). */
  timeZone: string;
  /** The chart's filters (`requestsInHourWeekday` takes these). */
  filters: UsageFilters;
}

/** A bar of the calls-per-user histogram (chart 2.4), or its outliers: the users with min ≤ window calls < max. */
export interface CallRangeDrilldown {
  kind: 'call-range';
  /** Inclusive lower bound (calls in the window). */
  min: number;
  /** Exclusive upper bound, null for no upper bound. */
  max: number | null;
  /** The chart's filters (`usersByCallRange` takes these with `{min, max}`). */
  filters: UsageFilters;
}

/**
 * A link of the journey Sankey (chart 2.11), or one of its other / exit / continues nodes: the sessions
 * that made that transition, left at that step or passed that node, under the chart's view (`steps`, `topN`, `anchor` — so "other" selects the same agents);
 * `journeySessions` / `journeyLinkUsers` take these fields as params.
 */
export interface JourneyLinkDrilldown {
  kind: 'journey-link';
  /** The source node's step (1-based column). */
  step: number;
  /** The source agent; null = the step's "other" node. */
  source: string | null;
  /** A whole exit or continues node: any source at `step`. */
  anySource?: boolean;
  /**
   * Into an agent at step + 1 (`target` = its id, null = that step's "other"), into the exit node
   * (`target` null = any reason), continues, or `through`: every session at the source node (an "other" node).
   */
  targetKind: 'agent' | 'exit' | 'continues' | 'through';
  target: string | null;
  /** The link's name as the chart shows it, e.g. "a01-support at step 2 → exit". */
  label: string;
  /** Sessions on the link when it was clicked. */
  sessions: number;
  steps: number;
  topN: number;
  anchor: JourneyAnchor | null;
  /** The chart's filters. */
  filters: UsageFilters;
}

/** A capacity gauge (chart 2.13): the utilisation over time of one resource in one environment. */
export interface CapacityResourceDrilldown {
  kind: 'capacity-resource';
  /** `api_rate_limit`, `compute`, `memory`, `tokens_per_min` (as in the snapshot). */
  resourceType: string;
  environment: string;
  /** The chart's filters (`capacitySeries` takes these with `{resourceType}`; keep `environment`'s points). */
  filters: UsageFilters;
}

/** A place on the geographic map (chart 2.15): a country, a city in it, or the Unknown bucket — the users there. */
export interface GeoDrilldown {
  kind: 'geo';
  /** ISO 3166-1 alpha-2 as in the data, or 'Unknown' for requests without a country. */
  country: string;
  /** English name of the country ('Unknown location' for the bucket). */
  countryName: string;
  /** With `city`: the city's region ('Unknown' = none). */
  region?: string;
  city?: string;
  /** The place's figures as the chart showed them (share = % of the window's requests). */
  stats: { requests: number; users: number; avgLatencyMs: number; share: number };
  /** The chart's filters (`usersInPlace` takes these with `{country, region, city}`). */
  filters: UsageFilters;
}

/** An edge of the agent dependency graph (chart 2.14): the requests `source` made to `target`. */
export interface AgentCallDrilldown {
  kind: 'agent-call';
  /** The calling agent (`calling_agent_id`). */
  source: string;
  /** The called agent (`agent_id`). */
  target: string;
  /** The chart's filters (`callsBetweenAgents` takes these; it ignores `agentIds`). */
  filters: UsageFilters;
}

/** What was drilled into; a union that grows with each chart (`kind` tells them apart). */
export type UsageDrilldownDetail =
  | KpiDrilldown
  | DepartmentDrilldown
  | TimeBucketDrilldown
  | IntentCellDrilldown
  | IntentDrilldown
  | CohortCellDrilldown
  | AgentDrilldown
  | SegmentDrilldown
  | AgentStatusDrilldown
  | AnomalyDrilldown
  | UserDrilldown
  | HourWeekdayDrilldown
  | CallRangeDrilldown
  | JourneyLinkDrilldown
  | CapacityResourceDrilldown
  | GeoDrilldown
  | AgentCallDrilldown;

/** Emitted when the user asks for the detail behind a figure. Bubbles and is composed. */
export type UsageDrilldownEvent = CustomEvent<UsageDrilldownDetail>;

declare global {
  interface HTMLElementEventMap {
    'usage-drilldown': UsageDrilldownEvent;
  }
}
