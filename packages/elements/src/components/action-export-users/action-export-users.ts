import { define } from '../../internal/usage-element.js';
import UsageActionExportUsers from './action-export-users.component.js';

export * from './action-export-users.component.js';
export default UsageActionExportUsers;

define('usage-action-export-users', UsageActionExportUsers);
