import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCli } from '../../../src/app/cli.ts';
import { UsageError } from '../../../src/app/cli-failure.ts';

/** Parses without running anything: every case here is answered by the parser before a command starts. */
async function parse(argv: string[]): Promise<{ code?: number; out: string; err: string; error?: unknown }> {
  let out = '';
  let err = '';
  const cli = buildCli({ writeOut: (text) => (out += text), writeErr: (text) => (err += text) });
  try {
    return { code: await cli.run(argv), out, err };
  } catch (error) {
    return { out, err, error };
  }
}

const COMMANDS = ['serve', 'migrate', 'users', 'token create', 'purge', 'reindex', 'app create', 'group create', 'group assign', 'import', 'seed'];

describe('the command line parser', () => {
  it('prints help for every command on stdout and exits 0', async () => {
    for (const command of COMMANDS) {
      const result = await parse([...command.split(' '), '--help']);
      assert.equal(result.code, 0, command);
      assert.match(result.out, new RegExp(`^Usage: personsd ${command} `), command);
    }
    const top = await parse(['--help']);
    assert.equal(top.code, 0);
    for (const command of ['serve', 'migrate', 'users', 'token', 'purge', 'reindex', 'app', 'group', 'import', 'seed']) {
      assert.match(top.out, new RegExp(`\\n  ${command} `), command);
    }
    assert.match((await parse(['help', 'import'])).out, /^Usage: personsd import \[options\] <file>/);
  });

  it('shows the help on stderr with exit code 2 when a command group is called alone', async () => {
    const alone = await parse(['token']);
    assert.equal(alone.code, 2);
    assert.match(alone.err, /^Usage: personsd token /);
    assert.equal(alone.out, '');
  });

  it('refuses unknown commands, unknown options, missing and malformed values by name', async () => {
    const cases: Array<[string[], string, string]> = [
      [['purge', '--now'], 'personsd purge', "unknown option '--now'"],
      [['frobnicate'], 'personsd', "unknown command 'frobnicate'"],
      [['serv'], 'personsd', "unknown command 'serv' (did you mean serve?)"],
      [['token', 'revoke'], 'personsd token', "unknown command 'revoke'"],
      [['purge', 'now'], 'personsd purge', "too many arguments for 'purge'. Expected 0 arguments but got 1"],
      [['import', 'people.csv'], 'personsd import', "required option '--user <id>' not specified"],
      [['import', '--user', '1'], 'personsd import', "missing required argument 'file'"],
      [['import', 'people.csv', '--user', 'me'], 'personsd import', "option '--user <id>' argument 'me' is invalid: expected an id (a whole number)"],
      [['import', 'people.csv', '--user', '1', '--policy', 'merge'], 'personsd import', "option '--policy <policy>' argument 'merge' is invalid: allowed choices are allow, reject, upsert"],
      [['serve', '--port', '99999'], 'personsd serve', "option '--port <port>' argument '99999' is invalid: expected a port number from 0 to 65535"],
      [['token', 'create'], 'personsd token create', 'give --user <id> or --admin'],
      [['token', 'create', '--user', '1', '--admin'], 'personsd token create', "option '--admin' cannot be used with option '--user <id>'"],
      [['token', 'create', '--user', '1', '--company', '2'], 'personsd token create', '--company goes with --admin'],
      [['group', 'assign', '--company', '1', '--user', '2', '--group', 'top'], 'personsd group assign', "option '--group <id|none>' argument 'top' is invalid: expected an id (a whole number)"],
      [['seed'], 'personsd seed', 'give either --file or --persons'],
    ];
    for (const [argv, command, message] of cases) {
      const { error, out, err } = await parse(argv);
      assert.ok(error instanceof UsageError, `${argv.join(' ')}: ${error}`);
      assert.equal(error.command, command, argv.join(' '));
      assert.equal(error.message, message, argv.join(' '));
      assert.equal(out + err, '', 'the parser prints nothing itself: the one error handler does');
    }
  });
});
