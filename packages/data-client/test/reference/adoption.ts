/** Reference implementation of the adoption benchmark band (chart 2.10), plain TypeScript over the rows. */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset } from '../fixtures.js';
import { US_DAY, cmpStr, dataStartOf, quantile7, rangeOf, select } from './common.js';

/** See `adoptionBenchmark` in packages/queries: past successful launches' cumulative curves by days since launch. */
export function refAdoptionBenchmark(ds: Dataset, f: UsageFilters, params: { days?: number } = {}) {
  const n = params.days ?? 30;
  const range = rangeOf(ds, f);
  const day = (t: number) => Math.floor(t / US_DAY) * US_DAY;
  const lastDay = day(range.end - 1);
  const firstDataDay = day(dataStartOf(ds));
  const rows = select(ds, f, range, -Infinity, range.end, { agentIds: true, agentStatuses: true });
  const past: { id: string; launch: number }[] = [];
  for (const a of ds.agents) {
    if (a.agent_status !== 'active') continue;
    const all = ds.requests.filter((r) => r.agent_id === a.agent_id);
    if (all.length === 0) continue;
    const first = Math.min(...all.map((r) => day(r.ts)));
    const launch = Math.min(day(a.created_at), first);
    if (launch < firstDataDay || (lastDay - launch) / US_DAY < n - 1) continue;
    if (!rows.some((r) => r.agent_id === a.agent_id)) continue;
    past.push({ id: a.agent_id, launch });
  }
  past.sort((x, y) => cmpStr(x.id, y.id));
  const curves = past.map(({ id, launch }) => {
    const mine = rows.filter((r) => r.agent_id === id);
    const firstOf = new Map<string, number>();
    for (const r of mine) firstOf.set(r.user_id, Math.min(firstOf.get(r.user_id) ?? Infinity, day(r.ts)));
    return Array.from({ length: n }, (_, k) => {
      const until = launch + k * US_DAY;
      return { users: [...firstOf.values()].filter((d) => d <= until).length, requests: mine.filter((r) => day(r.ts) <= until).length };
    });
  });
  const q = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p25: quantile7(s, 0.25), median: quantile7(s, 0.5), p75: quantile7(s, 0.75) };
  };
  return {
    days: n,
    agentIds: past.map((p) => p.id),
    points:
      past.length === 0
        ? []
        : Array.from({ length: n }, (_, k) => ({ day: k, users: q(curves.map((c) => c[k].users)), requests: q(curves.map((c) => c[k].requests)) })),
  };
}
