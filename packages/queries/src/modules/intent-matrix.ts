import { sql } from '../sql.js';
import { whereSql } from '../filters.js';
import { defineQuery, num, str } from '../module.js';
import { largestRemainder } from '../rounding.js';

export interface IntentMatrix {
  /** Row keys, alphabetical. */
  departments: string[];
  /** Column keys, alphabetical. */
  intents: string[];
  /** counts[d][i]: requests of department d with intent i (zero-filled). */
  counts: number[][];
  /** pctOfDept[d][i]: share of the department's requests in %, largest remainder (each row sums to exactly 100). */
  pctOfDept: number[][];
  rowTotals: number[];
  colTotals: number[];
  /** Department / intent shares of the grand total in %, largest remainder (each sums to exactly 100). */
  rowShares: number[];
  colShares: number[];
  total: number;
}

/** Chart 2.8 — department × intent heatmap with marginals (request department, filtered window). */
export const intentMatrix = defineQuery<void, IntentMatrix>({
  name: 'intentMatrix',
  sql(ctx) {
    return sql`SELECT department_id, intent_category, count(*)::BIGINT AS requests
FROM requests WHERE ${whereSql(ctx)}
GROUP BY department_id, intent_category
ORDER BY department_id, intent_category`;
  },
  transform(rows) {
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const departments = [...new Set(rows.map((r) => str(r.department_id)))].sort(cmp);
    const intents = [...new Set(rows.map((r) => str(r.intent_category)))].sort(cmp);
    const di = new Map(departments.map((d, i) => [d, i]));
    const ii = new Map(intents.map((d, i) => [d, i]));
    const counts = departments.map(() => intents.map(() => 0));
    for (const r of rows) counts[di.get(str(r.department_id))!][ii.get(str(r.intent_category))!] = num(r.requests);
    const rowTotals = counts.map((row) => row.reduce((a, b) => a + b, 0));
    const colTotals = intents.map((_, j) => counts.reduce((a, row) => a + row[j], 0));
    return {
      departments,
      intents,
      counts,
      pctOfDept: counts.map((row) => largestRemainder(row, { keys: intents })),
      rowTotals,
      colTotals,
      rowShares: largestRemainder(rowTotals, { keys: departments }),
      colShares: largestRemainder(colTotals, { keys: intents }),
      total: rowTotals.reduce((a, b) => a + b, 0),
    };
  },
});
