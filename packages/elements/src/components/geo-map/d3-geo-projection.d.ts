/** The one export of d3-geo-projection the map uses (the package ships no types; @types has none for v4). */
declare module 'd3-geo-projection' {
  import type { GeoProjection } from 'd3-geo';
  export function geoRobinson(): GeoProjection;
}
