/**
 * Parts an element needs only on demand (the data-table view, PNG export, a chart's filter
 * lists, the brush behind drag-to-zoom) are imported lazily, so importing one chart loads its
 * first paint only; bundlers put each part in its own chunk. {@link lazy} wraps such an import:
 * the import starts on the first call and is shared by every later one. {@link lazyPartsLoaded}
 * resolves when every import started so far has settled; `settled()` waits for it, so a host (or
 * a test) that waits for an element to settle sees the parts it asked for.
 */
const pending = new Set<Promise<unknown>>();

export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    if (!promise) {
      const p = load();
      promise = p;
      // A failed import may be retried (a flaky network): the next call starts it again.
      p.catch(() => {
        if (promise === p) promise = undefined;
      });
      pending.add(p);
      void p.then(
        () => pending.delete(p),
        () => pending.delete(p),
      );
    }
    return promise;
  };
}

/** Resolves once every lazy import started so far has loaded or failed. */
export async function lazyPartsLoaded(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
