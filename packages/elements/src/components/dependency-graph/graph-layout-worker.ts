/**
 * Runs {@link graphKernel}'s layout off the main thread: a Blob-URL Worker built from the kernel's own
 * source text (the pattern of data-client's hash worker), so it works the same from TS sources under
 * esbuild (tests, Storybook) and from the rollup bundle of the demo, with no worker file to ship.
 * Where no worker can start (no `Worker`, a CSP without `blob:`, a worker error), the same kernel runs
 * on the main thread after a frame, so progress still shows first.
 *
 * One {@link LayoutRunner} per chart: a new layout supersedes the running one (its worker is
 * terminated, a fresh one starts), an aborted signal does the same.
 */
import { graphKernel, type LayoutRequest, type LayoutResult } from './graph-layout.js';

const SOURCE = `const kernel = (${graphKernel.toString()})();
self.onmessage = (e) => {
  const { id, request } = e.data;
  try {
    const result = kernel.layout(request, (p) => self.postMessage({ id, progress: p }));
    self.postMessage({ id, result }, [result.x.buffer, result.y.buffer, result.layer.buffer, result.back.buffer, result.component.buffer, result.cyclic.buffer]);
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
};`;

let blobUrl: string | null | undefined;
let kernel: ReturnType<typeof graphKernel> | undefined;

/** The kernel on this thread (fallback, tests). */
export function mainThreadKernel(): ReturnType<typeof graphKernel> {
  return (kernel ??= graphKernel());
}

function workerUrl(): string | null {
  if (blobUrl !== undefined) return blobUrl;
  try {
    if (typeof Worker === 'undefined' || typeof Blob === 'undefined' || typeof URL.createObjectURL !== 'function') return (blobUrl = null);
    return (blobUrl = URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' })));
  } catch {
    return (blobUrl = null);
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** Force the main thread (tests, benches). */
  mainThread?: boolean;
}

const abortError = () => Object.assign(new Error('layout superseded'), { name: 'AbortError' });

export class LayoutRunner {
  private worker?: Worker;
  private id = 0;
  private reject?: (e: Error) => void;
  /** Where the last layout ran. */
  lastThread: 'worker' | 'main' | undefined;
  /** The worker failed once: the main thread from now on. */
  private broken = false;

  async run(request: LayoutRequest, { signal, onProgress, mainThread = false }: RunOptions = {}): Promise<LayoutResult> {
    this.cancel();
    if (signal?.aborted) throw abortError();
    const url = mainThread || this.broken ? null : workerUrl();
    if (url) {
      try {
        return await this.inWorker(url, request, signal, onProgress);
      } catch (e) {
        if ((e as Error).name === 'AbortError') throw e;
        // The worker could not start, or the kernel failed inside it (e.g. a toolchain that instruments
        // functions broke its self-containment): this thread from now on; a real layout error fails here too.
        this.broken = true;
      }
    }
    return this.onMain(request, signal, onProgress);
  }

  /** Stops the running layout (its promise rejects with an AbortError). */
  cancel(): void {
    if (this.reject) {
      this.worker?.terminate();
      this.worker = undefined;
      const r = this.reject;
      this.reject = undefined;
      r(abortError());
    }
  }

  dispose(): void {
    this.cancel();
    this.worker?.terminate();
    this.worker = undefined;
  }

  private inWorker(url: string, request: LayoutRequest, signal?: AbortSignal, onProgress?: (f: number) => void): Promise<LayoutResult> {
    const worker = (this.worker ??= new Worker(url));
    const id = ++this.id;
    return new Promise<LayoutResult>((resolve, reject) => {
      const done = () => {
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
        signal?.removeEventListener('abort', onAbort);
        if (this.reject === fail) this.reject = undefined;
      };
      const fail = (e: Error) => {
        done();
        reject(e);
      };
      const onMessage = (e: MessageEvent<{ id: number; progress?: number; result?: LayoutResult; error?: string }>) => {
        const d = e.data;
        if (d.id !== id) return;
        if (d.progress !== undefined) return onProgress?.(d.progress);
        done();
        if (d.error !== undefined) reject(new Error(`layout failed: ${d.error}`));
        else {
          this.lastThread = 'worker';
          resolve(d.result!);
        }
      };
      const onError = (e: ErrorEvent) => {
        e.preventDefault?.();
        worker.terminate();
        if (this.worker === worker) this.worker = undefined;
        fail(Object.assign(new Error(`layout worker unavailable: ${e.message}`), { unavailable: true }));
      };
      const onAbort = () => this.cancel();
      this.reject = fail;
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      signal?.addEventListener('abort', onAbort);
      // Typed arrays and plain arrays are cloned (the request is small: a few arrays of numbers).
      worker.postMessage({ id, request: plain(request) });
    });
  }

  private onMain(request: LayoutRequest, signal?: AbortSignal, onProgress?: (f: number) => void): Promise<LayoutResult> {
    return new Promise<LayoutResult>((resolve, reject) => {
      const fail = (e: Error) => {
        clearTimeout(timer);
        reject(e);
      };
      this.reject = fail;
      onProgress?.(0);
      // After a frame, so the progress shows before the thread is busy.
      const timer = setTimeout(() => {
        if (this.reject !== fail) return;
        this.reject = undefined;
        if (signal?.aborted) return reject(abortError());
        try {
          const result = mainThreadKernel().layout(request, onProgress);
          this.lastThread = 'main';
          resolve(result);
        } catch (e) {
          reject(e as Error);
        }
      }, 16);
    });
  }
}

/** The request as structured-clone-safe data. */
function plain(r: LayoutRequest): LayoutRequest {
  const arr = (a: ArrayLike<number>) => (Array.isArray(a) || ArrayBuffer.isView(a) ? a : Array.from(a));
  return {
    kind: r.kind,
    n: r.n,
    source: arr(r.source),
    target: arr(r.target),
    volume: arr(r.volume),
    radius: arr(r.radius),
    seed: r.seed,
    iterations: r.iterations,
  };
}
