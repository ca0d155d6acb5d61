/**
 * Downloads that cannot hang the tab. Every file gets two clocks: a **stall** timeout (no byte for
 * N s, counting the wait for the response headers: a server that never answers or stops mid-body)
 * and an **overall** timeout (a trickle that would take hours). Either aborts the request (so the
 * connection is freed) and fails with `SnapshotError('fetch_timeout')`. A network-level failure
 * (`TypeError: Failed to fetch`) says what usually causes it: the network, or CORS for a snapshot
 * on another origin.
 */
import { ParamError, describeValue } from '@usage-analytics/queries';
import { SnapshotError } from './errors.js';

export interface FetchLimits {
  /** Fail when no byte arrives for this many ms (default {@link DEFAULT_STALL_MS}); 0 = never. */
  stallTimeoutMs?: number;
  /** Fail when one file takes longer than this many ms in all (default {@link DEFAULT_TIMEOUT_MS}); 0 = never. */
  timeoutMs?: number;
}

export const DEFAULT_STALL_MS = 30_000;
export const DEFAULT_TIMEOUT_MS = 600_000;
/** A stall timer firing this much past its time means the thread was busy, not the network quiet. */
const LATE_MS = 50;

/**
 * Calls `expire` once when no {@link tick} came for `stallTimeoutMs`, or `timeoutMs` after the start.
 * One re-armed timer per clock (not one per tick: a 177 MB download ticks thousands of times).
 */
export class Watchdog {
  private last = Date.now();
  private stallTimer?: ReturnType<typeof setTimeout>;
  private overallTimer?: ReturnType<typeof setTimeout>;
  private done = false;
  readonly stallMs: number;
  readonly timeoutMs: number;

  constructor(
    limits: FetchLimits,
    private readonly expire: (kind: 'stall' | 'overall', ms: number) => void,
  ) {
    ({ stallMs: this.stallMs, timeoutMs: this.timeoutMs } = resolveLimits(limits));
    if (this.timeoutMs > 0) this.overallTimer = setTimeout(() => this.fire('overall', this.timeoutMs), this.timeoutMs);
    if (this.stallMs > 0) this.armStall(this.stallMs);
  }

  /** Progress: bytes (or any sign of life) arrived. */
  tick(): void {
    this.last = Date.now();
  }

  stop(): void {
    this.done = true;
    clearTimeout(this.stallTimer);
    clearTimeout(this.overallTimer);
  }

  private armStall(ms: number): void {
    const due = Date.now() + ms;
    this.stallTimer = setTimeout(() => {
      // Time the thread was blocked (the timer fired late) is not silence: bytes that arrived
      // meanwhile wait behind this timer. Count it as a sign of life and look again.
      const late = Date.now() - due;
      if (late > LATE_MS) this.last = Math.min(Date.now(), this.last + late);
      const quiet = Date.now() - this.last;
      if (quiet >= this.stallMs) this.fire('stall', this.stallMs);
      else this.armStall(this.stallMs - quiet);
    }, ms);
  }

  private fire(kind: 'stall' | 'overall', ms: number): void {
    if (this.done) return;
    this.stop();
    this.expire(kind, ms);
  }
}

/** The limits in ms with their defaults; throws a ParamError (a UsageError) for a negative or non-finite one. */
export function resolveLimits(limits: FetchLimits): { stallMs: number; timeoutMs: number } {
  return { stallMs: limit('stallTimeoutMs', limits.stallTimeoutMs, DEFAULT_STALL_MS), timeoutMs: limit('timeoutMs', limits.timeoutMs, DEFAULT_TIMEOUT_MS) };
}

function limit(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ParamError(field, `${field} must be a number of ms >= 0 (0 = no limit), not ${describeValue(value)}`, value);
  }
  return value;
}

const seconds = (ms: number): string => `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))} s`;

export function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** The `fetch_timeout` error for `url` (read as `file`), saying which clock ran out and how far the download got. */
export function timeoutError(kind: 'stall' | 'overall', ms: number, url: string, file: string, received: number, total?: number): SnapshotError {
  const got = received > 0 ? `${formatBytes(received)}${total ? ` of ${formatBytes(total)}` : ''} received` : 'nothing received';
  const message =
    kind === 'stall'
      ? `${url}: no data for ${seconds(ms)} (${got}); the server or the network stopped sending`
      : `${url}: the download took longer than ${seconds(ms)} (${got})`;
  return new SnapshotError('fetch_timeout', message, { file, field: file });
}

/**
 * The `fetch_failed` error for a request that never got an HTTP answer (`TypeError: Failed to fetch`).
 * For a URL on another origin, a `no-cors` probe (which needs no CORS header) tells the two causes
 * apart: the server answered, so it is CORS (the message names the header and the value the host
 * must send), or it did not, so it is the network or the server.
 */
export async function networkError(url: string, cause: unknown, file: string): Promise<SnapshotError> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const page = typeof location !== 'undefined' ? location.origin : undefined;
  const target = safeOrigin(url);
  const detail = { file, field: file, cause };
  if (!page || !target || target === page)
    return new SnapshotError('fetch_failed', `${url}: ${reason} — the network failed or the server refused the connection`, detail);
  const answered = await fetch(url, { method: 'HEAD', mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(PROBE_MS) }).then(
    () => true,
    () => false,
  );
  if (answered)
    return new SnapshotError(
      'fetch_failed',
      `${url}: ${reason} — blocked by CORS: the snapshot is on another origin (${target}) than this page (${page}), and that server answered without allowing this page; it must send the header "Access-Control-Allow-Origin: ${page}" (or "*") on the snapshot's files`,
      detail,
    );
  return new SnapshotError(
    'fetch_failed',
    `${url}: ${reason} — the network failed or the server refused the connection; the snapshot is on another origin (${target}) than this page (${page}), so a missing CORS header (Access-Control-Allow-Origin) on that server is a possible cause`,
    detail,
  );
}

/** How long the CORS probe of {@link networkError} waits for an answer. */
const PROBE_MS = 5_000;

function safeOrigin(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

export const httpError = (url: string, status: number): Error => new Error(`GET ${url} → HTTP ${status}`);

/** The declared body length, when the body is not content-encoded (then it is the byte count we will read). */
export function declaredLength(res: Response): number | undefined {
  const n = Number(res.headers.get('content-length'));
  return Number.isSafeInteger(n) && n > 0 && !res.headers.get('content-encoding') ? n : undefined;
}

/** `size` when it is a usable byte count (a whole number > 0), else undefined. */
export const expectedSize = (size: number | undefined): number | undefined => (Number.isSafeInteger(size) && size! > 0 ? size : undefined);

/** The first buffer for a body of expected `size` (the manifest's): up to 1 GiB, so a wrong manifest cannot make it allocate more; undefined = unknown. */
export const bufferHint = (size: number | undefined): number | undefined => {
  const n = expectedSize(size);
  return n === undefined ? undefined : Math.min(n, 1 << 30);
};

/**
 * Reads a body chunk by chunk into one buffer (sized from Content-Length when the body is not
 * encoded, else from `size`, the expected decoded size), reporting bytes so far.
 */
export async function readBody(res: Response, onBytes: (received: number) => void, size?: number): Promise<Uint8Array> {
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  let buf = new Uint8Array(declaredLength(res) ?? bufferHint(size) ?? 1 << 16);
  let n = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (n + value.length > buf.length) {
      const grown = new Uint8Array(Math.max(buf.length * 2, n + value.length));
      grown.set(buf.subarray(0, n));
      buf = grown;
    }
    buf.set(value, n);
    n += value.length;
    onBytes(n);
  }
  return n === buf.length ? buf : buf.slice(0, n);
}

/**
 * GET `url` on this thread with both timeouts. Rejects with `fetch_timeout`, `fetch_failed`
 * (network), an `Error('GET … → HTTP 404')`, or the caller's own abort. `size` (the manifest's
 * decoded size) is the total reported when the headers do not give it: a body sent with
 * Content-Encoding arrives decoded, its Content-Length counts the compressed bytes.
 */
export async function fetchBytes(url: string, init: RequestInit, limits: FetchLimits, file: string, size?: number): Promise<Uint8Array> {
  const ctrl = new AbortController();
  let expired: SnapshotError | undefined;
  let received = 0;
  let total: number | undefined;
  const dog = new Watchdog(limits, (kind, ms) => {
    expired = timeoutError(kind, ms, url, file, received, total);
    ctrl.abort(expired);
  });
  const signal = init.signal ? AbortSignal.any([init.signal, ctrl.signal]) : ctrl.signal;
  try {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal });
    } catch (e) {
      throw expired ?? (init.signal?.aborted ? e : await networkError(url, e, file));
    }
    dog.tick();
    if (!res.ok) {
      void res.body?.cancel().catch(() => undefined);
      throw httpError(url, res.status);
    }
    total = declaredLength(res) ?? expectedSize(size);
    return await readBody(
      res,
      (n) => {
        received = n;
        dog.tick();
      },
      size,
    );
  } catch (e) {
    throw expired ?? (e instanceof TypeError && !init.signal?.aborted ? await networkError(url, e, file) : e);
  } finally {
    dog.stop();
  }
}
