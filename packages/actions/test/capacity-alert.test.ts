/** A2.5's input schema as the dialog runs it: the cross-field rules name the field, valid input passes. */
import { describe, expect, it } from 'vitest';
import { CapacityAlertInput, fieldIssues } from '../src/index.js';

const ok = {
  resourceType: 'memory',
  environment: null,
  warning: { value: 70, unit: 'pct' },
  critical: { value: 90, unit: 'pct' },
  channels: { inApp: true },
};

const fields = (input: unknown) => {
  const r = CapacityAlertInput.safeParse(input);
  return r.success ? [] : fieldIssues(r.error).map((i) => i.field);
};

describe('CapacityAlertInput', () => {
  it('accepts a global % rule and an environment rule in absolute units with escalation', () => {
    expect(fields(ok)).toEqual([]);
    expect(
      fields({
        ...ok,
        environment: 'production',
        warning: { value: 5000, unit: 'absolute' },
        critical: { value: 9000, unit: 'absolute' },
        escalation: { afterMinutes: 15, to: { webhook: 'https://pager.example/hook' } },
        name: '<b>not markup</b>',
      }),
    ).toEqual([]);
  });

  it('names the field of each cross-field rule', () => {
    expect(fields({ ...ok, critical: { value: 70, unit: 'pct' } })).toEqual(['critical.value']);
    expect(fields({ ...ok, critical: { value: 90, unit: 'absolute' } })).toEqual(['critical.unit']);
    expect(fields({ ...ok, warning: { value: 1001, unit: 'pct' }, critical: { value: 1002, unit: 'pct' } })).toEqual(['warning.value', 'critical.value']);
    expect(fields({ ...ok, channels: { inApp: false } })).toEqual(['channels']);
    expect(fields({ ...ok, escalation: { afterMinutes: 10, to: {} } })).toEqual(['escalation.to']);
    expect(fields({ ...ok, environment: 'moon' })).toEqual(['environment']);
    expect(fields({ ...ok, warning: { value: -1, unit: 'pct' } })).toContain('warning.value');
  });
});
