/** Node entry: the same client over the file system and the blocking DuckDB-WASM build. */
import { readFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { UsageDataClient, type OpenOptions } from './client.js';
import type { Connector } from './connector.js';
import { SnapshotError } from './errors.js';
import type { SnapshotSource } from './source.js';
import { WasmNodeConnector } from './wasm-node.js';

export * from './index.js';
export { WasmNodeConnector };

/** Reads a snapshot directory (the folder holding manifest.json); no path may leave it. */
export class FsSource implements SnapshotSource {
  readonly location: string;
  readonly manifestPath = 'manifest.json';
  private readonly root: string;
  constructor(dir: string) {
    this.root = resolve(dir);
    this.location = resolve(dir, 'manifest.json');
  }
  async read(path: string): Promise<Uint8Array> {
    const file = resolve(this.root, path);
    if (!file.startsWith(this.root + sep)) {
      throw new SnapshotError('invalid_manifest', `${JSON.stringify(path)} resolves to ${file}, outside the snapshot folder ${this.root}`, { file: path });
    }
    return new Uint8Array(await readFile(file));
  }
}

/** Opens a snapshot directory with DuckDB-WASM (blocking build) unless another connector is given. */
export async function openSnapshotDir(dir: string, options: Partial<Omit<OpenOptions, 'source'>> & { connector?: Connector } = {}): Promise<UsageDataClient> {
  const connector = options.connector ?? (await WasmNodeConnector.create());
  return UsageDataClient.open({ ...options, source: new FsSource(dir), connector });
}
