import { expect, oneEvent } from '@open-wc/testing';
import {
  AGENT_STATUSES,
  DEFAULT_FILTERS,
  ENVIRONMENTS,
  REQUEST_STATUSES,
  TIME_PRESETS,
  USER_SEGMENTS,
  defaultFilters,
  type UsageFilters,
} from '@usage-analytics/queries';
import type { ReactiveControllerHost } from 'lit';
import { COMPARE_DIMENSIONS, type UsageLevel } from '../src/events/usage-level-change.js';
import {
  URL_KEYS,
  UrlStateController,
  decodeList,
  encodeList,
  filtersToQuery,
  mergeQuery,
  queryToFilters,
  sanitizeFilters,
  toQueryString,
  type ParsedQuery,
} from '../src/internal/url-state.js';
import { describeProblem, summarizeProblems, type UrlProblem } from '../src/internal/url-problems.js';
import { checkAgainstSnapshot, dataDays, fitRange, needsSnapshotCheck, type SnapshotFacts } from '../src/internal/url-check.js';
import { formatMicros, parseMicros } from '@usage-analytics/queries';

const fleet: UsageLevel = { kind: 'fleet' };
const q = (filters: Partial<UsageFilters>, level: UsageLevel = fleet) => toQueryString(filtersToQuery(defaultFilters(filters), level));

/** Through the string form a browser would keep in its address bar. */
function roundTrip(filters: UsageFilters, level: UsageLevel): ParsedQuery {
  return queryToFilters(new URLSearchParams(toQueryString(filtersToQuery(filters, level))));
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NASTY = [
  'engineering',
  'a,b',
  'comma,,double',
  'back\\slash',
  'trailing\\',
  '\\,',
  '*',
  '**',
  ' spaces  around ',
  'ünïcödé 部門',
  'עברית RTL',
  'مرحبا',
  '"double" \'single\' `tick`',
  '<img src=x onerror=alert(1)>',
  'a&b=c#d?e',
  '100% + more',
  'emoji 🚀👩🏽‍💻',
  '..',
  'agent:colon',
  'x'.repeat(500),
  'line\nbreak\ttab',
  '%2C literal',
  '+plus+',
];

function randomValues(r: () => number, pool: readonly string[], max = 4): string[] {
  const n = Math.floor(r() * (max + 1));
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const v = pool[Math.floor(r() * pool.length)];
    if (!out.includes(v)) out.push(v);
  }
  return out;
}

function randomFilters(r: () => number): UsageFilters {
  const range = (): UsageFilters['timeRange'] => {
    if (r() < 0.3) return { preset: 'custom', start: '2026-09-01', end: r() < 0.5 ? '2026-10-15' : '2026-10-15T12:30:00Z' };
    return { preset: TIME_PRESETS[Math.floor(r() * TIME_PRESETS.length)] };
  };
  return {
    timeRange: range(),
    departments: randomValues(r, NASTY),
    agentStatuses: randomValues(r, AGENT_STATUSES) as UsageFilters['agentStatuses'],
    intents: randomValues(r, NASTY),
    userSegments: randomValues(r, USER_SEGMENTS) as UsageFilters['userSegments'],
    environments: randomValues(r, ENVIRONMENTS) as UsageFilters['environments'],
    providers: randomValues(r, NASTY),
    agentIds: randomValues(r, NASTY),
    userIds: randomValues(r, NASTY),
    requestStatuses: randomValues(r, REQUEST_STATUSES) as UsageFilters['requestStatuses'],
    modelFamilies: randomValues(r, NASTY),
    savedSegments: [],
  };
}

function randomLevel(r: () => number): UsageLevel {
  const x = r();
  if (x < 0.4) return fleet;
  if (x < 0.7) return { kind: 'agent', agentId: NASTY[Math.floor(r() * NASTY.length)] };
  const by = COMPARE_DIMENSIONS[Math.floor(r() * COMPARE_DIMENSIONS.length)];
  // Environments are a closed vocabulary: a link comparing others is cleaned (issue 7 B8).
  const values = randomValues(r, by === 'environment' ? ENVIRONMENTS : NASTY, 5);
  return values.length ? { kind: 'compare', by, values } : { kind: 'compare', by };
}

describe('url-state: filtersToQuery(filters, level)', () => {
  it('writes nothing for the PRD defaults at the fleet level', () => {
    expect(filtersToQuery(defaultFilters(), fleet).toString()).to.equal('');
    expect(toQueryString(filtersToQuery(defaultFilters()))).to.equal('');
  });

  it('writes only non-default values under short keys, lists comma-separated', () => {
    expect(q({ timeRange: { preset: '7d' } })).to.equal('?t=7d');
    expect(q({ departments: ['engineering', 'support'] })).to.equal('?d=engineering,support');
    expect(q({ agentStatuses: ['beta'], environments: ['production', 'staging'] })).to.equal('?s=beta&env=production,staging');
    expect(q({ intents: ['code_gen'], userSegments: ['power'], providers: ['openai'] })).to.equal('?i=code_gen&seg=power&p=openai');
    expect(q({ agentIds: ['agt-1'], userIds: ['u-1'], requestStatuses: ['error', 'timeout'], modelFamilies: ['gpt-4o'] })).to.equal(
      '?a=agt-1&u=u-1&rs=error,timeout&m=gpt-4o',
    );
  });

  it('writes "All" for a list whose default is not empty as *', () => {
    expect(q({ agentStatuses: [], environments: [] })).to.equal('?s=*&env=*');
    expect(queryToFilters('s=*&env=*').filters).to.deep.equal(defaultFilters({ agentStatuses: [], environments: [] }));
  });

  it('writes a custom range as START..END', () => {
    expect(q({ timeRange: { preset: 'custom', start: '2026-10-01', end: '2026-10-08' } })).to.equal('?t=2026-10-01..2026-10-08');
  });

  it('writes the level: compare (by, values) and agent:<id>', () => {
    expect(q({}, { kind: 'compare', by: 'department' })).to.equal('?level=compare');
    expect(q({}, { kind: 'compare', by: 'agent_version', values: ['2.0', '1.9'] })).to.equal('?level=compare&by=agent_version&cv=2.0,1.9');
    expect(q({}, { kind: 'agent', agentId: 'agt-support-copilot' })).to.equal('?level=agent:agt-support-copilot');
  });

  it('escapes commas and backslashes inside values and percent-encodes the rest', () => {
    expect(encodeList(['a,b', 'c\\d', '*'])).to.equal('a\\,b,c\\\\d,\\*');
    expect(decodeList('a\\,b,c\\\\d,\\*')).to.deep.equal(['a,b', 'c\\d', '*']);
    const s = q({ departments: ['R&D, EMEA', 'x y'] });
    expect(s).to.equal('?d=R%26D%5C,+EMEA,x+y');
    expect(queryToFilters(s.slice(1)).filters.departments).to.deep.equal(['R&D, EMEA', 'x y']);
  });
});

describe('url-state: queryToFilters(params)', () => {
  it('reads every key back', () => {
    const { filters, level, problems, present } = queryToFilters(
      't=90d&d=a,b&s=beta,deprecated&i=x&seg=new&env=staging&p=openai&a=agt&u=u1&rs=error&m=llama-3&ss=seg-1,a\\,b&level=agent:agt',
    );
    expect(problems).to.deep.equal([]);
    expect(queryToFilters('ss=seg-1,a\\,b').savedSegmentIds).to.deep.equal(['seg-1', 'a,b']);
    expect(present).to.equal(true);
    expect(level).to.deep.equal({ kind: 'agent', agentId: 'agt' });
    expect(filters).to.deep.equal({
      timeRange: { preset: '90d' },
      departments: ['a', 'b'],
      agentStatuses: ['beta', 'deprecated'],
      intents: ['x'],
      userSegments: ['new'],
      environments: ['staging'],
      providers: ['openai'],
      agentIds: ['agt'],
      userIds: ['u1'],
      requestStatuses: ['error'],
      modelFamilies: ['llama-3'],
      // Saved segments come back as ids (savedSegmentIds), resolved by the tab once listed.
      savedSegments: [],
    });
  });

  it('writes saved segments by id (ss=), after the lists, and keeps pending ids of a link', () => {
    const criteria = { windowDays: 30 as const, requests: {}, agents: { ids: [], mode: 'any' as const }, departments: [], engagement: [] };
    const f = defaultFilters({ savedSegments: [{ id: 'seg,1', name: '<b>x</b>', criteria }] });
    const q = filtersToQuery(f, fleet, ['seg-2', 'seg,1']);
    expect(q.get('ss')).to.equal('seg\\,1,seg-2');
    expect(queryToFilters(q).savedSegmentIds).to.deep.equal(['seg,1', 'seg-2']);
    expect(queryToFilters('ss=*').savedSegmentIds).to.deep.equal([]);
    const dropped = queryToFilters('ss=a,,a');
    expect(dropped.savedSegmentIds).to.deep.equal(['a']);
    expect(dropped.problems).to.have.length(2);
  });

  it('gives the defaults and no warning for a query without our keys (the page’s own params are ignored)', () => {
    const r = queryToFilters('tab=usage&wtr-session-id=1');
    expect(r).to.deep.equal({ filters: defaultFilters(), level: fleet, problems: [], present: false, savedSegmentIds: [] });
  });

  it('drops unknown and malformed values with one warning each, keeping the rest', () => {
    const r = queryToFilters('t=5y&s=active,bogus&env=prod&seg=power,power&rs=&d=a,,b&level=wat&by=x');
    // env=prod has nothing usable left: the default (production) stays rather than widening to All.
    expect(r.filters).to.deep.equal(defaultFilters({ agentStatuses: ['active'], userSegments: ['power'], departments: ['a', 'b'] }));
    expect(r.level).to.deep.equal(fleet);
    expect(r.problems).to.have.length(7);
    expect(r.problems.map(describeProblem).join('\n'))
      .to.contain('time range "5y"')
      .and.contain('"bogus"')
      .and.contain('"prod"')
      .and.contain('repeated')
      .and.contain('level "wat"');
  });

  it('drops a custom range whose end is not after its start, or that is not ISO', () => {
    for (const t of ['2026-10-08..2026-10-01', '2026-10-01..2026-10-01', 'yesterday..today', '2026-13-45..2026-14-01', '..', '2026-10-01..']) {
      const r = queryToFilters(new URLSearchParams({ t }));
      expect(r.filters.timeRange, t).to.deep.equal(DEFAULT_FILTERS.timeRange);
      expect(r.problems, t).to.have.length(1);
    }
  });

  it('drops impossible dates and years outside 1700–2200 as the queries refuse them, saying which rule they break', () => {
    const cases: [string, string][] = [
      ['2025-02-01..2025-02-30', 'day 30 does not exist in 2025-02'],
      ['2026-10-01T24:00..2026-10-02', 'hour 24 does not exist (00–23)'],
      ['2026-10-01..2026-10-01T23:60', 'minute 60 does not exist (00–59)'],
      ['0001-01-01..9999-12-31', 'year 1 is outside 1700–2200'],
      ['2026-10-01..2201-01-01', 'year 2201 is outside 1700–2200'],
      ['2026-10-01T12:00+25:00..2026-10-02', 'UTC offset +25:00 does not exist (−18:00 … +18:00)'],
    ];
    for (const [t, why] of cases) {
      const r = queryToFilters(new URLSearchParams({ t }));
      expect(r.filters.timeRange, t).to.deep.equal(DEFAULT_FILTERS.timeRange);
      expect(r.problems.map(describeProblem), t).to.deep.equal([`time range ${JSON.stringify(t)} (not a real date: ${why})`]);
    }
    // Real dates with up to six fractional digits pass, exactly as written.
    const exact = queryToFilters(new URLSearchParams({ t: '2024-02-29T09:30:00.123457Z..2024-03-01' }));
    expect(exact.filters.timeRange).to.deep.equal({ preset: 'custom', start: '2024-02-29T09:30:00.123457Z', end: '2024-03-01' });
  });

  it('drops values with a NUL character (the queries refuse them) from every list, the agent level and compared values', () => {
    const r = queryToFilters(new URLSearchParams({ d: 'ok,bad\u0000x', u: 'u\u0000', level: 'agent:a\u0000' }));
    expect(r.filters.departments).to.deep.equal(['ok']);
    expect(r.filters.userIds).to.deep.equal([]);
    expect(r.level).to.deep.equal(fleet);
    expect(r.problems.map((p) => p.why)).to.deep.equal(['contains a NUL character', 'contains a NUL character', 'contains a NUL character']);
  });

  it('reads a compare level, defaulting by to department, and warns on a bad by', () => {
    expect(queryToFilters('level=compare').level).to.deep.equal({ kind: 'compare', by: 'department' });
    expect(queryToFilters('level=compare&by=environment').level).to.deep.equal({ kind: 'compare', by: 'environment' });
    const bad = queryToFilters('level=compare&by=planet');
    expect(bad.level).to.deep.equal({ kind: 'compare', by: 'department' });
    expect(bad.problems).to.have.length(1);
    expect(queryToFilters('level=agent:').problems).to.have.length(1);
  });

  it('never throws, whatever the query', () => {
    const r = rng(99);
    const alphabet = [
      't',
      'd',
      's',
      'env',
      'level',
      'by',
      'cv',
      '=',
      '&',
      ',',
      '\\',
      '%',
      '%2',
      '%ZZ',
      '..',
      '*',
      'agent:',
      'compare',
      '7d',
      ' ',
      'é',
      '\u202e',
    ];
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = Math.floor(r() * 20);
      for (let j = 0; j < n; j++) s += alphabet[Math.floor(r() * alphabet.length)];
      expect(() => queryToFilters(s), s).not.to.throw();
    }
  });
});

describe('url-state: round trip', () => {
  it('queryToFilters(filtersToQuery(f, level)) gives f and level back for 3000 random states with hostile values', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const filters = randomFilters(r);
      const level = randomLevel(r);
      const back = roundTrip(filters, level);
      expect(back.problems, JSON.stringify({ filters, level })).to.deep.equal([]);
      expect(back.filters).to.deep.equal(filters);
      expect(back.level).to.deep.equal(level);
    }
  });

  it('round-trips every single hostile value in every list key', () => {
    const lists = ['departments', 'intents', 'providers', 'agentIds', 'userIds', 'modelFamilies'] as const;
    for (const field of lists) {
      for (const v of NASTY) {
        const f = defaultFilters({ [field]: [v] });
        expect(roundTrip(f, fleet).filters[field], `${field}=${JSON.stringify(v)}`).to.deep.equal([v]);
      }
    }
    for (const v of NASTY) expect(roundTrip(defaultFilters(), { kind: 'agent', agentId: v }).level).to.deep.equal({ kind: 'agent', agentId: v });
  });

  it('is compact: the same state always gives the same string, with only the keys that differ', () => {
    const f = defaultFilters({ departments: ['b', 'a'], timeRange: { preset: '24h' } });
    const s = q(f);
    expect(s).to.equal('?t=24h&d=b,a');
    expect(toQueryString(filtersToQuery(queryToFilters(s.slice(1)).filters))).to.equal(s);
  });
});

describe('url-state: mergeQuery and sanitizeFilters', () => {
  it('mergeQuery keeps the page’s own parameters and replaces ours', () => {
    const ours = filtersToQuery(defaultFilters({ timeRange: { preset: '7d' } }));
    expect(mergeQuery('?tab=usage&t=90d&d=x&wtr-session-id=abc', ours)).to.equal('?tab=usage&wtr-session-id=abc&t=7d');
    expect(mergeQuery('?t=90d', new URLSearchParams())).to.equal('');
    expect(URL_KEYS).to.include.members(['t', 'd', 's', 'env', 'seg', 'i', 'p', 'a', 'u', 'rs', 'm', 'level']);
  });

  it('sanitizeFilters drops values the snapshot lacks, with a warning each, and keeps identity when nothing changes', () => {
    const dims = { departments: ['eng', 'support'], intents: ['analysis'], providers: ['openai'], modelFamilies: ['gpt-4o'], agentIds: ['agt-1'] };
    const clean = defaultFilters({ departments: ['eng'] });
    expect(sanitizeFilters(clean, dims).filters).to.equal(clean);
    const { filters, warnings } = sanitizeFilters(defaultFilters({ departments: ['eng', 'gone'], agentIds: ['agt-9'] }), dims);
    expect(filters.departments).to.deep.equal(['eng']);
    expect(filters.agentIds).to.deep.equal([]);
    expect(warnings).to.have.length(2);
  });
});

describe('url-state: summarizeProblems(problems)', () => {
  const dept = (value: string): UrlProblem => ({ what: ['department', 'departments'], value, why: 'not in this snapshot' });

  it('says one problem as it is, and groups many of a kind into a count and the first three values, clipped', () => {
    expect(summarizeProblems([dept('x')])).to.equal('department "x" (not in this snapshot)');
    const many = Array.from({ length: 5000 }, (_, i) => dept(i === 1 ? 'z'.repeat(10_000) : `d${i}`));
    const s = summarizeProblems(many);
    expect(s).to.equal(`5,000 departments (not in this snapshot): "d0", "${'z'.repeat(30)}…, "d2", …`);
  });

  it('spells out three kinds at most, then counts the rest', () => {
    const s = summarizeProblems([
      dept('a'),
      { what: ['agent', 'agents'], value: 'x', why: 'not in this snapshot; the fleet is shown' },
      { what: ['time range', 'time ranges'], value: '5y', why: 'expected …' },
      { what: ['level', 'levels'], value: 'wat', why: 'unknown' },
      { what: ['provider', 'providers'], value: 'p', why: 'not in this snapshot' },
    ]);
    expect(s).to.equal(
      'department "a" (not in this snapshot); agent "x" (not in this snapshot; the fleet is shown); time range "5y" (expected …); 2 more kinds of problem',
    );
  });
});

describe('url-check: a link against the snapshot', () => {
  const DAY_US = 86_400_000_000;
  const us = (iso: string) => parseMicros(iso)!;
  // 120 days of data whose last request is not on a millisecond boundary.
  const facts: SnapshotFacts = {
    dims: { departments: ['eng', 'sales'], intents: ['analysis'], providers: ['openai'], modelFamilies: ['gpt-4o'], agentIds: ['agt-1', 'agt-2'] },
    dataStart: us('2026-07-04T00:00:00Z'),
    anchor: us('2026-10-31T09:30:00.123457Z'),
  };
  const custom = (start: string, end: string) => defaultFilters({ timeRange: { preset: 'custom', start, end } });

  it('dataDays covers the whole UTC days of the data (a sub-millisecond end still counts its day)', () => {
    const d = dataDays(facts.dataStart, facts.anchor);
    expect([formatMicros(d.start), formatMicros(d.end)]).to.deep.equal(['2026-07-04T00:00:00Z', '2026-11-01T00:00:00Z']);
    expect(dataDays(us('2026-07-04T00:00:00Z'), us('2026-11-01T00:00:00Z')).end).to.equal(us('2026-11-01'));
    expect((d.end - d.start) / DAY_US).to.equal(120);
  });

  it('fitRange keeps a range within the data’s length of its days, cuts one reaching further, and drops one far from it', () => {
    const fit = (s: string, e: string) => fitRange({ preset: 'custom', start: s, end: e }, facts.dataStart, facts.anchor);
    expect(fit('2026-10-01', '2026-11-05').kind).to.equal('inside');
    expect(fit('2026-03-06', '2027-02-28').kind, 'exactly 120 days either side').to.equal('inside');
    expect(fit('2026-03-05', '2026-10-01')).to.deep.include({ kind: 'cut', range: { preset: 'custom', start: '2026-07-04', end: '2026-10-01' } });
    expect(fit('1990-01-01', '2100-01-01')).to.deep.include({ kind: 'cut', range: { preset: 'custom', start: '2026-07-04', end: '2026-11-01' } });
    expect(fit('2026-08-01T06:00:00.5Z', '2030-01-01')).to.deep.include({
      kind: 'cut',
      range: { preset: 'custom', start: '2026-08-01T06:00:00.5Z', end: '2026-11-01' },
    });
    expect(fit('2150-01-01', '2150-02-01').kind).to.equal('outside');
    expect(fit('1800-01-01', '1801-01-01').kind).to.equal('outside');
    expect(fitRange({ preset: '90d' }, facts.dataStart, facts.anchor).kind).to.equal('inside');
  });

  it('checkAgainstSnapshot drops unknown values, falls back from an unknown agent to the fleet, cleans compared values, and keeps identity when all is known', () => {
    const ok = { filters: defaultFilters({ departments: ['eng'], agentIds: ['agt-1'] }), level: { kind: 'agent', agentId: 'agt-2' } as UsageLevel };
    const same = checkAgainstSnapshot(ok, facts);
    expect(same.state).to.equal(ok);
    expect(same.problems).to.deep.equal([]);

    const bad = checkAgainstSnapshot(
      { filters: defaultFilters({ departments: ['eng', 'gone'], intents: ['x'], modelFamilies: ['m'] }), level: { kind: 'agent', agentId: 'agt-9' } },
      facts,
    );
    expect(bad.state.filters).to.deep.equal(defaultFilters({ departments: ['eng'] }));
    expect(bad.state.level).to.deep.equal(fleet);
    expect(bad.problems.map(describeProblem)).to.deep.equal([
      'department "gone" (not in this snapshot)',
      'intent "x" (not in this snapshot)',
      'model family "m" (not in this snapshot)',
      'agent "agt-9" (not in this snapshot; the fleet is shown)',
    ]);

    const cmp = checkAgainstSnapshot({ filters: defaultFilters(), level: { kind: 'compare', by: 'department', values: ['eng', 'nope', 'sales'] } }, facts);
    expect(cmp.state.level).to.deep.equal({ kind: 'compare', by: 'department', values: ['eng', 'sales'] });
    const none = checkAgainstSnapshot({ filters: defaultFilters(), level: { kind: 'compare', by: 'provider', values: ['nope'] } }, facts);
    expect(none.state.level).to.deep.equal({ kind: 'compare', by: 'provider' });
    // Agent versions are not enumerated at first paint: left for the tab to check against the period's versions.
    const versions = { filters: defaultFilters(), level: { kind: 'compare', by: 'agent_version', values: ['9.9'] } as UsageLevel };
    expect(checkAgainstSnapshot(versions, facts).state).to.equal(versions);
  });

  it('checkAgainstSnapshot cuts or drops a range far from the data, saying so', () => {
    const cut = checkAgainstSnapshot({ filters: custom('1990-01-01', '2100-01-01'), level: fleet }, facts);
    expect(cut.state.filters.timeRange).to.deep.equal({ preset: 'custom', start: '2026-07-04', end: '2026-11-01' });
    expect(cut.problems.map(describeProblem)).to.deep.equal([
      'time range "1990-01-01..2100-01-01" (reaches far beyond the data; cut to the data, 2026-07-04..2026-11-01)',
    ]);
    const far = checkAgainstSnapshot({ filters: custom('2150-01-01', '2150-02-01'), level: fleet }, facts);
    expect(far.state.filters.timeRange).to.deep.equal(DEFAULT_FILTERS.timeRange);
    expect(far.problems.map(describeProblem)).to.deep.equal([
      'time range "2150-01-01..2150-02-01" (far from the data (2026-07-04..2026-11-01); the default range is shown)',
    ]);
  });

  it('needsSnapshotCheck is true only for what the snapshot must confirm', () => {
    expect(needsSnapshotCheck({ filters: defaultFilters({ timeRange: { preset: '7d' }, agentStatuses: [], userIds: ['u'] }), level: fleet })).to.equal(false);
    expect(needsSnapshotCheck({ filters: defaultFilters(), level: { kind: 'compare', by: 'department' } })).to.equal(false);
    expect(needsSnapshotCheck({ filters: defaultFilters({ providers: ['openai'] }), level: fleet })).to.equal(true);
    expect(needsSnapshotCheck({ filters: custom('2026-10-01', '2026-10-02'), level: fleet })).to.equal(true);
    expect(needsSnapshotCheck({ filters: defaultFilters(), level: { kind: 'agent', agentId: 'a' } })).to.equal(true);
    expect(needsSnapshotCheck({ filters: defaultFilters(), level: { kind: 'compare', by: 'intent', values: ['x'] } })).to.equal(true);
  });
});

/** Counts history.pushState calls (history.length is capped at 50 by Chromium, so it cannot count entries in a long run). */
function countPushes(): { readonly n: number; restore(): void } {
  const orig = history.pushState;
  let n = 0;
  history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    n++;
    return orig.apply(this, args);
  };
  return {
    get n() {
      return n;
    },
    restore: () => {
      history.pushState = orig;
    },
  };
}

describe('UrlStateController', () => {
  const start = location.href;
  afterEach(() => history.replaceState(null, '', start));

  function harness(initial: { filters: UsageFilters; level: UsageLevel }) {
    const state = { ...initial };
    const applied: { parsed: ParsedQuery; cause: string }[] = [];
    const host = { addController() {}, removeController() {}, requestUpdate() {}, updateComplete: Promise.resolve(true) } as unknown as ReactiveControllerHost;
    let enabled = true;
    const ctl = new UrlStateController(host, {
      enabled: () => enabled,
      current: () => state,
      apply: (parsed, cause) => {
        applied.push({ parsed, cause });
        state.filters = parsed.filters;
        state.level = parsed.level;
      },
    });
    return { ctl, state, applied, disable: () => (enabled = false) };
  }

  it('applies the URL on connect, keeps foreign params, and pushes only real changes', () => {
    history.replaceState(null, '', `${location.pathname}${location.search}&t=7d&d=eng`);
    const h = harness({ filters: defaultFilters(), level: fleet });
    h.ctl.hostConnected();
    expect(h.applied.map((a) => a.cause)).to.deep.equal(['load']);
    expect(h.state.filters.timeRange).to.deep.equal({ preset: '7d' });
    expect(h.state.filters.departments).to.deep.equal(['eng']);

    const pushes = countPushes();
    h.ctl.push(h.state); // same state: no entry
    expect(pushes.n).to.equal(0);
    h.ctl.push({ filters: defaultFilters({ departments: ['eng', 'support'] }), level: { kind: 'agent', agentId: 'agt-1' } });
    expect(pushes.n).to.equal(1);
    pushes.restore();
    expect(location.search).to.contain('wtr-session-id=');
    expect(location.search).to.contain('d=eng,support');
    expect(location.search).to.contain('level=agent:agt-1');
    expect(location.search).not.to.contain('t=7d');
    h.ctl.hostDisconnected();
  });

  it('restores on Back (popstate) without writing, so there is no loop', async () => {
    const h = harness({ filters: defaultFilters(), level: fleet });
    h.ctl.hostConnected();
    h.ctl.push({ filters: defaultFilters({ timeRange: { preset: '24h' } }), level: fleet });
    h.ctl.push({ filters: defaultFilters({ timeRange: { preset: '1h' } }), level: fleet });
    const pop = oneEvent(window, 'popstate');
    history.back();
    await pop;
    expect(h.applied.at(-1)!.cause).to.equal('history');
    expect(h.state.filters.timeRange).to.deep.equal({ preset: '24h' });
    const pushes = countPushes();
    h.ctl.push(h.state); // what a host does after applying: nothing new
    expect(pushes.n).to.equal(0);
    pushes.restore();
    expect(location.search).to.contain('t=24h');
    h.ctl.hostDisconnected();
  });

  it('writes a non-default initial state with replaceState when the URL has none, and nothing when disabled', () => {
    const pushes = countPushes();
    const h = harness({ filters: defaultFilters({ providers: ['openai'] }), level: fleet });
    h.ctl.hostConnected();
    expect(pushes.n).to.equal(0);
    pushes.restore();
    expect(location.search).to.contain('p=openai');
    expect(h.applied).to.deep.equal([]);
    h.ctl.hostDisconnected();

    history.replaceState(null, '', start);
    const off = harness({ filters: defaultFilters({ providers: ['openai'] }), level: fleet });
    off.disable();
    off.ctl.hostConnected();
    off.ctl.push({ filters: defaultFilters({ departments: ['x'] }), level: fleet });
    expect(location.href).to.equal(start);
    off.ctl.hostDisconnected();
  });

  it('rewrites a URL with dropped values to its clean form on load', () => {
    history.replaceState(null, '', `${location.pathname}${location.search}&t=bogus&s=beta`);
    const h = harness({ filters: defaultFilters(), level: fleet });
    h.ctl.hostConnected();
    expect(h.applied[0].parsed.problems).to.have.length(1);
    expect(location.search).not.to.contain('bogus');
    expect(location.search).to.contain('s=beta');
    h.ctl.hostDisconnected();
  });
});
