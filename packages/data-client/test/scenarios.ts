/** Filter scenarios over the main dataset: every filter, presets, custom and empty ranges, combinations. */
import { defaultFilters, normaliseSegmentCriteria, type SavedSegmentFilter, type UsageFilters } from '@usage-analytics/queries';

const all = (over: Partial<UsageFilters> = {}): UsageFilters => defaultFilters({ agentStatuses: [], environments: [], ...over });

const saved = (id: string, criteria: unknown): SavedSegmentFilter => ({ id, name: `<b>${id}</b>`, criteria: normaliseSegmentCriteria(criteria) });

export const SCENARIOS: [string, UsageFilters][] = [
  ['all, 30d', all()],
  ['PRD defaults (30d, active, production)', defaultFilters()],
  ['90d', all({ timeRange: { preset: '90d' } })],
  ['7d', all({ timeRange: { preset: '7d' } })],
  ['24h (hour buckets)', all({ timeRange: { preset: '24h' } })],
  ['1h', all({ timeRange: { preset: '1h' } })],
  ['custom across a month boundary', all({ timeRange: { preset: 'custom', start: '2026-01-20T06:30:00Z', end: '2026-02-05T18:00:00Z' } })],
  ['custom whole month (dates)', all({ timeRange: { preset: 'custom', start: '2026-02-01', end: '2026-03-01' } })],
  ['custom 36h (hour buckets, month boundary)', all({ timeRange: { preset: 'custom', start: '2026-02-28T06:00:00', end: '2026-03-01T18:00:00' } })],
  ['empty range (before the data)', all({ timeRange: { preset: 'custom', start: '2024-01-01', end: '2024-02-01' } })],
  ['departments with quote and unicode', all({ departments: ["o'brien ops", '研究开发'] })],
  ['agent statuses beta + deprecated', all({ agentStatuses: ['beta', 'deprecated'], timeRange: { preset: '90d' } })],
  ['intent code_gen', all({ intents: ['code_gen'] })],
  ['segments power + new', all({ userSegments: ['power', 'new'] })],
  ['segment dormant, 90d', all({ userSegments: ['dormant'], timeRange: { preset: '90d' } })],
  ['environments staging + development', all({ environments: ['staging', 'development'] })],
  ['provider anthropic', all({ providers: ['anthropic'] })],
  ['agent ids (one with a quote)', all({ agentIds: ["a05-o'reilly", 'a02-code'] })],
  ['user ids (one unknown)', all({ userIds: ['u001', 'u012', 'nobody'] })],
  ['request statuses error + timeout', all({ requestStatuses: ['error', 'timeout'] })],
  ['model family claude-3', all({ modelFamilies: ['claude-3'] })],
  [
    'saved segment (≥ 20 requests in 30 d, any of two agents)',
    all({ savedSegments: [saved('heavy', { requests: { min: 20 }, agents: { ids: ['a01-support', 'a02-code'] } })] }),
  ],
  [
    'two saved segments (union) and segment power, 90d',
    all({
      timeRange: { preset: '90d' },
      userSegments: ['power', 'regular'],
      savedSegments: [
        saved('recent-power', { windowDays: 7, engagement: ['power'], lastActiveWithinDays: 3 }),
        saved('sales-both', { windowDays: 90, departments: ['sales', "o'brien ops"], agents: { ids: ['a01-support', 'a02-code'], mode: 'all' } }),
      ],
    }),
  ],
  [
    'combination, 90d',
    all({ departments: ['engineering', 'sales'], environments: ['production'], intents: ['code_gen', 'analysis'], timeRange: { preset: '90d' } }),
  ],
];

/** Scenarios on which parameter variants of a module run too (the base case runs on every scenario). */
export const VARIANT_SCENARIOS = new Set([
  'all, 30d',
  'PRD defaults (30d, active, production)',
  '24h (hour buckets)',
  'empty range (before the data)',
  'segments power + new',
  'saved segment (≥ 20 requests in 30 d, any of two agents)',
  'agent ids (one with a quote)',
  'combination, 90d',
]);
