/**
 * SQL that is safe by type. Every statement is an {@link Sql} value built with the {@link sql}
 * tagged template, which interpolates only other `Sql` fragments and numbers (finite), booleans,
 * bigints and `null` — never a plain string. Strings become SQL through exactly one door each:
 * a value through {@link literal} (quoted, escaped, NUL refused), a name through {@link ident},
 * and a compile-time constant (a column name from a fixed map, a validated enum member) through
 * {@link constant}, whose parameter type accepts string *literal* types only, so `constant(userText)`
 * does not compile. This is the one quoting helper of the repository (exporter included).
 *
 *     sql`SELECT count(*) FROM requests WHERE department_id = ${literal(dept)} LIMIT ${limit}`
 */
import { timestampSql, toMicros, type InstantInput } from './time.js';

const TRUST = Symbol('usage-analytics/sql');

/** A SQL fragment that is already safe. Made only by {@link sql} and the helpers of this file. */
export class Sql {
  readonly text: string;
  /** @internal Use the {@link sql} tag or a helper; the token keeps other code from wrapping raw text. */
  constructor(token: typeof TRUST, text: string) {
    if (token !== TRUST) throw new TypeError('Sql fragments are built with the sql`…` tag or literal()/ident()/constant()');
    this.text = text;
  }
  toString(): string {
    return this.text;
  }
}

const trusted = (text: string): Sql => new Sql(TRUST, text);

/** What the {@link sql} tag interpolates. */
export type SqlArg = Sql | number | bigint | boolean | null;

function argText(arg: SqlArg, index: number): string {
  if (arg instanceof Sql) return arg.text;
  if (arg === null) return 'NULL';
  if (typeof arg === 'boolean') return arg ? 'TRUE' : 'FALSE';
  if (typeof arg === 'bigint') return arg.toString();
  if (typeof arg === 'number') {
    if (!Number.isFinite(arg)) throw new TypeError(`sql: argument ${index} is not a finite number: ${arg}`);
    return String(arg);
  }
  throw new TypeError(`sql: argument ${index} is a ${typeof arg}; strings go through literal(), ident() or constant()`);
}

/** The tagged template: `sql\`… ${fragment} …\``. */
export function sql(strings: TemplateStringsArray, ...args: SqlArg[]): Sql {
  if (!Array.isArray(strings) || !Array.isArray((strings as TemplateStringsArray).raw)) throw new TypeError('sql must be used as a tagged template');
  let text = strings[0];
  for (let i = 0; i < args.length; i++) text += argText(args[i], i) + strings[i + 1];
  return trusted(text);
}

/**
 * A constant piece of SQL text known at compile time: a column from a fixed map, a keyword, a
 * validated enum member (`'hour' | 'day'`). The parameter type refuses the wide `string` type.
 */
export function constant<T extends string>(text: string extends T ? never : T): Sql {
  if (typeof text !== 'string' || text.includes('\u0000')) throw new TypeError('constant: not a string constant');
  return trusted(text);
}

export type SqlValue = string | number | boolean | null | Date;

/** Quotes a value as a DuckDB literal. Strings are single-quoted with quotes doubled; NUL is rejected. */
export function literal(value: SqlValue): Sql {
  if (value === null) return trusted('NULL');
  if (typeof value === 'boolean') return trusted(value ? 'TRUE' : 'FALSE');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`literal: not a finite number: ${value}`);
    return trusted(String(value));
  }
  if (value instanceof Date) return timestamp(value);
  if (typeof value !== 'string') throw new TypeError(`literal: unsupported value type ${typeof value}`);
  if (value.includes('\u0000')) throw new TypeError('literal: string contains a NUL character');
  return trusted(`'${value.replaceAll("'", "''")}'`);
}

/** A `TIMESTAMP '...'` literal (UTC by convention) with every microsecond of the instant kept. */
export function timestamp(value: InstantInput): Sql {
  return trusted(timestampSql(toMicros(value)));
}

/** Quotes an identifier (table or column name). */
export function ident(name: string): Sql {
  if (typeof name !== 'string' || !name || name.includes('\u0000')) throw new TypeError(`ident: invalid identifier ${JSON.stringify(name)}`);
  return trusted(`"${name.replaceAll('"', '""')}"`);
}

/** `(a, b, c)` list of literals, for `IN`. Throws on an empty list (callers skip empty filters). */
export function list(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new TypeError('list: empty list');
  return trusted(`(${values.map((v) => literal(v).text).join(', ')})`);
}

/** A DuckDB list value `['a', 'b']::VARCHAR[]` of quoted strings (for list functions such as `list_has_any`). */
export function varcharList(values: readonly string[]): Sql {
  return trusted(`[${values.map((v) => literal(v).text).join(', ')}]::VARCHAR[]`);
}

/** Joins fragments with a constant separator (`', '`, `'\nUNION ALL\n'`, …). */
export function join(parts: readonly Sql[], separator: Sql | ', ' | ' AND ' | ' OR ' | '\nUNION ALL\n' | ',\n' = ', '): Sql {
  const sep = separator instanceof Sql ? separator.text : separator;
  return trusted(parts.map((p) => sqlText(p)).join(sep));
}

/** Joins conditions with AND; an empty set is TRUE. */
export function and(conditions: readonly Sql[]): Sql {
  const parts = conditions.map(sqlText).filter((c) => c.length > 0);
  return trusted(parts.length === 0 ? 'TRUE' : parts.map((c) => `(${c})`).join(' AND '));
}

/** The text of a fragment (what a connector runs); refuses anything that is not an {@link Sql}. */
export function sqlText(fragment: Sql): string {
  if (!(fragment instanceof Sql)) throw new TypeError(`expected an Sql fragment, got ${typeof fragment}`);
  return fragment.text;
}
