/**
 * The demo request generator: walks the period day by day, draws sessions (user → agent sequence →
 * requests) until the day's request budget is met, sorts the day's requests by time and hands them
 * to the request / session batches. Everything lives in typed arrays; no per-row objects.
 */
import { EXIT_REASONS, REQUEST_STATUSES } from '@usage-analytics/queries';
import { Rng, WeightedPicker, permute32, pickWeighted } from '../prng.js';
import {
  API_CLIENTS,
  DEPARTMENTS,
  ENV_WEIGHTS_BUSINESS,
  ENV_WEIGHTS_TECH,
  HOUR_WEIGHTS_WEEKDAY,
  HOUR_WEIGHTS_WEEKEND,
  INTENT_PROFILE,
  INTENTS,
  MODELS,
} from './catalog.js';
import { type AgentPlan, DAY_US, agentWeightAt, v2ShareAt } from './agents.js';
import { type PlannedAnomaly, isWeekend } from './calendar.js';
import { type DemoUsers, type Geography, userDeptAt } from './users.js';
import { ID_BYTES, type RequestBatch, type SessionBatch, writeHexId } from './batches.js';

export const HOUR_US = 3_600_000_000;

/** Session length weights for 1..20 steps: mostly 1–6, a tail up to 20. */
const LENGTH_WEIGHTS = [30, 22, 16, 11, 7, 5, 2.2, 1.7, 1.3, 1, 0.8, 0.6, 0.45, 0.35, 0.3, 0.25, 0.2, 0.18, 0.15, 0.3];
const P_CALL = 0.34;
const STATUS_SUCCESS = REQUEST_STATUSES.indexOf('success');
const STATUS_ERROR = REQUEST_STATUSES.indexOf('error');
const STATUS_TIMEOUT = REQUEST_STATUSES.indexOf('timeout');
const EXIT = {
  completed: EXIT_REASONS.indexOf('completed'),
  error: EXIT_REASONS.indexOf('error'),
  timeout: EXIT_REASONS.indexOf('timeout'),
  abandoned: EXIT_REASONS.indexOf('user_abandoned'),
};
const CLIENT_PYSDK = API_CLIENTS.indexOf('python-sdk');
const CLIENT_CLI = API_CLIENTS.indexOf('cli');

export interface GeneratorInput {
  rng: Rng;
  start: number;
  days: number;
  dayCounts: Int32Array;
  anomalies: PlannedAnomaly[];
  plan: AgentPlan;
  users: DemoUsers;
  geo: Geography;
  /** Dictionary index of each agent's current / previous version, and of 1.9 / 2.0. */
  versionIndex: { current: Int32Array; previous: Int32Array; v19: number; v20: number };
  providerOfModel: Int32Array;
  idKeys: { request: number; session: number };
}

export interface GeneratorSinks {
  requests: RequestBatch;
  sessions: SessionBatch;
  flushRequests(): void;
  flushSessions(): void;
}

export interface GeneratorStats {
  requests: number;
  sessions: number;
  firstTs: Float64Array;
  lastTs: Float64Array;
  lastDept: Int32Array;
  userRequests: Int32Array;
  /** Requests and tokens per hour × environment (index hour * 3 + env). */
  hourRequests: Float64Array;
  hourTokens: Float64Array;
}

/** Per-day scratch of generated requests before sorting by time. */
class DayScratch {
  n = 0;
  ts: Float64Array;
  i32: Int32Array[];
  cost: Float64Array;
  constructor(public cap: number) {
    this.ts = new Float64Array(cap);
    this.cost = new Float64Array(cap);
    this.i32 = Array.from({ length: F.COUNT }, () => new Int32Array(cap));
  }
  ensure(cap: number): void {
    if (cap <= this.cap) return;
    this.cap = cap;
    this.ts = new Float64Array(cap);
    this.cost = new Float64Array(cap);
    this.i32 = Array.from({ length: F.COUNT }, () => new Int32Array(cap));
  }
}

/** Int32 fields of DayScratch. */
const F = {
  user: 0,
  agent: 1,
  dept: 2,
  env: 3,
  version: 4,
  intent: 5,
  status: 6,
  model: 7,
  latency: 8,
  inTok: 9,
  outTok: 10,
  session: 11,
  client: 12,
  city: 13,
  caller: 14,
  reqNo: 15,
  COUNT: 16,
} as const;

interface DaySession {
  no: number;
  user: number;
  start: number;
  end: number;
  seqStart: number;
  seqLen: number;
  success: number;
  errors: number;
  dept: number;
  env: number;
  client: number;
  country: number;
  exit: number;
}

export function generateRequests(input: GeneratorInput, sinks: GeneratorSinks): GeneratorStats {
  const { rng, start, days, dayCounts, plan, users, geo, versionIndex, providerOfModel } = input;
  const agents = plan.agents;
  const A = agents.length;
  const U = users.count;
  const end = start + days * DAY_US;
  const reqPrefix = new TextEncoder().encode('req_');
  const sesPrefix = new TextEncoder().encode('ses_');
  const agentIdBytes = agents.map((a) => new TextEncoder().encode(a.id));
  const lengthPicker = new WeightedPicker(LENGTH_WEIGHTS);
  const hourWeekday = new WeightedPicker(HOUR_WEIGHTS_WEEKDAY);
  const hourWeekend = new WeightedPicker(HOUR_WEIGHTS_WEEKEND);
  const envTech = ENV_WEIGHTS_TECH;
  const envBiz = ENV_WEIGHTS_BUSINESS;
  const clientTech = [0.25, 0.25, 0.12, 0.15, 0.05, 0.15, 0.03];
  const clientBiz = [0.5, 0.02, 0.02, 0.2, 0.18, 0.01, 0.07];
  const intentLat = INTENTS.map((i) => INTENT_PROFILE[i].latency);
  const intentIn = INTENTS.map((i) => INTENT_PROFILE[i].inTokens);
  const intentOut = INTENTS.map((i) => INTENT_PROFILE[i].outTokens);
  const deptIntents = DEPARTMENTS.map((d) => d.intents as number[]);
  const allowed = agents.map((a) => {
    const m = new Uint8Array(DEPARTMENTS.length);
    if (a.allowedDepartments === null) m.fill(1);
    else for (const d of a.allowedDepartments) m[d] = 1;
    return m;
  });

  const stats: GeneratorStats = {
    requests: 0,
    sessions: 0,
    firstTs: new Float64Array(U).fill(Infinity),
    lastTs: new Float64Array(U).fill(-Infinity),
    lastDept: new Int32Array(U).fill(-1),
    userRequests: new Int32Array(U),
    hourRequests: new Float64Array(days * 24 * 3),
    hourTokens: new Float64Array(days * 24 * 3),
  };

  // Users arriving on each day get an onboarding session that day.
  const arrivals: number[][] = Array.from({ length: days }, () => []);
  for (let u = 0; u < U; u++) if (users.arrivalDay[u] >= 0) arrivals[users.arrivalDay[u]].push(u);

  const favourite = new Int32Array(U).fill(-1);
  const userW = new Float64Array(U);
  const userCum = new Float64Array(U);
  const agentW = new Float64Array(A);
  let maxCount = 0;
  for (let d = 0; d < days; d++) maxCount = Math.max(maxCount, dayCounts[d]);
  const scratch = new DayScratch(Math.max(16, maxCount));
  const daySeq: number[] = [];
  const daySessions: DaySession[] = [];
  let sessionCounter = 0;
  let requestCounter = 0;
  let carried: number[] = [];

  // Per-day agent pickers by (department, intent); index INTENTS.length = any intent.
  const NI = INTENTS.length + 1;
  const pickerDay = new Int32Array(DEPARTMENTS.length * NI).fill(-1);
  const pickers: { ids: Int32Array; cum: Float64Array; total: number }[] = new Array(DEPARTMENTS.length * NI);
  let currentDay = -1;
  const agentPicker = (dept: number, intent: number) => {
    const key = dept * NI + intent;
    if (pickerDay[key] !== currentDay) {
      const ids: number[] = [];
      const cum: number[] = [];
      let total = 0;
      for (let a = 0; a < A; a++) {
        if (agentW[a] <= 0 || !allowed[a][dept]) continue;
        if (intent < INTENTS.length && agents[a].intent !== intent) continue;
        total += agentW[a];
        ids.push(a);
        cum.push(total);
      }
      pickers[key] = { ids: Int32Array.from(ids), cum: Float64Array.from(cum), total };
      pickerDay[key] = currentDay;
    }
    return pickers[key];
  };
  const drawAgent = (dept: number, intent: number): number => {
    let p = agentPicker(dept, intent);
    if (p.total <= 0) p = agentPicker(dept, INTENTS.length);
    if (p.total <= 0) return 0;
    const target = rng.next() * p.total;
    const cum = p.cum;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cum[mid] > target) hi = mid;
      else lo = mid + 1;
    }
    return p.ids[lo];
  };
  const usable = (a: number, dept: number) => a >= 0 && agentW[a] > 0 && allowed[a][dept] === 1;

  const i32 = () => scratch.i32;
  const sessionAgents: number[] = [];
  const sessionOffsets: number[] = [];

  /** Generates one session of at most maxSteps requests on day d; returns the number of requests. */
  const genSession = (d: number, u: number, maxSteps: number, dayStart: number, weekend: boolean, v2share: number, outage: boolean): number => {
    const mid = dayStart + DAY_US / 2;
    const dept = userDeptAt(users, u, mid);
    const tech = users.technical[u] === 1;
    const env = pickWeighted(rng, tech ? envTech : envBiz);
    const client = rng.chance(0.7) ? users.preferredClient[u] : pickWeighted(rng, tech ? clientTech : clientBiz);
    const length = Math.min(maxSteps, lengthPicker.pick(rng) + 1);
    const sessionless = length === 1 && (client === CLIENT_PYSDK || client === CLIENT_CLI) && rng.chance(0.5);
    const sessionNo = sessionless ? -1 : sessionCounter++;
    const cityIdx = users.geoKnown[u] ? users.city[u] : -1;
    const tz = geo.cities[users.city[u]].tz;
    const useV2 = users.v2Threshold[u] < v2share;

    sessionAgents.length = 0;
    sessionOffsets.length = 0;
    const first = scratch.n;
    let agent: number;
    let prev = -1;
    let pendingCalls = 0;
    let caller = -1;
    let offset = 0;
    let successes = 0;
    let failures = 0;
    let lastStatus = STATUS_SUCCESS;
    const fav = favourite[u];
    if (fav >= 0 && usable(fav, dept) && rng.chance(0.55)) agent = fav;
    else agent = drawAgent(dept, pickWeighted(rng, deptIntents[dept]));
    if (fav < 0) favourite[u] = agent;

    const s = i32();
    for (let k = 0; k < length; k++) {
      const a = agents[agent];
      const i = scratch.n++;
      // Version: flagships serve 1.9 or 2.0 (per-user migration), others change at deploy time.
      let version: number;
      let isV19 = false;
      if (a.flagship) {
        version = useV2 ? versionIndex.v20 : versionIndex.v19;
        isV19 = !useV2;
      } else {
        version = versionIndex.current[agent]; // the previous version is set after placement, by time
      }
      const intent = rng.chance(0.85) ? a.intent : pickWeighted(rng, deptIntents[dept]);
      let pErr = a.errorRate * (isV19 ? 1.3 : 1);
      let pTimeout = 0.01;
      if (outage) {
        pErr = 0.32;
        pTimeout = 0.18;
      }
      const r = rng.next();
      const status = r < pErr ? STATUS_ERROR : r < pErr + pTimeout ? STATUS_TIMEOUT : STATUS_SUCCESS;
      const model = rng.chance(0.92) ? a.model : a.fallbackModel;
      const m = MODELS[model];
      let latency: number;
      if (status === STATUS_TIMEOUT) latency = 30000 + rng.int(5000);
      else if (status === STATUS_ERROR) latency = Math.min(29000, Math.max(20, Math.round(rng.lognormal(400, 0.9))));
      else
        latency = Math.min(
          29000,
          Math.max(80, Math.round(rng.lognormal(m.latencyMs * a.latencyFactor * intentLat[intent] * (a.flagship && !isV19 ? 0.85 : 1), 0.5))),
        );
      const inTok = Math.min(120000, Math.max(1, Math.round(rng.lognormal(intentIn[intent], 0.7))));
      const outTok = status === STATUS_SUCCESS ? Math.min(16000, Math.max(1, Math.round(rng.lognormal(intentOut[intent], 0.6)))) : 0;
      scratch.cost[i] = Math.round((inTok * m.priceIn + outTok * m.priceOut) * 100) / 1e8;
      scratch.ts[i] = offset;
      s[F.user][i] = u;
      s[F.agent][i] = agent;
      s[F.dept][i] = dept;
      s[F.env][i] = env;
      s[F.version][i] = version;
      s[F.intent][i] = intent;
      s[F.status][i] = status;
      s[F.model][i] = model;
      s[F.latency][i] = latency;
      s[F.inTok][i] = inTok;
      s[F.outTok][i] = outTok;
      s[F.session][i] = sessionNo;
      s[F.client][i] = client;
      s[F.city][i] = cityIdx;
      s[F.caller][i] = caller;
      s[F.reqNo][i] = requestCounter++;
      sessionAgents.push(agent);
      if (status === STATUS_SUCCESS) successes++;
      else failures++;
      lastStatus = status;

      // Failures often end the session.
      if (status !== STATUS_SUCCESS && rng.chance(0.4)) {
        break;
      }
      // Next step: worker calls from orchestrators, follow-ups, loops back, related agents.
      let next = -1;
      let nextCaller = -1;
      if (pendingCalls > 0 && caller >= 0) {
        pendingCalls--;
        nextCaller = caller;
      } else if (a.orchestrator && a.workers.length > 0 && rng.chance(P_CALL)) {
        pendingCalls = rng.int(3);
        nextCaller = agent;
      }
      if (nextCaller >= 0) {
        const workers = agents[nextCaller].workers;
        let total = 0;
        for (const w of workers) total += agentW[w];
        if (total > 0) {
          let target = rng.next() * total;
          for (const w of workers) {
            target -= agentW[w];
            if (target < 0) {
              next = w;
              break;
            }
          }
          if (next < 0) next = workers[workers.length - 1];
        } else {
          nextCaller = -1;
          pendingCalls = 0;
        }
      }
      if (next < 0) {
        nextCaller = -1;
        pendingCalls = 0;
        const x = rng.next();
        if (x < 0.2) next = agent;
        else if (x < 0.38 && prev >= 0 && usable(prev, dept)) next = prev;
        else if (x < 0.7) {
          const cand = a.next[rng.int(a.next.length)];
          next = usable(cand, dept) ? cand : drawAgent(dept, a.intent);
        } else next = drawAgent(dept, pickWeighted(rng, deptIntents[dept]));
      }
      // Time to the next step: the request's latency plus think time (tiny for agent→agent calls).
      const think = nextCaller >= 0 ? rng.lognormal(300_000, 0.5) : Math.min(600_000_000, rng.lognormal(35_000_000, 0.9));
      if (k + 1 < length) offset += latency * 1000 + Math.round(think);
      prev = agent;
      agent = next;
      caller = nextCaller;
    }

    // Place the session in the day: a local business-hours start in the user's time zone, kept
    // inside the UTC day so every request lands on its planned day.
    const lastIdx = scratch.n - 1;
    const duration = scratch.ts[lastIdx] + s[F.latency][lastIdx] * 1000;
    const hour = (weekend ? hourWeekend : hourWeekday).pick(rng);
    let localSec = hour * 3600 + rng.next() * 3600 - tz * 3600;
    localSec = ((localSec % 86400) + 86400) % 86400;
    let sessionStart = dayStart + Math.floor(localSec * 1e6);
    if (sessionStart + duration >= dayStart + DAY_US) sessionStart = Math.max(dayStart, dayStart + DAY_US - duration - 1 - Math.floor(rng.next() * 600e6));
    for (let i = first; i < scratch.n; i++) {
      const t = sessionStart + scratch.ts[i];
      scratch.ts[i] = t;
      const deployed = agents[s[F.agent][i]].lastDeployedAt;
      if (deployed !== null && t < deployed && !agents[s[F.agent][i]].flagship) s[F.version][i] = versionIndex.previous[s[F.agent][i]];
    }

    if (sessionNo >= 0) {
      const seqStart = daySeq.length;
      for (const x of sessionAgents) daySeq.push(x);
      let exit: number;
      if (lastStatus === STATUS_ERROR) exit = EXIT.error;
      else if (lastStatus === STATUS_TIMEOUT) exit = EXIT.timeout;
      else exit = rng.chance(0.1) ? EXIT.abandoned : EXIT.completed;
      daySessions.push({
        no: sessionNo,
        user: u,
        start: sessionStart,
        end: sessionStart + duration,
        seqStart,
        seqLen: sessionAgents.length,
        success: successes,
        errors: failures,
        dept,
        env,
        client,
        country: cityIdx >= 0 ? geo.cities[cityIdx].country : -1,
        exit,
      });
    }
    return scratch.n - first;
  };

  const order: number[] = [];
  for (let d = 0; d < days; d++) {
    currentDay = d;
    const dayStart = start + d * DAY_US;
    const mid = dayStart + DAY_US / 2;
    const weekend = isWeekend(dayStart);
    const anomaly = input.anomalies.find((a) => a.day === d);
    const outage = anomaly?.kind === 'outage';
    const deptSpike = anomaly && anomaly.department >= 0 ? anomaly : undefined;
    for (let a = 0; a < A; a++) {
      const ag = agents[a];
      // Usable only on days entirely inside its life (created before the day, archived after it).
      const archivedToday = ag.status === 'archived' && ag.deprecationDate !== null && ag.deprecationDate < dayStart + DAY_US;
      agentW[a] = ag.createdAt > dayStart || archivedToday ? 0 : agentWeightAt(ag, mid, start, end);
    }
    const v2share = v2ShareAt(plan.migration, mid);

    // Active users today (arrived on an earlier day, lifetime not over).
    let total = 0;
    for (let u = 0; u < U; u++) {
      const arr = users.arrivalDay[u];
      let w = 0;
      if (arr < d && d < arr + users.lifetimeDays[u]) {
        w = users.weight[u];
        if (deptSpike && userDeptAt(users, u, mid) === deptSpike.department) w *= deptSpike.factor;
      }
      userW[u] = w;
      total += w;
      userCum[u] = total;
    }
    const budget = dayCounts[d];
    scratch.ensure(budget);
    scratch.n = 0;
    daySeq.length = 0;
    daySessions.length = 0;

    const onboarding = carried.concat(arrivals[d]);
    carried = [];
    for (const u of onboarding) {
      if (scratch.n >= budget) carried.push(u);
      else genSession(d, u, budget - scratch.n, dayStart, weekend, v2share, outage);
    }
    while (scratch.n < budget) {
      let u: number;
      if (total > 0) {
        const target = rng.next() * total;
        let lo = 0;
        let hi = U - 1;
        while (lo < hi) {
          const m = (lo + hi) >>> 1;
          if (userCum[m] > target) hi = m;
          else lo = m + 1;
        }
        u = lo;
      } else {
        // Nobody active yet (tiny demos): preferably a user who has already arrived.
        u = rng.int(U);
        for (let tries = 0; tries < 50 && users.arrivalDay[u] > d; tries++) u = rng.int(U);
      }
      genSession(d, u, budget - scratch.n, dayStart, weekend, v2share, outage);
    }

    // Emit the day's requests in time order.
    const n = scratch.n;
    order.length = n;
    for (let i = 0; i < n; i++) order[i] = i;
    const ts = scratch.ts;
    order.sort((x, y) => ts[x] - ts[y] || x - y);
    emitRequests(order, d);
    daySessions.sort((x, y) => x.start - y.start || x.no - y.no);
    emitSessions();
  }
  sinks.flushRequests();
  sinks.flushSessions();
  return stats;

  function emitRequests(idx: number[], d: number): void {
    const b = sinks.requests;
    const s = scratch.i32;
    const hourBase = d * 24;
    for (const i of idx) {
      if (b.full) sinks.flushRequests();
      const j = b.n++;
      const t = scratch.ts[i];
      const u = s[F.user][i];
      writeHexId(b.reqId, j * ID_BYTES, reqPrefix, permute32(s[F.reqNo][i], input.idKeys.request));
      b.ts[j] = BigInt(t);
      b.user[j] = u;
      b.agent[j] = s[F.agent][i];
      b.dept[j] = s[F.dept][i];
      b.env[j] = s[F.env][i];
      b.version[j] = s[F.version][i];
      b.intent[j] = s[F.intent][i];
      b.status[j] = s[F.status][i];
      const model = s[F.model][i];
      b.model[j] = model;
      b.provider[j] = providerOfModel[model];
      b.latency[j] = s[F.latency][i];
      b.inTokens[j] = s[F.inTok][i];
      b.outTokens[j] = s[F.outTok][i];
      b.cost[j] = scratch.cost[i];
      const ses = s[F.session][i];
      const sp = b.sesOffsets[j];
      if (ses >= 0) {
        writeHexId(b.sesId, sp, sesPrefix, permute32(ses, input.idKeys.session));
        b.sesOffsets[j + 1] = sp + ID_BYTES;
        b.sesValid[j] = 1;
      } else {
        b.sesOffsets[j + 1] = sp;
        b.sesValid[j] = 0;
      }
      b.client[j] = s[F.client][i];
      const city = s[F.city][i];
      if (city >= 0) {
        const c = geo.cities[city];
        b.country[j] = c.country;
        b.region[j] = c.region;
        b.city[j] = c.city;
        b.lat[j] = c.lat;
        b.lon[j] = c.lon;
        b.geoValid[j] = 1;
      } else {
        b.country[j] = 0;
        b.region[j] = 0;
        b.city[j] = 0;
        b.lat[j] = 0;
        b.lon[j] = 0;
        b.geoValid[j] = 0;
      }
      const caller = s[F.caller][i];
      b.caller[j] = caller >= 0 ? caller : 0;
      b.callerValid[j] = caller >= 0 ? 1 : 0;

      stats.requests++;
      stats.userRequests[u]++;
      if (t < stats.firstTs[u]) stats.firstTs[u] = t;
      if (t >= stats.lastTs[u]) {
        stats.lastTs[u] = t;
        stats.lastDept[u] = s[F.dept][i];
      }
      const h = (hourBase + Math.min(23, Math.floor((t - (start + d * DAY_US)) / HOUR_US))) * 3 + s[F.env][i];
      stats.hourRequests[h]++;
      stats.hourTokens[h] += s[F.inTok][i] + s[F.outTok][i];
    }
  }

  function emitSessions(): void {
    const b = sinks.sessions;
    for (const x of daySessions) {
      if (b.full) sinks.flushSessions();
      const j = b.n;
      writeHexId(b.sesId, j * ID_BYTES, sesPrefix, permute32(x.no, input.idKeys.session));
      b.user[j] = x.user;
      b.start[j] = BigInt(x.start);
      b.end[j] = BigInt(x.end);
      for (let k = 0; k < x.seqLen; k++) b.pushSequenceItem(agentIdBytes[daySeq[x.seqStart + k]]);
      b.endSequence();
      b.requestCount[j] = x.seqLen;
      b.successCount[j] = x.success;
      b.errorCount[j] = x.errors;
      b.dept[j] = x.dept;
      b.env[j] = x.env;
      b.client[j] = x.client;
      b.country[j] = x.country >= 0 ? x.country : 0;
      b.countryValid[j] = x.country >= 0 ? 1 : 0;
      b.successful[j] = x.exit === EXIT.completed ? 1 : 0;
      b.exitReason[j] = x.exit;
      b.n++;
      stats.sessions++;
    }
  }
}
