import type { Meta, StoryObj } from '@storybook/web-components-vite';
import '../packages/elements/src/index.js';
import type { QueryClient, UsageJourneySankey } from '../packages/elements/src/index.js';
import { defaultFilters, type JourneyNode, type JourneyParams, type JourneySankey } from '../packages/queries/src/index.js';

interface Args {
  locale: string;
  topN: number;
  steps: number;
  anchorAgent: string;
  anchorMode: 'start' | 'end';
}

const AGENTS = [
  'support-bot',
  'code-assistant',
  'data-analyst',
  'meeting-notes',
  'research',
  'deal-desk',
  'hr-helper',
  'incident',
  'translator',
  'legal-review',
  'finance-qa',
  '<img src=x onerror=alert(1)> shown as text',
];
const REASONS = ['completed', 'user_abandoned', 'error', 'timeout'];

interface Session {
  user: string;
  seq: string[];
  exit: string;
}

/** `n` sessions from a sticky random walk over the agents (deterministic), with loops and a few long ones. */
function sessions(n: number, seed = 5): Session[] {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const pick = () => AGENTS[Math.min(AGENTS.length - 1, Math.floor(AGENTS.length * rand() ** 2))];
  return Array.from({ length: n }, (_, i) => {
    const seq = [pick()];
    while (rand() < (i % 25 === 0 ? 0.95 : 0.72) && seq.length < 30) seq.push(rand() < 0.3 ? (seq[seq.length - 2] ?? pick()) : pick());
    return { user: `user-${Math.floor(rand() * n * 0.4)}`, seq, exit: REASONS[Math.floor(rand() ** 1.7 * 4)] };
  });
}

/** What the `journeySankey` module answers for these sessions (the same rules, in plain code, for the story). */
function journey(all: Session[], p: JourneyParams): JourneySankey {
  const S = p.steps ?? 10;
  const N = p.topN ?? 8;
  const a = p.anchor ?? null;
  const wins = all.flatMap((s) => {
    let from = 0;
    let to = Math.min(s.seq.length, S);
    let col = 1;
    if (a?.mode === 'start') {
      from = s.seq.indexOf(a.agentId);
      if (from < 0) return [];
      to = Math.min(s.seq.length, from + S);
    } else if (a?.mode === 'end') {
      to = s.seq.lastIndexOf(a.agentId) + 1;
      if (!to) return [];
      from = Math.max(0, to - S);
      col = S - (to - from) + 1;
    }
    return [{ s, cells: s.seq.slice(from, to).map((ag, i) => [col + i, ag] as const), ended: to === s.seq.length, earlier: from > 0 }];
  });
  const counts = new Map<string, number>();
  for (const w of wins) for (const [c, ag] of w.cells) counts.set(`${c}|${ag}`, (counts.get(`${c}|${ag}`) ?? 0) + 1);
  const ranked = new Map<number, [string, number][]>();
  for (const [k, v] of counts) {
    const [c, ...rest] = k.split('|');
    ranked.set(Number(c), [...(ranked.get(Number(c)) ?? []), [rest.join('|'), v]]);
  }
  const kept = new Set<string>();
  const others = new Map<number, number>();
  for (const [c, list] of ranked) {
    list.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    list.slice(0, N).forEach(([ag]) => kept.add(`${c}|${ag}`));
    others.set(c, Math.max(0, list.length - N));
  }
  const allUsers = new Set(all.map((s) => s.user)).size;
  const nodes = new Map<string, JourneyNode & { u: Set<string>; r: Map<string, Set<string> & { n?: number }> }>();
  const links = new Map<
    string,
    { source: string; target: string; step: number; sessions: number; u: Set<string>; r: Map<string, Set<string> & { n?: number }> }
  >();
  const node = (id: string, kind: JourneyNode['kind'], step: number, column: number, agentId: string | null) => {
    let x = nodes.get(id);
    if (!x)
      nodes.set(
        id,
        (x = {
          id,
          kind,
          step,
          column,
          agentId,
          sessions: 0,
          users: 0,
          usersPct: null,
          otherAgents: kind === 'other' ? (others.get(step) ?? 0) : 0,
          reasons: [],
          u: new Set(),
          r: new Map(),
        }),
      );
    return x;
  };
  const reason = (m: Map<string, Set<string> & { n?: number }>, r: string, user: string) => {
    const set = m.get(r) ?? Object.assign(new Set<string>(), { n: 0 });
    m.set(r, set);
    set.add(user);
    set.n = (set.n ?? 0) + 1;
  };
  for (const w of wins) {
    const ids = w.cells.map(([c, ag]) => {
      const isKept = kept.has(`${c}|${ag}`);
      const x = node(isKept ? `a:${c}:${ag}` : `o:${c}`, isKept ? 'agent' : 'other', c, c, isKept ? ag : null);
      x.sessions++;
      x.u.add(w.s.user);
      return x.id;
    });
    const last = w.cells[w.cells.length - 1][0];
    const end = w.ended ? node(`x:${last}`, 'exit', last, last + 1, null) : node('c', 'continues', S, S + 1, null);
    end.sessions++;
    end.u.add(w.s.user);
    if (w.ended) reason(end.r, w.s.exit, w.s.user);
    [...ids, end.id].forEach((id, i, all2) => {
      if (!i) return;
      const k = `${all2[i - 1]}>${id}`;
      const l = links.get(k) ?? {
        source: all2[i - 1],
        target: id,
        step: i === ids.length ? last : w.cells[i - 1][0],
        sessions: 0,
        u: new Set<string>(),
        r: new Map(),
      };
      links.set(k, l);
      l.sessions++;
      l.u.add(w.s.user);
      if (id === end.id && w.ended) reason(l.r, w.s.exit, w.s.user);
    });
  }
  const pct = (u: number) => (allUsers ? (100 * u) / allUsers : null);
  const reasons = (m: Map<string, Set<string> & { n?: number }>) =>
    [...m].map(([r, set]) => ({ reason: r, sessions: set.n ?? 0, users: set.size })).sort((x, y) => y.sessions - x.sessions);
  const terminal = (k: string) => (k === 'exit' || k === 'continues' ? 1 : 0);
  const rank = { agent: 0, other: 1, exit: 2, continues: 3 };
  return {
    steps: S,
    topN: N,
    anchor: a,
    sessions: wins.length,
    users: new Set(wins.map((w) => w.s.user)).size,
    allSessions: all.length,
    allUsers,
    continued: wins.filter((w) => !w.ended).length,
    earlier: wins.filter((w) => w.earlier).length,
    nodes: [...nodes.values()]
      .map(({ u, r, ...x }) => ({ ...x, users: u.size, usersPct: pct(u.size), reasons: reasons(r) }))
      .sort((x, y) => terminal(x.kind) - terminal(y.kind) || x.step - y.step || rank[x.kind] - rank[y.kind] || y.sessions - x.sessions),
    links: [...links.values()].map(({ u, r, ...l }) => ({ ...l, users: u.size, usersPct: pct(u.size), reasons: reasons(r) })),
  };
}

function client(answer: (params: JourneyParams) => Promise<unknown>): QueryClient {
  return { run: (_m: unknown, _f: unknown, p: JourneyParams) => answer(p), precomputed: () => undefined } as unknown as QueryClient;
}
const resolves = (all: Session[]) => (p: JourneyParams) => new Promise<unknown>((r) => setTimeout(() => r(journey(all, p)), 200));

function chart(args: Args, c: QueryClient): HTMLElement {
  const el = document.createElement('usage-journey-sankey') as UsageJourneySankey;
  el.client = c;
  el.filters = defaultFilters();
  el.locale = args.locale;
  el.topN = args.topN;
  el.steps = args.steps;
  el.anchorAgent = args.anchorAgent;
  el.anchorMode = args.anchorMode;
  el.addEventListener('usage-drilldown', (e) => console.info('usage-drilldown', (e as CustomEvent).detail));
  return el;
}

const meta: Meta<Args> = {
  title: 'Usage/2.11 User journey',
  component: 'usage-journey-sankey',
  args: { locale: 'en-US', topN: 8, steps: 10, anchorAgent: '', anchorMode: 'start' },
  argTypes: {
    locale: { control: 'select', options: ['en-US', 'de-DE', 'ar-EG'] },
    topN: { control: 'select', options: [5, 8, 12] },
    steps: { control: 'select', options: [5, 10, 20] },
    anchorMode: { control: 'select', options: ['start', 'end'] },
  },
  parameters: {
    docs: {
      description: {
        component:
          'Sankey of sessions between agents, step by step (up to 20), the top agents of each step plus "Other", an exit node per step (hatched, exit reasons in the tooltip) and "Continues" (dotted). Links and nodes give sessions, users and the share of users. Click or Enter on a link fires `usage-drilldown` `{kind: "journey-link", …}`; on an agent node `{kind: "agent"}`. The stand-in client here computes the answer in plain code with the module\'s rules.',
      },
    },
  },
};
export default meta;

type Story = StoryObj<Args>;

const MANY = sessions(3000);

/** 3,000 sessions with loops, some longer than 20 agents, one agent with a hostile name (shown as text). */
export const Journeys: Story = { render: (args) => chart(args, client(resolves(MANY))) };
/** All 20 steps, 12 agents per step. */
export const Widest: Story = { args: { steps: 20, topN: 12 }, render: (args) => chart(args, client(resolves(MANY))) };
/** Journeys from the first visit of an agent on (Level 3 uses `anchor-agent` the same way). */
export const StartingAtAnAgent: Story = { args: { anchorAgent: 'code-assistant', anchorMode: 'start' }, render: (args) => chart(args, client(resolves(MANY))) };
/** Journeys up to the last visit of an agent, aligned to the last step. */
export const EndingAtAnAgent: Story = {
  args: { anchorAgent: 'deal-desk', anchorMode: 'end', steps: 5 },
  render: (args) => chart(args, client(resolves(MANY))),
};
export const Loading: Story = {
  render: (args) =>
    chart(
      args,
      client(() => new Promise(() => undefined)),
    ),
};
export const Empty: Story = { render: (args) => chart(args, client(resolves([]))) };
export const QueryError: Story = {
  render: (args) =>
    chart(
      args,
      client(() => Promise.reject(Object.assign(new Error('query failed: <img src=x> shown as text'), { code: 'query_failed' }))),
    ),
};
