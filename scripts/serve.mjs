#!/usr/bin/env node
// A small static server for the demo portal: the built page at /, the published snapshot files at
// /snapshots/. Binds to 127.0.0.1 only. Usage: node scripts/serve.mjs --dist DIR --snapshots DIR [--port 8080]
//
// Under /snapshots/ it serves ONLY what the exporter publishes for the browser:
//   manifest.json, <snapshot-id>/manifest.json, <snapshot-id>/<table>.arrows, <snapshot-id>/precomputed.json, <snapshot-id>/snapshot.duckdb
// and answers 404 for everything else in that folder: <snapshot-id>/private/ (PII, quarantined raw
// rows, full source paths), .lock, .tmp-* folders being written, manifest.json.tmp, stamps.
// A malformed percent-escape is a 400, never a crash. `--port 0` picks a free port (printed).
//
// `--mount /prefix/=DIR` (repeatable) serves another folder under a sub-path, e.g. the one-script
// embed's CDN folder at /static/ua/ (examples/plain-html).
//
// Compression, by Accept-Encoding (brotli, else gzip; `q=0` refuses), always with `Vary: Accept-Encoding`
// and never for a Range request (that gets the file's own bytes):
// - text files (JS, HTML, CSS, JSON, SVG, source maps) and DuckDB's `.wasm` engine are compressed
//   in memory with async node:zlib (text: brotli q9 / gzip 9; wasm: brotli q5 / gzip 6 — the 34 MB
//   EH wasm becomes 6.2 / 7.7 MB), once per file version (path, mtime, size). Every `*.wasm` under
//   --dist and the mounts is brotli-compressed at start (one at a time, the engine the page loads
//   first), so the first page load does not wait; a request arriving while that runs awaits it.
// - `<snapshot-id>/snapshot.duckdb` is sent as the exporter's precompressed `snapshot.duckdb.zst`
//   (`Content-Encoding: zstd`) or `snapshot.duckdb.br` (`Content-Encoding: br`), Content-Length =
//   its length, the first the client accepts whose sidecar exists and is not older than the file;
//   otherwise the file itself. The sidecars are not URLs of their own (not in the list above).
// - the Arrow tables are sent as they are.
//
// With `--actions URL` it also plays the host portal's part for the actions service: `/actions/*`
// is proxied to the service (same origin, so no CORS), and `GET /demo/session?role=…&departments=…`
// returns a short-lived token signed with DEMO_TOKEN_SECRET — in a real portal the server signs the
// token for the logged-in user; the demo lets you pick the role to see what each may do.
//
// `--coi` (or env COI=1) makes the page cross-origin isolated (`crossOriginIsolated`, threads for
// DuckDB-WASM's COI bundle): every response carries `Cross-Origin-Opener-Policy: same-origin` and
// `Cross-Origin-Embedder-Policy: require-corp`, and our own files `Cross-Origin-Resource-Policy:
// same-origin`. A cross-origin script or image the host page embeds then needs CORP or CORS.
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { SignJWT } from 'jose';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

const brotliAsync = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'examples/demo/dist' },
    snapshots: { type: 'string', default: '.data/demo' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: '127.0.0.1' },
    actions: { type: 'string' },
    mount: { type: 'string', multiple: true, default: [] },
    coi: { type: 'boolean', default: process.env.COI === '1' },
  },
});

/** Headers of `--coi` (cross-origin isolation), on every response. */
const COI_HEADERS = values.coi
  ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cross-origin-resource-policy': 'same-origin' }
  : {};

/** `--mount /prefix/=DIR` → [['/prefix/', absolute DIR]], longest prefix first. */
const MOUNTS = values.mount
  .map((m) => {
    const at = m.indexOf('=');
    if (at < 1 || !m.startsWith('/')) throw new Error(`--mount wants /prefix/=DIR, not ${m}`);
    const prefix = m.slice(0, at).endsWith('/') ? m.slice(0, at) : `${m.slice(0, at)}/`;
    return [prefix, resolve(m.slice(at + 1))];
  })
  .sort((a, b) => b[0].length - a[0].length);

const ROLES = [
  'product_manager',
  'director_ai_ml',
  'engineering_manager',
  'business_analyst',
  'customer_success',
  'platform_architect',
  'devops',
  'finance',
  'engineer',
  'ml_engineer',
  'admin',
];

/** `/demo/session`: a 15-minute token for the chosen role(s) and departments (default: Director AI/ML, every department). */
async function session(url, res) {
  const secret = process.env.DEMO_TOKEN_SECRET;
  if (!secret) return res.writeHead(404, { 'content-type': 'text/plain' }).end('no actions service in this demo');
  const roles = (url.searchParams.get('role') ?? 'director_ai_ml').split(',').filter((r) => ROLES.includes(r));
  const departments = (url.searchParams.get('departments') ?? '*').split(',').filter(Boolean).slice(0, 50);
  const userId = url.searchParams.get('user') ?? `demo-${roles.join('+') || 'nobody'}`;
  const token = await new SignJWT({ roles, departments, name: `Demo ${roles.join(', ')}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId.slice(0, 100))
    .setIssuer('usage-portal')
    .setAudience('usage-actions')
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(new TextEncoder().encode(secret));
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ token, roles, departments, userId }));
}

/** `/actions/*` → the actions service (path after `/actions`), streamed both ways. */
function proxy(req, res, path) {
  const target = new URL(path + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : ''), values.actions);
  const up = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers);
    r.pipe(res);
  });
  up.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'unavailable', message: `the actions service is not answering (${e.message})` } }));
  });
  req.pipe(up);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.arrows': 'application/vnd.apache.arrow.stream',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const SNAPSHOTS = resolve(values.snapshots);

/** Sent compressed (in memory) when the client accepts it: text and DuckDB's wasm (not the Arrow tables). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.map', '.json', '.css', '.svg', '.wasm']);
/** Compression levels: text at the strongest (small files); the 34 MB wasm at brotli q5 (1.6 s, 6.2 MB) / gzip 6 (0.85 s, 7.7 MB). */
const LEVELS = { text: { br: 9, gzip: 9 }, '.wasm': { br: 5, gzip: 6 } };
/** `encoding:file` → { mtimeMs, size, body: Promise<Buffer> } (the promise is shared by every request during compression). */
const cache = new Map();

/** `br` if accepted, else `gzip` if accepted, else undefined (q=0 refuses). */
function pickEncoding(accept = '') {
  const ok = accepted(accept);
  return ok.has('br') ? 'br' : ok.has('gzip') ? 'gzip' : undefined;
}

/** The encodings an Accept-Encoding header accepts (those with q=0 left out). */
function accepted(accept = '') {
  return new Set(
    String(accept)
      .split(',')
      .map((part) => part.trim().split(';'))
      .filter(([, q]) => !/^\s*q=0(\.0*)?\s*$/.test(q ?? ''))
      .map(([name]) => name.trim().toLowerCase()),
  );
}

/** The file's bytes compressed with `encoding` (async zlib, off the event loop), computed once per file version. */
function compressed(file, st, encoding) {
  const key = `${encoding}:${file}`;
  const hit = cache.get(key);
  if (hit && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.body;
  const level = (LEVELS[extname(file)] ?? LEVELS.text)[encoding];
  const body = readFile(file).then((raw) =>
    encoding === 'br'
      ? brotliAsync(raw, { params: { [zlib.BROTLI_PARAM_QUALITY]: level, [zlib.BROTLI_PARAM_SIZE_HINT]: raw.length } })
      : gzipAsync(raw, { level }),
  );
  const entry = { mtimeMs: st.mtimeMs, size: st.size, body };
  cache.set(key, entry);
  // A failed read (file removed meanwhile) is not kept: the next request tries again.
  body.catch(() => cache.get(key) === entry && cache.delete(key));
  return body;
}

/** Every `*.wasm` under `dir` (no dot folders, no node_modules). */
function wasmFiles(dir, out = []) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) wasmFiles(path, out);
    else if (e.isFile() && e.name.endsWith('.wasm')) out.push(path);
  }
  return out;
}

/**
 * Brotli-compresses every wasm of --dist and the mounts, one at a time, the engine the page loads
 * first (`duckdb-eh.wasm`, or `duckdb-coi.wasm` with --coi), so the first page load finds it ready
 * or awaits the running job. Browsers ask for br (Chromium over HTTPS and on localhost); gzip, for
 * other clients, is compressed on its first request. Logs one line when done.
 */
async function warmWasm() {
  const first = values.coi ? /-coi\.wasm$/ : /-eh\.wasm$/;
  const files = [DIST, ...MOUNTS.map(([, dir]) => dir)].flatMap((dir) => wasmFiles(dir)).sort((a, b) => Number(first.test(b)) - Number(first.test(a)));
  const t0 = performance.now();
  let raw = 0;
  let packed = 0;
  for (const file of files) {
    try {
      const st = statSync(file);
      packed += (await compressed(file, st, 'br')).length;
      raw += st.size;
    } catch {
      // gone meanwhile: a request for it will 404
    }
  }
  if (files.length)
    console.log(
      `  wasm ready brotli-compressed: ${files.length} file(s), ${(raw / 1e6).toFixed(1)} → ${(packed / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
}

/**
 * The exporter's precompressed copy of a snapshot's `snapshot.duckdb` to send for an
 * Accept-Encoding: `snapshot.duckdb.zst` (zstd: Chromium >= 123 and Firefox >= 126 decode it
 * several times faster than brotli) first, else `snapshot.duckdb.br`, each only if it exists and is
 * not older than the file. `SERVE_SIDECARS` (env, e.g. `br` or `none`) restricts the choice, so the
 * bench can measure the encodings side by side.
 */
const SIDECARS = [
  ['zstd', '.zst'],
  ['br', '.br'],
].filter(([encoding]) => !process.env.SERVE_SIDECARS || process.env.SERVE_SIDECARS.split(',').includes(encoding));
function databaseSidecar(file, st, accept) {
  if (!file.endsWith(`${sep}snapshot.duckdb`)) return null;
  const ok = accepted(accept);
  for (const [encoding, ext] of SIDECARS) {
    if (!ok.has(encoding)) continue;
    try {
      const side = statSync(`${file}${ext}`);
      if (side.isFile() && side.mtimeMs >= st.mtimeMs) return { encoding, path: `${file}${ext}`, size: side.size };
    } catch {
      // no sidecar of this encoding
    }
  }
  return null;
}
const DIST = resolve(values.dist);

// The exporter's snapshot ids (snapshot-writer.ts SNAPSHOT_ID_RE) and published file names.
const PUBLISHED = /^(?:manifest\.json|(\d{8}T\d{9}Z-[0-9a-f]{8})\/(?:manifest\.json|[a-z_]+\.arrows|precomputed\.json|snapshot\.duckdb))$/;

class BadRequest extends Error {}

/** The file to serve for a URL path, or null (404). Throws BadRequest for a malformed escape. */
function resolvePath(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    throw new BadRequest('malformed percent-escape');
  }
  if (path.includes('\0')) throw new BadRequest('NUL in path');
  if (path.startsWith('/snapshots/')) {
    const rel = path.slice('/snapshots/'.length);
    return PUBLISHED.test(rel) ? join(SNAPSHOTS, rel) : null;
  }
  const [prefix, dir] = MOUNTS.find(([p]) => path.startsWith(p)) ?? ['/', DIST];
  const rel = normalize(path.slice(prefix.length) || 'index.html');
  const file = join(dir, rel);
  if (file !== dir && !file.startsWith(dir + sep)) return null; // no escaping the root
  if (rel.split(sep).some((part) => part.startsWith('.'))) return null; // no dotfiles
  return file;
}

const server = createServer((req, res) => {
  let file;
  const url = new URL(req.url ?? '/', 'http://localhost');
  for (const [name, value] of Object.entries(COI_HEADERS)) res.setHeader(name, value);
  if (values.actions && url.pathname.startsWith('/actions/')) return proxy(req, res, url.pathname.slice('/actions'.length));
  if (url.pathname === '/demo/session') {
    session(url, res).catch((e) => res.writeHead(500).end(String(e.message)));
    return;
  }
  try {
    file = resolvePath(url.pathname);
  } catch (e) {
    if (!(e instanceof BadRequest)) throw e;
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`bad request: ${e.message}`);
    return;
  }
  try {
    if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
    const st = file ? statSync(file) : null;
    if (!st || !st.isFile()) throw new Error('not found');
    const headers = {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      // manifests change under --watch; table files are immutable (versioned folders)
      'cache-control': file.endsWith('manifest.json') ? 'no-cache' : 'public, max-age=3600',
    };
    const send = (path, extra = {}) => {
      res.writeHead(200, { ...headers, ...extra });
      if (req.method === 'HEAD') return void res.end();
      createReadStream(path)
        .on('error', () => res.destroy())
        .pipe(res);
    };
    if (COMPRESSIBLE.has(extname(file))) {
      headers.vary = 'Accept-Encoding';
      const encoding = req.headers.range ? undefined : pickEncoding(req.headers['accept-encoding']);
      if (encoding) {
        compressed(file, st, encoding).then(
          (body) => {
            res.writeHead(200, { ...headers, 'content-encoding': encoding, 'content-length': body.length });
            res.end(req.method === 'HEAD' ? undefined : body);
          },
          () => res.writeHead(404, { 'content-type': 'text/plain' }).end('not found'),
        );
        return;
      }
    }
    if (file.startsWith(SNAPSHOTS + sep) && file.endsWith(`${sep}snapshot.duckdb`)) {
      headers.vary = 'Accept-Encoding';
      const side = req.headers.range ? null : databaseSidecar(file, st, req.headers['accept-encoding']);
      if (side) return send(side.path, { 'content-encoding': side.encoding, 'content-length': side.size });
    }
    send(file);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});
warmWasm();
server.listen(Number(values.port), values.host, () => {
  const { port } = server.address();
  const coi = values.coi ? '; COOP/COEP sent: cross-origin isolated' : '';
  console.log(`\n  Usage Analytics demo: http://localhost:${port}/\n  (snapshot: ${values.snapshots}${coi}; Ctrl-C to stop)\n`);
});
