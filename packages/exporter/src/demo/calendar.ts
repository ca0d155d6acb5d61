/**
 * Day-level volume plan for the demo: growth (~+40 % per quarter), weekly seasonality (weekends
 * ~35 % of weekdays), day-to-day noise and a handful of injected anomalies (the ground truth).
 */
import type { InjectedAnomaly } from '@usage-analytics/queries';
import { Rng } from '../prng.js';
import { DEPARTMENTS } from './catalog.js';
import { DAY_US } from './agents.js';

export const QUARTERLY_GROWTH = 1.4;
export const WEEKEND_FACTOR = 0.35;

export interface PlannedAnomaly extends InjectedAnomaly {
  day: number;
  /** Department index or -1 for fleet-wide. */
  department: number;
}

export function isWeekend(dayStartUs: number): boolean {
  const dow = new Date(dayStartUs / 1000).getUTCDay();
  return dow === 0 || dow === 6;
}

export function isoDay(dayStartUs: number): string {
  return new Date(dayStartUs / 1000).toISOString().slice(0, 10);
}

/** Base (anomaly-free) relative volume of each day. */
export function baseDayVolumes(rng: Rng, start: number, days: number): Float64Array {
  const v = new Float64Array(days);
  const perDay = Math.log(QUARTERLY_GROWTH) / 91;
  for (let d = 0; d < days; d++) {
    const weekly = isWeekend(start + d * DAY_US) ? WEEKEND_FACTOR : 1;
    v[d] = Math.exp(perDay * d) * weekly * Math.exp(0.05 * rng.normal());
  }
  return v;
}

/** Picks 5–7 anomaly days (fewer for short periods), spaced apart, spikes on weekdays. */
export function planAnomalies(rng: Rng, start: number, days: number): PlannedAnomaly[] {
  const wanted = days >= 40 ? 6 : days >= 20 ? 3 : days >= 8 ? 1 : 0;
  const all: { kind: InjectedAnomaly['kind']; factor: number; dept: boolean }[] = [
    { kind: 'spike', factor: 2.6, dept: false },
    { kind: 'outage', factor: 0.1, dept: false },
    { kind: 'spike', factor: 3, dept: true },
    { kind: 'spike', factor: 2.2, dept: false },
    { kind: 'spike', factor: 2.5, dept: true },
    { kind: 'dip', factor: 0.5, dept: false },
  ];
  const kinds = all.slice(0, wanted);
  const first = Math.min(days - 1, Math.max(7, Math.round(days * 0.12)));
  const last = days - 2;
  const taken: number[] = [];
  const out: PlannedAnomaly[] = [];
  const deptChoices = ['support', 'engineering', 'sales', 'finance', 'marketing'];
  for (const k of kinds) {
    let day = -1;
    for (let tries = 0; tries < 500; tries++) {
      const d = first + rng.int(Math.max(1, last - first + 1));
      if (d < 0 || d >= days) continue;
      if (taken.some((t) => Math.abs(t - d) < 4) && tries < 400) continue;
      if (isWeekend(start + d * DAY_US) && tries < 450) continue;
      day = d;
      break;
    }
    if (day < 0) continue;
    taken.push(day);
    const deptId = k.dept ? deptChoices[rng.int(deptChoices.length)] : undefined;
    const department = deptId ? DEPARTMENTS.findIndex((x) => x.id === deptId) : -1;
    const date = isoDay(start + day * DAY_US);
    const note =
      k.kind === 'outage'
        ? `Provider outage: volume ×${k.factor} fleet-wide, ~50 % of requests fail (error/timeout)`
        : k.kind === 'dip'
          ? `Partial outage / holiday: volume ×${k.factor} fleet-wide`
          : deptId
            ? `Batch job in ${deptId}: that department's volume ×${k.factor}`
            : `Fleet-wide spike: volume ×${k.factor}`;
    out.push({ date, kind: k.kind, factor: k.factor, ...(deptId ? { department_id: deptId } : {}), note, day, department });
  }
  return out.sort((a, b) => a.day - b.day);
}

/**
 * Final per-day request counts summing exactly to `total`: base volume × fleet anomalies, plus the
 * extra volume of department anomalies (deptShare = the department's share of that day's demand).
 */
export function allocateRequests(
  base: Float64Array,
  anomalies: PlannedAnomaly[],
  deptShare: (day: number, dept: number) => number,
  total: number,
): { counts: Int32Array; fleetFactor: Float64Array; deptFactor: Map<number, { dept: number; factor: number }> } {
  const days = base.length;
  const fleetFactor = new Float64Array(days).fill(1);
  const deptFactor = new Map<number, { dept: number; factor: number }>();
  const v = Float64Array.from(base);
  for (const a of anomalies) {
    if (a.department < 0) {
      fleetFactor[a.day] = a.factor;
      v[a.day] *= a.factor;
    } else {
      deptFactor.set(a.day, { dept: a.department, factor: a.factor });
      const s = deptShare(a.day, a.department);
      v[a.day] *= 1 + s * (a.factor - 1);
    }
  }
  let sum = 0;
  for (let d = 0; d < days; d++) sum += v[d];
  const counts = new Int32Array(days);
  const rema: { d: number; r: number }[] = [];
  let assigned = 0;
  for (let d = 0; d < days; d++) {
    const exact = (total * v[d]) / sum;
    counts[d] = Math.floor(exact);
    assigned += counts[d];
    rema.push({ d, r: exact - counts[d] });
  }
  rema.sort((a, b) => b.r - a.r || a.d - b.d);
  for (let i = 0; assigned < total; i++, assigned++) counts[rema[i % days].d]++;
  return { counts, fleetFactor, deptFactor };
}
