import { define } from '../../internal/usage-element.js';
import UsageProvider from './provider.component.js';

export * from './provider.component.js';
export default UsageProvider;

define('usage-provider', UsageProvider);
