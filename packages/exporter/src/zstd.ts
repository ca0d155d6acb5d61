/**
 * zstd for the exporter (the database file's `.zst` sidecar): @bokuweb/zstd-wasm, the zstd
 * library compiled to WebAssembly (Node 20's zlib has no zstd; a native addon would need a
 * download or a compiler at install). Its `init()` must run once per process: a second call
 * re-instantiates the module under calls in flight (measured: a concurrent second init made a
 * compress call emit bytes that do not decode), so everyone gets the module through
 * {@link loadZstd}.
 */
type Zstd = typeof import('@bokuweb/zstd-wasm');

let loaded: Promise<Zstd> | undefined;

/** The zstd module, initialised once per process. */
export function loadZstd(): Promise<Zstd> {
  loaded ??= (async () => {
    const zstd = await import('@bokuweb/zstd-wasm');
    await zstd.init();
    return zstd;
  })();
  loaded.catch(() => (loaded = undefined)); // a failed load is tried again
  return loaded;
}
