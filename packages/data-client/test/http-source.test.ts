/**
 * HttpSource against a real local HTTP server (node:http) that answers, 404s, never answers,
 * stalls mid-body or trickles: every download ends with a typed SnapshotError within its timeout,
 * frees its connection, and a new open (what Retry does) recovers once the server is fixed.
 * Paths that leave the snapshot folder are refused before any request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as Q from '@usage-analytics/queries';
import { defaultFilters } from '@usage-analytics/queries';
import { HttpSource, SnapshotError, UsageDataClient, WasmNodeConnector } from '../src/node.js';
import { buildSnapshot, dropTables, shared, singleUserDataset, type SnapshotFiles } from './fixtures.js';

type Mode = 'ok' | '404' | 'hang' | 'stall' | 'steady' | 'trickle';

let conn: WasmNodeConnector;
let snap: SnapshotFiles;
let server: Server;
let origin: string;
/** How the server answers each path under /snap/ (default ok). */
const modes = new Map<string, Mode>();
/** Paths requested, and those whose connection the client closed before the body ended. */
let requested: string[] = [];
let abandoned: string[] = [];
let manifestOverride: unknown;

function serve(req: IncomingMessage, res: ServerResponse): void {
  const path = decodeURIComponent(new URL(req.url!, 'http://x').pathname);
  requested.push(path);
  const name = path.replace(/^\/snap\//, '');
  const body = name === 'manifest.json' ? new TextEncoder().encode(JSON.stringify(manifestOverride ?? snap.manifest)) : snap.files.get(name);
  const mode = modes.get(name) ?? 'ok';
  res.on('close', () => {
    if (!res.writableFinished) abandoned.push(path);
  });
  if (!path.startsWith('/snap/') || !body || mode === '404') {
    res.writeHead(404).end('not found');
    return;
  }
  if (mode === 'hang') return; // never answers
  res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
  if (mode === 'ok') return void res.end(body);
  if (mode === 'stall') return void res.write(body.subarray(0, body.length >> 1)); // half, then silence
  // steady: 10 slices 80 ms apart (longer in all than the stall limit); trickle: 1 byte every 50 ms.
  const step = mode === 'steady' ? Math.ceil(body.length / 10) : 1;
  let sent = 0;
  const timer = setInterval(
    () => {
      if (res.destroyed) return clearInterval(timer);
      res.write(body.subarray(sent, sent + step));
      sent += step;
      if (sent >= body.length) {
        clearInterval(timer);
        res.end();
      }
    },
    mode === 'steady' ? 80 : 50,
  );
}

beforeAll(async () => {
  conn = await WasmNodeConnector.create();
  snap = await buildSnapshot(singleUserDataset());
  server = createServer(serve);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 30_000);

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await conn?.close();
});

beforeEach(() => {
  modes.clear();
  requested = [];
  abandoned = [];
  manifestOverride = undefined;
});

const LIMITS = { stallTimeoutMs: 500, timeoutMs: 10_000 };
const source = (limits = LIMITS) => new HttpSource(`${origin}/snap/manifest.json`, limits);

async function open(limits = LIMITS) {
  await dropTables(conn);
  return UsageDataClient.open({ source: source(limits), connector: shared(conn) });
}

async function failure(p: Promise<unknown>): Promise<SnapshotError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(SnapshotError);
  return e as SnapshotError;
}

const waitFor = async (cond: () => boolean, ms = 2_000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
};

describe('HttpSource timeouts and errors (real HTTP server)', () => {
  it('loads over HTTP when the server answers', async () => {
    const client = await open();
    await client.ready;
    expect((await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('fails with fetch_timeout when the manifest never answers, and frees the connection', async () => {
    modes.set('manifest.json', 'hang');
    const t0 = Date.now();
    const e = await failure(open());
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(e).toMatchObject({ code: 'fetch_timeout', field: `${origin}/snap/manifest.json` });
    expect(e.message).toBe(`cannot read manifest ${origin}/snap/manifest.json: ${origin}/snap/manifest.json: no data for 0.5 s (nothing received); the server or the network stopped sending`);
    expect(await waitFor(() => abandoned.includes('/snap/manifest.json')), 'the request was aborted').toBe(true);
  });

  it('fails with fetch_failed and the status when the manifest is 404', async () => {
    modes.set('manifest.json', '404');
    const e = await failure(open());
    expect(e).toMatchObject({ code: 'fetch_failed', field: `${origin}/snap/manifest.json` });
    expect(e.message).toMatch(/HTTP 404$/);
  });

  it('fails with fetch_timeout naming the table file when a table stalls mid-body, and a new open recovers once fixed', async () => {
    modes.set('users.arrows', 'stall');
    const client = await open();
    const e = await failure(client.ready);
    const size = snap.files.get('users.arrows')!.length;
    expect(e).toMatchObject({ code: 'fetch_timeout', field: 'users.arrows', detail: { table: 'users', file: 'users.arrows' } });
    expect(e.message).toMatch(new RegExp(`^cannot read table "users" \\(users\\.arrows\\): .*/snap/users\\.arrows: no data for 0\\.5 s \\([\\d.]+ (B|kB) of [\\d.]+ (B|kB) received\\)`));
    expect(size).toBeGreaterThan(1);
    await expect(client.run(Q.kpis, defaultFilters(), undefined)).rejects.toMatchObject({ code: 'fetch_timeout' });
    expect(await waitFor(() => abandoned.includes('/snap/users.arrows'))).toBe(true);

    modes.delete('users.arrows'); // the server is fixed: Retry opens again
    const again = await open();
    await again.ready;
    expect((await again.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('lets a slow but steady download finish (the stall clock restarts with every byte)', async () => {
    modes.set('requests.arrows', 'steady'); // ~800 ms in all, 80 ms between slices, stall limit 500 ms
    const t0 = Date.now();
    const client = await open();
    await client.ready;
    expect(Date.now() - t0).toBeGreaterThan(600);
    expect((await client.run(Q.kpis, defaultFilters({ agentStatuses: [] }), undefined)).totalCalls.value).toBe(5);
  });

  it('does not count a blocked thread as a stalled download', async () => {
    modes.set('requests.arrows', 'steady');
    const reading = source().read('requests.arrows');
    await new Promise((r) => setTimeout(r, 100));
    const until = Date.now() + 900; // the page's thread busy for longer than the 500 ms stall limit
    while (Date.now() < until) {
      // busy
    }
    const bytes = await reading;
    expect(bytes).toEqual(snap.files.get('requests.arrows'));
  });

  it('fails with fetch_timeout when one file takes longer than the overall limit', async () => {
    modes.set('capacity.arrows', 'trickle');
    // The stall limit is above the overall one: only the overall clock can end this download (the
    // server shares this thread, so under load a blocked thread could otherwise look like a stall).
    const client = await open({ stallTimeoutMs: 5_000, timeoutMs: 1_000 });
    const e = await failure(client.ready);
    expect(e).toMatchObject({ code: 'fetch_timeout', field: 'capacity.arrows' });
    expect(e.message).toMatch(/capacity\.arrows: the download took longer than 1 s \((\d+ B of [\d.]+ (B|kB)|nothing) received\)$/);
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
      expect(() => new HttpSource(url, { headers: { 'x-tenant': 'acme' } } as never)).toThrow(/unknown "headers" \(fetch options such as headers or credentials go in `init`\)/);
      expect(() => new HttpSource(url, { stallTimeoutMs: -1 })).toThrow(expect.objectContaining({ code: 'invalid_param', field: 'stallTimeoutMs', message: 'stallTimeoutMs must be a number of ms >= 0 (0 = no limit), not -1' }));
      expect(() => new HttpSource(url, { timeoutMs: Number.NaN })).toThrow(expect.objectContaining({ code: 'invalid_param', field: 'timeoutMs' }));
    } finally {
      await new Promise((r) => probe.close(r));
    }
  });

  it('refuses manifest paths outside the snapshot folder before requesting them', async () => {
    for (const file of [`//127.0.0.1:${new URL(origin).port}/elsewhere/users.arrows`, `${origin}/elsewhere/users.arrows`, '../users.arrows']) {
      requested = [];
      manifestOverride = { ...structuredClone(snap.manifest), tables: { ...snap.manifest.tables, users: { ...snap.manifest.tables.users, file } } };
      const e = await failure(open());
      expect(e, file).toMatchObject({ code: 'invalid_manifest', field: 'tables.users.file' });
      expect(requested, file).toEqual(['/snap/manifest.json']);
    }
    // The source checks the resolved URL too (a second line for custom callers).
    requested = [];
    const s = source();
    for (const path of ['../secret.txt', '%2e%2e/secret.txt', 'http://other-host/users.arrows', '//other-host/users.arrows', `${origin}/other/users.arrows`]) {
      const e = await failure(s.read(path));
      expect(e.code, path).toBe('invalid_manifest');
      expect(e.message, path).toMatch(/outside the snapshot's folder http:\/\/127\.0\.0\.1:\d+\/snap\/$/);
    }
    expect(requested).toEqual([]);
  });
});
