import { sha256Hex } from './checksum.js';
import { fetchAndHash } from './hash-worker.js';

/** Where snapshot files come from: HTTP (browser) or the file system (Node). Paths are relative to the manifest. */
export interface SnapshotSource {
  /** A label for errors (URL or directory). */
  readonly location: string;
  /** Path of manifest.json, for {@link read}. */
  readonly manifestPath: string;
  read(path: string): Promise<Uint8Array>;
  /**
   * Reads `path` and its SHA-256 (hex), off the calling thread when the source can (HTTP in a
   * browser: a worker). Optional; without it the client hashes what {@link read} returns.
   */
  readHashed?(path: string): Promise<{ bytes: Uint8Array; sha256: string }>;
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
    const res = await fetch(url, this.requestInit(path));
    if (!res.ok) throw new Error(`GET ${url.href} → HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  }

  /** Fetches and hashes in a worker in browsers (the page's thread stays free); elsewhere reads and hashes here. */
  async readHashed(path: string): Promise<{ bytes: Uint8Array; sha256: string }> {
    const off = await fetchAndHash(new URL(path, this.base).href, this.requestInit(path));
    if (off) return off;
    const bytes = await this.read(path);
    return { bytes, sha256: await sha256Hex(bytes) };
  }

  private requestInit(path: string): RequestInit {
    return { cache: path.endsWith('manifest.json') ? 'no-cache' : 'default', ...this.init };
  }
}
