/**
 * What a link held that could not be used, and how to say so briefly: one {@link UrlProblem} per
 * value dropped or adjusted, and {@link summarizeProblems} for the tab's one notice (one or two
 * lines whether a link drops one value or 5,000).
 */
import { describeValue } from '@usage-analytics/queries';

/** A noun in the singular and the plural (`['department', 'departments']`), for notices. */
export type Noun = readonly [one: string, many: string];

/** A value of the link that was dropped or changed, for the one notice the tab shows. */
export interface UrlProblem {
  /** What the value is: `['department', 'departments']`, `['time range', 'time ranges']`… */
  what: Noun;
  /** The value as the link wrote it (`''` when there is none, e.g. an empty list entry). */
  value: string;
  /** Why it was dropped, or what became of it: `not in this snapshot`, `repeated`… */
  why: string;
}

/** A value quoted for a message, clipped (a 10,000-character id stays one short line). */
export const quote = (v: string, max = 80): string => describeValue(v, max);

/** One problem as a line: `department "x" (not in this snapshot)`. */
export function describeProblem(p: UrlProblem): string {
  return p.value === '' ? `${p.what[0]} (${p.why})` : `${p.what[0]} ${quote(p.value)} (${p.why})`;
}

/**
 * The problems as one short sentence for a notice: problems with the same noun and reason are
 * grouped into a count and their first few values (`5,000 departments not in this snapshot:
 * "a", "b", "c", …`), and only the first `maxGroups` groups are spelled out.
 */
export function summarizeProblems(problems: readonly UrlProblem[], maxGroups = 3): string {
  const groups = new Map<string, UrlProblem[]>();
  for (const p of problems) {
    const key = `${p.what[0]}\u0000${p.why}`;
    const g = groups.get(key);
    if (g) g.push(p);
    else groups.set(key, [p]);
  }
  const nf = new Intl.NumberFormat('en-US');
  const parts = [...groups.values()].slice(0, maxGroups).map((g) => {
    if (g.length === 1) return describeProblem(g[0]);
    const values = g
      .filter((p) => p.value !== '')
      .slice(0, 3)
      .map((p) => quote(p.value, 32));
    const more = g.length > values.length && values.length ? ', …' : '';
    return `${nf.format(g.length)} ${g[0].what[1]} (${g[0].why})${values.length ? `: ${values.join(', ')}${more}` : ''}`;
  });
  const rest = groups.size - maxGroups;
  if (rest > 0) parts.push(`${rest} more ${rest === 1 ? 'kind' : 'kinds'} of problem`);
  return parts.join('; ');
}
