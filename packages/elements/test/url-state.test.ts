import { expect, oneEvent } from '@open-wc/testing';
import { AGENT_STATUSES, DEFAULT_FILTERS, ENVIRONMENTS, REQUEST_STATUSES, TIME_PRESETS, USER_SEGMENTS, defaultFilters, type UsageFilters } from '@usage-analytics/queries';
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
  };
}

function randomLevel(r: () => number): UsageLevel {
  const x = r();
  if (x < 0.4) return fleet;
  if (x < 0.7) return { kind: 'agent', agentId: NASTY[Math.floor(r() * NASTY.length)] };
  const by = COMPARE_DIMENSIONS[Math.floor(r() * COMPARE_DIMENSIONS.length)];
  const values = randomValues(r, NASTY, 5);
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
    const { filters, level, warnings, present } = queryToFilters('t=90d&d=a,b&s=beta,deprecated&i=x&seg=new&env=staging&p=openai&a=agt&u=u1&rs=error&m=llama-3&level=agent:agt');
    expect(warnings).to.deep.equal([]);
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
    });
  });

  it('gives the defaults and no warning for a query without our keys (the page’s own params are ignored)', () => {
    const r = queryToFilters('tab=usage&wtr-session-id=1');
    expect(r).to.deep.equal({ filters: defaultFilters(), level: fleet, warnings: [], present: false });
  });

  it('drops unknown and malformed values with one warning each, keeping the rest', () => {
    const r = queryToFilters('t=5y&s=active,bogus&env=prod&seg=power,power&rs=&d=a,,b&level=wat&by=x');
    // env=prod has nothing usable left: the default (production) stays rather than widening to All.
    expect(r.filters).to.deep.equal(defaultFilters({ agentStatuses: ['active'], userSegments: ['power'], departments: ['a', 'b'] }));
    expect(r.level).to.deep.equal(fleet);
    expect(r.warnings).to.have.length(7);
    expect(r.warnings.join('\n')).to.contain('t="5y"').and.contain('"bogus"').and.contain('"prod"').and.contain('duplicate').and.contain('level="wat"');
  });

  it('drops a custom range whose end is not after its start, or that is not ISO', () => {
    for (const t of ['2026-10-08..2026-10-01', '2026-10-01..2026-10-01', 'yesterday..today', '2026-13-45..2026-14-01', '..', '2026-10-01..']) {
      const r = queryToFilters(new URLSearchParams({ t }));
      expect(r.filters.timeRange, t).to.deep.equal(DEFAULT_FILTERS.timeRange);
      expect(r.warnings, t).to.have.length(1);
    }
  });

  it('reads a compare level, defaulting by to department, and warns on a bad by', () => {
    expect(queryToFilters('level=compare').level).to.deep.equal({ kind: 'compare', by: 'department' });
    expect(queryToFilters('level=compare&by=environment').level).to.deep.equal({ kind: 'compare', by: 'environment' });
    const bad = queryToFilters('level=compare&by=planet');
    expect(bad.level).to.deep.equal({ kind: 'compare', by: 'department' });
    expect(bad.warnings).to.have.length(1);
    expect(queryToFilters('level=agent:').warnings).to.have.length(1);
  });

  it('never throws, whatever the query', () => {
    const r = rng(99);
    const alphabet = ['t', 'd', 's', 'env', 'level', 'by', 'cv', '=', '&', ',', '\\', '%', '%2', '%ZZ', '..', '*', 'agent:', 'compare', '7d', ' ', 'é', '\u202e'];
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
      expect(back.warnings, JSON.stringify({ filters, level })).to.deep.equal([]);
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
    expect(h.applied[0].parsed.warnings).to.have.length(1);
    expect(location.search).not.to.contain('bogus');
    expect(location.search).to.contain('s=beta');
    h.ctl.hostDisconnected();
  });
});
