import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError, describeFailure } from '../../../src/app/cli-failure.ts';
import { parseDatabaseUrl } from '../../../src/app/config.ts';
import { ConfigError } from '../../../src/app/env.ts';
import { RedisUnreachableError, withoutPassword } from '../../../src/http/rate-limit/redis-unreachable.ts';

const systemError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);
const postgres = { database: parseDatabaseUrl('postgres://app:secret@db.internal:6543/personsd') };
const sqlite = { database: parseDatabaseUrl('sqlite:./data/personsd.db') };

describe('the command line failure line', () => {
  it('points a usage mistake at the command help, with exit code 2', () => {
    assert.deepEqual(describeFailure(new UsageError("unknown option '--now'", 'personsd purge')), {
      line: "personsd purge: unknown option '--now' (see personsd purge --help)",
      exitCode: 2,
    });
  });

  it('prints a setting or operator mistake as it is worded', () => {
    assert.deepEqual(describeFailure(new ConfigError('LOG_LEVEL must be one of …, got "loud"')), { line: 'LOG_LEVEL must be one of …, got "loud"', exitCode: 1 });
  });

  it('names the port of a failed listen, also as a worker of serve --workers sees it (bind)', () => {
    for (const syscall of ['listen', 'bind']) {
      const taken = systemError('listen EADDRINUSE', { code: 'EADDRINUSE', syscall, address: '127.0.0.1', port: 8080 });
      assert.equal(
        describeFailure(taken).line,
        'port 8080 on 127.0.0.1 is already in use: stop the process that listens there, or choose another port with PORT or --port',
      );
    }
    const privileged = systemError('listen EACCES', { code: 'EACCES', syscall: 'listen', address: '0.0.0.0', port: 80 });
    assert.equal(describeFailure(privileged).line, 'not allowed to listen on port 80: choose a port above 1023 with PORT or --port');
  });

  it('names the file that cannot be opened and why', () => {
    const missing = systemError("ENOENT: no such file or directory, stat 'people.csv'", { code: 'ENOENT', syscall: 'stat', path: 'people.csv' });
    assert.equal(describeFailure(missing).line, 'cannot open people.csv: no such file or directory (check the path)');
  });

  it('says which PostgreSQL could not be reached, without its password', () => {
    const refused = systemError('connect ECONNREFUSED 10.0.0.5:6543', { code: 'ECONNREFUSED', syscall: 'connect', address: '10.0.0.5', port: 6543 });
    const line = describeFailure(refused, postgres).line;
    assert.equal(line, 'cannot connect to PostgreSQL at db.internal:6543 (connection refused): start PostgreSQL there or correct DATABASE_URL');
    // A host name with several addresses fails as an AggregateError of the attempts.
    const aggregate = Object.assign(new AggregateError([refused, refused], ''), { code: 'ECONNREFUSED' });
    assert.equal(describeFailure(aggregate, postgres).line, line);
    const missing = systemError('database "personsd" does not exist', { code: '3D000' });
    assert.equal(
      describeFailure(missing, postgres).line,
      'the database "personsd" does not exist on PostgreSQL at db.internal:6543: create it (createdb personsd) or correct DATABASE_URL',
    );
    const login = systemError('password authentication failed for user "app"', { code: '28P01' });
    assert.doesNotMatch(describeFailure(login, postgres).line, /secret/);
  });

  it('explains SQLite files that are not databases or cannot be written', () => {
    assert.equal(
      describeFailure(systemError('file is not a database', { code: 'SQLITE_NOTADB' }), sqlite).line,
      './data/personsd.db is not a SQLite database: point DATABASE_URL at a personsd database or a new file',
    );
  });

  it('turns a foreign key refusal on either database into a hint about ids', () => {
    for (const code of ['SQLITE_CONSTRAINT_FOREIGNKEY', '23503']) {
      assert.match(describeFailure(systemError('FOREIGN KEY constraint failed', { code })).line, /refers to a company, user or record that does not exist/);
    }
  });

  it('says what to do about an unreachable Redis, and never prints its password', () => {
    const error = new RedisUnreachableError(withoutPassword('redis://:hunter2@cache:6379/0'), 'connect ECONNREFUSED 10.0.0.9:6379');
    assert.equal(
      describeFailure(error).line,
      'cannot reach Redis at redis://:***@cache:6379/0 (connect ECONNREFUSED 10.0.0.9:6379): start it, correct REDIS_URL, or unset REDIS_URL to keep the counters in memory',
    );
  });

  it('reports anything else as unexpected, first line only, pointing at --verbose', () => {
    assert.deepEqual(describeFailure(new TypeError('boom\nsecond line')), {
      line: 'unexpected failure: boom (run again with --verbose for the details)',
      exitCode: 1,
    });
  });
});
