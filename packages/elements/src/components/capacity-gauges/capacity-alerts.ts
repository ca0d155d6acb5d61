/**
 * The A2.5 alert rules on chart 2.13 (pure): which rule of `GET /v1/alerts` applies to a gauge, its
 * thresholds in the gauge's % scale (for the tick marks) and its state in words. The rule's
 * thresholds are the user's alert, kept apart from the gauge's own zones (the snapshot's thresholds).
 */
import type { AlertState } from '@usage-analytics/actions';
import type { CapacityGauge } from '@usage-analytics/queries';
import type { CapacityFormatters } from './capacity-gauges.data.js';

/** What the gauge says of its rule: firing (warning / critical), recovered, set but quiet, or not evaluated yet. */
export type GaugeAlertState = 'critical' | 'warning' | 'recovered' | 'ok' | 'pending';

export interface GaugeAlertView {
  rule: AlertState;
  state: GaugeAlertState;
  /** The rule's thresholds in % of the gauge's capacity (null: absolute without a capacity to scale by). */
  warningPct: number | null;
  criticalPct: number | null;
  /** "Alert: firing critical since 5 Oct 2026, 14:00 UTC". */
  stateText: string;
  /** "Warning at 70 %, critical at 85 % (all environments)". */
  thresholdsText: string;
  /** The whole sentence for assistive technology. */
  ariaLabel: string;
}

/** The rule for a gauge: the one of its environment, else the global one (every environment). */
export function alertRuleFor(alerts: readonly AlertState[] | undefined, g: Pick<CapacityGauge, 'resourceType' | 'environment'>): AlertState | undefined {
  if (!alerts) return undefined;
  return (
    alerts.find((a) => a.resourceType === g.resourceType && a.environment === g.environment) ??
    alerts.find((a) => a.resourceType === g.resourceType && a.environment === null)
  );
}

export function gaugeAlertState(rule: AlertState): GaugeAlertState {
  if (rule.state !== 'ok') return rule.state;
  if (rule.evaluatedAt === null) return 'pending';
  // `since` is set by a transition: ok with a `since` came back from warning or critical.
  return rule.since !== null ? 'recovered' : 'ok';
}

export function gaugeAlertView(rule: AlertState, g: Pick<CapacityGauge, 'maxCapacity' | 'unit'>, f: CapacityFormatters, label: string): GaugeAlertView {
  const toPct = (t: AlertState['warning']) => (t.unit === 'pct' ? t.value : g.maxCapacity > 0 ? (100 * t.value) / g.maxCapacity : null);
  const show = (t: AlertState['warning']) => (t.unit === 'pct' ? f.pct(t.value) : `${f.usage(t.value)}${g.unit ? ` ${g.unit}` : ''}`);
  const state = gaugeAlertState(rule);
  const since = rule.since ? ` since ${f.when(Date.parse(rule.since))}` : '';
  const stateText = {
    critical: `Alert: firing critical${since}${rule.escalated ? ', escalated' : ''}`,
    warning: `Alert: firing warning${since}`,
    recovered: `Alert: recovered${since}`,
    ok: 'Alert: not firing',
    pending: 'Alert: set, not evaluated yet',
  }[state];
  const scope = rule.environment === null ? ' (all environments)' : '';
  const thresholdsText = `Alert thresholds: warning at ${show(rule.warning)}, critical at ${show(rule.critical)}${scope}`;
  const name = rule.name ? ` “${rule.name}”` : '';
  return {
    rule,
    state,
    warningPct: toPct(rule.warning),
    criticalPct: toPct(rule.critical),
    stateText,
    thresholdsText,
    ariaLabel: `Alert rule${name} on ${label}: ${stateText.replace(/^Alert: /, '')}. ${thresholdsText.replace(/^Alert thresholds: /, '')}, revision ${rule.revision}.`,
  };
}
