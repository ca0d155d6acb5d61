/**
 * The real test snapshot with some agents and users renamed (e.g. to a 10,000-character id holding
 * markup): a `SnapshotSource` that rewrites the Arrow tables in the browser, keeps every row and
 * type (dictionary columns keep their indices; only the dictionary's text changes), recomputes the
 * checksums, and drops the precomputed first paint (its rows and dimensions know the old names).
 */
import type { SnapshotSource } from '@usage-analytics/data-client';
import { HttpSource } from '@usage-analytics/data-client';
import { DataType, Table, type Dictionary, Utf8, Vector, makeData, tableFromIPC, tableToIPC, vectorFromArray, type Data } from 'apache-arrow';
import { sha256 } from './fakes.js';
import { SNAPSHOT } from './snapshot.js';

/** Columns that hold agent ids and user ids, in any table. */
const AGENT_COLUMNS = new Set(['agent_id', 'calling_agent_id', 'replacement_agent_id', 'agent_sequence']);
const USER_COLUMNS = new Set(['user_id']);

function renameColumn(vector: Vector, rename: (v: string) => string): Vector {
  const type = vector.type as DataType;
  if (DataType.isDictionary(type)) {
    // Same indices, same dictionary id; a renamed copy of each distinct dictionary.
    const dicts = new Map<unknown, Vector>();
    const chunks = vector.data.map((d: Data) => {
      let dict = dicts.get(d.dictionary);
      if (!dict) {
        dict = vectorFromArray(
          [...d.dictionary!].map((v) => (v === null || v === undefined ? v : rename(String(v)))),
          new Utf8(),
        );
        dicts.set(d.dictionary, dict);
      }
      return makeData({
        type: d.type as Dictionary,
        offset: d.offset,
        length: d.length,
        nullCount: d.nullCount,
        nullBitmap: d.nullBitmap,
        data: d.values,
        dictionary: dict,
      });
    });
    return new Vector(chunks);
  }
  if (DataType.isList(type))
    // A list of ids (sessions.agent_sequence): each item renamed, same list type.
    return vectorFromArray(
      [...vector].map((l: Vector | null) => (l === null || l === undefined ? l : [...l].map((v) => (v === null || v === undefined ? v : rename(String(v)))))),
      type,
    );
  if (DataType.isUtf8(type))
    return vectorFromArray(
      [...vector].map((v) => (v === null || v === undefined ? v : rename(String(v)))),
      new Utf8(),
    );
  return vector;
}

/** A source serving the test snapshot with `agents` and `users` renamed (old id → new id). */
export async function renamedSnapshot(renames: { agents?: Record<string, string>; users?: Record<string, string> }): Promise<SnapshotSource> {
  const real = new HttpSource(new URL(SNAPSHOT, location.href).href);
  const manifest = JSON.parse(new TextDecoder().decode(await real.read(real.manifestPath))) as {
    tables: Record<string, { file: string; bytes: number; sha256: string }>;
    precomputed?: unknown;
    database?: unknown;
  };
  // Arrow tables only: the precomputed rows and the DuckDB database file would show the real names.
  delete manifest.precomputed;
  delete manifest.database;
  const agentOf = (v: string) => renames.agents?.[v] ?? v;
  const userOf = (v: string) => renames.users?.[v] ?? v;
  const files = new Map<string, Uint8Array>();
  for (const entry of Object.values(manifest.tables)) {
    let table: Table = tableFromIPC(await real.read(entry.file));
    for (const field of table.schema.fields) {
      const rename = AGENT_COLUMNS.has(field.name) ? agentOf : USER_COLUMNS.has(field.name) ? userOf : undefined;
      if (rename) table = table.setChild(field.name, renameColumn(table.getChild(field.name)!, rename));
    }
    const bytes = tableToIPC(table, 'stream');
    files.set(entry.file, bytes);
    entry.bytes = bytes.length;
    entry.sha256 = await sha256(bytes);
  }
  const manifestBytes = new TextEncoder().encode(JSON.stringify(manifest));
  return {
    location: `${real.location} (renamed)`,
    manifestPath: real.manifestPath,
    async read(path: string) {
      if (path === real.manifestPath) return manifestBytes;
      const bytes = files.get(path);
      if (!bytes) throw new Error(`no such file in the renamed snapshot: ${path}`);
      return bytes;
    },
  };
}
