/**
 * HttpSource against a real local HTTP server (node:http, in its own thread: flaky-server.ts) that
 * answers, 404s, never answers, stalls mid-body or trickles: every download ends with a typed SnapshotError within its timeout,
 * frees its connection, and a new open (what Retry does) recovers once the server is fixed.
 * Paths that leave the snapshot folder are refused before any request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters } from '@usage-analytics/queries';
import { HttpSource, UsageDataClient, WasmNodeConnector } from '../src/node.js';
import { failure } from './helpers.js';
import { startFlakyServer, type FlakyServer } from './flaky-server.js';
import { buildSnapshot, dropTables, shared, singleUserDataset, type SnapshotFiles } from './fixtures.js';

let conn: WasmNodeConnector;
let snap: SnapshotFiles;
let server: FlakyServer;
let origin: string;

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  snap = await buildSnapshot(singleUserDataset());
  server = await startFlakyServer(snap.files, snap.manifest);
  origin = server.origin;
}, 30_000);

afterAll(async () => {
  await server?.close();
  await conn?.close();
});

beforeEach(async () => {
  await server.reset();
  await server.setManifest(snap.manifest);
});

const LIMITS = { stallTimeoutMs: 1_000, timeoutMs: 20_000 };
const source = (limits = LIMITS) => new HttpSource(`${origin}/snap/manifest.json`, limits);

async function open(limits = LIMITS) {
  await dropTables(conn);
  return UsageDataClient.open({ source: source(limits), connector: shared(conn) });
}

/** Waits until the server saw the client abandon `path` (an aborted download frees its connection). */
const abandoned = async (path: string, ms = 3_000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await server.log()).abandoned.includes(path)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

describe('HttpSource timeouts and errors (real HTTP server)', () => {
  it('loads over HTTP when the server answers', async () => {
    const client = await open();
    await client.ready;
    expect((await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('fails with fetch_timeout when the manifest never answers, and frees the connection', async () => {
    await server.setMode('manifest.json', 'hang');
    const t0 = Date.now();
    const e = await failure(open());
    expect(Date.now() - t0).toBeLessThan(4_000);
    expect(e).toMatchObject({ code: 'fetch_timeout', field: `${origin}/snap/manifest.json` });
    expect(e.message).toBe(
      `cannot read manifest ${origin}/snap/manifest.json: ${origin}/snap/manifest.json: no data for 1 s (nothing received); the server or the network stopped sending`,
    );
    expect(await abandoned('/snap/manifest.json'), 'the request was aborted').toBe(true);
  });

  it('fails with fetch_failed and the status when the manifest is 404', async () => {
    await server.setMode('manifest.json', '404');
    const e = await failure(open());
    expect(e).toMatchObject({ code: 'fetch_failed', field: `${origin}/snap/manifest.json` });
    expect(e.message).toMatch(/HTTP 404$/);
  });

  it('fails with fetch_timeout naming the table file when a table stalls mid-body, and a new open recovers once fixed', async () => {
    await server.setMode('users.arrows', 'stall');
    const client = await open();
    const e = await failure(client.ready);
    const size = snap.files.get('users.arrows')!.length;
    expect(e).toMatchObject({ code: 'fetch_timeout', field: 'users.arrows', detail: { table: 'users', file: 'users.arrows' } });
    expect(e.message).toMatch(
      new RegExp(`^cannot read table "users" \\(users\\.arrows\\): .*/snap/users\\.arrows: no data for 1 s \\([\\d.]+ (B|kB) of [\\d.]+ (B|kB) received\\)`),
    );
    expect(size).toBeGreaterThan(1);
    await expect(client.run(Q.kpis, defaultFilters(), undefined)).rejects.toMatchObject({ code: 'fetch_timeout' });
    expect(await abandoned('/snap/users.arrows')).toBe(true);

    await server.setMode('users.arrows', 'ok'); // the server is fixed: Retry opens again
    const again = await open();
    await again.ready;
    expect((await again.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('lets a slow but steady download finish (the stall clock restarts with every byte)', async () => {
    await server.setMode('requests.arrows', 'steady'); // 2 s in all, 200 ms between slices, stall limit 1 s
    const t0 = Date.now();
    const client = await open();
    await client.ready;
    expect(Date.now() - t0).toBeGreaterThan(1_500);
    expect((await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('does not count a blocked thread as a stalled download', async () => {
    // A server on this very thread: while the thread is blocked, neither it nor the client runs, and
    // the stall timer fires late. That lateness is not silence (the browser case: a long task on the page).
    const body = snap.files.get('requests.arrows')!;
    const local = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': body.length });
      let sent = 0;
      const step = Math.ceil(body.length / 10);
      const timer = setInterval(() => {
        res.write(body.subarray(sent, (sent += step)));
        if (sent >= body.length) {
          clearInterval(timer);
          res.end();
        }
      }, 100);
    });
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(local.address() as AddressInfo).port}/requests.arrows`;
      const reading = new HttpSource(url, { stallTimeoutMs: 500 }).read(url);
      await new Promise((r) => setTimeout(r, 150));
      const until = Date.now() + 900; // busy for longer than the 500 ms stall limit
      while (Date.now() < until) {
        // busy
      }
      expect(await reading).toEqual(body);
    } finally {
      local.closeAllConnections();
      await new Promise((r) => local.close(r));
    }
  });

  it('fails with fetch_timeout when one file takes longer than the overall limit', async () => {
    await server.setMode('capacity.arrows', 'trickle');
    // The stall limit is above the overall one: only the overall clock can end this download.
    const client = await open({ stallTimeoutMs: 5_000, timeoutMs: 1_500 });
    const e = await failure(client.ready);
    expect(e).toMatchObject({ code: 'fetch_timeout', field: 'capacity.arrows' });
    expect(e.message).toMatch(/capacity\.arrows: the download took longer than 1\.5 s \((\d+ B of [\d.]+ (B|kB)|nothing) received\)$/);
  });

  it('says the network or the server refused when nothing answers at all', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(new HttpSource(`http://127.0.0.1:${port}/manifest.json`, LIMITS).read(`http://127.0.0.1:${port}/manifest.json`));
    expect(e.code).toBe('fetch_failed');
    expect(e.message).toMatch(/fetch failed — the network failed or the server refused the connection$/);
  });

  it('passes init to fetch and refuses fetch options given where the timeouts go', async () => {
    let seen: string | undefined;
    const probe = createServer((req, res) => {
      seen = req.headers['x-tenant'] as string | undefined;
      res.end('{}');
    });
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(probe.address() as AddressInfo).port}/manifest.json`;
      await new HttpSource(url, { init: { headers: { 'x-tenant': 'acme' } } }).read(url);
      expect(seen).toBe('acme');
      expect(() => new HttpSource(url, { headers: { 'x-tenant': 'acme' } } as never)).toThrow(
        /unknown "headers" \(fetch options such as headers or credentials go in `init`\)/,
      );
      expect(() => new HttpSource(url, { stallTimeoutMs: -1 })).toThrow(
        expect.objectContaining({
          code: 'invalid_param',
          field: 'stallTimeoutMs',
          message: 'stallTimeoutMs must be a number of ms >= 0 (0 = no limit), not -1',
        }),
      );
      expect(() => new HttpSource(url, { timeoutMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'invalid_param', field: 'timeoutMs' }));
    } finally {
      await new Promise((r) => probe.close(r));
    }
  });

  it('refuses manifest paths outside the snapshot folder before requesting them', async () => {
    for (const file of [`//127.0.0.1:${new URL(origin).port}/elsewhere/users.arrows`, `${origin}/elsewhere/users.arrows`, '../users.arrows']) {
      await server.reset();
      await server.setManifest({ ...structuredClone(snap.manifest), tables: { ...snap.manifest.tables, users: { ...snap.manifest.tables.users, file } } });
      const e = await failure(open());
      expect(e, file).toMatchObject({ code: 'invalid_manifest', field: 'tables.users.file' });
      expect((await server.log()).requested, file).toEqual(['/snap/manifest.json']);
    }
    // The source checks the resolved URL too (a second line for custom callers).
    await server.reset();
    const s = source();
    for (const path of ['../secret.txt', '%2e%2e/secret.txt', 'http://other-host/users.arrows', '//other-host/users.arrows', `${origin}/other/users.arrows`]) {
      const e = await failure(s.read(path));
      expect(e.code, path).toBe('invalid_manifest');
      expect(e.message, path).toMatch(/outside the snapshot's folder http:\/\/127\.0\.0\.1:\d+\/snap\/$/);
    }
    expect((await server.log()).requested).toEqual([]);
  });
});
