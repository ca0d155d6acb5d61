/** The action catalogue against the PRD's Table 3 text, and the shared rules of A2.2 at calendar edges. */
import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  ROLE_LABELS,
  addDays,
  allowedActions,
  coversDepartment,
  deprecationIssues,
  mayPerform,
  routingSchedule,
  DeprecateAgentInput,
} from '../src/index.js';

// "Who Can Perform It", copied from the PRD's Table 3 as written there.
const PRD_WHO: Record<string, string> = {
  'A2.1': 'Product Manager, Director AI/ML',
  'A2.2': 'Director AI/ML, Engineering Manager',
  'A2.3': 'Product Manager, Business Analyst, Customer Success',
  'A2.4': 'Engineering Manager, Customer Success, Business Analyst',
  'A2.5': 'Platform Architect, DevOps, Engineering Manager',
  'A2.6': 'DevOps, Engineering Manager',
  'A2.7': 'Engineer, ML Engineer, Product Manager',
  'A2.8': 'Engineering Manager, Customer Success, Admin',
  'A2.9': 'Product Manager, Business Analyst, Director AI/ML',
  'A2.10': 'Platform Architect, DevOps, Finance (cost control)',
  'A2.11': 'ML Engineer, Product Manager',
  'A2.12': 'DevOps, Engineering Manager',
};

describe('the action catalogue', () => {
  it('has the PRD’s twelve actions with exactly the roles of its "Who can perform it" column', () => {
    expect(ACTIONS.map((a) => a.id)).toEqual(Object.keys(PRD_WHO));
    const byLabel = new Map(Object.entries(ROLE_LABELS).map(([role, label]) => [label, role]));
    for (const a of ACTIONS) {
      const want = PRD_WHO[a.id]
        .split(',')
        .map((s) => s.replace(/\(.*\)/, '').trim())
        .map((label) => byLabel.get(label));
      expect(want.every(Boolean), a.id).toBe(true);
      expect([...a.roles].sort(), a.id).toEqual((want as string[]).sort());
    }
  });

  it('a role may do what its column says and nothing else; several roles add up', () => {
    expect(mayPerform(['finance'], 'request-quota')).toBe(true);
    expect(mayPerform(['finance'], 'deprecate-agent')).toBe(false);
    expect(mayPerform(['admin'], 'deprecate-agent')).toBe(false);
    expect(mayPerform([], 'invite-user')).toBe(false);
    expect(mayPerform(['not-a-role'], 'invite-user')).toBe(false);
    expect(allowedActions(['devops', 'finance'])).toEqual(['capacity-alert', 'schedule-downtime', 'request-quota', 'auto-retry']);
  });

  it('departments: `*` covers all, a list covers its members, nothing covers an unknown department', () => {
    expect(coversDepartment(['*'], null)).toBe(true);
    expect(coversDepartment(['sales'], 'sales')).toBe(true);
    expect(coversDepartment(['sales'], 'Sales')).toBe(false);
    expect(coversDepartment(['sales'], null)).toBe(false);
  });
});

describe('A2.2 rules', () => {
  const base = { agentId: 'a', replacementAgentId: 'b' };
  it('the sunset is at least 30 days after today in UTC, across month and year ends', () => {
    const today = new Date(Date.UTC(2026, 11, 15, 23, 59)); // 2026-12-15 late evening UTC
    expect(addDays('2026-12-15', 30)).toBe('2027-01-14');
    expect(deprecationIssues({ ...base, sunsetDate: '2027-01-13' }, today)).toEqual([
      { field: 'sunsetDate', message: 'at least 30 days ahead: 2027-01-14 or later' },
    ]);
    expect(deprecationIssues({ ...base, sunsetDate: '2027-01-14' }, today)).toEqual([]);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-02-28', 1)).toBe('2027-03-01');
  });

  it('the replacement is another agent (spaces do not hide it)', () => {
    expect(deprecationIssues({ agentId: 'a', replacementAgentId: ' a ', sunsetDate: '2099-01-01' }, new Date()).map((i) => i.field)).toEqual([
      'replacementAgentId',
    ]);
  });

  it('routing moves the weekly share from tomorrow, all of it on the sunset day', () => {
    const today = new Date(Date.UTC(2026, 0, 30));
    expect(routingSchedule(today, '2026-03-15', 40)).toEqual([
      { from: '2026-01-31', sharePct: 40 },
      { from: '2026-02-07', sharePct: 80 },
      { from: '2026-03-15', sharePct: 100 },
    ]);
    expect(routingSchedule(today, '2026-03-15', 100)).toEqual([{ from: '2026-03-15', sharePct: 100 }]);
    // Sunset sooner than the shares reach 100 %: the last step jumps to 100 % on the sunset day.
    expect(routingSchedule(today, '2026-02-05', 5)).toEqual([
      { from: '2026-01-31', sharePct: 5 },
      { from: '2026-02-05', sharePct: 100 },
    ]);
  });

  it('the input schema refuses control characters, non-http links and impossible days, and names the field', () => {
    const ok = {
      agentId: 'a',
      replacementAgentId: 'b',
      sunsetDate: '2027-01-01',
      migrationGuideUrl: 'https://x.example/g',
      notification: { subject: 's', body: 'b' },
    };
    expect(DeprecateAgentInput.parse(ok).weeklySharePct).toBe(25);
    const field = (over: object) => DeprecateAgentInput.safeParse({ ...ok, ...over }).error?.issues[0].path.join('.');
    expect(field({ agentId: 'a\u0007b' })).toBe('agentId');
    expect(field({ migrationGuideUrl: 'data:text/html,<b>x</b>' })).toBe('migrationGuideUrl');
    expect(field({ migrationGuideUrl: 'javascript:alert(1)' })).toBe('migrationGuideUrl');
    expect(field({ sunsetDate: '2027-02-29' })).toBe('sunsetDate');
    expect(field({ notification: { subject: 'x'.repeat(201), body: 'b' } })).toBe('notification.subject');
    // Hostile text is accepted as text: it is data, rendered as text wherever it is shown.
    expect(DeprecateAgentInput.safeParse({ ...ok, notification: { subject: '<img src=x onerror=alert(1)>', body: '{{agent}}' } }).success).toBe(true);
  });
});
