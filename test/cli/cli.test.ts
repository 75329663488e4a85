import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parseDatabaseUrl } from '../../src/app/config.ts';
import { openStore } from '../../src/store/db.ts';
import { ConsoleAuthService } from '../../src/domain/access/console-auth.service.ts';
import { Api } from '../helpers/server.ts';

const BIN = fileURLToPath(new URL('../../bin/personsd.js', import.meta.url));
const TOKEN = /^[0-9a-f]{40}$/;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

function baseEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...extra };
  delete env.PERSONSD_BOOTSTRAP_TOKEN;
  if (extra.PERSONSD_BOOTSTRAP_TOKEN) env.PERSONSD_BOOTSTRAP_TOKEN = extra.PERSONSD_BOOTSTRAP_TOKEN;
  return env;
}

/** Runs a command that exits by itself (given `input` on stdin, if any). */
function run(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => (stdout += chunk));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd ${args.join(' ')} did not exit: ${stderr}`));
    }, 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface Served {
  url: string;
  stdout: string;
  stop(): Promise<Finished>;
}

const running = new Set<ChildProcess>();

/** Starts `personsd serve` and waits until it says where it listens. */
function serve(env: NodeJS.ProcessEnv): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    running.add(child);
    let stdout = '';
    let stderr = '';
    const exited = new Promise<Finished>((done) => child.on('close', (code) => {
      running.delete(child);
      done({ code, stdout, stderr });
    }));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`personsd serve did not start: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(stderr);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          get stdout() {
            return stdout;
          },
          async stop() {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    exited.then((result) => {
      clearTimeout(timer);
      reject(new Error(`personsd serve exited with ${result.code}: ${result.stderr}`));
    });
  });
}

function printedToken(stdout: string): string {
  const match = /^\s+([0-9a-f]{40}|\S{16,})\s*$/m.exec(stdout);
  assert.ok(match, `a token in: ${stdout}`);
  return match[1];
}

describe('personsd command line', () => {
  let dir: string;
  const databaseUrl = (name: string) => `sqlite:${join(dir, name, 'personsd.db')}`;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'personsd-cli-'));
  });
  after(() => {
    for (const child of running) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('bootstraps on the first start, prints a working token and curl line, and not again on the next start', async () => {
    const env = baseEnv(databaseUrl('first'));
    const first = await serve(env);
    let token: string;
    try {
      token = printedToken(first.stdout);
      assert.match(token, TOKEN);
      assert.ok(first.stdout.includes(`curl -H 'x-api-token: ${token}' ${first.url}/api/v2/persons`), first.stdout);
      const api = new Api(first.url, token);
      const me = await api.get('/v1/users/me');
      assert.equal(me.status, 200);
      assert.equal(me.body.data.is_admin, 1);
      assert.equal((await api.post('/api/v2/persons', { name: 'Survives restarts' })).status, 200);
      const ready = await new Api(first.url, undefined).get('/ready');
      assert.deepEqual(ready.body.data, { status: 'ready', database: { dialect: 'sqlite', reachable: true, migrated: true, pending_migrations: [] } });
    } finally {
      const stopped = await first.stop();
      assert.equal(stopped.code, 0, 'SIGTERM shuts down cleanly');
    }

    const second = await serve(env);
    try {
      assert.equal(second.stdout, '', 'no second bootstrap');
      const api = new Api(second.url, token);
      const persons = await api.get('/api/v2/persons');
      assert.equal(persons.status, 200, 'the first token still works');
      assert.deepEqual(persons.body.data.map((p: { name: string }) => p.name), ['Survives restarts']);
      assert.equal((await api.get('/v1/users')).body.data.length, 1, 'still one user');
    } finally {
      await second.stop();
    }
  });

  it('uses PERSONSD_BOOTSTRAP_TOKEN for the first token, and refuses one that is too short', async () => {
    const chosen = 'ci-known-token-0123456789';
    const served = await serve(baseEnv(databaseUrl('chosen'), { PERSONSD_BOOTSTRAP_TOKEN: chosen }));
    try {
      assert.equal(printedToken(served.stdout), chosen);
      assert.equal((await new Api(served.url, chosen).get('/v1/users/me')).status, 200);
    } finally {
      await served.stop();
    }
    const short = await run(['serve'], baseEnv(databaseUrl('short'), { PERSONSD_BOOTSTRAP_TOKEN: 'short' }));
    assert.equal(short.code, 1);
    assert.match(short.stderr, /PERSONSD_BOOTSTRAP_TOKEN must be at least 16 characters/);
    assert.equal(short.stdout, '');
  });

  it('migrate brings a new database up to date, then has nothing to do', async () => {
    const env = baseEnv(databaseUrl('migrate'));
    const first = await run(['migrate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /applied: .*001-initial/);
    assert.equal(first.stdout, '');
    const again = await run(['migrate'], env);
    assert.equal(again.code, 0);
    assert.match(again.stderr, /schema is up to date/);
  });

  it('user set-password sets a console password from stdin, and user invite prints a one-time link', async () => {
    const env = baseEnv(databaseUrl('console'), { PUBLIC_URL: 'https://contacts.example.com' });
    assert.equal((await run(['seed', '--persons', '1'], env)).code, 0);
    const set = await run(['user', 'set-password', '--admin'], env, 'a long enough password\n');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stderr, /^password set for user 1 \(Admin, admin@example\.com\)/);
    const short = await run(['user', 'set-password', '--user', '1'], env, 'short\n');
    assert.equal(short.code, 1);
    assert.match(short.stderr, /at least 8 characters/);
    const invite = await run(['user', 'invite', '--user', '1'], env);
    assert.equal(invite.code, 0, invite.stderr);
    const secret = /^https:\/\/contacts\.example\.com\/invite\/([\w-]+)\n$/.exec(invite.stdout)?.[1];
    assert.ok(secret, invite.stdout);
    const store = openStore(parseDatabaseUrl(databaseUrl('console'), 1));
    try {
      const auth = new ConsoleAuthService(store.db);
      assert.ok(await auth.signIn('admin@example.com', 'a long enough password'));
      assert.equal(await auth.signIn('admin@example.com', 'short'), undefined);
      assert.deepEqual(await auth.describeInvite(secret), { name: 'Admin', email: 'admin@example.com' });
    } finally {
      await store.close();
    }
  });

  it('token create prints only a new working token and revokes the old one', async () => {
    const env = baseEnv(databaseUrl('token'));
    const served = await serve(env);
    try {
      const old = printedToken(served.stdout);
      const me = await new Api(served.url, old).get('/v1/users/me');
      const created = await run(['token', 'create', '--user', String(me.body.data.id)], env);
      assert.equal(created.code, 0, created.stderr);
      assert.match(created.stdout, /^[0-9a-f]{40}\n$/);
      const fresh = created.stdout.trim();
      assert.notEqual(fresh, old);
      assert.equal((await new Api(served.url, fresh).get('/v1/users/me')).body.data.id, me.body.data.id);
      assert.equal((await new Api(served.url, old).get('/v1/users/me')).status, 401, 'the old token is revoked');

      const unknown = await run(['token', 'create', '--user', '999999'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /no user with id 999999/);
      assert.equal(unknown.stdout, '');
      const usage = await run(['token', 'create'], env);
      assert.equal(usage.code, 2);
      assert.equal(usage.stderr, 'personsd token create: give --user <id> or --admin (see personsd token create --help)\n');
      assert.equal((await new Api(served.url, fresh).get('/v1/users/me')).status, 200, 'failed commands revoke nothing');
    } finally {
      await served.stop();
    }
  });

  it('reindex rebuilds the search index while the server keeps serving', async () => {
    const env = baseEnv(databaseUrl('reindex'), { PERSONSD_BOOTSTRAP_TOKEN: 'reindex-token-0123456789' });
    const served = await serve(env);
    try {
      const api = new Api(served.url, 'reindex-token-0123456789');
      const id = (await api.post('/api/v2/persons', { name: 'Rebecca Reindexed' })).body.data.id;
      const found = async () => (await api.get('/api/v2/persons/search?term=rebecca')).body.data.items.map((i: any) => i.item.id);
      assert.deepEqual(await found(), [id]);
      // An index that lost rows (as one written by an older release during a rollout can): the person is not found.
      const store = openStore(parseDatabaseUrl(env.DATABASE_URL as string, 1));
      try {
        await store.db.deleteFrom('person_search').execute();
      } finally {
        await store.close();
      }
      assert.deepEqual(await found(), []);
      const reindex = await run(['reindex'], env);
      assert.equal(reindex.code, 0, reindex.stderr);
      assert.match(reindex.stderr, /search index rebuilt in \d+\.\d s/);
      assert.deepEqual(await found(), [id]);
    } finally {
      await served.stop();
    }
  });

  it('purge runs, and bad commands and configuration exit non-zero with a message', async () => {
    const env = baseEnv(databaseUrl('misc'));
    const purge = await run(['purge'], env);
    assert.equal(purge.code, 0, purge.stderr);
    assert.match(purge.stderr, /purged 0 persons, 0 organizations, 0 deals, 0 notes and 0 activities/);
    const unknown = await run(['frobnicate'], env);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, "personsd: unknown command 'frobnicate' (see personsd --help)\n");
    const badPort = await run(['serve'], { ...env, PORT: 'eighty' });
    assert.equal(badPort.code, 1);
    assert.match(badPort.stderr, /PORT must be a whole number/);
    const badUrl = await run(['migrate'], { ...env, DATABASE_URL: 'mysql://localhost/x' });
    assert.equal(badUrl.code, 1);
    assert.match(badUrl.stderr, /DATABASE_URL must start with sqlite: or postgres:\/\//);
  });
});
