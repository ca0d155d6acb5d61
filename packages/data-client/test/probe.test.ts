import { describe, expect, it } from 'vitest';
import { Table, tableToIPC, Utf8, Int32, Dictionary, vectorFromArray, TimestampMicrosecond } from 'apache-arrow';
import { WasmNodeConnector } from '../src/node.js';

describe('WasmNodeConnector', () => {
  it('loads dictionary, timestamp and list columns from an IPC stream', async () => {
    const c = await WasmNodeConnector.create();
    const dict = vectorFromArray(['a', 'b', 'a'], new Dictionary(new Utf8(), new Int32()));
    const ts = vectorFromArray(
      [new Date('2026-01-01T00:00:00Z').getTime(), null, 0].map((v) => v),
      new TimestampMicrosecond(),
    );
    const t = new Table({ d: dict, n: vectorFromArray([1, 2, 3], new Int32()) });
    await c.insertArrowStream('t', tableToIPC(t, 'stream'));
    const rows = await c.query('SELECT d, count(*) AS n, sum(n) AS s, list(n ORDER BY n) AS l FROM t GROUP BY d ORDER BY d');
    expect(rows).toEqual([
      { d: 'a', n: 2, s: 4, l: [1, 3] },
      { d: 'b', n: 1, s: 2, l: [2] },
    ]);
    const types = await c.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 't' ORDER BY column_name");
    expect(types).toEqual([
      { column_name: 'd', data_type: 'VARCHAR' },
      { column_name: 'n', data_type: 'INTEGER' },
    ]);
    void ts;
  });
});
