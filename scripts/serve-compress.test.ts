// scripts/serve.mjs compression (issue 12, bytes): DuckDB's wasm is sent brotli/gzip-compressed by
// Accept-Encoding (decoding to the exact bytes), identity without it and for a Range request; a
// changed file is compressed again; wasm under a --mount is served alike.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dir = mkdtempSync(join(tmpdir(), 'serve-compress-'));
const dist = join(dir, 'dist');
const cdn = join(dir, 'cdn');
mkdirSync(join(dist, 'duckdb'), { recursive: true });
mkdirSync(join(cdn, 'duckdb'), { recursive: true });
writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');

/** wasm-like bytes: a repetitive part (compresses) and a random-ish part (does not), 3 MB. */
function fakeWasm(seed: number): Buffer {
  const b = Buffer.alloc(3_000_000);
  let x = seed;
  for (let i = 0; i < b.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = i % 3 === 0 ? x >>> 24 : (i >> 6) & 0xff;
  }
  b.set([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]); // the wasm magic and version
  return b;
}
const wasm = fakeWasm(1);
const mounted = fakeWasm(2);
writeFileSync(join(dist, 'duckdb', 'duckdb-eh.wasm'), wasm);
writeFileSync(join(cdn, 'duckdb', 'duckdb-eh.wasm'), mounted);

let child: ChildProcess;
let base: string;

beforeAll(async () => {
  child = spawn(process.execPath, [resolve('scripts/serve.mjs'), '--dist', dist, '--snapshots', dir, '--mount', `/static/ua/=${cdn}`, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, COI: '' },
  });
  base = await new Promise<string>((res, rej) => {
    let text = '';
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = /http:\/\/localhost:(\d+)\//.exec(text);
      if (m) res(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', (code) => rej(new Error(`server exited ${code}`)));
  });
});

afterAll(() => {
  child?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw GET (no automatic decoding): status, headers, body bytes. */
const get = (path: string, headers: Record<string, string> = {}, method = 'GET') =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((res, rej) => {
    request(`${base}${path}`, { headers, method }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res({ status: r.statusCode!, headers: r.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', rej)
      .end();
  });

describe('scripts/serve.mjs sends the wasm compressed', () => {
  it('brotli when br is accepted (the exact bytes once decoded, Content-Length = compressed length, Vary)', async () => {
    // Asked right after start: the warm-up may still run, the request awaits it.
    const r = await get('/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'gzip, deflate, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-encoding']).toBe('br');
    expect(r.headers['content-type']).toBe('application/wasm');
    expect(r.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(r.headers['content-length'])).toBe(r.body.length);
    expect(r.body.length).toBeLessThan(wasm.length);
    expect(brotliDecompressSync(r.body).equals(wasm)).toBe(true);
  });

  it('gzip when only gzip is accepted (or br is refused with q=0)', async () => {
    for (const ae of ['gzip', 'br;q=0, gzip']) {
      const r = await get('/duckdb/duckdb-eh.wasm', { 'accept-encoding': ae });
      expect(r.headers['content-encoding'], ae).toBe('gzip');
      expect(Number(r.headers['content-length'])).toBe(r.body.length);
      expect(gunzipSync(r.body).equals(wasm)).toBe(true);
    }
  });

  it('identity without Accept-Encoding, with only refused encodings, and for a Range request', async () => {
    for (const headers of [{}, { 'accept-encoding': 'gzip;q=0, br;q=0' }, { 'accept-encoding': 'identity' }] as Record<string, string>[]) {
      const r = await get('/duckdb/duckdb-eh.wasm', headers);
      expect(r.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(r.body.equals(wasm)).toBe(true);
    }
    const range = await get('/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'br, gzip', range: 'bytes=0-99' });
    expect(range.headers['content-encoding']).toBeUndefined();
    expect(range.body.subarray(0, 100).equals(wasm.subarray(0, 100))).toBe(true);
  });

  it('HEAD gives the compressed length without a body', async () => {
    const full = await get('/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'br' });
    const head = await get('/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'br' }, 'HEAD');
    expect(head.headers['content-encoding']).toBe('br');
    expect(Number(head.headers['content-length'])).toBe(full.body.length);
    expect(head.body.length).toBe(0);
  });

  it('a wasm under a --mount too, and a changed file is compressed again (cache per file version)', async () => {
    const m = await get('/static/ua/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'br' });
    expect(m.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(m.body).equals(mounted)).toBe(true);
    const changed = fakeWasm(3);
    const file = join(cdn, 'duckdb', 'duckdb-eh.wasm');
    writeFileSync(file, changed);
    const later = new Date(Date.now() + 5_000);
    utimesSync(file, later, later);
    const again = await get('/static/ua/duckdb/duckdb-eh.wasm', { 'accept-encoding': 'br' });
    expect(brotliDecompressSync(again.body).equals(changed)).toBe(true);
  });
});
