import { ParamError, describeValue } from '../errors.js';
import { whereSql } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';
import { literal, sql } from '../sql.js';
import { page } from './shared.js';

export interface GeoStats {
  requests: number;
  /** Exact distinct users (a travelling user counts in each place). */
  users: number;
  avgLatencyMs: number;
}

export interface CountryStats extends GeoStats {
  /** ISO alpha-2, or 'Unknown' for requests without a country. */
  country: string;
}

export interface CityStats extends GeoStats {
  country: string;
  /** 'Unknown' when null. */
  region: string;
  city: string;
  /** The city's coordinates (min over its rows, as DOUBLE); null when unknown. */
  latitude: number | null;
  longitude: number | null;
}

export interface Geography {
  countries: CountryStats[];
  cities: CityStats[];
}

/**
 * Chart 2.15 — requests, unique users and mean latency by country ('Unknown' for null country) and by
 * city (rows with a city only), in the filtered window. Ordered by country, region, city.
 */
export const geography = defineQuery<void, Geography>({
  name: 'geography',
  sql(ctx) {
    return sql`WITH f AS (SELECT coalesce(country, 'Unknown') AS country, coalesce(region, 'Unknown') AS region, city, latitude, longitude, user_id, latency_ms FROM requests WHERE ${whereSql(ctx)})
SELECT 'country' AS kind, country, count(*)::BIGINT AS requests, count(DISTINCT user_id)::BIGINT AS users, avg(latency_ms)::DOUBLE AS avg_latency
FROM f GROUP BY country
UNION ALL BY NAME
SELECT 'city' AS kind, country, region, city, min(latitude)::DOUBLE AS latitude, min(longitude)::DOUBLE AS longitude,
  count(*)::BIGINT AS requests, count(DISTINCT user_id)::BIGINT AS users, avg(latency_ms)::DOUBLE AS avg_latency
FROM f WHERE city IS NOT NULL GROUP BY country, region, city
ORDER BY kind DESC, country, region, city`;
  },
  transform(rows) {
    const stats = (r: Record<string, unknown>): GeoStats => ({ requests: num(r.requests), users: num(r.users), avgLatencyMs: num(r.avg_latency) });
    return {
      countries: rows.filter((r) => r.kind === 'country').map((r) => ({ country: str(r.country), ...stats(r) })),
      cities: rows
        .filter((r) => r.kind === 'city')
        .map((r) => ({
          country: str(r.country),
          region: str(r.region),
          city: str(r.city),
          latitude: numOrNull(r.latitude),
          longitude: numOrNull(r.longitude),
          ...stats(r),
        })),
    };
  },
});

export interface UsersInPlaceParams {
  /** ISO alpha-2 as in {@link geography}, or 'Unknown' for requests without a country. */
  country: string;
  /** Optional region ('Unknown' = null region), as in {@link CityStats}. */
  region?: string;
  /** Optional city (exact name). */
  city?: string;
  limit?: number;
  offset?: number;
}

export interface PlaceUser {
  userId: string;
  userName: string | null;
  departmentId: string | null;
  /** The user's requests from the place in the filtered window. */
  requests: number;
  /** The user's last request from the place, epoch ms. */
  lastSeen: number;
  /** Users in the place (all pages) — the place's `users` in {@link geography}. */
  total: number;
}

/**
 * Drill-down (2.15 click on a country, a city bubble or the Unknown bucket) — the users with requests
 * from `country` (and `region` / `city` when given) in the filtered window, by requests there desc,
 * then user id; paged. Places match exactly as {@link geography} groups them (null country or region =
 * 'Unknown'), so `total` equals that place's `users`.
 */
export const usersInPlace = defineQuery<UsersInPlaceParams, PlaceUser[]>({
  name: 'usersInPlace',
  sql(ctx, params) {
    if (typeof params?.country !== 'string' || params.country === '') {
      throw new ParamError('country', `country must be an ISO alpha-2 code or 'Unknown', got ${describeValue(params?.country)}`, params?.country);
    }
    for (const k of ['region', 'city'] as const) {
      const v = params[k];
      if (v !== undefined && typeof v !== 'string') throw new ParamError(k, `${k} must be a string, got ${describeValue(v)}`, v);
    }
    const region = params.region === undefined ? sql`` : sql` AND coalesce(region, 'Unknown') = ${literal(params.region)}`;
    const city = params.city === undefined ? sql`` : sql` AND city = ${literal(params.city)}`;
    return sql`SELECT p.user_id, u.user_name, u.department_id, p.n::BIGINT AS requests, epoch_ms(p.last_ts) AS last_ms, count(*) OVER ()::BIGINT AS total
FROM (SELECT user_id, count(*) AS n, max(ts) AS last_ts FROM requests
  WHERE ${whereSql(ctx)} AND coalesce(country, 'Unknown') = ${literal(params.country)}${region}${city}
  GROUP BY user_id) p
LEFT JOIN users u ON u.user_id = p.user_id
ORDER BY p.n DESC, p.user_id
${page(params)}`;
  },
  transform(rows) {
    return rows.map((r) => ({
      userId: str(r.user_id),
      userName: r.user_name === null || r.user_name === undefined ? null : str(r.user_name),
      departmentId: r.department_id === null || r.department_id === undefined ? null : str(r.department_id),
      requests: num(r.requests),
      lastSeen: num(r.last_ms),
      total: num(r.total),
    }));
  },
});
