/** Reference for `anomalyCauses`, written from its definition (not its SQL). */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, RequestRow } from '../fixtures.js';
import { US_DAY, cmpStr, dataStartOf, filterPred, rangeOf } from './common.js';
import { isoToMicros } from './instant.js';

const COLS: [keyof RequestRow, 'departments' | 'agents' | 'statuses'][] = [
  ['department_id', 'departments'],
  ['agent_id', 'agents'],
  ['status', 'statuses'],
];

export function refAnomalyCauses(ds: Dataset, f: UsageFilters, params: { date: string }) {
  const day = isoToMicros(params.date);
  const firstDay = Math.floor(dataStartOf(ds) / US_DAY) * US_DAY;
  const history = [1, 2, 3, 4].map((w) => day - 7 * w * US_DAY).filter((d) => d >= firstDay);
  const weeks = history.length;
  const pred = filterPred(ds, f, rangeOf(ds, f));
  const onDay = (r: RequestRow, d: number) => r.ts >= d && r.ts < d + US_DAY;
  const cur = ds.requests.filter((r) => onDay(r, day) && pred(r));
  const hist = ds.requests.filter((r) => history.some((d) => onDay(r, d)) && pred(r));
  const expectedOf = (n: number) => (weeks === 0 ? 0 : n / weeks);
  const actual = cur.length;
  const expected = expectedOf(hist.length);
  const change = actual - expected;
  const out = { date: params.date, weeks, actual, expected, departments: [] as unknown[], agents: [] as unknown[], statuses: [] as unknown[] };
  for (const [col, field] of COLS) {
    const keyOf = (r: RequestRow) => (r[col] as string | null) ?? 'Unknown';
    const keys = [...new Set([...cur, ...hist].map(keyOf))];
    const items = keys.map((key) => {
      const a = cur.filter((r) => keyOf(r) === key).length;
      const e = expectedOf(hist.filter((r) => keyOf(r) === key).length);
      return { key, actual: a, expected: e, delta: a - e, contribution: change === 0 ? null : ((a - e) / change) * 100 };
    });
    items.sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || cmpStr(x.key, y.key));
    out[field] = items.slice(0, 5);
  }
  return out;
}
