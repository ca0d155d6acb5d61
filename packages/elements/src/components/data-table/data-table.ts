import { define } from '../../internal/usage-element.js';
import UsageDataTable from './data-table.component.js';

export * from './data-table.component.js';
export default UsageDataTable;

define('usage-data-table', UsageDataTable);
