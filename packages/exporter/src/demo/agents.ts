/**
 * The demo agent registry: ~200 agents across active / beta / deprecated / archived, with owners,
 * versions, deployment and deprecation dates, replacements, quotas, a few flagship agents migrating
 * from v1.9 to v2.0, and orchestrator agents that call worker agents.
 */
import type { AgentStatus } from '@usage-analytics/queries';
import { Rng, pickWeighted } from '../prng.js';
import { DEPARTMENTS, INTENTS, MODELS, type Intent } from './catalog.js';

export const DAY_US = 86_400_000_000;

export interface DemoAgent {
  index: number;
  id: string;
  name: string;
  description: string | null;
  intent: number;
  department: number;
  ownerTeam: string;
  status: AgentStatus;
  version: string;
  /** Version served before last_deployed_at. */
  previousVersion: string;
  createdAt: number;
  lastDeployedAt: number | null;
  deprecationDate: number | null;
  replacement: number;
  popularity: number;
  /** Log growth of popularity over the period (trend). */
  trend: number;
  model: number;
  fallbackModel: number;
  latencyFactor: number;
  errorRate: number;
  quality: number | null;
  quota: number | null;
  allowedDepartments: number[] | null;
  tags: string[];
  flagship: boolean;
  orchestrator: boolean;
  workers: number[];
  /** Agents users often go to next. */
  next: number[];
}

const DOMAIN_WORDS: Record<Intent, string[]> = {
  customer_support: [
    'Ticket',
    'Refund',
    'Billing',
    'Returns',
    'Warranty',
    'Escalation',
    'Order Status',
    'Shipping',
    'Account',
    'Onboarding',
    'Churn',
    'Feedback',
    'Chat',
    'Voice',
    'Knowledge Base',
    'Complaint',
  ],
  code_gen: [
    'Code Review',
    'Test',
    'Refactor',
    'SQL',
    'Terraform',
    'Kubernetes',
    'API',
    'Migration',
    'Bug Triage',
    'Commit Message',
    'Docstring',
    'Frontend',
    'Regex',
    'Dependency',
    'CI Pipeline',
    'Security Scan',
  ],
  analysis: [
    'Forecast',
    'Revenue',
    'Churn',
    'Cohort',
    'Spend',
    'Contract',
    'Survey',
    'Pipeline',
    'Risk',
    'Anomaly',
    'KPI',
    'Pricing',
    'Market',
    'Log',
    'Cost',
    'Vendor',
  ],
  content: [
    'Blog',
    'Email',
    'Release Notes',
    'Proposal',
    'Job Description',
    'Social Post',
    'Press Release',
    'Policy',
    'Newsletter',
    'Slide',
    'Translation',
    'Product Copy',
    'Case Study',
    'FAQ',
    'Meeting Notes',
    'Training',
  ],
  other: [
    'Calendar',
    'Travel',
    'Expense',
    'IT Helpdesk',
    'Procurement',
    'Facilities',
    'Benefits',
    'Recruiting',
    'Badge',
    'Laptop',
    'Access Request',
    'Wiki',
    'Glossary',
    'Holiday',
    'Room Booking',
    'Survey',
  ],
};
const ROLE_WORDS = ['Assistant', 'Agent', 'Bot', 'Helper', 'Copilot', 'Analyzer', 'Generator', 'Advisor', 'Summarizer', 'Checker'];
const TEAM_SUFFIXES = ['ai', 'automation', 'tools', 'platform'];
const TAGS = ['gen-ai', 'internal', 'customer-facing', 'pii-safe', 'experimental', 'rag', 'tool-use', 'multilingual', 'sla-gold', 'cost-optimized'];

/** Flagship agents: the most used ones, migrating from 1.9 to 2.0. */
const FLAGSHIPS: { name: string; intent: Intent; dept: string }[] = [
  { name: 'Support Copilot', intent: 'customer_support', dept: 'support' },
  { name: 'Code Assistant', intent: 'code_gen', dept: 'engineering' },
  { name: 'Data Analyst', intent: 'analysis', dept: 'data-science' },
  { name: 'Content Writer', intent: 'content', dept: 'marketing' },
  { name: 'Enterprise Search', intent: 'other', dept: 'it' },
  { name: 'Meeting Summarizer', intent: 'content', dept: 'operations' },
];

/** Orchestrators: call worker agents (agent→agent calls). */
const ORCHESTRATORS: { name: string; intent: Intent; dept: string }[] = [
  { name: 'Workflow Orchestrator', intent: 'other', dept: 'platform' },
  { name: 'Research Planner', intent: 'analysis', dept: 'research' },
  { name: 'Incident Commander', intent: 'code_gen', dept: 'platform' },
  { name: 'Deal Desk Orchestrator', intent: 'analysis', dept: 'sales' },
  { name: 'Case Resolution Orchestrator', intent: 'customer_support', dept: 'customer-success' },
  { name: 'Release Manager', intent: 'code_gen', dept: 'engineering' },
];

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function pickDepartmentFor(rng: Rng, intent: number): number {
  // Owners are departments that use the intent a lot.
  const weights = DEPARTMENTS.map((d) => d.weight * d.intents[intent] ** 2);
  return pickWeighted(rng, weights);
}

function prevVersion(v: string): string {
  const [maj, min] = v.split('.').map(Number);
  if (min > 0) return `${maj}.${min - 1}`;
  return maj > 0 ? `${maj - 1}.9` : '0.1';
}

export interface AgentPlan {
  agents: DemoAgent[];
  /** When v2.0 of the flagships was released and the migration midpoint. */
  migration: { release: number; midpoint: number; steepnessPerDay: number };
}

export function buildAgents(rng: Rng, start: number, end: number, count = 300): AgentPlan {
  const days = (end - start) / DAY_US;
  const agents: DemoAgent[] = [];
  const used = new Set<string>();
  const release = start + Math.max(1, Math.round(days * 0.15)) * DAY_US;
  const midpoint = start + days * 0.62 * DAY_US;
  const migration = { release, midpoint, steepnessPerDay: 9 / Math.max(10, days) };

  const add = (name: string, intent: number, department: number, status: AgentStatus, extra: Partial<DemoAgent> = {}): DemoAgent => {
    const id = `agt-${slug(name)}`;
    used.add(id);
    const model = pickWeighted(
      rng,
      MODELS.map((m) => m.weight),
    );
    let fallbackModel = pickWeighted(
      rng,
      MODELS.map((m) => m.weight),
    );
    if (fallbackModel === model) fallbackModel = (model + 1) % MODELS.length;
    const dept = DEPARTMENTS[department];
    const a: DemoAgent = {
      index: agents.length,
      id,
      name,
      description: rng.chance(0.9) ? `${name}: ${INTENTS[intent].replace('_', ' ')} agent owned by ${dept.id}.` : null,
      intent,
      department,
      ownerTeam: `${dept.id}-${TEAM_SUFFIXES[rng.int(TEAM_SUFFIXES.length)]}`,
      status,
      version: '1.0',
      previousVersion: '0.9',
      createdAt: start,
      lastDeployedAt: null,
      deprecationDate: null,
      replacement: -1,
      popularity: 1,
      trend: rng.range(-0.4, 0.7),
      model,
      fallbackModel,
      latencyFactor: rng.lognormal(1, 0.25),
      errorRate: rng.range(0.015, 0.05),
      quality: rng.chance(0.9) ? Math.round(rng.range(6.2, 9.4) * 10) / 10 : null,
      quota: rng.chance(0.6) ? [60, 120, 300, 600, 1200][rng.int(5)] : null,
      allowedDepartments: null,
      tags: [],
      flagship: false,
      orchestrator: false,
      workers: [],
      next: [],
      ...extra,
    };
    const tagCount = 1 + rng.int(3);
    const tags = new Set<string>([INTENTS[intent].replace('_', '-')]);
    for (let i = 0; i < tagCount; i++) tags.add(TAGS[rng.int(TAGS.length)]);
    a.tags = [...tags];
    agents.push(a);
    return a;
  };

  for (const f of FLAGSHIPS) {
    const intent = INTENTS.indexOf(f.intent);
    add(
      f.name,
      intent,
      DEPARTMENTS.findIndex((d) => d.id === f.dept),
      'active',
      {
        flagship: true,
        version: '2.0',
        previousVersion: '1.9',
        createdAt: start - rng.range(400, 700) * DAY_US,
        lastDeployedAt: release,
        popularity: 9 + rng.range(0, 6),
        trend: rng.range(0.1, 0.4),
        errorRate: rng.range(0.015, 0.03),
        quota: null,
        quality: Math.round(rng.range(8.2, 9.3) * 10) / 10,
      },
    );
  }
  for (const o of ORCHESTRATORS) {
    const intent = INTENTS.indexOf(o.intent);
    add(
      o.name,
      intent,
      DEPARTMENTS.findIndex((d) => d.id === o.dept),
      'active',
      {
        orchestrator: true,
        version: `${1 + rng.int(2)}.${rng.int(10)}`,
        createdAt: start - rng.range(120, 400) * DAY_US,
        popularity: 2.5 + rng.range(0, 2),
        quota: null,
      },
    );
  }

  // The long tail: ~60 % active, 15 % beta, 15 % deprecated, 10 % archived.
  while (agents.length < count) {
    const intent = rng.int(INTENTS.length);
    const words = DOMAIN_WORDS[INTENTS[intent]];
    const name = `${words[rng.int(words.length)]} ${ROLE_WORDS[rng.int(ROLE_WORDS.length)]}`;
    if (used.has(`agt-${slug(name)}`)) continue;
    const u = rng.next();
    const status: AgentStatus = u < 0.6 ? 'active' : u < 0.75 ? 'beta' : u < 0.9 ? 'deprecated' : 'archived';
    const department = pickDepartmentFor(rng, intent);
    const a = add(name, intent, department, status);
    a.popularity = 1 / Math.pow(1 + rng.int(40), 0.9);
    if (status === 'active') {
      a.createdAt = start + rng.range(-540, days * 0.5) * DAY_US;
      a.version = `${1 + rng.int(3)}.${rng.int(10)}`;
    } else if (status === 'beta') {
      a.createdAt = end - rng.range(5, Math.max(8, Math.min(60, days * 0.4))) * DAY_US;
      a.version = `0.${1 + rng.int(9)}`;
      a.errorRate = rng.range(0.04, 0.08);
      a.quality = rng.chance(0.5) ? Math.round(rng.range(5.5, 8) * 10) / 10 : null;
      a.popularity *= 1.5;
    } else {
      a.createdAt = start - rng.range(200, 720) * DAY_US;
      a.version = `1.${rng.int(10)}`;
      a.popularity *= 1.5;
      a.deprecationDate = status === 'deprecated' ? end + rng.range(-0.5 * days, 60) * DAY_US : start + rng.range(-30, 0.6 * days) * DAY_US;
    }
    a.previousVersion = prevVersion(a.version);
    if (a.createdAt > end - DAY_US) a.createdAt = end - DAY_US;
    const deployFrom = Math.max(a.createdAt, start - 60 * DAY_US);
    const deployTo = Math.min(end - DAY_US, a.deprecationDate ?? end);
    a.lastDeployedAt = rng.chance(0.95) && deployTo > deployFrom ? deployFrom + rng.next() * (deployTo - deployFrom) : null;
    if (rng.chance(0.12)) {
      const allowed = new Set([department]);
      const extra = rng.int(3);
      for (let i = 0; i < extra; i++) allowed.add(rng.int(DEPARTMENTS.length));
      a.allowedDepartments = [...allowed].sort((x, y) => x - y);
    }
  }

  // Replacements: deprecated (and half of archived) agents point at an active agent of the same intent.
  for (const a of agents) {
    if (a.status !== 'deprecated' && !(a.status === 'archived' && rng.chance(0.5))) continue;
    const candidates = agents.filter((b) => b.status === 'active' && b.intent === a.intent && b.allowedDepartments === null);
    if (candidates.length === 0) continue;
    const flagship = candidates.find((b) => b.flagship);
    a.replacement = (flagship && rng.chance(0.5) ? flagship : candidates[rng.int(candidates.length)]).index;
  }

  // Orchestrators call 5–9 workers (shared workers form a graph with a few hubs); workers of the
  // same intent are preferred, flagships are common callees.
  const callable = agents.filter((a) => !a.orchestrator && (a.status === 'active' || a.status === 'beta') && a.allowedDepartments === null);
  for (const o of agents.filter((a) => a.orchestrator)) {
    const n = 5 + rng.int(5);
    const workers = new Set<number>();
    for (let tries = 0; workers.size < n && tries < 200; tries++) {
      const w = callable[rng.int(callable.length)];
      if (w.intent === o.intent || w.flagship || rng.chance(0.35)) workers.add(w.index);
    }
    o.workers = [...workers];
  }
  // A couple of workers are themselves small orchestrators (a second level in the call graph).
  const subHubs = callable.filter((a) => !a.flagship).slice(0, 3);
  for (const h of subHubs) {
    h.orchestrator = true;
    h.workers = [callable[rng.int(callable.length)].index, callable[rng.int(callable.length)].index].filter((w) => w !== h.index);
  }
  // Delegation in the long tail (chart 2.14 needs a wide graph): most active and beta agents hand
  // sub-tasks to 1–4 others, same intent preferred. Callees may be deprecated agents
  // still in service (what a deprecation has to untangle); archived and department-restricted ones
  // are never called. A worker's traffic follows its own weight over time, so a retired callee
  // stops being called.
  const callees = agents.filter((a) => !a.orchestrator && a.status !== 'archived' && a.allowedDepartments === null);
  for (const a of agents) {
    if (a.orchestrator || a.flagship || (a.status !== 'active' && a.status !== 'beta') || !rng.chance(0.7)) continue;
    const n = 1 + rng.int(4);
    const workers = new Set<number>();
    for (let tries = 0; workers.size < n && tries < 40; tries++) {
      const w = callees[rng.int(callees.length)];
      if (w.index !== a.index && (w.intent === a.intent || rng.chance(0.3))) workers.add(w.index);
    }
    if (workers.size === 0) continue;
    a.orchestrator = true;
    a.workers = [...workers];
  }
  // Escalations close cycles: some callees call back one of their callers (A → B → A), and a few
  // hand on to a callee of their caller's caller (A → B → C → A).
  const callers = new Map<number, number[]>();
  for (const a of agents) for (const w of a.workers) callers.set(w, [...(callers.get(w) ?? []), a.index]);
  for (const [w, from] of callers) {
    const b = agents[w];
    if ((b.status !== 'active' && b.status !== 'beta') || b.flagship || !rng.chance(0.2)) continue;
    const back = from[rng.int(from.length)];
    if (back === w || b.workers.includes(back)) continue;
    b.orchestrator = true;
    b.workers = [...b.workers, back];
  }
  for (const a of agents) {
    if (!a.orchestrator || a.flagship || !rng.chance(0.15)) continue;
    const b = agents[a.workers[rng.int(a.workers.length)]];
    const c = b.workers.length > 0 ? agents[b.workers[rng.int(b.workers.length)]] : null;
    if (!c || c.index === a.index || c.flagship || (c.status !== 'active' && c.status !== 'beta') || c.workers.includes(a.index)) continue;
    c.orchestrator = true;
    c.workers = [...c.workers, a.index];
  }

  // Typical next agents in a session: related agents (same intent first), plus a flagship.
  for (const a of agents) {
    const same = agents.filter((b) => b.intent === a.intent && b.index !== a.index);
    const next = new Set<number>();
    for (let i = 0; i < 3 && same.length > 0; i++) next.add(same[rng.int(same.length)].index);
    next.add(agents[rng.int(FLAGSHIPS.length)].index);
    next.delete(a.index);
    a.next = [...next];
  }
  return { agents, migration };
}

/**
 * Relative usage weight of an agent at time t (µs): zero before creation and after archival,
 * an adoption ramp for beta agents, a decline towards and after deprecation, a per-agent trend.
 */
export function agentWeightAt(a: DemoAgent, t: number, start: number, end: number): number {
  if (t < a.createdAt) return 0;
  let w = a.popularity * Math.exp(a.trend * ((t - start) / (end - start) - 0.5));
  if (a.status === 'beta') {
    const age = (t - a.createdAt) / DAY_US;
    w *= 1 / (1 + Math.exp(-(age - 10) / 3));
  } else if (a.status === 'archived') {
    if (a.deprecationDate !== null && t >= a.deprecationDate) return 0;
    const left = ((a.deprecationDate ?? end) - t) / DAY_US;
    if (left < 30) w *= 0.2 + 0.8 * (left / 30);
  } else if (a.status === 'deprecated' && a.deprecationDate !== null) {
    const left = (a.deprecationDate - t) / DAY_US;
    if (left < 0) w *= 0.08;
    else if (left < 45) w *= 0.15 + 0.85 * (left / 45);
  }
  return w;
}

/** Share of flagship traffic on v2.0 at time t: zero before release, then a logistic S-curve. */
export function v2ShareAt(plan: AgentPlan['migration'], t: number): number {
  if (t < plan.release) return 0;
  return 1 / (1 + Math.exp(-plan.steepnessPerDay * ((t - plan.midpoint) / DAY_US)));
}
