/**
 * Small SQL helpers. User values never reach SQL by string concatenation: they pass through
 * {@link literal} (quoted, escaped, type-checked) and identifiers through {@link ident}.
 */

/** A SQL fragment that has already been made safe. Build them only with the helpers below. */
export class Sql {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type SqlValue = string | number | boolean | null | Date;

/** Quotes a value as a DuckDB literal. Strings are single-quoted with quotes doubled; NUL is rejected. */
export function literal(value: SqlValue): Sql {
  if (value === null) return new Sql('NULL');
  if (typeof value === 'boolean') return new Sql(value ? 'TRUE' : 'FALSE');
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`literal: not a finite number: ${value}`);
    return new Sql(String(value));
  }
  if (value instanceof Date) return timestamp(value);
  if (typeof value !== 'string') throw new TypeError(`literal: unsupported value type ${typeof value}`);
  if (value.includes('\u0000')) throw new TypeError('literal: string contains a NUL character');
  return new Sql(`'${value.replaceAll("'", "''")}'`);
}

/** A `TIMESTAMP '...'` literal (UTC by convention) with microsecond precision dropped to ms. */
export function timestamp(date: Date): Sql {
  const t = date.getTime();
  if (!Number.isFinite(t)) throw new TypeError('timestamp: invalid date');
  const iso = date.toISOString(); // 2026-11-27T10:00:00.000Z
  return new Sql(`TIMESTAMP '${iso.slice(0, 10)} ${iso.slice(11, 23)}'`);
}

/** Quotes an identifier (table or column name). */
export function ident(name: string): Sql {
  if (!name || name.includes('\u0000')) throw new TypeError(`ident: invalid identifier ${JSON.stringify(name)}`);
  return new Sql(`"${name.replaceAll('"', '""')}"`);
}

/** `(a, b, c)` list of literals, for `IN`. Throws on an empty list (callers skip empty filters). */
export function list(values: readonly SqlValue[]): Sql {
  if (values.length === 0) throw new TypeError('list: empty list');
  return new Sql(`(${values.map((v) => literal(v).text).join(', ')})`);
}

/** Joins conditions with AND; an empty set is TRUE. */
export function and(conditions: readonly (Sql | string)[]): Sql {
  const parts = conditions.map(String).filter((c) => c.length > 0);
  return new Sql(parts.length === 0 ? 'TRUE' : parts.map((c) => `(${c})`).join(' AND '));
}
