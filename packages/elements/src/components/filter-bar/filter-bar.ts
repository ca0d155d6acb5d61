import { define } from '../../internal/usage-element.js';
import UsageFilterBar from './filter-bar.component.js';

export * from './filter-bar.component.js';
export default UsageFilterBar;

define('usage-filter-bar', UsageFilterBar);
