import { ParamError } from '@usage-analytics/queries';
import { sha256Hex } from './checksum.js';
import { SnapshotError } from './errors.js';
import { fetchBytes, resolveLimits, type FetchLimits } from './fetch.js';
import { fetchAndHash } from './hash-worker.js';

/** Where snapshot files come from: HTTP (browser) or the file system (Node). Paths are relative to the manifest. */
export interface SnapshotSource {
  /** A label for errors (URL or directory). */
  readonly location: string;
  /** Path of manifest.json, for {@link read}. */
  readonly manifestPath: string;
  /**
   * Reads `path`. `size`, when given, is the file's decoded size from the manifest: the download's
   * total when the response does not tell it (a body sent with Content-Encoding, whose
   * Content-Length is the compressed size), for progress and timeout messages.
   */
  read(path: string, size?: number): Promise<Uint8Array>;
  /**
   * Reads `path` and its SHA-256 (hex) of the decoded bytes, off the calling thread when the source
   * can (HTTP in a browser: a worker). Optional; without it the client hashes what {@link read} returns.
   */
  readHashed?(path: string, size?: number): Promise<{ bytes: Uint8Array; sha256: string }>;
}

export interface HttpSourceOptions extends FetchLimits {
  /** Passed to every `fetch` (credentials, headers, …). */
  init?: RequestInit;
}

/**
 * Reads a snapshot over HTTP; `manifestUrl` is the URL of manifest.json. Every file must resolve
 * inside the manifest's folder (same origin, same path prefix): a path that leaves it is refused
 * before any request. Each download has a stall and an overall timeout (`options`).
 */
export class HttpSource implements SnapshotSource {
  readonly location: string;
  readonly manifestPath: string;
  private readonly base: URL;
  /** The manifest's folder, e.g. `/snapshots/` for `/snapshots/manifest.json`. */
  private readonly folder: string;
  private readonly init: RequestInit;
  private readonly limits: FetchLimits;

  constructor(manifestUrl: string | URL, options: HttpSourceOptions = {}) {
    const baseHref = typeof document !== 'undefined' ? document.baseURI : undefined;
    this.base = new URL(String(manifestUrl), baseHref);
    this.location = this.base.href;
    this.manifestPath = this.base.href;
    this.folder = this.base.pathname.slice(0, this.base.pathname.lastIndexOf('/') + 1);
    const { init = {}, stallTimeoutMs, timeoutMs, ...unknown } = options;
    // Before the timeouts the second argument was the RequestInit: refuse it loudly rather than drop credentials or headers.
    const keys = Object.keys(unknown);
    if (keys.length) {
      throw new ParamError(
        keys[0],
        `HttpSource options: unknown ${keys.map((k) => JSON.stringify(k)).join(', ')} (fetch options such as headers or credentials go in \`init\`)`,
      );
    }
    this.init = init;
    this.limits = { stallTimeoutMs, timeoutMs };
    resolveLimits(this.limits); // a bad limit fails here, not at the first download
  }

  /** The absolute URL of `path`; throws `invalid_manifest` when it is outside the snapshot's folder. */
  resolve(path: string): URL {
    if (path === this.manifestPath) return this.base;
    const url = new URL(path, this.base);
    if (url.origin !== this.base.origin || !url.pathname.startsWith(this.folder)) {
      throw new SnapshotError(
        'invalid_manifest',
        `${JSON.stringify(path)} resolves to ${url.href}, outside the snapshot's folder ${this.base.origin}${this.folder}`,
        {
          file: path,
        },
      );
    }
    return url;
  }

  async read(path: string, size?: number): Promise<Uint8Array> {
    return fetchBytes(this.resolve(path).href, this.requestInit(path), this.limits, path, size);
  }

  /** Fetches and hashes in a worker in browsers (the page's thread stays free); elsewhere reads and hashes here. */
  async readHashed(path: string, size?: number): Promise<{ bytes: Uint8Array; sha256: string }> {
    const off = await fetchAndHash(this.resolve(path).href, this.requestInit(path), this.limits, path, size);
    if (off) return off;
    const bytes = await this.read(path, size);
    return { bytes, sha256: await sha256Hex(bytes) };
  }

  private requestInit(path: string): RequestInit {
    return { cache: path.endsWith('manifest.json') ? 'no-cache' : 'default', ...this.init };
  }
}
