import { define } from '../../internal/usage-element.js';
import UsageTopUsers from './top-users.component.js';

export * from './top-users.component.js';
export { TOP_USERS_LIMIT, TOP_USERS_PARAMS, VIEW_ALL_PAGE, concentrationText, fetchAllUsers, topUserColumns, userDrilldown } from './top-users.data.js';
export default UsageTopUsers;

define('usage-top-users', UsageTopUsers);
