/** The engagement segments (power, regular, new, dormant) of every user, as SQL (see README "Glossary"). */
import { Sql, sql, timestamp } from './sql.js';
import { sharedRelation } from './shared-relation.js';
import type { Micros } from './time.js';

/** SQL that assigns every known user a segment as of `asOf` (see README "User segments"). */
export function segmentSql(range: { start: Micros; end: Micros }): Sql {
  const start = timestamp(range.start);
  const end = timestamp(range.end);
  // One scan of requests gives each user's last request and window count (was two).
  return sql`WITH t AS (SELECT user_id, max(ts) AS last_ts, count(*) FILTER (WHERE ts >= ${start}) AS n FROM requests WHERE ts < ${end} GROUP BY user_id),
w AS (SELECT user_id, n, rank() OVER (ORDER BY n DESC) AS rk, ceil(0.1 * count(*) OVER ()) AS power_cut FROM t WHERE n > 0)
SELECT u.user_id,
  CASE
    WHEN t.last_ts < ${end} - INTERVAL 30 DAY THEN 'dormant'
    WHEN u.first_seen_at >= ${end} - INTERVAL 30 DAY THEN 'new'
    WHEN w.rk <= w.power_cut THEN 'power'
    ELSE 'regular'
  END AS segment,
  coalesce(w.n, 0) AS window_requests
FROM users u JOIN t USING (user_id) LEFT JOIN w USING (user_id)`;
}

/**
 * {@link segmentSql} as a shared relation (shared-relation.ts): every query of a filter state with
 * a segment filter, and of later states over the same time range, reads one materialised table of
 * segments instead of scanning every request again (the data-client's coordinator materialises it;
 * elsewhere it runs inline). A derived table: use it in FROM / JOIN.
 */
export function sharedSegmentsSql(range: { start: Micros; end: Micros }): Sql {
  return sharedRelation(segmentSql(range));
}
