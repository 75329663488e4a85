import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, it } from 'node:test';
import { type Finished, killLeftovers, runPersonsd } from '../helpers/personsd-process.ts';
import { testBackends } from '../helpers/server.ts';

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The whole of stderr is the one line (so no stack trace either), and nothing went to stdout. */
function assertOneLine(result: Finished, exitCode: number, line: string): void {
  assert.equal(result.stderr, `${line}\n`);
  assert.equal(result.code, exitCode);
  assert.equal(result.stdout, '');
}

// Every case is its own short process; they run side by side.
describe('personsd command line failures', { concurrency: true }, () => {
  const sqlite = testBackends()[0].databaseUrl();
  const env = { DATABASE_URL: sqlite.url };
  after(() => {
    killLeftovers();
    sqlite.cleanup();
  });

  it('refuses unknown options and commands by name, with exit code 2', async () => {
    const [purge, unknown] = await Promise.all([runPersonsd(['purge', '--now'], env), runPersonsd(['frobnicate'], env)]);
    assertOneLine(purge, 2, "personsd purge: unknown option '--now' (see personsd purge --help)");
    assertOneLine(unknown, 2, "personsd: unknown command 'frobnicate' (see personsd --help)");
  });

  it('answers --help on stdout whatever the environment holds', async () => {
    const help = await runPersonsd(['import', '--help'], { ...env, LOG_LEVEL: 'loud' });
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /^Usage: personsd import \[options\] <file>\n/);
    assert.match(help.stdout, /--user <id> /);
    assert.equal(help.stderr, '');
  });

  it('names a file that does not exist', async () => {
    const result = await runPersonsd(['import', 'nonexistent.csv', '--user', '1'], env);
    assertOneLine(result, 1, 'personsd: cannot open nonexistent.csv: no such file or directory (check the path)');
  });

  it('names a setting with a value it does not take', async () => {
    const result = await runPersonsd(['migrate'], { ...env, LOG_LEVEL: 'loud' });
    assertOneLine(result, 1, 'personsd: LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"');
  });

  it('says which PostgreSQL cannot be reached', async () => {
    const port = await closedPort();
    const result = await runPersonsd(['migrate'], { DATABASE_URL: `postgres://personsd:secret@127.0.0.1:${port}/personsd` });
    assertOneLine(result, 1, `personsd: cannot connect to PostgreSQL at 127.0.0.1:${port} (connection refused): start PostgreSQL there or correct DATABASE_URL`);
  });

  it('adds the stack trace after the line with --verbose or LOG_LEVEL=debug', async () => {
    const args = ['import', 'nonexistent.csv', '--user', '1'];
    const [verbose, debug] = await Promise.all([runPersonsd([...args, '--verbose'], env), runPersonsd(args, { ...env, LOG_LEVEL: 'debug' })]);
    for (const result of [verbose, debug]) {
      assert.equal(result.code, 1);
      const [line, ...stack] = result.stderr.split('\n');
      assert.equal(line, 'personsd: cannot open nonexistent.csv: no such file or directory (check the path)');
      assert.match(stack.join('\n'), /^Error: ENOENT[^\n]*\n {4}at /);
    }
  });

  const pgUrl = process.env.PERSONSD_TEST_PG_URL;
  if (pgUrl) {
    it('says which PostgreSQL database is missing and how to create it', async () => {
      const url = new URL(pgUrl);
      url.pathname = '/personsd_never_created';
      const result = await runPersonsd(['migrate'], { DATABASE_URL: url.toString() });
      assertOneLine(
        result,
        1,
        `personsd: the database "personsd_never_created" does not exist on PostgreSQL at ${url.hostname}:${url.port || 5432}: create it (createdb personsd_never_created) or correct DATABASE_URL`,
      );
    });
  }
});

for (const backend of testBackends()) {
  describe(`personsd command line failures with a database (${backend.name})`, { concurrency: true }, () => {
    const database = backend.databaseUrl();
    const env = { DATABASE_URL: database.url };
    after(() => {
      killLeftovers();
      database.cleanup();
    });

    it('names a company that does not exist instead of a foreign key error', async () => {
      const result = await runPersonsd(['group', 'create', '--company', '2147483000', '--name', 'Sales'], env);
      assertOneLine(result, 1, 'personsd: no company with id 2147483000 (`personsd users` lists the users and their companies)');
    });

    it('stops serve in one line when REDIS_URL cannot be reached', async () => {
      const port = await closedPort();
      const result = await runPersonsd(['serve'], { ...env, RATE_LIMIT: 'on', REDIS_URL: `redis://:hunter2@127.0.0.1:${port}` });
      assertOneLine(
        result,
        1,
        `personsd: cannot reach Redis at redis://:***@127.0.0.1:${port} (connect ECONNREFUSED 127.0.0.1:${port}): start it, correct REDIS_URL, or unset REDIS_URL to keep the counters in memory`,
      );
    });
  });
}
