/** Where snapshot files come from: HTTP (browser) or the file system (Node). Paths are relative to the manifest. */
export interface SnapshotSource {
  /** A label for errors (URL or directory). */
  readonly location: string;
  /** Path of manifest.json, for {@link read}. */
  readonly manifestPath: string;
  read(path: string): Promise<Uint8Array>;
}

/** Reads a snapshot over HTTP; `manifestUrl` is the URL of manifest.json. */
export class HttpSource implements SnapshotSource {
  readonly location: string;
  readonly manifestPath: string;
  private readonly base: URL;
  constructor(manifestUrl: string | URL, private readonly init: RequestInit = {}) {
    const baseHref = typeof document !== 'undefined' ? document.baseURI : undefined;
    this.base = new URL(String(manifestUrl), baseHref);
    this.location = this.base.href;
    this.manifestPath = this.base.href;
  }
  async read(path: string): Promise<Uint8Array> {
    const url = new URL(path, this.base);
    const res = await fetch(url, { cache: path.endsWith('manifest.json') ? 'no-cache' : 'default', ...this.init });
    if (!res.ok) throw new Error(`GET ${url.href} → HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }
}
