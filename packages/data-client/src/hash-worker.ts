/**
 * Fetch + SHA-256 off the main thread (browser). Hashing a 177 MB table with WebCrypto on the
 * page's thread blocked it for ~250 ms at 1M requests (profiled), enough to hold the tab's paint
 * and input; a small worker fetches the file, hashes it and transfers the bytes back (no copy).
 * Where workers cannot start (no Worker, a CSP without `blob:`), callers fall back to the main thread.
 *
 * The timeouts stay on this side ({@link Watchdog}, as for main-thread fetches): the worker reports
 * progress (headers, then bytes at most every 100 ms) and aborts its request when told to, so a
 * stalled download fails here and frees its connection there.
 */
import { Watchdog, bufferHint, expectedSize, httpError, networkError, timeoutError, type FetchLimits } from './fetch.js';

// Plain JS (it runs from a blob: URL). readBody mirrors fetch.ts's: one buffer sized from
// Content-Length when the body is not encoded, else from the manifest's size (\`hint\`), grown when
// a server sends more.
const SOURCE = `const ctrls = new Map();
self.onmessage = async (e) => {
  const { id, url, init, abort, hint } = e.data;
  if (abort) { ctrls.get(id)?.abort(); return; }
  const ctrl = new AbortController();
  ctrls.set(id, ctrl);
  let last = 0;
  try {
    const res = await fetch(url, { ...init, signal: ctrl.signal });
    if (!res.ok) { res.body?.cancel().catch(() => {}); self.postMessage({ id, status: res.status }); return; }
    const len = Number(res.headers.get('content-length'));
    const total = Number.isSafeInteger(len) && len > 0 && !res.headers.get('content-encoding') ? len : 0;
    self.postMessage({ id, progress: 0, total });
    const reader = res.body.getReader();
    let buf = new Uint8Array(total || hint || 65536), n = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (n + value.length > buf.length) { const g = new Uint8Array(Math.max(buf.length * 2, n + value.length)); g.set(buf.subarray(0, n)); buf = g; }
      buf.set(value, n);
      n += value.length;
      const now = Date.now();
      if (now - last >= 100) { last = now; self.postMessage({ id, progress: n, total }); }
    }
    const out = n === buf.length ? buf : buf.slice(0, n);
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', out));
    let hex = '';
    for (const b of d) hex += b.toString(16).padStart(2, '0');
    self.postMessage({ id, buf: out.buffer, sha256: hex }, [out.buffer]);
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err), name: err && err.name });
  } finally {
    ctrls.delete(id);
  }
};`;

interface Reply {
  id: number;
  /** Bytes received so far (0 when the headers arrived), and the declared total (0 = unknown). */
  progress?: number;
  total?: number;
  /** An HTTP status other than 2xx. */
  status?: number;
  buf?: ArrayBuffer;
  sha256?: string;
  error?: string;
  name?: string;
}

interface Pending {
  resolve: (r: { bytes: Uint8Array; sha256: string }) => void;
  reject: (e: Error) => void;
  progress: (received: number, total: number) => void;
  url: string;
}

let worker: Worker | null | undefined;
let next = 0;
const pending = new Map<number, Pending>();

function start(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return (worker = null);
    const url = URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' }));
    const w = new Worker(url);
    w.onmessage = (e: MessageEvent<Reply>) => {
      const r = e.data;
      const p = pending.get(r.id);
      if (!p) return;
      if (r.progress !== undefined) return p.progress(r.progress, r.total ?? 0);
      pending.delete(r.id);
      if (r.status !== undefined) p.reject(httpError(p.url, r.status));
      else if (r.error !== undefined) p.reject(Object.assign(new Error(r.error), { name: r.name === 'TypeError' ? 'TypeError' : 'Error' }));
      else if (!r.buf || !r.sha256) p.reject(new Error('hash worker: empty reply'));
      else p.resolve({ bytes: new Uint8Array(r.buf), sha256: r.sha256 });
    };
    w.onerror = (e) => {
      // The worker could not run (e.g. blocked by CSP): fail what is pending, use the main thread from now on.
      e.preventDefault?.();
      worker = null;
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(Object.assign(new Error('hash worker unavailable'), { unavailable: true }));
      }
    };
    return (worker = w);
  } catch {
    return (worker = null);
  }
}

/** The plain, cloneable parts of a RequestInit (a worker cannot receive signals or Headers objects reliably). */
function cloneableInit(init: RequestInit): RequestInit {
  const out: RequestInit = {};
  for (const k of ['cache', 'credentials', 'mode', 'redirect', 'referrerPolicy', 'integrity'] as const)
    if (init[k] !== undefined) (out as Record<string, unknown>)[k] = init[k];
  if (init.headers) out.headers = [...new Headers(init.headers).entries()];
  return out;
}

/**
 * Fetches `url` and hashes it in the worker, with the stall and overall timeouts of `limits`
 * (`file` names it in errors). The hash is over the bytes the body decodes to (the browser undoes a
 * Content-Encoding before the worker reads); `size`, the manifest's decoded size, is the total
 * reported when the headers do not give it (an encoded body). Resolves `undefined` when no worker
 * can run (the caller then reads and hashes on its own thread); rejects like {@link fetchBytes} otherwise.
 */
export async function fetchAndHash(
  url: string,
  init: RequestInit,
  limits: FetchLimits = {},
  file = url,
  size?: number,
): Promise<{ bytes: Uint8Array; sha256: string } | undefined> {
  if (init.signal) return undefined; // signals do not cross to the worker
  const w = start();
  if (!w) return undefined;
  const id = ++next;
  let received = 0;
  let total = 0;
  let dog: Watchdog | undefined;
  try {
    return await new Promise<{ bytes: Uint8Array; sha256: string }>((resolve, reject) => {
      dog = new Watchdog(limits, (kind, ms) => {
        pending.delete(id);
        w.postMessage({ id, abort: true });
        reject(timeoutError(kind, ms, url, file, received, total || undefined));
      });
      const progress = (n: number, t: number) => {
        received = n;
        total = t || (expectedSize(size) ?? 0);
        dog!.tick();
      };
      pending.set(id, { resolve, reject, progress, url });
      w.postMessage({ id, url, init: cloneableInit(init), hint: bufferHint(size) });
    });
  } catch (e) {
    if ((e as { unavailable?: boolean }).unavailable) return undefined;
    if (e instanceof Error && e.name === 'TypeError') throw await networkError(url, e, file);
    throw e;
  } finally {
    dog?.stop();
  }
}
