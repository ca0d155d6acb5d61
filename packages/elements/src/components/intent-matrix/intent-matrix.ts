import { define } from '../../internal/usage-element.js';
import UsageIntentMatrix from './intent-matrix.component.js';

export * from './intent-matrix.component.js';
export default UsageIntentMatrix;

define('usage-intent-matrix', UsageIntentMatrix);
