import { define } from '../../internal/usage-element.js';
import UsageGeoMap from './geo-map.component.js';

export * from './geo-map.component.js';
export {
  bubbleRadius,
  colourScale,
  geoView,
  keyboardOrder,
  legendItems,
  tableRows,
  type CityRow,
  type CountryRow,
  type GeoMetric,
  type GeoProjectionKind,
  type GeoRow,
  type GeoView,
} from './geo-map.data.js';
export { geoMapChart, type GeoMapData, type GeoMapLayout, type GeoMapOptions, type GeoTarget } from './geo-map.draw.js';
export default UsageGeoMap;

define('usage-geo-map', UsageGeoMap);
