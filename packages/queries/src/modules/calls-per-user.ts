import { whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { join, sql } from '../sql.js';
import { PERCENTILES } from './engagement.js';

/** Most bars of a linear histogram (a wider nice bin width is chosen above it). */
export const MAX_LINEAR_BINS = 24;
/** Long tail: the largest count reaches this many times the median (and more than {@link MAX_LINEAR_BINS}). */
export const LONG_TAIL_RATIO = 10;
/** Sample users per bar (the tooltip's "e.g."): the bar's heaviest users, ties by user id. */
export const SAMPLE_USERS = 3;

export interface CallsPerUserPercentiles {
  p10: number;
  p25: number;
  p50: number;
  p75: number;
  p90: number;
}

export interface CallsPerUserBin {
  /** Inclusive lower bound (calls). */
  min: number;
  /** Exclusive upper bound (calls); every bin is bounded (the last one holds the largest count). */
  max: number;
  /** "5", "10–19". */
  label: string;
  /** Users of the window with min ≤ calls < max. */
  users: number;
  /** Users of the previous period (same length, same filters) on the same bin. */
  previousUsers: number;
  /** Of `users`: calls < P10 / calls > P90 (the highlighted outliers). */
  belowP10: number;
  aboveP90: number;
  /** Up to {@link SAMPLE_USERS} users of the bin, most calls first, ties by user id. */
  samples: string[];
}

export interface CallsPerUser {
  /** How the bins were chosen (see {@link callBinEdges}). */
  scale: 'linear' | 'log';
  /** Width of the linear bins (the first one starts at 1), null for log bins. */
  binWidth: number | null;
  bins: CallsPerUserBin[];
  users: number;
  calls: number;
  avgCalls: number;
  /** Largest calls of one user in the window (0 without users). */
  maxCalls: number;
  previousUsers: number;
  previousCalls: number;
  previousAvgCalls: number | null;
  /** quantile_cont (Hyndman–Fan type 7) of calls per user; null without users. */
  percentiles: CallsPerUserPercentiles | null;
  previousPercentiles: CallsPerUserPercentiles | null;
  /** Users with calls > P90 / calls < P10 (as in `engagement`). */
  outliersHigh: number;
  outliersLow: number;
}

/** 1, 2, 3, 5, 10, 20, 50, 100, 200, 500, … (the log scale of `engagement`'s CALL_BIN_EDGES, continued). */
function logEdge(i: number): number {
  if (i < 4) return [1, 2, 3, 5][i];
  const k = i - 4;
  return [10, 20, 50][k % 3] * 10 ** Math.floor(k / 3);
}

/**
 * The bin edges for a distribution whose largest count (over both periods) is `hi` and whose median
 * is `p50` — deterministic, so the chart, its CSV and the drill-downs agree:
 *
 * - `hi` ≤ {@link MAX_LINEAR_BINS}: one bar per count, edges 1, 2, …, hi + 1 (linear, width 1);
 * - a long tail, `hi` ≥ {@link LONG_TAIL_RATIO} · max(1, p50): log bins on the 1-2-5 scale
 *   (1, 2, 3, 5, 10, 20, 50, 100, …) up to the first edge above `hi`;
 * - otherwise linear bins of the smallest nice width w (2, 5, 10, 20, 50, …) that gives at most
 *   {@link MAX_LINEAR_BINS} bars: edges 1, w, 2w, …, up to the first multiple of w above `hi`.
 *
 * Every bin is [edge_i, edge_i+1); no bins when `hi` < 1.
 */
export function callBinEdges(hi: number, p50: number | null): { scale: 'linear' | 'log'; binWidth: number | null; edges: number[] } {
  if (!(hi >= 1)) return { scale: 'linear', binWidth: 1, edges: [] };
  if (hi <= MAX_LINEAR_BINS) return { scale: 'linear', binWidth: 1, edges: Array.from({ length: hi + 1 }, (_, i) => i + 1) };
  if (hi >= LONG_TAIL_RATIO * Math.max(1, p50 ?? 1)) {
    const edges: number[] = [];
    for (let i = 0; edges.length === 0 || edges[edges.length - 1] <= hi; i++) edges.push(logEdge(i));
    return { scale: 'log', binWidth: null, edges };
  }
  let w = 2;
  for (let i = 0; Math.floor(hi / w) + 1 > MAX_LINEAR_BINS; i++) w = [5, 10, 20][i % 3] * 10 ** Math.floor(i / 3);
  const edges = [1];
  for (let e = w; edges[edges.length - 1] <= hi; e += w) edges.push(e);
  return { scale: 'linear', binWidth: w, edges };
}

export const binLabel = (min: number, max: number): string => (max - 1 === min ? String(min) : `${min}–${max - 1}`);

const pcts = (v: unknown): CallsPerUserPercentiles | null => {
  if (!Array.isArray(v)) return null;
  const p = (v as unknown[]).map(num);
  return { p10: p[0], p25: p[1], p50: p[2], p75: p[3], p90: p[4] };
};

/**
 * Chart 2.4 — calls per user: the window's exact distribution (users per call count) and the
 * previous period's on the same adaptive bins ({@link callBinEdges}), percentiles of both, outliers
 * (> P90, < P10) split out of each bar, and sample users per bar. The SQL returns one row per
 * (period, call count); the transform bins them, so every count is exact.
 */
export const callsPerUser = defineQuery<void, CallsPerUser>({
  name: 'callsPerUser',
  sql(ctx) {
    const ps = join(PERCENTILES.map((p) => sql`${p}`));
    return sql`WITH cur AS (SELECT user_id::VARCHAR AS user_id, count(*)::BIGINT AS n FROM requests WHERE ${whereSql(ctx)} GROUP BY 1),
prev AS (SELECT user_id, count(*)::BIGINT AS n FROM requests WHERE ${whereSql(ctx, { time: 'previous' })} GROUP BY user_id),
q AS (SELECT (SELECT quantile_cont(n, [${ps}]) FROM cur) AS p, (SELECT quantile_cont(n, [${ps}]) FROM prev) AS pp)
SELECT 'current' AS period, c.n, count(*)::BIGINT AS users, list_slice(list(c.user_id ORDER BY c.user_id), 1, ${SAMPLE_USERS}) AS samples, any_value(q.p) AS p, any_value(q.pp) AS pp
FROM cur c CROSS JOIN q GROUP BY c.n
UNION ALL
SELECT 'previous' AS period, v.n, count(*)::BIGINT AS users, []::VARCHAR[] AS samples, any_value(q.p) AS p, any_value(q.pp) AS pp
FROM prev v CROSS JOIN q GROUP BY v.n
UNION ALL
SELECT 'none' AS period, 0::BIGINT AS n, 0::BIGINT AS users, []::VARCHAR[] AS samples, p, pp FROM q
ORDER BY period, n`;
  },
  transform(rows) {
    const cur: { n: number; users: number; samples: string[] }[] = [];
    const prev: { n: number; users: number }[] = [];
    let p: CallsPerUserPercentiles | null = null;
    let pp: CallsPerUserPercentiles | null = null;
    for (const r of rows) {
      const period = str(r.period);
      if (period === 'none') {
        p = pcts(r.p);
        pp = pcts(r.pp);
      } else if (period === 'current')
        cur.push({ n: num(r.n), users: num(r.users), samples: Array.isArray(r.samples) ? (r.samples as unknown[]).map(str) : [] });
      else prev.push({ n: num(r.n), users: num(r.users) });
    }
    const sum = (xs: { n: number; users: number }[], f: (x: { n: number; users: number }) => number) => xs.reduce((a, x) => a + f(x), 0);
    const users = sum(cur, (x) => x.users);
    const calls = sum(cur, (x) => x.n * x.users);
    const previousUsers = sum(prev, (x) => x.users);
    const previousCalls = sum(prev, (x) => x.n * x.users);
    const maxCalls = cur.reduce((m, x) => Math.max(m, x.n), 0);
    const hi = prev.reduce((m, x) => Math.max(m, x.n), maxCalls);
    if (users === 0) p = null;
    if (previousUsers === 0) pp = null;
    const { scale, binWidth, edges } = callBinEdges(hi, p?.p50 ?? null);
    const bins: CallsPerUserBin[] = edges.slice(0, -1).map((min, i) => ({
      min,
      max: edges[i + 1],
      label: binLabel(min, edges[i + 1]),
      users: 0,
      previousUsers: 0,
      belowP10: 0,
      aboveP90: 0,
      samples: [],
    }));
    const binOf = (n: number) => {
      let i = bins.length - 1;
      while (i > 0 && bins[i].min > n) i--;
      return bins[i];
    };
    // Heaviest counts first, so each bar's samples are its top users (ties by id within a count).
    for (const x of [...cur].sort((a, b) => b.n - a.n)) {
      const b = binOf(x.n);
      b.users += x.users;
      if (p && x.n < p.p10) b.belowP10 += x.users;
      if (p && x.n > p.p90) b.aboveP90 += x.users;
      for (const s of x.samples) if (b.samples.length < SAMPLE_USERS) b.samples.push(s);
    }
    for (const x of prev) binOf(x.n).previousUsers += x.users;
    return {
      scale,
      binWidth,
      bins,
      users,
      calls,
      avgCalls: users === 0 ? 0 : calls / users,
      maxCalls,
      previousUsers,
      previousCalls,
      previousAvgCalls: previousUsers === 0 ? null : previousCalls / previousUsers,
      percentiles: p,
      previousPercentiles: pp,
      outliersHigh: bins.reduce((a, b) => a + b.aboveP90, 0),
      outliersLow: bins.reduce((a, b) => a + b.belowP10, 0),
    };
  },
});
