/** The action dialogs `<usage-analytics>` shows with an `actions` client; imported lazily by the tab (see analytics.component.ts). */
import '../action-capacity-alert/action-capacity-alert.js';
import '../action-create-segment/action-create-segment.js';
import '../action-deprecate-agent/action-deprecate-agent.js';
import '../action-export-users/action-export-users.js';
import '../action-promote-agent/action-promote-agent.js';
import '../action-request-quota/action-request-quota.js';
