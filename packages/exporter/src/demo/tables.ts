/** The small demo tables: agents, users, capacity, intent_rules (built in memory, written at the end). */
import { TABLES } from '@usage-analytics/queries';
import { TableBuilder, type DictBuilder, type NumberBuilder, type TimestampBuilder } from '../arrow-writer.js';
import type { Rng } from '../prng.js';
import { DEPARTMENTS, ENVIRONMENTS, INTENTS, MODELS } from './catalog.js';
import { DAY_US, type DemoAgent } from './agents.js';
import type { DemoUsers } from './users.js';
import type { GeneratorStats } from './generator.js';

export function agentsTable(agents: DemoAgent[]): TableBuilder {
  const b = new TableBuilder(TABLES.agents);
  for (const a of agents) {
    const m = MODELS[a.model];
    b.appendRow({
      agent_id: a.id,
      agent_name: a.name,
      agent_description: a.description,
      owner_team: a.ownerTeam,
      department_id: DEPARTMENTS[a.department].id,
      business_unit: DEPARTMENTS[a.department].businessUnit,
      agent_status: a.status,
      version: a.version,
      created_at: Math.floor(a.createdAt),
      last_deployed_at: a.lastDeployedAt === null ? null : Math.floor(a.lastDeployedAt),
      deprecation_date: a.deprecationDate === null ? null : Math.floor(a.deprecationDate),
      replacement_agent_id: a.replacement >= 0 ? agents[a.replacement].id : null,
      quality_score_avg: a.quality,
      // List price: typical tokens at the model's prices, rounded to 0.0001 USD.
      cost_per_request: Math.round(((1500 * m.priceIn + 450 * m.priceOut) / 1e6) * 1e4) / 1e4,
      max_requests_per_minute: a.quota,
      allowed_departments: a.allowedDepartments ? a.allowedDepartments.map((d) => DEPARTMENTS[d].id) : null,
      tags: a.tags,
      documentation_url: `https://docs.example.com/agents/${a.id}`,
      support_contact: `${a.ownerTeam}@example.com`,
    });
  }
  return b;
}

/** Users with at least one request in the period (or whose history starts before it). */
export function usersTable(users: DemoUsers, stats: GeneratorStats): TableBuilder {
  const b = new TableBuilder(TABLES.users, { department_id: DEPARTMENTS.map((d) => d.id) });
  const dept = b.builders.department_id as DictBuilder;
  const seen = b.builders.first_seen_at as TimestampBuilder;
  for (let u = 0; u < users.count; u++) {
    if (stats.userRequests[u] === 0) continue;
    (b.builders.user_id as { append(s: string): void }).append(users.ids[u]);
    (b.builders.user_name as { append(s: string | null): void }).append(users.names[u]);
    (b.builders.email as { append(s: string | null): void }).append(users.emails[u]);
    dept.appendIndex(stats.lastDept[u]);
    const prior = users.priorFirstSeen[u];
    seen.append(Number.isNaN(prior) ? stats.firstTs[u] : Math.min(prior, stats.firstTs[u]));
  }
  return b;
}

/** Resources: unit, thresholds, and demand as a function of requests/min and tokens/min (+ a base load). */
const RESOURCES = [
  { type: 'api_rate_limit', unit: 'req/min', warning: 0.75, critical: 0.9, base: 0.05, usage: (rpm: number) => rpm * 1.6 },
  { type: 'compute', unit: 'vCPU', warning: 0.7, critical: 0.85, base: 0.2, usage: (rpm: number) => rpm * 0.09 },
  { type: 'memory', unit: 'GiB', warning: 0.8, critical: 0.92, base: 0.45, usage: (rpm: number) => rpm * 0.2 },
  { type: 'tokens_per_min', unit: 'tokens/min', warning: 0.75, critical: 0.9, base: 0.05, usage: (_: number, tpm: number) => tpm * 1.5 },
] as const;

function quantile(values: Float64Array, q: number): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Rounds up to 3 significant digits (a plausible provisioned capacity). */
function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)) - 2);
  return Math.ceil(x / p) * p;
}

/**
 * Hourly capacity samples per resource × environment. Usage follows the request volume (smoothed
 * over 3 hours, plus a base load); capacity is scaled up once, at 60 % of the period, and each
 * segment is sized at its 99th usage percentile / 0.93, so regular daily peaks late in a segment
 * cross the warning and critical thresholds and the injected spikes saturate it (usage is capped
 * at max_capacity: the platform throttles).
 */
export function capacityTable(rng: Rng, start: number, days: number, stats: GeneratorStats): TableBuilder {
  const b = new TableBuilder(TABLES.capacity, {
    resource_type: RESOURCES.map((r) => r.type),
    environment: [...ENVIRONMENTS],
    unit: RESOURCES.map((r) => r.unit),
  });
  const hours = days * 24;
  const scaleUp = Math.floor(hours * 0.6);
  const ts = b.builders.ts as TimestampBuilder;
  const rt = b.builders.resource_type as DictBuilder;
  const env = b.builders.environment as DictBuilder;
  const unit = b.builders.unit as DictBuilder;
  const cur = b.builders.current_usage as NumberBuilder;
  const max = b.builders.max_capacity as NumberBuilder;
  const warn = b.builders.warning_threshold as NumberBuilder;
  const crit = b.builders.critical_threshold as NumberBuilder;
  const series: { usage: Float64Array; capBefore: number; capAfter: number }[] = [];
  for (let e = 0; e < ENVIRONMENTS.length; e++) {
    for (let r = 0; r < RESOURCES.length; r++) {
      const res = RESOURCES[r];
      const demand = new Float64Array(hours);
      for (let h = 0; h < hours; h++) {
        let rpm = 0;
        let tpm = 0;
        for (let k = Math.max(0, h - 1); k <= Math.min(hours - 1, h + 1); k++) {
          rpm += stats.hourRequests[k * 3 + e] / 60 / 3;
          tpm += stats.hourTokens[k * 3 + e] / 60 / 3;
        }
        demand[h] = res.usage(rpm, tpm);
      }
      const typical = quantile(demand, 0.5);
      const usage = new Float64Array(hours);
      for (let h = 0; h < hours; h++) usage[h] = Math.max(0, (demand[h] + res.base * typical * 4) * (1 + 0.03 * rng.normal()));
      const capBefore = niceCeil(quantile(usage.subarray(0, scaleUp), 0.99) / 0.93);
      const capAfter = Math.max(capBefore, niceCeil(quantile(usage.subarray(scaleUp), 0.99) / 0.93));
      series.push({ usage, capBefore, capAfter });
    }
  }
  for (let h = 0; h < hours; h++) {
    for (let r = 0; r < RESOURCES.length; r++) {
      for (let e = 0; e < ENVIRONMENTS.length; e++) {
        const s = series[e * RESOURCES.length + r];
        const cap = h < scaleUp ? s.capBefore : s.capAfter;
        ts.append(start + h * 3_600_000_000);
        rt.appendIndex(r);
        env.appendIndex(e);
        cur.append(Math.min(cap, Math.round(s.usage[h] * 100) / 100));
        max.append(cap);
        warn.append(RESOURCES[r].warning);
        crit.append(RESOURCES[r].critical);
        unit.appendIndex(r);
      }
    }
  }
  return b;
}

export function intentRulesTable(start: number, days: number, creators: string[], agentIds: string[]): TableBuilder {
  const b = new TableBuilder(TABLES.intent_rules, { intent_category: [...INTENTS], rule_type: ['regex', 'keyword', 'ml_model'] });
  const by = (i: number) => creators[i % Math.max(1, creators.length)] ?? 'system';
  const at = (f: number) => Math.floor(start + f * days * DAY_US);
  const rules = [
    {
      rule_id: 'rule-001',
      rule_name: 'Support ticket keywords',
      intent_category: 'customer_support',
      rule_type: 'keyword',
      pattern: 'refund,ticket,order,complaint,warranty',
      priority: 10,
      applicable_departments: ['support', 'customer-success'],
    },
    {
      rule_id: 'rule-002',
      rule_name: 'Code fences',
      intent_category: 'code_gen',
      rule_type: 'regex',
      pattern: '```[a-z]*\\n|\\bdef |\\bfunction\\b|\\bclass\\b',
      priority: 20,
    },
    {
      rule_id: 'rule-003',
      rule_name: 'SQL and metrics',
      intent_category: 'analysis',
      rule_type: 'regex',
      pattern: '\\b(select|group by|forecast|kpi|cohort)\\b',
      priority: 30,
    },
    {
      rule_id: 'rule-004',
      rule_name: 'Drafting requests',
      intent_category: 'content',
      rule_type: 'keyword',
      pattern: 'draft,rewrite,blog,email,summarize',
      priority: 40,
    },
    {
      rule_id: 'rule-005',
      rule_name: 'Intent classifier v3',
      intent_category: 'other',
      rule_type: 'ml_model',
      ml_model_id: 'intent-clf-v3',
      confidence_threshold: 0.72,
      priority: 90,
    },
    {
      rule_id: 'rule-006',
      rule_name: 'Intent classifier v2 (retired)',
      intent_category: 'other',
      rule_type: 'ml_model',
      ml_model_id: 'intent-clf-v2',
      confidence_threshold: 0.65,
      priority: 95,
      is_active: false,
    },
    {
      rule_id: 'rule-007',
      rule_name: 'Code agents default',
      intent_category: 'code_gen',
      rule_type: 'keyword',
      pattern: 'bug,stack trace,unit test,refactor',
      priority: 25,
      applicable_agents: agentIds.slice(1, 3),
    },
    {
      rule_id: 'rule-008',
      rule_name: 'Finance analysis',
      intent_category: 'analysis',
      rule_type: 'keyword',
      pattern: 'budget,invoice,spend,variance',
      priority: 35,
      applicable_departments: ['finance', 'procurement'],
    },
  ];
  rules.forEach((r, i) =>
    b.appendRow({
      pattern: null,
      ml_model_id: null,
      confidence_threshold: null,
      applicable_agents: null,
      applicable_departments: null,
      is_active: true,
      ...r,
      created_by: by(i),
      last_updated_at: at(0.1 + 0.1 * i),
    }),
  );
  return b;
}

const HOUR_US = DAY_US / 24;

/**
 * Maintenance windows (agent registry, PRD A2.6), deterministic (no random draws, so the other
 * tables do not change): a weekly platform-wide patch on Sunday 03:00–05:00 UTC, a weekly index
 * rebuild of the first active agent on Saturday 22:00–00:30 UTC (over midnight, a partial hour), a
 * weekly slot of the first beta agent for the middle third of the period, two one-off windows inside
 * the period and one scheduled ten days after it.
 */
export function maintenanceWindowsTable(agents: DemoAgent[], start: number, end: number, creators: string[]): TableBuilder {
  const b = new TableBuilder(TABLES.maintenance_windows, { recurrence: ['none', 'weekly'] });
  const days = Math.round((end - start) / DAY_US);
  const active = agents.filter((a) => a.status === 'active' && !a.orchestrator);
  const beta = agents.find((a) => a.status === 'beta');
  // First day on/after `start` that is ISO weekday `dow` (1 = Monday), UTC midnight.
  const firstDow = (dow: number): number => {
    const d = Math.floor(start / DAY_US);
    const isoDow = ((d + 3) % 7) + 1; // 1970-01-01 was a Thursday (4)
    return (d + ((dow - isoDow + 7) % 7)) * DAY_US;
  };
  const at = (f: number, hour: number) => (Math.floor(start / DAY_US) + Math.floor(days * f)) * DAY_US + hour * HOUR_US;
  const by = (i: number) => creators[i % Math.max(1, creators.length)] ?? 'system';
  const rows: Record<string, unknown>[] = [
    { window_id: 'mw-platform-patch', agent_id: null, title: 'Platform patching', s: firstDow(7) + 3 * HOUR_US, h: 2, recurrence: 'weekly', until: null },
    ...(active[0]
      ? [
          {
            window_id: 'mw-index-rebuild',
            agent_id: active[0].id,
            title: `${active[0].name}: index rebuild`,
            s: firstDow(6) + 22 * HOUR_US,
            h: 2.5,
            recurrence: 'weekly',
            until: null,
          },
        ]
      : []),
    ...(beta
      ? [
          {
            window_id: 'mw-beta-canary',
            agent_id: beta.id,
            title: `${beta.name}: canary rollout`,
            s: at(1 / 3, 23.5),
            h: 1.5,
            recurrence: 'weekly',
            until: at(2 / 3, 0),
          },
        ]
      : []),
    ...(active[1]
      ? [{ window_id: 'mw-db-migration', agent_id: active[1].id, title: 'Database migration', s: at(0.5, 13), h: 2, recurrence: 'none', until: null }]
      : []),
    { window_id: 'mw-network', agent_id: null, title: 'Network maintenance', s: at(0.8, 6), h: 0.5, recurrence: 'none', until: null },
    ...(active[2]
      ? [
          {
            window_id: 'mw-upgrade',
            agent_id: active[2].id,
            title: `${active[2].name}: version upgrade`,
            s: end + 10 * DAY_US + 4 * HOUR_US,
            h: 3,
            recurrence: 'none',
            until: null,
          },
        ]
      : []),
  ];
  rows.forEach((r, i) => {
    const s = Math.floor(r.s as number);
    b.appendRow({
      window_id: r.window_id,
      agent_id: r.agent_id,
      title: r.title,
      starts_at: s,
      ends_at: s + Math.round((r.h as number) * HOUR_US),
      recurrence: r.recurrence,
      recurs_until: r.until === null ? null : Math.floor(r.until as number),
      created_by: by(i),
      created_at: start - 7 * DAY_US,
    });
  });
  return b;
}
