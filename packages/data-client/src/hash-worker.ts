/**
 * Fetch + SHA-256 off the main thread (browser). Hashing a 177 MB table with WebCrypto on the
 * page's thread blocked it for ~250 ms at 1M requests (profiled), enough to hold the tab's paint
 * and input; a small worker fetches the file, hashes it and transfers the bytes back (no copy).
 * Where workers cannot start (no Worker, a CSP without `blob:`), callers fall back to the main thread.
 */

const SOURCE = `self.onmessage = async (e) => {
  const { id, url, init } = e.data;
  try {
    const res = await fetch(url, init);
    if (!res.ok) throw new Error('GET ' + url + ' \\u2192 HTTP ' + res.status);
    const buf = await res.arrayBuffer();
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', buf));
    let hex = '';
    for (const b of d) hex += b.toString(16).padStart(2, '0');
    self.postMessage({ id, buf, sha256: hex }, [buf]);
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
};`;

interface Reply {
  id: number;
  buf?: ArrayBuffer;
  sha256?: string;
  error?: string;
}

let worker: Worker | null | undefined;
let next = 0;
const pending = new Map<number, { resolve: (r: { bytes: Uint8Array; sha256: string }) => void; reject: (e: Error) => void }>();

function start(): Worker | null {
  if (worker !== undefined) return worker;
  try {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return (worker = null);
    const url = URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' }));
    const w = new Worker(url);
    w.onmessage = (e: MessageEvent<Reply>) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      pending.delete(e.data.id);
      if (e.data.error !== undefined || !e.data.buf || !e.data.sha256) p.reject(new Error(e.data.error ?? 'hash worker: empty reply'));
      else p.resolve({ bytes: new Uint8Array(e.data.buf), sha256: e.data.sha256 });
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
  for (const k of ['cache', 'credentials', 'mode', 'redirect', 'referrerPolicy', 'integrity'] as const) if (init[k] !== undefined) (out as Record<string, unknown>)[k] = init[k];
  if (init.headers) out.headers = [...new Headers(init.headers).entries()];
  return out;
}

/**
 * Fetches `url` and hashes it in the worker. Resolves `undefined` when no worker can run (the
 * caller then reads and hashes on its own thread); rejects with the fetch's error otherwise.
 */
export async function fetchAndHash(url: string, init: RequestInit): Promise<{ bytes: Uint8Array; sha256: string } | undefined> {
  if (init.signal) return undefined; // signals do not cross to the worker
  const w = start();
  if (!w) return undefined;
  const id = ++next;
  try {
    return await new Promise<{ bytes: Uint8Array; sha256: string }>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.postMessage({ id, url, init: cloneableInit(init) });
    });
  } catch (e) {
    if ((e as { unavailable?: boolean }).unavailable) return undefined;
    throw e;
  }
}
