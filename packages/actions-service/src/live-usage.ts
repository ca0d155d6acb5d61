/**
 * The published snapshot, followed while the service runs. The exporter publishes a new version by
 * replacing `manifest.json` (atomically, last); `refresh()` notices a new version, opens it, lets
 * the service prepare it (registry sync, A2.5's alert evaluation — "evaluated on every snapshot
 * refresh") and only then swaps it in. Calls already running on the old version finish on it; the
 * old version is closed when the last of them is done. A version that fails to open or prepare is
 * reported and the service keeps answering from the one it has.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from '@usage-analytics/queries';
import { openSnapshotData, type UsageData } from './usage-data.js';

/** The version folder a manifest publishes (the same id `UsageData.snapshotId` gives). */
export async function publishedVersion(dir: string): Promise<string> {
  const m = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;
  return m.tables.requests.file.split('/')[0] ?? 'snapshot';
}

export interface RefreshResult {
  /** True when a new version was swapped in. */
  changed: boolean;
  /** The version the service answers from now. */
  snapshotId: string;
  /** Why the new version was not taken (the old one stays). */
  error?: Error;
}

export interface LiveUsageData extends UsageData {
  /** Takes a newly published version if there is one (one refresh at a time). */
  refresh(): Promise<RefreshResult>;
  /** How many versions were swapped in since start-up. */
  readonly swaps: number;
}

interface Held {
  data: UsageData;
  /** Calls running on it. */
  active: number;
  /** Set once it is replaced: closed when `active` reaches 0. */
  retired: boolean;
  closed?: Promise<void>;
}

/**
 * Wraps the first opened version. `prepare` runs on a new version before it is swapped in (a
 * failure there keeps the old one); `open` opens a version (default: `openSnapshotData`).
 */
export function liveUsageData(
  dir: string,
  first: UsageData,
  prepare: (next: UsageData) => Promise<void>,
  open: (dir: string) => Promise<UsageData> = openSnapshotData,
): LiveUsageData {
  let current: Held = { data: first, active: 0, retired: false };
  let swaps = 0;
  let refreshing: Promise<RefreshResult> | undefined;
  let closing = false;

  const release = (h: Held) => {
    h.active--;
    if (h.retired && h.active === 0) h.closed ??= h.data.close();
  };
  /** Runs `fn` on the current version, holding it open until `fn` settles. */
  const use = async <T>(fn: (d: UsageData) => Promise<T>): Promise<T> => {
    const h = current;
    h.active++;
    try {
      return await fn(h.data);
    } finally {
      release(h);
    }
  };

  async function doRefresh(): Promise<RefreshResult> {
    const was = current.data.snapshotId;
    let version: string;
    try {
      version = await publishedVersion(dir);
    } catch (e) {
      return { changed: false, snapshotId: was, error: new Error(`the manifest in ${dir} could not be read: ${(e as Error).message}`) };
    }
    if (version === was || closing) return { changed: false, snapshotId: was };
    let next: UsageData | undefined;
    try {
      next = await open(dir);
      await prepare(next);
    } catch (e) {
      await next?.close().catch(() => undefined);
      return { changed: false, snapshotId: was, error: new Error(`snapshot ${version} was not taken: ${(e as Error).message}`) };
    }
    const old = current;
    current = { data: next, active: 0, retired: false };
    swaps++;
    old.retired = true;
    if (old.active === 0) old.closed ??= old.data.close();
    return { changed: true, snapshotId: next.snapshotId };
  }

  return {
    get snapshotId() {
      return current.data.snapshotId;
    },
    get timeRange() {
      return current.data.timeRange;
    },
    get swaps() {
      return swaps;
    },
    query: (sql) => use((d) => d.query(sql)),
    async *stream(sql) {
      const h = current;
      h.active++;
      try {
        yield* h.data.stream(sql);
      } finally {
        release(h);
      }
    },
    agents: () => use((d) => d.agents()),
    agentUsage: (agentId, days) => use((d) => d.agentUsage(agentId, days)),
    audience: (agentId, departments, segments) => use((d) => d.audience(agentId, departments, segments)),
    quotaReplay: (agentId, quota, days) => use((d) => d.quotaReplay(agentId, quota, days)),
    refresh() {
      refreshing ??= doRefresh().finally(() => (refreshing = undefined));
      return refreshing;
    },
    async close() {
      closing = true;
      await refreshing?.catch(() => undefined);
      current.retired = true;
      if (current.active === 0) current.closed ??= current.data.close();
      // Calls still running keep their version until they end; close() waits only for the idle ones.
      await current.closed;
    },
  };
}
