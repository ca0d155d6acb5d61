import { define } from '../../internal/usage-element.js';
import UsageForecastChart from './forecast.component.js';

export * from './forecast.component.js';
export {
  HORIZONS,
  chartData,
  clampHorizon,
  explainForecast,
  forecastRows,
  pooledAccuracy,
  scopeFilters,
  scopeLabel,
  type ForecastRow,
} from './forecast.data.js';
export default UsageForecastChart;

define('usage-forecast', UsageForecastChart);
