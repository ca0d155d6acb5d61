// The real actions service for the browser tests of the action dialogs (web-test-runner plugin +
// middleware). The service starts as a child process the first time a test asks for a session
// (`node --import tsx packages/actions-service/src/main.ts` on .data/test-snapshot, PGlite in
// memory) and stops with the test runner.
//
//   GET /__actions/session?roles=director_ai_ml&departments=*&user=u-1
//       → {url, token, proxy}: the service URL, a token signed like the portal's (jose, HS256), and
//         a same-origin proxy base for the scenario below.
//   /__actions/proxy/<id>/<service path>  forwards to the service. After
//   GET /__actions/proxy/<id>/__lose-next, the next POST /v1/actions/<key> (not a preview) reaches
//   the service, which performs it, and then the answer is lost: the browser gets 504 Gateway
//   Timeout instead, as from a proxy that gave up waiting. GET /__actions/proxy/<id>/__log → [{method, path, key}] of what went through.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { SignJWT } from 'jose';

const root = new URL('..', import.meta.url); // this file lives in scripts/
/** The test secret (HS256, ≥ 32 bytes): shared by this file and the service it starts, nothing else. */
export const TEST_TOKEN_SECRET = 'wtr-actions-test-secret-0123456789-abcdef';
const ISSUER = 'usage-portal';
const AUDIENCE = 'usage-actions';

let child;
let starting;

function startService() {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  const proc = spawn(process.execPath, ['--import', pathToFileURL(tsx).href, 'packages/actions-service/src/main.ts'], {
    cwd: fileURLToPath(root),
    env: {
      ...process.env,
      SNAPSHOT_DIR: '.data/test-snapshot',
      TOKEN_SECRET: TEST_TOKEN_SECRET,
      PORT: '0',
      CORS_ORIGINS: '*',
      LOG: '0',
      DATABASE_URL: '',
      PGLITE_DIR: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the actions service did not start within 60 s: ${err}`)), 60_000);
    proc.stdout.on('data', (b) => {
      out += b;
      const m = /actions service: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    proc.stderr.on('data', (b) => (err += b));
    proc.on('exit', (code) => {
      clearTimeout(timer);
      child = undefined;
      starting = undefined;
      reject(new Error(`the actions service exited (${code}): ${err}`));
    });
  });
}

/** The service's URL (starting it on first use). */
export function serviceUrl() {
  return (starting ??= startService());
}

export function stopService() {
  child?.kill('SIGTERM');
  child = undefined;
}

process.once('exit', stopService);

/** A web-test-runner plugin that stops the service with the server. */
export const actionsServicePlugin = {
  name: 'usage-actions-service',
  serverStop() {
    stopService();
  },
};

async function sign({ user, name, roles, departments }) {
  const jwt = new SignJWT({ roles, departments, ...(name ? { name } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(user)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('30m');
  return jwt.sign(new TextEncoder().encode(TEST_TOKEN_SECRET));
}

const list = (v, fallback) => (v === undefined ? fallback : String(v).split(',').filter(Boolean));

const scenarios = new Map();

/** A URL on 127.0.0.1 whose port was just bound and closed again: nothing answers there (a real refused connection). */
function closedPortUrl() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function actionsMiddleware(ctx, next) {
  if (!ctx.path.startsWith('/__actions/')) return next();
  ctx.set('Cache-Control', 'no-store');
  if (ctx.path === '/__actions/session') {
    const url = await serviceUrl();
    const token = await sign({
      user: String(ctx.query.user ?? 'wtr-user'),
      name: ctx.query.name ? String(ctx.query.name) : undefined,
      roles: list(ctx.query.roles, ['director_ai_ml']),
      departments: list(ctx.query.departments, ['*']),
    });
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ url, token, proxy: `/__actions/proxy/${Math.random().toString(36).slice(2)}` });
    return;
  }
  if (ctx.path === '/__actions/closed-port') {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify({ url: await closedPortUrl() });
    return;
  }
  const m = /^\/__actions\/proxy\/([\w-]+)(\/.*)$/.exec(ctx.path);
  if (!m) return void (ctx.status = 404);
  const [, id, path] = m;
  const s = scenarios.get(id) ?? { lose: false, log: [] };
  scenarios.set(id, s);
  if (path === '/__lose-next') {
    s.lose = true;
    ctx.status = 204;
    return;
  }
  if (path === '/__log') {
    ctx.type = 'application/json';
    ctx.body = JSON.stringify(s.log);
    return;
  }
  const url = await serviceUrl();
  const body = ctx.method === 'GET' ? undefined : await readBody(ctx.req);
  const headers = {};
  for (const h of ['authorization', 'content-type', 'accept', 'idempotency-key']) if (ctx.get(h)) headers[h] = ctx.get(h);
  s.log.push({ method: ctx.method, path, key: ctx.get('idempotency-key') || null });
  const res = await fetch(`${url}${path}${ctx.search ?? ''}`, { method: ctx.method, headers, body });
  const text = await res.text();
  const perform = ctx.method === 'POST' && /^\/v1\/actions\/[^/]+$/.test(path);
  if (perform && s.lose) {
    s.lose = false;
    // The service did the work; its answer never reaches the browser (a gateway gave up waiting).
    ctx.status = 504;
    ctx.type = 'text/plain';
    ctx.body = 'Gateway Timeout';
    return;
  }
  ctx.status = res.status;
  ctx.type = res.headers.get('content-type') ?? 'application/json';
  ctx.body = text;
}
