/** SQL quoting helpers for DuckDB. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

export function stringList(values: readonly string[]): string {
  return `[${values.map(literal).join(', ')}]`;
}
