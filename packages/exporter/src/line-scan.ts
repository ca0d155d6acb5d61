/**
 * A byte-level pre-pass over CSV and NDJSON logs, so that one bad line costs one quarantined row and
 * never the file. DuckDB's CSV reader (which then parses the rows) refuses files with mixed CRLF/LF
 * line ends, splits NDJSON lines at a raw CR (JSON whitespace), and lets an unterminated quote
 * swallow the rest of the file. The pass reads physical lines (split at LF only) and decides each:
 *
 *   - CSV: records are found with the RFC 4180 quote rules. A quoted field may span lines only when
 *     its quote closes cleanly within MAX_RECORD_LINES lines; otherwise its first line is bad
 *     ("unterminated quoted field") and scanning resumes on the next line, so a cut last line or a
 *     stray quote loses exactly that line. Text after a closing quote, a CR inside a line, and lines
 *     over MAX_LINE_BYTES are bad too. Whitespace-only lines are not rows.
 *   - NDJSON: lines over MAX_LINE_BYTES and lines that are not UTF-8 are bad (JSON text is UTF-8).
 *
 * When a file needs it (CRLF, bad or blank-with-spaces lines, raw CR or \x01 in NDJSON) a sanitised
 * copy is written to a temp folder for DuckDB: every physical line stays on its own line number,
 * bad lines become empty lines (DuckDB skips them), so reader line numbers are the file's.
 * NDJSON copies escape \x01 → \x01\x02 and a raw CR → \x01\x03 (decoded in SQL; see NDJSON_DECODE).
 */
import { isUtf8 } from 'node:buffer';
import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';

export const MAX_LINE_BYTES = 16 * 1024 * 1024;
const MAX_RECORD_LINES = 1000;
/** Bytes of a bad line kept in the quarantine file (the rest is in the source file). */
const KEEP_BYTES = 64 * 1024;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SOH = 1;
/** ASCII whitespace, NBSP and BOM: a line made only of these is not a row (same set as the SQL trim). */
export const WHITESPACE = ' \t\n\r\v\f\u00a0\ufeff';
const WS_BYTES = new Set([9, 10, 11, 12, 13, 32]);

export interface BadLine {
  line: number;
  text: string;
  error: string;
}

export interface ScanResult {
  /** What DuckDB should read: the file itself or a sanitised copy (same line numbers). */
  readPath: string;
  bad: BadLine[];
  /** Physical lines in the file. */
  lines: number;
  /** Removes the temp copy (if any). */
  cleanup(): void;
}

export interface CsvScan extends ScanResult {
  delimiter: string;
  header: string[];
}

export interface NdjsonScan extends ScanResult {
  /** The copy escapes \x01 and raw CRs; read lines through NDJSON_DECODE. */
  encoded: boolean;
  /** The file is one JSON array (a `.json` export), not NDJSON. */
  array: boolean;
}

/** SQL that decodes a line of an encoded NDJSON copy (`x` is the line expression). */
export const NDJSON_DECODE = (x: string) => `replace(replace(${x}, chr(1) || chr(3), chr(13)), chr(1) || chr(2), chr(1))`;

const decoder = new TextDecoder();
const textOf = (b: Uint8Array) => decoder.decode(b.subarray(0, KEEP_BYTES)) + (b.length > KEEP_BYTES ? '…' : '');

/** Calls `onLine(bytes, lineNumber, hadCr)` for every physical line (LF-split, a CR before the LF removed). */
async function forEachLine(path: string, onLine: (line: Buffer, no: number, crlf: boolean) => void): Promise<number> {
  if (/\.zst$/i.test(path)) throw new InputError(`${path}: zstd-compressed CSV/NDJSON is not supported; decompress it or use gzip`);
  const stream = /\.gz$/i.test(path) ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { highWaterMark: 4 << 20 });
  let carry: Buffer | null = null;
  let no = 0;
  const emit = (b: Buffer) => {
    const crlf = b.length > 0 && b[b.length - 1] === CR;
    onLine(crlf ? b.subarray(0, b.length - 1) : b, ++no, crlf);
  };
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      let start = 0;
      for (let nl = buf.indexOf(LF, start); nl >= 0; nl = buf.indexOf(LF, start)) {
        emit(buf.subarray(start, nl));
        start = nl + 1;
      }
      buf = buf.subarray(start);
      // Keep at most a little over MAX_LINE_BYTES of an unfinished line (the line is bad anyway).
      carry = buf.length > MAX_LINE_BYTES + 1 ? Buffer.concat([buf.subarray(0, MAX_LINE_BYTES + 1)]) : Buffer.from(buf);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot read: ${(e as Error).message}`, { cause: e });
  }
  if (carry && carry.length > 0) emit(carry);
  return no;
}

const isBlank = (b: Uint8Array) => {
  for (let i = 0; i < b.length; i++) if (!WS_BYTES.has(b[i])) return (b[i] === 0xc2 || b[i] === 0xef) && isBlankUnicode(b);
  return true;
};
// NBSP (C2 A0) and BOM (EF BB BF) only lines: rare, so decode to check.
const isBlankUnicode = (b: Uint8Array) =>
  decoder
    .decode(b)
    .split('')
    .every((ch) => WHITESPACE.includes(ch));

/** Buffered writer of the sanitised copy. */
class CopyWriter {
  private readonly fd: number;
  private buf = Buffer.allocUnsafe(4 << 20);
  private used = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(b: Uint8Array): void {
    if (b.length > this.buf.length - this.used) this.flush();
    if (b.length >= this.buf.length) writeSync(this.fd, b);
    else {
      this.buf.set(b, this.used);
      this.used += b.length;
    }
  }
  line(b: Uint8Array | null): void {
    if (b) this.write(b);
    this.write(NEWLINE);
  }
  flush(): void {
    if (this.used > 0) writeSync(this.fd, this.buf.subarray(0, this.used));
    this.used = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
const NEWLINE = Buffer.from('\n');

function tempCopy(path: string, ext: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'usage-exporter-scan-'));
  return {
    dir,
    file: join(
      dir,
      `${path
        .split(/[\\/]/)
        .pop()!
        .replace(/\.(gz|zst)$/i, '')}.sanitised${ext}`,
    ),
  };
}

// ---------------------------------------------------------------- CSV

const enum St {
  Start,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/** Runs the quote state machine over one line from `state`; returns the end state or an error. */
function csvStep(b: Uint8Array, delim: number, state: St): St | string {
  let s = state;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    switch (s) {
      case St.Start:
        s = c === QUOTE ? St.Quoted : c === delim ? St.Start : St.Unquoted;
        if (c === CR) return 'carriage return (CR) inside a line';
        break;
      case St.Unquoted:
        if (c === delim) s = St.Start;
        else if (c === CR) return 'carriage return (CR) inside a line';
        break;
      case St.Quoted:
        if (c === QUOTE) s = St.QuoteInQuoted;
        else if (c === CR) return 'carriage return (CR) inside a quoted field';
        break;
      case St.QuoteInQuoted:
        if (c === QUOTE) s = St.Quoted;
        else if (c === delim) s = St.Start;
        else return `text after a closing quote (column ${i + 1})`;
        break;
    }
  }
  return s;
}

/** Splits the header line into names (quotes removed) and picks the delimiter: the most frequent of , \t ; | outside quotes. */
export function parseHeader(line: string, forced?: string): { delimiter: string; names: string[] } {
  const counts = new Map<string, number>();
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ',\t;|'.includes(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  const delimiter = forced ?? [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] === ',' ? -1 : b[0] === ',' ? 1 : 0))[0]?.[0] ?? ',';
  const names: string[] = [];
  let cur = '';
  quoted = false;
  for (let i = 0; i <= line.length; i++) {
    const ch = line[i];
    if (i === line.length || (!quoted && ch === delimiter)) {
      names.push(cur.trim());
      cur = '';
    } else if (ch === '"') {
      if (quoted && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else quoted = !quoted;
    } else cur += ch;
  }
  // Unique (case-insensitively, as DuckDB compares names), non-empty, no NUL, not an internal name.
  const seen = new Set<string>();
  return {
    delimiter,
    names: names.map((raw, i) => {
      let n = raw.replaceAll('\u0000', '\ufffd') || `column${i}`;
      if (n.startsWith('__')) n = `${n}_src`;
      for (let k = 1, base = n; seen.has(n.toLowerCase()); k++) n = `${base}_${k}`;
      seen.add(n.toLowerCase());
      return n;
    }),
  };
}

/** Decides the CSV file's lines (see the module comment); writes a copy when `copy` is given. */
async function csvPass(path: string, forcedDelim: string | undefined, copy: CopyWriter | null) {
  const bad: BadLine[] = [];
  let header = null as { delimiter: string; names: string[] } | null;
  let delim = 0;
  let needsCopy = false;
  let pending: { no: number; bytes: Buffer }[] = [];
  let state: St = St.Start;
  const fail = (no: number, bytes: Uint8Array, error: string) => {
    bad.push({ line: no, text: textOf(bytes), error });
    needsCopy = true;
    copy?.line(null);
  };
  // One line outside a pending record.
  const line = (b: Buffer, no: number): void => {
    if (b.length === 0) return void copy?.line(null);
    if (b.length > MAX_LINE_BYTES) return fail(no, b, `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB`);
    if (isBlank(b)) {
      needsCopy = true; // DuckDB would read it as a one-field row
      return void copy?.line(null);
    }
    if (b.indexOf(QUOTE) < 0 && b.indexOf(CR) < 0) return void copy?.line(b);
    const s = csvStep(b, delim, St.Start);
    if (typeof s === 'string') return fail(no, b, s);
    if (s === St.Quoted) {
      pending = [{ no, bytes: Buffer.from(b) }];
      state = s;
      return;
    }
    copy?.line(b);
  };
  // A line while a quoted field is open: it closes, continues, or the first line is bad.
  const more = (b: Buffer, no: number): void => {
    pending.push({ no, bytes: Buffer.from(b) });
    const bytes = pending.reduce((n, p) => n + p.bytes.length + 1, 0);
    const s = csvStep(b, delim, state);
    if (typeof s !== 'string' && s !== St.Quoted) {
      for (const p of pending) copy?.line(p.bytes);
      pending = [];
      return;
    }
    if (typeof s === 'string' || pending.length >= MAX_RECORD_LINES || bytes > MAX_LINE_BYTES) abandon();
    else state = s;
  };
  // The open quote never closed cleanly: its first line is bad; the others are read again as lines.
  const abandon = (): void => {
    const [first, ...rest] = pending;
    pending = [];
    fail(first.no, first.bytes, 'unterminated quoted field');
    for (const p of rest) feed(p.bytes, p.no);
  };
  const feed = (b: Buffer, no: number): void => (pending.length > 0 ? more(b, no) : line(b, no));

  const lines = await forEachLine(path, (b, no, crlf) => {
    if (crlf) needsCopy = true;
    if (no === 1) {
      const text = decoder.decode(b).replace(/^\ufeff/, '');
      header = parseHeader(text, forcedDelim);
      delim = header.delimiter.charCodeAt(0);
      if (text.length !== b.length || crlf) needsCopy = true;
      copy?.line(Buffer.from(text));
      return;
    }
    feed(b, no);
  });
  while (pending.length > 0) abandon(); // EOF inside a quoted field (e.g. a log still being written)
  return { header, bad, needsCopy, lines };
}

/** Scans a CSV file; see the module comment. Throws InputError for an empty file. */
export async function scanCsv(path: string, forcedDelim?: string): Promise<CsvScan> {
  const first = await csvPass(path, forcedDelim, null);
  if (!first.header || (first.header.names.length === 1 && first.header.names[0] === 'column0')) throw new InputError(`${path}: empty file (no header line)`);
  let readPath = path;
  let cleanup = () => {};
  if (first.needsCopy) {
    const { dir, file } = tempCopy(path, '.csv');
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    const w = new CopyWriter(file);
    try {
      await csvPass(path, forcedDelim, w);
    } catch (e) {
      cleanup();
      throw e;
    } finally {
      w.close();
    }
    readPath = file;
  }
  return { readPath, bad: first.bad, lines: first.lines, delimiter: first.header.delimiter, header: first.header.names, cleanup };
}

// ---------------------------------------------------------------- NDJSON

async function ndjsonPass(path: string, copy: CopyWriter | null) {
  const bad: BadLine[] = [];
  let needsCopy = false;
  let encode = false;
  let firstByte = -1;
  const lines = await forEachLine(path, (b, no, crlf) => {
    if (crlf) needsCopy = true;
    for (let i = 0; firstByte < 0 && i < b.length; i++) if (!WS_BYTES.has(b[i])) firstByte = b[i];
    if (b.length > MAX_LINE_BYTES || !isUtf8(b)) {
      bad.push({ line: no, text: textOf(b), error: b.length > MAX_LINE_BYTES ? `line longer than ${MAX_LINE_BYTES / 1024 / 1024} MB` : 'not valid UTF-8' });
      needsCopy = true;
      return void copy?.line(null);
    }
    if (b.indexOf(CR) >= 0 || b.indexOf(SOH) >= 0) {
      needsCopy = encode = true;
      if (copy) {
        const out: number[] = [];
        for (const c of b) {
          if (c === SOH) out.push(SOH, 2);
          else if (c === CR) out.push(SOH, 3);
          else out.push(c);
        }
        return void copy.line(Buffer.from(out));
      }
    }
    copy?.line(b);
  });
  return { bad, needsCopy, encode, lines, array: firstByte === 0x5b /* [ */ };
}

/** Scans an NDJSON file; see the module comment. */
export async function scanNdjson(path: string): Promise<NdjsonScan> {
  const first = await ndjsonPass(path, null);
  if (first.array) return { readPath: path, bad: [], lines: first.lines, encoded: false, array: true, cleanup: () => {} };
  let readPath = path;
  let cleanup = () => {};
  if (first.needsCopy) {
    const { dir, file } = tempCopy(path, '.ndjson');
    cleanup = () => rmSync(dir, { recursive: true, force: true });
    const w = new CopyWriter(file);
    try {
      await ndjsonPass(path, w);
    } catch (e) {
      cleanup();
      throw e;
    } finally {
      w.close();
    }
    readPath = file;
  }
  return { readPath, bad: first.bad, lines: first.lines, encoded: first.encode, array: false, cleanup };
}
