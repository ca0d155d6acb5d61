import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ParamError } from '@usage-analytics/queries';
import { COMMANDS } from '../src/cli.js';
import { type Command, commandUsage, programUsage, runCommandLine } from '../src/cli-table.js';
import { InputError, LockedError } from '../src/errors.js';
import { cleanupTmp, runCli, tmp } from './helpers.js';

afterAll(cleanupTmp);

async function run(argv: string[], commands: readonly Command[] = COMMANDS) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCommandLine('usage-exporter', commands, argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('exporter CLI: a table of commands with strict options', () => {
  it('has demo, snapshot and verify; usage text is generated from the table', async () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(['demo', 'snapshot', 'verify']);
    const top = await run(['--help']);
    expect(top.code).toBe(0);
    for (const c of COMMANDS) expect(top.out).toContain(`  ${c.name}`);
    for (const c of COMMANDS) {
      const help = await run([c.name, '--help']);
      expect(help.code).toBe(0);
      expect(help.out).toBe(commandUsage('usage-exporter', c));
      for (const name of Object.keys(c.options)) expect(help.out).toContain(`--${name}`);
    }
    expect((await run(['help', 'snapshot'])).out).toContain('--source FILE|GLOB');
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.err).toBe(programUsage('usage-exporter', COMMANDS));
  });

  it('rejects unknown commands, unknown options and stray arguments with a clear message (exit 2)', async () => {
    const cmd = await run(['snapshots', '--out', 'x']);
    expect(cmd.code).toBe(2);
    expect(cmd.err).toContain('unknown command "snapshots" (commands: demo, snapshot, verify)');
    // An option of another command is unknown here, too.
    const opt = await run(['demo', '--out', 'x', '--source', 'a.csv']);
    expect(opt.code).toBe(2);
    expect(opt.err).toMatch(/^error: demo: unknown option --source \(options: --requests, /);
    expect(opt.err).toContain('usage: usage-exporter demo [options]');
    const stray = await run(['demo', '--out', 'x', 'extra']);
    expect(stray.code).toBe(2);
    expect(stray.err).toContain('demo: unexpected argument "extra"');
    const missingValue = await run(['snapshot', '--source']);
    expect(missingValue.code).toBe(2);
    expect(missingValue.err).toContain("snapshot: Option '--source <value>' argument missing");
    const badInt = await run(['demo', '--out', 'x', '--requests', '12abc']);
    expect(badInt.code).toBe(2);
    expect(badInt.err).toContain('--requests must be an integer ≥ 1, got "12abc"');
    const badEnd = await run(['demo', '--out', 'x', '--end', '2025-02-30']);
    expect(badEnd.code).toBe(2);
    expect(badEnd.err).toContain('--end: not a date: "2025-02-30"');
    const badMap = await run(['snapshot', '--source', 'a.csv', '--out', 'x', '--map', 'nope=x']);
    expect(badMap.code).toBe(2);
    expect(badMap.err).toContain('--map: unknown target column "nope"');
    const interval = await run(['snapshot', '--source', 'a.csv', '--out', 'x', '--interval', 'soon']);
    expect(interval.code).toBe(2);
    expect((await run(['verify'])).err).toContain('verify: DIR is required');
  });

  it('classifies errors by type: exit code from the error class, a stack only for unexpected failures', async () => {
    const thrower = (e: unknown): Command => ({ name: 'x', summary: 's', options: {}, run: () => Promise.reject(e) });
    const input = await run(['x'], [thrower(new InputError('a.csv: no such file'))]);
    expect(input).toMatchObject({ code: 2, err: 'error: a.csv: no such file' });
    const locked = await run(['x'], [thrower(new LockedError('out is being written'))]);
    expect(locked.code).toBe(3);
    const param = await run(['x'], [thrower(new ParamError('requests', '--requests must be a positive integer'))]);
    expect(param).toMatchObject({ code: 2, err: 'error: --requests must be a positive integer' });
    // Message prefixes no longer matter: an Error saying "--map …" is a failure, not bad usage.
    const plain = await run(['x'], [thrower(new Error('--map looks like usage but is a bug'))]);
    expect(plain.code).toBe(1);
    expect(plain.err).toContain('at '); // the stack
  });

  it('verify: missing manifest exits 1; a bad source file exits 2 and names the file (real process)', async () => {
    const dir = tmp('cli');
    expect((await run(['verify', dir])).code).toBe(1);
    const src = join(dir, 'x.csv');
    writeFileSync(src, 'ts,user_id\n');
    const r = runCli(['snapshot', '--source', src, '--out', join(dir, 'out'), '--precompute', 'none', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown option --bogus');
    const missing = runCli(['snapshot', join(dir, 'nothing.csv'), '--out', join(dir, 'out')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(`error: ${join(dir, 'nothing.csv')}: no such file\n`);
  }, 60_000);
});
