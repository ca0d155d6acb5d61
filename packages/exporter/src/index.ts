/** @usage-analytics/exporter: demo data and request logs → versioned Arrow snapshots. */
export { ArrowTableWriter, TableBuilder, writeTable, type ColumnValues, type WrittenFile } from './arrow-writer.js';
export { runDemo, defaultEnd, type DemoOptions } from './demo/index.js';
export { runLogsSnapshot, publishedPath, type LogsSnapshotOptions, type LogsSnapshotResult } from './logs-snapshot.js';
export { REQUEST_ALIASES, REQUIRED_SOURCE_COLUMNS, DEFAULTS as COLUMN_DEFAULTS, parseMappings } from './column-map.js';
export { type LogFormat } from './logs-reader.js';
export { ExporterError, CliError, InputError, LockedError, VerifyError } from './errors.js';
export { REASONS as QUARANTINE_REASONS, MAX_COST_USD } from './quarantine.js';
export {
  writeSnapshot,
  readManifest,
  verifySnapshot,
  listVersions,
  PII_COLUMNS,
  PRIVATE_DIR,
  type PrivateManifest,
  type PrecomputeHook,
  type SnapshotBody,
  type WrittenSnapshot,
} from './snapshot-writer.js';
export { watchSnapshots, type WatchOptions } from './watch.js';
export { NativeConnector, plainConverter, type Row } from './native-connector.js';
export { Rng, hashString } from './prng.js';
export { precomputeDefaultView, PRECOMPUTED_FILE } from './precompute.js';
export { applyRegistry, loadRegistry, parseRegistry, type RegistryRow, type RegistryApplied, type RegistrySource } from './registry.js';
