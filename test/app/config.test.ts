import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/app/config.ts';
import { DEFAULT_IMPORT_BODY_LIMIT } from '../../src/domain/identity/identity-config.ts';
import { WEBHOOK_DEFAULTS } from '../../src/domain/webhooks/webhook-delivery-settings.ts';
import { DEFAULT_ACCESS } from '../../src/http/access-settings.ts';
import { DEFAULT_POSTGRES_SETTINGS } from '../../src/store/database-settings.ts';

describe('configuration from the environment', () => {
  it('reads every on/off variable in the same spellings, in any case', () => {
    for (const [text, value] of [
      ['on', true], ['ON', true], ['true', true], ['True', true], ['1', true], ['yes', true], ['YES', true],
      ['off', false], ['Off', false], ['false', false], ['FALSE', false], ['0', false], ['no', false], ['No', false],
    ] as const) {
      const config = loadConfig({ RATE_LIMIT: text, WEBHOOK_DISPATCHER: text });
      assert.equal(config.access?.rateLimit.enabled, value, `RATE_LIMIT=${text}`);
      assert.equal(config.webhooks?.dispatcher, value, `WEBHOOK_DISPATCHER=${text}`);
    }
  });

  it('refuses a bad value with a message naming the variable', () => {
    for (const [name, text] of [
      ['WEBHOOK_DISPATCHER', 'maybe'],
      ['RATE_LIMIT', 'enabled'],
      ['PORT', 'eighty'],
      ['PORT', '70000'],
      ['PG_POOL_SIZE', '0'],
      ['PG_LISTEN_URL', 'mysql://db'],
      ['WEBHOOK_RETRY_DELAYS_MS', '3000;30000'],
      ['RATE_LIMIT_PLAN', 'gold'],
      ['REDIS_URL', 'http://localhost'],
      ['PUBLIC_URL', 'not a url'],
      ['CORS_ORIGINS', 'https://app.example.com/path'],
      ['PERSONSD_DEFAULT_REGION', 'XX'],
      ['WEBHOOK_ALLOW_PRIVATE', 'sometimes'],
      ['WEBHOOK_ALLOWED_HOSTS', 'hooks.internal,http://x'],
      ['WEBHOOK_ALLOWED_HOSTS', 'a b'],
    ] as const) {
      assert.throws(
        () => loadConfig({ [name]: text }),
        (error: unknown) => error instanceof ConfigError && error.message.startsWith(`${name} must be`) && error.message.includes(`"${text}"`),
        `${name}=${text}`,
      );
    }
    assert.throws(() => loadConfig({ DATABASE_URL: 'mysql://x' }), (error: unknown) => error instanceof ConfigError && error.message.startsWith('DATABASE_URL must start with'));
  });

  it('applies every default when the environment is empty, and treats empty variables as unset', () => {
    for (const source of [{}, { PORT: '', RATE_LIMIT: '', WEBHOOK_DISPATCHER: '', HOST: '' }]) {
      const config = loadConfig(source);
      assert.equal(config.host, '127.0.0.1');
      assert.equal(config.port, 8080);
      assert.deepEqual(config.database, { dialect: 'sqlite', path: './data/personsd.db' });
      assert.equal(config.bodyLimit, 1024 * 1024);
      assert.equal(config.workers, 1);
      assert.equal(config.purgeIntervalMs, 3_600_000);
      assert.equal(config.bootstrapToken, undefined);
      assert.deepEqual(config.access, { ...DEFAULT_ACCESS, publicUrl: undefined, redisUrl: undefined });
      assert.deepEqual(config.webhooks, WEBHOOK_DEFAULTS);
      assert.deepEqual(config.identity, { defaultRegion: undefined, importBodyLimit: DEFAULT_IMPORT_BODY_LIMIT });
    }
    assert.equal(loadConfig({ NODE_ENV: 'production' }).workers, 0);
  });

  it('reads values into each layer\'s settings', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://db/personsd',
      PG_POOL_SIZE: '3',
      RATE_LIMIT_PLAN: 'Premium',
      WEBHOOK_RETRY_DELAYS_MS: '10, 20',
      PERSONSD_DEFAULT_REGION: 'fr',
      PUBLIC_URL: 'https://persons.example.com/',
      TRUST_PROXY: '2',
    });
    assert.deepEqual(config.database, { dialect: 'postgres', url: 'postgres://db/personsd', ...DEFAULT_POSTGRES_SETTINGS, poolSize: 3 });
    assert.equal(config.access?.rateLimit.burst, 100);
    assert.equal(config.access?.rateLimit.oauthBurst, 400);
    assert.equal(config.access?.publicUrl, 'https://persons.example.com');
    assert.equal(config.access?.trustProxy, 2);
    assert.deepEqual(config.webhooks?.retryDelaysMs, [10, 20]);
    assert.equal(loadConfig({ WEBHOOK_RETRY_DELAYS_MS: '' }).webhooks?.retryDelaysMs.length, 0);
    assert.equal(config.identity?.defaultRegion, 'FR');
    const listen = (value: string) => (loadConfig({ DATABASE_URL: 'postgres://pgbouncer/personsd', PG_LISTEN_URL: value }).database as { listenUrl?: unknown }).listenUrl;
    assert.equal(listen('postgres://db/personsd'), 'postgres://db/personsd');
    assert.equal(listen('OFF'), false);
  });

  it('reads the webhook target policy: loopback refused in production, private addresses only when allowed', () => {
    assert.deepEqual(loadConfig({}).webhooks?.targets, { allowLoopback: true, allowPrivate: false, allowedHosts: [] });
    assert.deepEqual(loadConfig({ NODE_ENV: 'production' }).webhooks?.targets, { allowLoopback: false, allowPrivate: false, allowedHosts: [] });
    assert.equal(loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOW_PRIVATE: 'on' }).webhooks?.targets.allowPrivate, true);
    // The admin API means a test suite's server (the container image runs in production mode).
    assert.equal(loadConfig({ NODE_ENV: 'production', PERSONSD_ADMIN_TOKEN: 'ci-admin-0123456789' }).webhooks?.targets.allowPrivate, true);
    assert.equal(loadConfig({ NODE_ENV: 'production', PERSONSD_ADMIN_TOKEN: 'ci-admin-0123456789', WEBHOOK_ALLOW_PRIVATE: 'off' }).webhooks?.targets.allowPrivate, false);
    const listed = loadConfig({ NODE_ENV: 'production', WEBHOOK_ALLOWED_HOSTS: ' Hooks.Internal. , 10.0.0.7,[::1], bücher.example,' });
    assert.deepEqual(listed.webhooks?.targets.allowedHosts, ['hooks.internal', '10.0.0.7', '::1', 'xn--bcher-kva.example']);
  });
});
