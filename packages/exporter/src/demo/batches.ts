/**
 * Fixed-capacity column buffers for the two big demo tables (requests, sessions). Rows are copied in
 * by index; `columns(n)` hands typed-array views to the Arrow writer, then the buffers are reused.
 */
import type { ColumnValues } from '../arrow-writer.js';

const HEX = new Uint8Array([...'0123456789abcdef'].map((ch) => ch.charCodeAt(0)));

/** Writes `prefix` + 8 lowercase hex digits of `value` at `bytes[pos..pos+12)`. */
export function writeHexId(bytes: Uint8Array, pos: number, prefix: Uint8Array, value: number): void {
  bytes.set(prefix, pos);
  pos += prefix.length;
  for (let i = 7; i >= 0; i--) {
    bytes[pos + i] = HEX[value & 15];
    value >>>= 4;
  }
}

export const ID_BYTES = 12;

export class RequestBatch {
  n = 0;
  readonly reqId: Uint8Array;
  readonly reqOffsets: Int32Array;
  readonly ts: BigInt64Array;
  readonly user: Int32Array;
  readonly agent: Int32Array;
  readonly dept: Int32Array;
  readonly env: Int32Array;
  readonly version: Int32Array;
  readonly intent: Int32Array;
  readonly status: Int32Array;
  readonly model: Int32Array;
  readonly provider: Int32Array;
  readonly latency: Int32Array;
  readonly inTokens: Int32Array;
  readonly outTokens: Int32Array;
  readonly cost: Float64Array;
  readonly sesId: Uint8Array;
  readonly sesOffsets: Int32Array;
  readonly sesValid: Uint8Array;
  readonly client: Int32Array;
  readonly country: Int32Array;
  readonly region: Int32Array;
  readonly city: Int32Array;
  readonly lat: Float32Array;
  readonly lon: Float32Array;
  readonly geoValid: Uint8Array;
  readonly caller: Int32Array;
  readonly callerValid: Uint8Array;

  constructor(readonly capacity: number) {
    this.reqId = new Uint8Array(capacity * ID_BYTES);
    this.reqOffsets = new Int32Array(capacity + 1);
    for (let i = 0; i <= capacity; i++) this.reqOffsets[i] = i * ID_BYTES;
    this.ts = new BigInt64Array(capacity);
    const i32 = () => new Int32Array(capacity);
    this.user = i32();
    this.agent = i32();
    this.dept = i32();
    this.env = i32();
    this.version = i32();
    this.intent = i32();
    this.status = i32();
    this.model = i32();
    this.provider = i32();
    this.latency = i32();
    this.inTokens = i32();
    this.outTokens = i32();
    this.cost = new Float64Array(capacity);
    this.sesId = new Uint8Array(capacity * ID_BYTES);
    this.sesOffsets = new Int32Array(capacity + 1);
    this.sesValid = new Uint8Array(capacity);
    this.client = i32();
    this.country = i32();
    this.region = i32();
    this.city = i32();
    this.lat = new Float32Array(capacity);
    this.lon = new Float32Array(capacity);
    this.geoValid = new Uint8Array(capacity);
    this.caller = i32();
    this.callerValid = new Uint8Array(capacity);
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  columns(): Record<string, ColumnValues> {
    const n = this.n;
    const geo = this.geoValid.subarray(0, n);
    return {
      request_id: { type: 'string', offsets: this.reqOffsets.subarray(0, n + 1), bytes: this.reqId.subarray(0, n * ID_BYTES) },
      ts: { type: 'timestamp', values: this.ts.subarray(0, n) },
      user_id: { type: 'dict', indices: this.user.subarray(0, n) },
      agent_id: { type: 'dict', indices: this.agent.subarray(0, n) },
      department_id: { type: 'dict', indices: this.dept.subarray(0, n) },
      environment: { type: 'dict', indices: this.env.subarray(0, n) },
      agent_version: { type: 'dict', indices: this.version.subarray(0, n) },
      intent_category: { type: 'dict', indices: this.intent.subarray(0, n) },
      status: { type: 'dict', indices: this.status.subarray(0, n) },
      model_family: { type: 'dict', indices: this.model.subarray(0, n) },
      provider: { type: 'dict', indices: this.provider.subarray(0, n) },
      latency_ms: { type: 'int32', values: this.latency.subarray(0, n) },
      input_tokens: { type: 'int32', values: this.inTokens.subarray(0, n) },
      output_tokens: { type: 'int32', values: this.outTokens.subarray(0, n) },
      cost_usd: { type: 'float64', values: this.cost.subarray(0, n) },
      session_id: {
        type: 'string',
        offsets: this.sesOffsets.subarray(0, n + 1),
        bytes: this.sesId.subarray(0, this.sesOffsets[n]),
        validity: this.sesValid.subarray(0, n),
      },
      api_client: { type: 'dict', indices: this.client.subarray(0, n) },
      country: { type: 'dict', indices: this.country.subarray(0, n), validity: geo },
      region: { type: 'dict', indices: this.region.subarray(0, n), validity: geo },
      city: { type: 'dict', indices: this.city.subarray(0, n), validity: geo },
      latitude: { type: 'float32', values: this.lat.subarray(0, n), validity: geo },
      longitude: { type: 'float32', values: this.lon.subarray(0, n), validity: geo },
      calling_agent_id: { type: 'dict', indices: this.caller.subarray(0, n), validity: this.callerValid.subarray(0, n) },
    };
  }
}

export class SessionBatch {
  n = 0;
  readonly sesId: Uint8Array;
  readonly sesOffsets: Int32Array;
  readonly user: Int32Array;
  readonly start: BigInt64Array;
  readonly end: BigInt64Array;
  readonly seqOffsets: Int32Array;
  seqItemOffsets: Int32Array;
  seqBytes: Uint8Array;
  seqItems = 0;
  readonly requestCount: Int32Array;
  readonly successCount: Int32Array;
  readonly errorCount: Int32Array;
  readonly dept: Int32Array;
  readonly env: Int32Array;
  readonly client: Int32Array;
  readonly country: Int32Array;
  readonly countryValid: Uint8Array;
  readonly successful: Uint8Array;
  readonly exitReason: Int32Array;

  constructor(readonly capacity: number) {
    this.sesId = new Uint8Array(capacity * ID_BYTES);
    this.sesOffsets = new Int32Array(capacity + 1);
    for (let i = 0; i <= capacity; i++) this.sesOffsets[i] = i * ID_BYTES;
    this.user = new Int32Array(capacity);
    this.start = new BigInt64Array(capacity);
    this.end = new BigInt64Array(capacity);
    this.seqOffsets = new Int32Array(capacity + 1);
    this.seqItemOffsets = new Int32Array(capacity * 4 + 1);
    this.seqBytes = new Uint8Array(capacity * 4 * 24);
    this.requestCount = new Int32Array(capacity);
    this.successCount = new Int32Array(capacity);
    this.errorCount = new Int32Array(capacity);
    this.dept = new Int32Array(capacity);
    this.env = new Int32Array(capacity);
    this.client = new Int32Array(capacity);
    this.country = new Int32Array(capacity);
    this.countryValid = new Uint8Array(capacity);
    this.successful = new Uint8Array(capacity);
    this.exitReason = new Int32Array(capacity);
  }

  get full(): boolean {
    return this.n >= this.capacity;
  }

  /** Appends one item (already encoded agent id) to the agent sequence of the current row. */
  pushSequenceItem(bytes: Uint8Array): void {
    if (this.seqItems + 2 > this.seqItemOffsets.length) {
      const grown = new Int32Array(this.seqItemOffsets.length * 2);
      grown.set(this.seqItemOffsets);
      this.seqItemOffsets = grown;
    }
    const pos = this.seqItemOffsets[this.seqItems];
    if (pos + bytes.length > this.seqBytes.length) {
      const grown = new Uint8Array(Math.max(this.seqBytes.length * 2, pos + bytes.length));
      grown.set(this.seqBytes);
      this.seqBytes = grown;
    }
    this.seqBytes.set(bytes, pos);
    this.seqItems++;
    this.seqItemOffsets[this.seqItems] = pos + bytes.length;
  }

  /** Closes the current row's agent sequence (call after its items, before n++). */
  endSequence(): void {
    this.seqOffsets[this.n + 1] = this.seqItems;
  }

  reset(): void {
    this.n = 0;
    this.seqItems = 0;
    this.seqOffsets[0] = 0;
    this.seqItemOffsets[0] = 0;
  }

  columns(): Record<string, ColumnValues> {
    const n = this.n;
    return {
      session_id: { type: 'string', offsets: this.sesOffsets.subarray(0, n + 1), bytes: this.sesId.subarray(0, n * ID_BYTES) },
      user_id: { type: 'dict', indices: this.user.subarray(0, n) },
      session_start: { type: 'timestamp', values: this.start.subarray(0, n) },
      session_end: { type: 'timestamp', values: this.end.subarray(0, n) },
      agent_sequence: {
        type: 'string_list',
        offsets: this.seqOffsets.subarray(0, n + 1),
        childOffsets: this.seqItemOffsets.subarray(0, this.seqItems + 1),
        childBytes: this.seqBytes.subarray(0, this.seqItemOffsets[this.seqItems]),
      },
      request_count: { type: 'int32', values: this.requestCount.subarray(0, n) },
      success_count: { type: 'int32', values: this.successCount.subarray(0, n) },
      error_count: { type: 'int32', values: this.errorCount.subarray(0, n) },
      department_id: { type: 'dict', indices: this.dept.subarray(0, n) },
      environment: { type: 'dict', indices: this.env.subarray(0, n) },
      api_client: { type: 'dict', indices: this.client.subarray(0, n) },
      country: { type: 'dict', indices: this.country.subarray(0, n), validity: this.countryValid.subarray(0, n) },
      session_successful: { type: 'bool', values: this.successful.subarray(0, n) },
      exit_reason: { type: 'dict', indices: this.exitReason.subarray(0, n) },
    };
  }
}
