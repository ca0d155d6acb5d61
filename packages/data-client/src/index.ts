export * from './errors.js';
export * from './connector.js';
export * from './coordinator.js';
export * from './source.js';
export * from './client.js';
export * from './checksum.js';
export { fetchAndHash } from './hash-worker.js';
export * from './precompute.js';
export { WasmBrowserConnector, type WasmBrowserOptions } from './wasm-browser.js';
