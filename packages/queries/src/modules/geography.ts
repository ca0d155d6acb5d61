import { sql } from '../sql.js';
import { whereSql } from '../filters.js';
import { defineQuery, num, numOrNull, str } from '../module.js';

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
