/**
 * Independent reference of the journey Sankey modules (journey-sankey.ts), in plain TypeScript over
 * the dataset's session rows: each session's window walked by hand, agents ranked per column by
 * counting, distinct users by sets.
 */
import type { UsageFilters } from '@usage-analytics/queries';
import type { Dataset, SessionRow } from '../fixtures.js';
import { cmpStr } from './common.js';
import { sessionsIn } from './agents.js';

interface View {
  topN?: number;
  steps?: number;
  anchor?: { mode: 'start' | 'end'; agentId: string } | null;
}

interface Win {
  s: SessionRow;
  /** Agents shown, with their columns. */
  cells: { col: number; agent: string }[];
  ended: boolean;
  earlier: boolean;
}

function windows(ds: Dataset, f: UsageFilters, v: View) {
  const S = v.steps ?? 10;
  const N = v.topN ?? 8;
  const all = sessionsIn(ds, f);
  const wins: Win[] = [];
  for (const s of all) {
    const seq = s.agent_sequence;
    let from: number; // 0-based first index shown
    let to: number; // exclusive
    let firstCol = 1;
    if (!v.anchor) {
      from = 0;
      to = Math.min(seq.length, S);
    } else if (v.anchor.mode === 'start') {
      const p = seq.indexOf(v.anchor.agentId);
      if (p < 0) continue;
      from = p;
      to = Math.min(seq.length, p + S);
    } else {
      const q = seq.lastIndexOf(v.anchor.agentId);
      if (q < 0) continue;
      to = q + 1;
      from = Math.max(0, to - S);
      firstCol = S - (to - from) + 1;
    }
    const cells = seq.slice(from, to).map((agent, i) => ({ col: firstCol + i, agent }));
    wins.push({ s, cells, ended: to === seq.length, earlier: from > 0 });
  }
  // Rank agents per column: sessions desc, then id; top N stay.
  const perCol = new Map<number, Map<string, number>>();
  for (const w of wins)
    for (const c of w.cells) {
      const m = perCol.get(c.col) ?? new Map<string, number>();
      perCol.set(c.col, m);
      m.set(c.agent, (m.get(c.agent) ?? 0) + 1);
    }
  const kept = new Map<number, Set<string>>();
  const others = new Map<number, number>();
  for (const [col, m] of perCol) {
    const ranked = [...m].sort((a, b) => b[1] - a[1] || cmpStr(a[0], b[0]));
    kept.set(col, new Set(ranked.slice(0, N).map(([a]) => a)));
    if (ranked.length > N) others.set(col, ranked.length - N);
  }
  const nodeOf = (col: number, agent: string): string | null => (kept.get(col)!.has(agent) ? agent : null);
  return { S, N, all, wins, nodeOf, others };
}

const idOf = (col: number, node: string | null) => (node === null ? `o:${col}` : `a:${col}:${node}`);

class Tally {
  sessions = 0;
  users = new Set<string>();
  add(s: SessionRow) {
    this.sessions++;
    this.users.add(s.user_id);
  }
}
const tally = <K>(m: Map<K, Tally>, k: K): Tally => {
  let t = m.get(k);
  if (!t) m.set(k, (t = new Tally()));
  return t;
};

export function refJourneySankey(ds: Dataset, f: UsageFilters, v: View = {}) {
  const { S, N, all, wins, nodeOf, others } = windows(ds, f, v);
  const allUsers = new Set(all.map((s) => s.user_id)).size;
  const pct = (n: number) => (allUsers === 0 ? null : (100 * n) / allUsers);
  const nodeT = new Map<string, Tally>();
  const linkT = new Map<string, Tally>();
  const linkReason = new Map<string, Map<string, Tally>>();
  const nodeReason = new Map<string, Map<string, Tally>>();
  const meta = new Map<string, { kind: string; step: number; column: number; agentId: string | null }>();
  const linkMeta = new Map<string, { source: string; target: string; step: number }>();
  for (const w of wins) {
    const ids = w.cells.map((c) => idOf(c.col, nodeOf(c.col, c.agent)));
    w.cells.forEach((c, i) => {
      const node = nodeOf(c.col, c.agent);
      meta.set(ids[i], { kind: node === null ? 'other' : 'agent', step: c.col, column: c.col, agentId: node });
      tally(nodeT, ids[i]).add(w.s);
      if (i > 0) {
        const k = `${ids[i - 1]}>${ids[i]}`;
        linkMeta.set(k, { source: ids[i - 1], target: ids[i], step: c.col - 1 });
        tally(linkT, k).add(w.s);
      }
    });
    const last = w.cells[w.cells.length - 1];
    const target = w.ended ? `x:${last.col}` : 'c';
    meta.set(
      target,
      w.ended ? { kind: 'exit', step: last.col, column: last.col + 1, agentId: null } : { kind: 'continues', step: S, column: S + 1, agentId: null },
    );
    tally(nodeT, target).add(w.s);
    const k = `${ids[ids.length - 1]}>${target}`;
    linkMeta.set(k, { source: ids[ids.length - 1], target, step: last.col });
    tally(linkT, k).add(w.s);
    if (w.ended) {
      const reason = w.s.exit_reason ?? 'unknown';
      const lr = linkReason.get(k) ?? new Map<string, Tally>();
      linkReason.set(k, lr);
      tally(lr, reason).add(w.s);
      const nr = nodeReason.get(target) ?? new Map<string, Tally>();
      nodeReason.set(target, nr);
      tally(nr, reason).add(w.s);
    }
  }
  const reasons = (m: Map<string, Tally> | undefined) =>
    [...(m ?? new Map<string, Tally>())]
      .map(([reason, t]) => ({ reason, sessions: t.sessions, users: t.users.size }))
      .sort((a, b) => b.sessions - a.sessions || cmpStr(a.reason, b.reason));
  const kindRank: Record<string, number> = { agent: 0, other: 1, exit: 2, continues: 3 };
  const terminal = (k: string) => (k === 'exit' || k === 'continues' ? 1 : 0);
  const nodes = [...nodeT]
    .map(([id, t]) => {
      const m = meta.get(id)!;
      return {
        id,
        kind: m.kind,
        step: m.step,
        column: m.column,
        agentId: m.agentId,
        sessions: t.sessions,
        users: t.users.size,
        usersPct: pct(t.users.size),
        otherAgents: m.kind === 'other' ? (others.get(m.step) ?? 0) : 0,
        reasons: reasons(nodeReason.get(id)),
      };
    })
    .sort(
      (a, b) => terminal(a.kind) - terminal(b.kind) || a.step - b.step || kindRank[a.kind] - kindRank[b.kind] || b.sessions - a.sessions || cmpStr(a.id, b.id),
    );
  const targetRank = (id: string) => (id === 'c' ? 2 : id.startsWith('x:') ? 1 : 0);
  const links = [...linkT]
    .map(([k, t]) => ({ ...linkMeta.get(k)!, sessions: t.sessions, users: t.users.size, usersPct: pct(t.users.size), reasons: reasons(linkReason.get(k)) }))
    .sort(
      (a, b) =>
        targetRank(a.target) - targetRank(b.target) || a.step - b.step || b.sessions - a.sessions || cmpStr(a.source, b.source) || cmpStr(a.target, b.target),
    );
  return {
    steps: S,
    topN: N,
    anchor: v.anchor ?? null,
    sessions: wins.length,
    users: new Set(wins.map((w) => w.s.user_id)).size,
    allSessions: all.length,
    allUsers,
    continued: wins.filter((w) => !w.ended).length,
    earlier: wins.filter((w) => w.earlier).length,
    nodes,
    links,
  };
}

export interface LinkRef extends View {
  step: number;
  source: string | null;
  anySource?: boolean;
  targetKind: 'agent' | 'exit' | 'continues' | 'through';
  target: string | null;
  limit?: number;
  offset?: number;
}

function linkSessions(ds: Dataset, f: UsageFilters, p: LinkRef): SessionRow[] {
  const { wins, nodeOf } = windows(ds, f, p);
  const out: SessionRow[] = [];
  for (const w of wins) {
    const i = w.cells.findIndex((c) => c.col === p.step);
    if (i < 0 || (!p.anySource && nodeOf(p.step, w.cells[i].agent) !== p.source)) continue;
    const isLast = i === w.cells.length - 1;
    if (p.targetKind === 'through') {
      // every session at the node
    } else if (p.targetKind === 'agent') {
      if (isLast) continue;
      if (nodeOf(p.step + 1, w.cells[i + 1].agent) !== p.target) continue;
    } else if (p.targetKind === 'exit') {
      if (!isLast || !w.ended || (p.target !== null && w.s.exit_reason !== p.target)) continue;
    } else if (!isLast || w.ended) continue;
    out.push(w.s);
  }
  return out.sort((a, b) => b.session_start - a.session_start || cmpStr(a.session_id, b.session_id));
}

export function refJourneySessions(ds: Dataset, f: UsageFilters, p: LinkRef) {
  const rows = linkSessions(ds, f, p);
  const off = p.offset ?? 0;
  return rows.slice(off, off + (p.limit ?? 50)).map((s) => ({
    sessionId: s.session_id,
    userId: s.user_id,
    start: Math.floor(s.session_start / 1000),
    length: s.agent_sequence.length,
    exitReason: s.exit_reason,
    path: s.agent_sequence,
    total: rows.length,
  }));
}

export function refJourneyLinkUsers(ds: Dataset, f: UsageFilters, p: LinkRef) {
  return [...new Set(linkSessions(ds, f, p).map((s) => s.user_id))].sort(cmpStr).slice(0, p.limit ?? 10_000);
}
