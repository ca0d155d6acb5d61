// Test servers for the browser tests (web-test-runner middleware, Koa style). Real HTTP, real bytes.
import { readFile } from 'node:fs/promises';

const root = new URL('..', import.meta.url); // this file lives in scripts/
const SNAPSHOT_DIR = '/.data/test-snapshot/';

/**
 * `/.data/test-snapshot/tampered-manifest.json`: the real test snapshot's manifest with every
 * sha256 wrong (files still real). Served from inside the snapshot's folder, so its relative table
 * paths resolve to the real files, which the client must then refuse with `checksum_mismatch`.
 */
export const TAMPERED_MANIFEST = `${SNAPSHOT_DIR}tampered-manifest.json`;

export async function tamperedManifest(ctx, next) {
  if (ctx.path !== TAMPERED_MANIFEST) return next();
  let manifest;
  try {
    manifest = JSON.parse(await readFile(new URL(`.${SNAPSHOT_DIR}manifest.json`, root), 'utf8'));
  } catch {
    ctx.status = 404; // no snapshot generated: the test reports it
    return;
  }
  for (const entry of [...Object.values(manifest.tables), manifest.precomputed, manifest.database].filter(Boolean)) entry.sha256 = '0'.repeat(64);
  ctx.type = 'application/json';
  ctx.body = JSON.stringify(manifest);
}

/**
 * A misbehaving file server: `/__flaky/<id>/<root>/<path>` serves `<path>` from `root` =
 * `snapshot` (.data/test-snapshot) or `duckdb` (the DuckDB-WASM dist folder), answering each file
 * as told by `/__flaky/<id>/set?file=<name>&mode=<mode>` (`name` matches the end of the path):
 *   ok · 404 · hang (never answers) · stall (headers and half the body, then silence) ·
 *   br / stall-br (as ok / stall, but the body is `<path>.br` — the exporter's brotli sidecar — sent
 *   with `Content-Encoding: br` when the request accepts br, as scripts/serve.mjs does; else the file).
 * `/__flaky/<id>/log` returns `{requested, abandoned, encoded}`: paths asked for, those whose client
 * went away before the body ended (an aborted download frees its connection), and those sent br-encoded.
 */
const scenarios = new Map();
const ROOTS = { snapshot: `.${SNAPSHOT_DIR}`, duckdb: './node_modules/@duckdb/duckdb-wasm/dist/' };
const TYPES = { '.json': 'application/json', '.wasm': 'application/wasm', '.js': 'text/javascript', '.arrows': 'application/vnd.apache.arrow.stream' };

export async function flakyFiles(ctx, next) {
  const m = /^\/__flaky\/([\w-]+)\/(.*)$/.exec(ctx.path);
  if (!m) return next();
  const [, id, rest] = m;
  const s = scenarios.get(id) ?? { modes: new Map(), requested: [], abandoned: [], encoded: [] };
  scenarios.set(id, s);
  ctx.set('Cache-Control', 'no-store');
  if (rest === 'set') {
    s.modes.set(String(ctx.query.file), String(ctx.query.mode));
    ctx.status = 204;
    return;
  }
  if (rest === 'log') {
    ctx.body = { requested: s.requested, abandoned: s.abandoned, encoded: s.encoded };
    return;
  }
  const [rootName, ...parts] = rest.split('/');
  const path = parts.join('/');
  if (!ROOTS[rootName] || path.split('/').includes('..')) return void (ctx.status = 400);
  s.requested.push(path);
  const mode = [...s.modes].find(([file]) => path.endsWith(file))?.[1] ?? 'ok';
  // Answered by hand: the test runner marks every response with a file extension as cacheable for a
  // year (cacheMiddleware, headers set after this returns), and a cached 404 would outlive the fix.
  ctx.respond = false;
  const res = ctx.res;
  const done = new Promise((resolve) => res.on('close', resolve));
  res.on('close', () => {
    if (!res.writableFinished) s.abandoned.push(path);
  });
  if (mode === 'hang') return done; // open until the client goes away
  const accepted = String(ctx.get('accept-encoding'))
    .split(',')
    .map((part) => part.trim().split(';'))
    .some(([name, q]) => name.trim().toLowerCase() === 'br' && !/^\s*q=0(\.0*)?\s*$/.test(q ?? ''));
  const brotli = (mode === 'br' || mode === 'stall-br') && accepted;
  let body;
  try {
    if (mode !== '404') body = await readFile(new URL(`${ROOTS[rootName]}${path}${brotli ? '.br' : ''}`, root));
  } catch {
    // missing: 404 below
  }
  if (!body) {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Cache-Control': 'no-store' }).end('not found');
    return;
  }
  const type = TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store', ...(brotli ? { 'Content-Encoding': 'br' } : {}) });
  if (brotli) s.encoded.push(path);
  if (ctx.method === 'HEAD') return void res.end();
  if (mode !== 'stall' && mode !== 'stall-br') return void res.end(body);
  res.write(body.subarray(0, body.length >> 1)); // half the body, then silence
  return done;
}

/**
 * A second origin for the cross-origin tests: a plain node:http server on 127.0.0.1 (another port,
 * so another origin than the test page), started with the test server. It serves the test snapshot
 * and the DuckDB-WASM files under two prefixes:
 *   /cors/<root>/<path>    with `Access-Control-Allow-Origin: *` (a CDN or a snapshot host set up right)
 *   /nocors/<root>/<path>  without it (the browser blocks the page from reading the answer)
 * `root` is `snapshot` or `duckdb` as in {@link flakyFiles}. The page learns the server's URL from
 * `GET /__second-origin` on the test server; a closed port for "nothing answers" from `closedPort`.
 */
let secondOrigin;
let closedPort;

async function serveSecondOrigin(req, res) {
  const m = /^\/(cors|nocors)\/(snapshot|duckdb)\/([\w./-]+)$/.exec(new URL(req.url, 'http://x').pathname);
  const cors = m?.[1] === 'cors' ? { 'Access-Control-Allow-Origin': '*' } : {};
  if (!m || m[3].split('/').includes('..')) return void res.writeHead(404, cors).end('not found');
  let body;
  try {
    body = await readFile(new URL(`${ROOTS[m[2]]}${m[3]}`, root));
  } catch {
    return void res.writeHead(404, { ...cors, 'Content-Type': 'text/plain' }).end('not found');
  }
  const type = TYPES[m[3].slice(m[3].lastIndexOf('.'))] ?? 'application/octet-stream';
  res.writeHead(200, { ...cors, 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
  res.end(req.method === 'HEAD' ? undefined : body);
}

export const secondOriginPlugin = {
  name: 'usage-second-origin',
  async serverStart() {
    const { createServer } = await import('node:http');
    secondOrigin = createServer((req, res) => void serveSecondOrigin(req, res).catch(() => res.destroy()));
    await new Promise((resolve) => secondOrigin.listen(0, '127.0.0.1', resolve));
    // A port that was open a moment ago and is closed now: a connection there is refused.
    const probe = createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = probe.address().port;
    await new Promise((resolve) => probe.close(resolve));
  },
  async serverStop() {
    await new Promise((resolve) => (secondOrigin ? secondOrigin.close(resolve) : resolve()));
  },
};

export async function secondOriginInfo(ctx, next) {
  if (ctx.path !== '/__second-origin') return next();
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { url: `http://127.0.0.1:${secondOrigin.address().port}`, closed: `http://127.0.0.1:${closedPort}` };
}
