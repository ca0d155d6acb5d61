#!/usr/bin/env node
// A small static server for the demo portal: the built page at /, the snapshot directory at
// /snapshots/. Binds to 127.0.0.1 only. Usage: node scripts/serve.mjs --dist DIR --snapshots DIR [--port 8080]
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dist: { type: 'string', default: 'examples/demo/dist' },
    snapshots: { type: 'string', default: '.data/demo' },
    port: { type: 'string', default: process.env.PORT ?? '8080' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json', '.json': 'application/json; charset=utf-8', '.wasm': 'application/wasm',
  '.arrows': 'application/vnd.apache.arrow.stream', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
};
const roots = [['/snapshots/', resolve(values.snapshots)], ['/', resolve(values.dist)]];

function resolvePath(urlPath) {
  for (const [prefix, root] of roots) {
    if (!urlPath.startsWith(prefix)) continue;
    const rel = normalize(decodeURIComponent(urlPath.slice(prefix.length)) || 'index.html');
    const file = join(root, rel);
    if (file !== root && !file.startsWith(root + sep)) return null; // no escaping the root
    return file;
  }
  return null;
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let file = resolvePath(url.pathname);
  try {
    if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
    const st = file ? statSync(file) : null;
    if (!st || !st.isFile()) throw new Error('not found');
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': st.size,
      // manifests change under --watch; table files are immutable (versioned folders)
      'cache-control': file.endsWith('manifest.json') ? 'no-cache' : 'public, max-age=3600',
    });
    createReadStream(file).pipe(res);
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  }
});
server.listen(Number(values.port), values.host, () => {
  console.log(`\n  Usage Analytics demo: http://localhost:${values.port}/\n  (snapshot: ${values.snapshots}; Ctrl-C to stop)\n`);
});
