/**
 * A small command-table CLI on `node:util` parseArgs: each command declares its options (strict:
 * an unknown option or a missing value is a {@link CliError}), how many positional arguments it
 * takes, and a `run()`. Usage text is generated from the table, so it cannot drift from what is
 * parsed. Errors are classified by type: an {@link ExporterError} carries its exit code, another
 * {@link UsageError} (e.g. a ParamError) is bad input (2), anything else is a failure (1, stack).
 */
import { parseArgs } from 'node:util';
import { isUsageError } from '@usage-analytics/queries';
import { CliError, ExporterError } from './errors.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder of the value in the usage text (`N`, `DIR`). */
  arg?: string;
  help: string;
}

export type OptionValues = Record<string, string | string[] | boolean | undefined>;

export interface Output {
  out: (line: string) => void;
  err: (line: string) => void;
}

export interface Command {
  name: string;
  summary: string;
  /** Positional arguments: synopsis for the usage text and the accepted count. */
  positionals?: { synopsis: string; min: number; max: number };
  options: Record<string, OptionSpec>;
  /** Extra lines shown under the command's options. */
  notes?: string[];
  run(values: OptionValues, positionals: string[], io: Output): Promise<number>;
}

export const EXIT_CODES = 'Exit codes: 0 ok; 1 failure; 2 bad input or usage (nothing is written); 3 output folder locked by another exporter.';

const HELP: OptionSpec = { type: 'boolean', help: 'show this help' };

function optionLabel(name: string, o: OptionSpec): string {
  return `--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
}

export function commandUsage(program: string, c: Command): string {
  const opts = Object.entries({ ...c.options, help: HELP });
  const width = Math.max(...opts.map(([n, o]) => optionLabel(n, o).length)) + 2;
  const lines = [
    `usage: ${program} ${c.name}${opts.length > 1 ? ' [options]' : ''}${c.positionals ? ` ${c.positionals.synopsis}` : ''}`,
    '',
    c.summary,
    '',
    'Options:',
  ];
  for (const [n, o] of opts) lines.push(`  ${optionLabel(n, o).padEnd(width)}${o.help}${o.multiple ? ' (repeatable)' : ''}`);
  if (c.notes?.length) lines.push('', ...c.notes);
  return lines.join('\n');
}

export function programUsage(program: string, commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 3;
  return [
    `usage: ${program} <command> [options]`,
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}${c.summary}`),
    '',
    `Run "${program} <command> --help" for the options of a command.`,
    EXIT_CODES,
  ].join('\n');
}

/** Parses `args` against the command's table; throws CliError on anything the table does not allow. */
export function parseCommandArgs(c: Command, args: string[]): { values: OptionValues; positionals: string[] } {
  const options = { ...c.options, help: HELP };
  const config = Object.fromEntries(
    Object.entries(options).map(([n, o]) => [n, { type: o.type, multiple: o.multiple ?? false, ...(n === 'help' ? { short: 'h' } : {}) }]),
  );
  // A lenient pass first, to name an unknown option clearly (parseArgs' own message suggests "--").
  const { tokens } = parseArgs({ args, options: config, strict: false, allowPositionals: true, tokens: true });
  for (const t of tokens) {
    if (t.kind === 'option' && !(t.name in options)) {
      throw new CliError(
        `${c.name}: unknown option ${t.rawName} (options: ${Object.keys(options)
          .map((n) => `--${n}`)
          .join(', ')})`,
        { field: t.name },
      );
    }
  }
  let parsed;
  try {
    parsed = parseArgs({ args, options: config, strict: true, allowPositionals: true });
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) throw new CliError(`${c.name}: ${(e as Error).message}`, { cause: e });
    throw e;
  }
  const values = parsed.values as OptionValues;
  const positionals = parsed.positionals;
  if (values.help) return { values, positionals };
  const range = c.positionals ?? { synopsis: '', min: 0, max: 0 };
  if (positionals.length > range.max) {
    throw new CliError(
      `${c.name}: unexpected argument${positionals.length - range.max > 1 ? 's' : ''} ${positionals
        .slice(range.max)
        .map((p) => JSON.stringify(p))
        .join(' ')}`,
    );
  }
  if (positionals.length < range.min) throw new CliError(`${c.name}: ${range.synopsis} is required`);
  return { values, positionals };
}

/** Runs the command line; returns the exit code (never throws). */
export async function runCommandLine(program: string, commands: readonly Command[], argv: string[], io: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((c) => c.name === rest[0]) : undefined;
    if (topic) io.out(commandUsage(program, topic));
    else (name ? io.out : io.err)(programUsage(program, commands));
    return name ? 0 : 2;
  }
  const command = commands.find((c) => c.name === name);
  try {
    if (!command) throw new CliError(`unknown command "${name}" (commands: ${commands.map((c) => c.name).join(', ')})`, { field: 'command', value: name });
    const { values, positionals } = parseCommandArgs(command, rest);
    if (values.help) {
      io.out(commandUsage(program, command));
      return 0;
    }
    return await command.run(values, positionals, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`error: ${e.message}\n\n${command ? commandUsage(program, command) : programUsage(program, commands)}`);
      return e.exitCode;
    }
    if (e instanceof ExporterError) {
      io.err(`error: ${e.message}`);
      return e.exitCode;
    }
    if (isUsageError(e)) {
      io.err(`error: ${e.message}`);
      return 2;
    }
    io.err(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 1;
  }
}

// Typed accessors for parsed values (parseArgs types them by the table, which is dynamic here).
export const str = (v: OptionValues, name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
export const strs = (v: OptionValues, name: string): string[] => (Array.isArray(v[name]) ? (v[name] as string[]) : []);
export const flag = (v: OptionValues, name: string): boolean => v[name] === true;

/** A non-negative integer option (underscores allowed: 1_000_000), else `def`. */
export function intOption(v: OptionValues, name: string, def: number, min = 0): number {
  const s = str(v, name);
  if (s === undefined) return def;
  const n = /^\d[\d_]*$/.test(s) ? Number(s.replace(/_/g, '')) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(s)}`, { field: name, value: s });
  return n;
}

/** A positive number option (seconds), else `def`. */
export function numberOption(v: OptionValues, name: string, def: number, min: number): number {
  const s = str(v, name);
  if (s === undefined) return def;
  const n = /^\d+(\.\d+)?$/.test(s) ? Number(s) : NaN;
  if (!(n >= min)) throw new CliError(`--${name} must be a number ≥ ${min}, got ${JSON.stringify(s)}`, { field: name, value: s });
  return n;
}
