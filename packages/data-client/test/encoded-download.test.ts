/**
 * A snapshot file sent with Content-Encoding (a host serving snapshot.duckdb as its brotli sidecar,
 * or gzip): HttpSource reads it on this thread (the main-thread path; the hash worker's path runs in
 * Chromium, packages/elements/test/provider-failures.test.ts) against a real local HTTP server. The
 * bytes and the SHA-256 are those of the decoded file; with the Content-Length counting compressed
 * bytes, a stalled download reports its progress against the manifest's (decoded) size.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSource } from '../src/node.js';
import { failure } from './helpers.js';
import { formatBytes } from '../src/fetch.js';

/** 600 kB: half random (incompressible), half repetitive, so a prefix of the compressed body decodes to a prefix of it. */
const raw = Buffer.concat([randomBytes(300_000), Buffer.from('snapshot.duckdb '.repeat(18_750))]);
const sha = createHash('sha256').update(raw).digest('hex');
const encoded = { br: brotliCompressSync(raw), gzip: gzipSync(raw) };

let server: Server;
let origin: string;
const open = new Set<ServerResponse>();

beforeAll(async () => {
  server = createServer((req, res) => {
    // /snap/<encoding>/<mode>/snapshot.duckdb: mode ok (whole body) or stall (half the compressed body, then silence).
    const [, , encoding, mode] = new URL(req.url!, 'http://x').pathname.split('/');
    const body = encoded[encoding as keyof typeof encoded];
    if (!body) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': encoding, 'content-length': body.length });
    if (mode === 'ok') return void res.end(body);
    open.add(res);
    res.write(body.subarray(0, body.length >> 1));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((r) => server.close(r));
});

const LIMITS = { stallTimeoutMs: 500, timeoutMs: 20_000 };
const source = (encoding: string, mode: string) => new HttpSource(`${origin}/snap/${encoding}/${mode}/manifest.json`, LIMITS);

describe('a database file sent with Content-Encoding (main-thread download)', () => {
  for (const encoding of ['br', 'gzip'] as const) {
    it(`${encoding}: the bytes and their SHA-256 are the decoded file's`, async () => {
      expect(encoded[encoding].length).toBeLessThan(raw.length);
      const s = source(encoding, 'ok');
      const bytes = await s.read('snapshot.duckdb', raw.length);
      expect(Buffer.from(bytes).equals(raw)).toBe(true);
      const hashed = await s.readHashed('snapshot.duckdb', raw.length);
      expect(hashed.sha256).toBe(sha);
      expect(Buffer.from(hashed.bytes).equals(raw)).toBe(true);
      // A wrong size is only a hint: the body is read to its end either way.
      expect(Buffer.from(await s.read('snapshot.duckdb', 1000)).equals(raw)).toBe(true);
      expect(Buffer.from(await s.read('snapshot.duckdb', raw.length * 3)).equals(raw)).toBe(true);
    });

    it(`${encoding}: a stall mid-body reports the bytes received against the manifest's size, not the compressed length`, async () => {
      const e = await failure(source(encoding, 'stall').read('snapshot.duckdb', raw.length));
      expect(e.code).toBe('fetch_timeout');
      const m = /no data for 0\.5 s \(([\d.]+) (B|kB|MB) of ([\d.]+ (?:B|kB|MB)) received\)/.exec(e.message);
      expect(m, e.message).not.toBeNull();
      expect(m![3]).toBe(formatBytes(raw.length));
      const got = Number(m![1]) * { B: 1, kB: 1e3, MB: 1e6 }[m![2] as 'B']!;
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(raw.length);
      // readHashed falls back to this thread in Node (no Worker) and reports alike.
      const h = await failure(source(encoding, 'stall').readHashed('snapshot.duckdb', raw.length));
      expect(h.message).toContain(`of ${formatBytes(raw.length)} received`);
    });
  }

  it('without the size, a stall reports the bytes received alone (the total is unknown)', async () => {
    const e = await failure(source('br', 'stall').read('snapshot.duckdb'));
    expect(e.message).toMatch(/no data for 0\.5 s \([\d.]+ (B|kB|MB) received\)/);
  });
});
