import { define } from '../../internal/usage-element.js';
import UsageActionCreateSegment from './action-create-segment.component.js';

export * from './action-create-segment.component.js';
export default UsageActionCreateSegment;

define('usage-action-create-segment', UsageActionCreateSegment);
