import { define } from '../../internal/usage-element.js';
import UsageAdoptionCurve from './adoption-curve.component.js';

export * from './adoption-curve.component.js';
export default UsageAdoptionCurve;

define('usage-adoption-curve', UsageAdoptionCurve);
