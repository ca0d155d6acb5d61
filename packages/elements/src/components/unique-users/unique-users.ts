import { define } from '../../internal/usage-element.js';
import UsageUniqueUsers from './unique-users.component.js';

export * from './unique-users.component.js';
export default UsageUniqueUsers;

define('usage-unique-users', UsageUniqueUsers);
