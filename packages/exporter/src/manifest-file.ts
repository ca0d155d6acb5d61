/** Reading a snapshot folder's manifest (shared by the writer and the forecast history, which carries rows over). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Manifest } from '@usage-analytics/queries';

/** Reads DIR/manifest.json (or null when there is none yet). */
export function readManifest(dir: string): Manifest | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}
