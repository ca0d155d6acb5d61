/**
 * Test-only zstd decoder (the reference for the exporter's `.zst` sidecar): the zstd library's own
 * ZSTD_decompress over the whole body, which decodes a sequence of frames as one stream (RFC 8878
 * §3), like a browser decoding `Content-Encoding: zstd`. Also the first frame's content size, to
 * see how the body was split. (@bokuweb/zstd-wasm's `decompress` sizes its output from the first
 * frame only, so the Module is called directly.)
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadZstd } from '../src/zstd.js';

const require = createRequire(import.meta.url);
const main = require.resolve('@bokuweb/zstd-wasm');
interface ZstdModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  _ZSTD_decompress(dst: number, cap: number, src: number, n: number): number;
  _ZSTD_getFrameContentSize(src: number, n: number): number;
  _ZSTD_isError(code: number): number;
}
const { Module } = require(join(dirname(main), 'module.js')) as { Module: ZstdModule };

/** Decodes `body` (one or more zstd frames) whose decoded size is `size`; throws on a zstd error or another size. */
export async function zstdDecode(body: Uint8Array, size: number): Promise<{ bytes: Buffer; firstFrameSize: number }> {
  await loadZstd(); // initialised once per process, shared with the exporter

  const src = Module._malloc(Math.max(1, body.length));
  const dst = Module._malloc(Math.max(1, size));
  try {
    Module.HEAPU8.set(body, src);
    const firstFrameSize = Module._ZSTD_getFrameContentSize(src, body.length);
    const n = Module._ZSTD_decompress(dst, size, src, body.length);
    if (Module._ZSTD_isError(n)) throw new Error(`zstd error ${n}`);
    if (n !== size) throw new Error(`decoded ${n} bytes, expected ${size}`);
    return { bytes: Buffer.from(Module.HEAPU8.subarray(dst, dst + n)), firstFrameSize };
  } finally {
    Module._free(src);
    Module._free(dst);
  }
}
