/**
 * Accuracy of the forecast on real daily count series (see README "Accuracy on real series").
 * Run: pnpm exec tsx packages/forecast/accuracy/real-series.ts [--origins 28] [--train 365] [--only name,...] [--methods ours,...]
 */
import { realSeries } from './data.js';
import { evaluate, type EvalOptions, type Score } from './evaluate.js';
import { METHODS } from './methods.js';

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const HORIZONS = [30, 60, 90] as const;
const options: EvalOptions = { origins: Number(arg('origins') ?? 28), step: 13, train: Number(arg('train') ?? 365), horizons: HORIZONS };
const only = arg('only')?.split(',');
const methodFilter = arg('methods')?.split(',');
const methods = METHODS.filter((m) => !methodFilter || methodFilter.some((f) => m.name.startsWith(f)));
const series = realSeries().filter((s) => !only || only.includes(s.name));

const fmt = (v: number | null, d = 2): string => (v === null ? '—' : v.toFixed(d));
const pct = (v: number | null): string => (v === null ? '—' : `${(100 * v).toFixed(0)} %`);

const all = new Map<string, Map<string, Map<number, Score>>>();
for (const s of series) {
  const per = new Map<string, Map<number, Score>>();
  for (const m of methods) per.set(m.name, evaluate(s.points, m.method, options));
  all.set(s.name, per);
}

process.stdout.write(
  `${options.origins} rolling origins ${options.step} days apart, ${options.train}-day training windows, horizons ${HORIZONS.join('/')}; ` +
    'MASE scale = in-sample MAE of the weekly seasonal naive over the training window; ms = CPU time per fit (call) at h = 90.\n',
);
const header = `| series | method | ${HORIZONS.map((h) => `MASE ${h}`).join(' | ')} | ${HORIZONS.map((h) => `cover 80/95 ${h}`).join(' | ')} | ms/fit |`;
const sep = `|${' --- |'.repeat(3 + 2 * HORIZONS.length)}`;
const rows: string[] = [];
const groups: [string, string[]][] = [
  ['mean (design)', series.filter((s) => s.role === 'design').map((s) => s.name)],
  ['mean (held-out)', series.filter((s) => s.role === 'held-out').map((s) => s.name)],
  ['mean (all)', series.map((s) => s.name)],
];
for (const s of series) {
  for (const m of methods) {
    const sc = all.get(s.name)!.get(m.name)!;
    rows.push(
      `| ${s.name} (${s.role}) | ${m.name} | ${HORIZONS.map((h) => fmt(sc.get(h)!.mase)).join(' | ')} | ${HORIZONS.map((h) => `${pct(sc.get(h)!.cover80)} / ${pct(sc.get(h)!.cover95)}`).join(' | ')} | ${fmt(sc.get(HORIZONS[2])!.ms, 1)} |`,
    );
  }
}
for (const [label, names] of groups) {
  if (names.length === 0) continue;
  for (const m of methods) {
    const avg = (h: number, f: (sc: Score) => number | null): number | null => {
      const v = names.map((n) => f(all.get(n)!.get(m.name)!.get(h)!));
      return v.some((x) => x === null) ? null : (v as number[]).reduce((a, b) => a + b, 0) / v.length;
    };
    rows.push(
      `| **${label}** | ${m.name} | ${HORIZONS.map((h) => fmt(avg(h, (sc) => sc.mase))).join(' | ')} | ${HORIZONS.map((h) => `${pct(avg(h, (sc) => sc.cover80))} / ${pct(avg(h, (sc) => sc.cover95))}`).join(' | ')} | ${fmt(
        avg(HORIZONS[2], (sc) => sc.ms),
        1,
      )} |`,
    );
  }
}
process.stdout.write([header, sep, ...rows].join('\n') + '\n');

// Worst single window (origin) per series: where a method goes badly wrong (e.g. after year-end dips).
const worst = [`| series | ${methods.map((m) => m.name).join(' | ')} |`, `|${' --- |'.repeat(methods.length + 1)}`];
for (const s of series) {
  const cells = methods.map((m) => {
    const sc = all.get(s.name)!.get(m.name)!;
    return HORIZONS.map((h) => Math.max(...sc.get(h)!.perOrigin).toFixed(2)).join(' / ');
  });
  worst.push(`| ${s.name} | ${cells.join(' | ')} |`);
}
process.stdout.write(`\nWorst origin: largest MASE of a single window at ${HORIZONS.join(' / ')} days\n\n${worst.join('\n')}\n`);
