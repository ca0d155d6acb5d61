/**
 * `DIR/.lock` keeps two exporters from writing to one folder at once. The lock file is created
 * atomically with its content (written to a unique temp file, then hard-linked to `.lock`, which
 * fails if it exists), and holds who took it:
 *
 *   {"pid": 1234, "start": "<boot id>:<process start in clock ticks>", "token": "<random>", "since": "<ISO time>"}
 *
 * A lock is stale — and taken over at once — when its process is gone, or when the pid is alive but
 * is another process (its start time differs: the pid was reused after the exporter died, e.g. by
 * kill -9 or a reboot). Where /proc is unavailable only the pid is checked. A lock in the old
 * format (just a pid) is stale when that pid is gone or started after the lock was written.
 * Waiting for a live holder ends with a {@link LockedError} that says who holds it.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { LockedError } from './errors.js';

interface LockInfo {
  pid: number;
  start?: string | null;
  token?: string;
  since?: string;
}

/** Linux /proc/stat field 22 (start time in clock ticks since boot); USER_HZ is 100 for /proc. */
function procStart(pid: number): { ticks: number; boot: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // comm may hold spaces
    const ticks = Number(fields[19]);
    const boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return Number.isFinite(ticks) ? { ticks, boot } : null;
  } catch {
    return null;
  }
}

export function startStamp(pid: number): string | null {
  const s = procStart(pid);
  return s ? `${s.boot}:${s.ticks}` : null;
}

/** Epoch ms at which a live process started (Linux), else null. */
function startedAtMs(pid: number): number | null {
  const s = procStart(pid);
  if (!s) return null;
  try {
    const btime = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))![1]);
    return btime * 1000 + s.ticks * 10;
  } catch {
    return null;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): { info: LockInfo | null; mtimeMs: number; text: string } | undefined {
  let text: string;
  let mtimeMs: number;
  try {
    text = readFileSync(path, 'utf8');
    mtimeMs = statSync(path).mtimeMs;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  if (/^\d+$/.test(text.trim())) return { info: { pid: Number(text.trim()) }, mtimeMs, text };
  try {
    const j = JSON.parse(text) as LockInfo;
    return { info: Number.isInteger(j.pid) && j.pid > 0 ? j : null, mtimeMs, text };
  } catch {
    return { info: null, mtimeMs, text };
  }
}

/** Why the lock is stale, or null when a live exporter holds it. */
export function staleReason(info: LockInfo | null, mtimeMs: number, heldHere: boolean): string | null {
  if (!info) return 'unreadable lock file';
  if (info.pid === process.pid) return heldHere ? null : 'left by this process';
  if (!pidAlive(info.pid)) return `process ${info.pid} is gone`;
  if (info.start !== undefined) {
    const now = startStamp(info.pid);
    if (info.start && now && now !== info.start) return `pid ${info.pid} now belongs to another process`;
    return null;
  }
  const started = startedAtMs(info.pid);
  if (started !== null && started > mtimeMs + 1000) return `pid ${info.pid} started after the lock was written`;
  return null;
}

const heldHere = new Set<string>();

/** Takes DIR/.lock, waiting up to `waitMs` for a live holder; returns the release function. */
export async function acquireLock(outDir: string, waitMs = 120_000): Promise<() => void> {
  const path = join(outDir, '.lock');
  const token = randomBytes(8).toString('hex');
  const info: LockInfo = { pid: process.pid, start: startStamp(process.pid), token, since: new Date().toISOString() };
  const deadline = Date.now() + waitMs;
  for (;;) {
    const tmp = `${path}.${token}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, JSON.stringify(info) + '\n');
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, path); // atomic: fails when a lock exists, never exposes an empty one
      heldHere.add(path);
      return () => {
        heldHere.delete(path);
        if (readLock(path)?.info?.token === token) rmSync(path, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      rmSync(tmp, { force: true });
    }
    const current = readLock(path);
    if (current === undefined) continue; // released meanwhile
    if (staleReason(current.info, current.mtimeMs, heldHere.has(path)) !== null) {
      // Remove it only if it is still the lock judged stale (another exporter may have replaced it).
      if (readLock(path)?.text === current.text) rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const h = current.info!;
      throw new LockedError(
        `${outDir} is being written by another exporter (pid ${h.pid}${h.since ? `, since ${h.since}` : ''}); waited ${Math.round(waitMs / 1000)} s. ` +
          `Stop that exporter, or remove ${path} if no exporter is running.`,
        { field: path, value: h },
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
