/**
 * `demo`: a deterministic, realistic synthetic snapshot (same seed + same end → byte-identical
 * tables). See README.md for what it contains.
 */
import { join } from 'node:path';
import { DEFAULT_INTENTS, ENVIRONMENTS, EXIT_REASONS, ParamError, REQUEST_STATUSES, TABLES } from '@usage-analytics/queries';
import { ArrowTableWriter, DEFAULT_BATCH_ROWS, writeTable, type WrittenFile } from '../arrow-writer.js';
import { Rng, hashString } from '../prng.js';
import { type PrecomputeHook, type WrittenSnapshot, writeSnapshot } from '../snapshot-writer.js';
import { API_CLIENTS, DEPARTMENTS, MODELS } from './catalog.js';
import { DAY_US, buildAgents } from './agents.js';
import { allocateRequests, baseDayVolumes, planAnomalies } from './calendar.js';
import { buildGeography, buildUsers, userDeptAt } from './users.js';
import { RequestBatch, SessionBatch } from './batches.js';
import { generateRequests } from './generator.js';
import { agentsTable, capacityTable, intentRulesTable, maintenanceWindowsTable, usersTable } from './tables.js';
import type { RegistryApplied, RegistrySource } from '../registry.js';

export interface DemoOptions {
  requests: number;
  days: number;
  seed: number;
  outDir: string;
  /** End of the data (exclusive), ms since the epoch; default: today's 00:00 UTC. */
  end?: number;
  batchRows?: number;
  precompute?: PrecomputeHook;
  keep?: number;
  /** PII columns published as they are (the demo's names and emails are fake, but the default is the same as for logs: none). */
  publishPii?: readonly string[];
  /** The actions service's registry laid over the agents table (registry.ts). */
  registry?: RegistrySource;
  onRegistry?: (report: RegistryApplied) => void;
}

export function defaultEnd(now = new Date()): number {
  return Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}

export async function runDemo(opts: DemoOptions): Promise<WrittenSnapshot> {
  const { requests: total, days, seed } = opts;
  if (!Number.isInteger(total) || total < 1) throw new ParamError('requests', '--requests must be a positive integer', total);
  if (!Number.isInteger(days) || days < 1) throw new ParamError('days', '--days must be a positive integer', days);
  const endMs = opts.end ?? defaultEnd();
  if (endMs % 86_400_000 !== 0) throw new ParamError('end', '--end must be a UTC midnight', endMs);
  const end = endMs * 1000;
  const start = end - days * DAY_US;
  const batchRows = opts.batchRows ?? DEFAULT_BATCH_ROWS;

  return writeSnapshot({
    outDir: opts.outDir,
    source: { kind: 'demo', seed, requests: total, days },
    precompute: opts.precompute,
    keep: opts.keep,
    publishPii: opts.publishPii,
    registry: opts.registry,
    onRegistry: opts.onRegistry,
    write: async (dir) => {
      const root = new Rng(seed);
      const rngAgents = root.fork(1);
      const rngCalendar = root.fork(2);
      const rngUsers = root.fork(3);
      const rngRequests = root.fork(4);
      const rngCapacity = root.fork(5);

      const plan = buildAgents(rngAgents, start, end);
      const base = baseDayVolumes(rngCalendar, start, days);
      const anomalies = planAnomalies(rngCalendar, start, days);
      const geo = buildGeography();
      const arrivalVolume = Float64Array.from(base);
      for (const a of anomalies) if (a.department < 0) arrivalVolume[a.day] *= a.factor;
      // Raw population; ~80 % of it is active in the period (the rest churned before it started).
      const userCount = Math.max(20, Math.min(60_000, Math.round(total / 16)));
      const users = buildUsers(rngUsers, userCount, start, arrivalVolume, geo, hashString(`users:${seed}`));

      // A department's share of the day's demand (for department anomalies).
      const deptShare = (day: number, dept: number) => {
        let all = 0;
        let mine = 0;
        const mid = start + day * DAY_US + DAY_US / 2;
        for (let u = 0; u < users.count; u++) {
          const arr = users.arrivalDay[u];
          if (!(arr < day && day < arr + users.lifetimeDays[u])) continue;
          all += users.weight[u];
          if (userDeptAt(users, u, mid) === dept) mine += users.weight[u];
        }
        return all > 0 ? mine / all : 0;
      };
      const { counts } = allocateRequests(base, anomalies, deptShare, total);

      // Dictionaries.
      const versions = [...new Set(['1.9', '2.0', ...plan.agents.flatMap((a) => [a.version, a.previousVersion])])].sort();
      const versionIndex = {
        current: Int32Array.from(plan.agents.map((a) => versions.indexOf(a.version))),
        previous: Int32Array.from(plan.agents.map((a) => versions.indexOf(a.previousVersion))),
        v19: versions.indexOf('1.9'),
        v20: versions.indexOf('2.0'),
      };
      const providers = [...new Set(MODELS.map((m) => m.provider))];
      const providerOfModel = Int32Array.from(MODELS.map((m) => providers.indexOf(m.provider)));
      const agentIds = plan.agents.map((a) => a.id);
      const deptIds = DEPARTMENTS.map((d) => d.id);

      const reqWriter = new ArrowTableWriter(join(dir, TABLES.requests.file), TABLES.requests, {
        user_id: users.ids,
        agent_id: agentIds,
        department_id: deptIds,
        environment: [...ENVIRONMENTS],
        agent_version: versions,
        intent_category: [...DEFAULT_INTENTS],
        status: [...REQUEST_STATUSES],
        model_family: MODELS.map((m) => m.family),
        provider: providers,
        api_client: [...API_CLIENTS],
        country: geo.countryCodes,
        region: geo.regions,
        city: geo.cityNames,
        calling_agent_id: agentIds,
      });
      const sesWriter = new ArrowTableWriter(join(dir, TABLES.sessions.file), TABLES.sessions, {
        user_id: users.ids,
        department_id: deptIds,
        environment: [...ENVIRONMENTS],
        api_client: [...API_CLIENTS],
        country: geo.countryCodes,
        exit_reason: [...EXIT_REASONS],
      });
      let requestsFile: WrittenFile;
      let sessionsFile: WrittenFile;
      let stats;
      try {
        const reqBatch = new RequestBatch(batchRows);
        const sesBatch = new SessionBatch(batchRows);
        stats = generateRequests(
          {
            rng: rngRequests,
            start,
            days,
            dayCounts: counts,
            anomalies,
            plan,
            users,
            geo,
            versionIndex,
            providerOfModel,
            idKeys: { request: hashString(`requests:${seed}`), session: hashString(`sessions:${seed}`) },
          },
          {
            requests: reqBatch,
            sessions: sesBatch,
            flushRequests() {
              if (reqBatch.n > 0) reqWriter.writeBatch(reqBatch.columns(), reqBatch.n);
              reqBatch.n = 0;
            },
            flushSessions() {
              if (sesBatch.n > 0) sesWriter.writeBatch(sesBatch.columns(), sesBatch.n);
              sesBatch.reset();
            },
          },
        );
        requestsFile = reqWriter.close();
        sessionsFile = sesWriter.close();
      } catch (e) {
        reqWriter.abort();
        sesWriter.abort();
        throw e;
      }
      if (stats.requests !== total) throw new Error(`generated ${stats.requests} requests, expected ${total}`);

      const usersB = usersTable(users, stats);
      const creators = users.ids.filter((_, u) => stats.userRequests[u] > 0).slice(0, 5);
      const tables = {
        requests: requestsFile,
        sessions: sessionsFile,
        agents: writeTable(join(dir, TABLES.agents.file), TABLES.agents, agentsTable(plan.agents)),
        users: writeTable(join(dir, TABLES.users.file), TABLES.users, usersB),
        capacity: writeTable(join(dir, TABLES.capacity.file), TABLES.capacity, capacityTable(rngCapacity, start, days, stats)),
        intent_rules: writeTable(join(dir, TABLES.intent_rules.file), TABLES.intent_rules, intentRulesTable(start, days, creators, agentIds)),
        maintenance_windows: writeTable(
          join(dir, TABLES.maintenance_windows.file),
          TABLES.maintenance_windows,
          maintenanceWindowsTable(plan.agents, start, end, creators),
        ),
      };
      return {
        tables,
        time_range: { start: new Date(start / 1000).toISOString(), end: new Date(end / 1000).toISOString() },
        input_rows: total,
        quarantine: { rows: 0, file: null, reasons: {} },
        ground_truth: { anomalies: anomalies.map(({ day: _d, department: _x, ...a }) => a) },
      };
    },
  });
}
