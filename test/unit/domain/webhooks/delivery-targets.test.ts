import assert from 'node:assert/strict';
import type { LookupAddress } from 'node:dns';
import { describe, it } from 'node:test';
import { DeliveryTargets, type HostResolver, RefusedTarget, normalizeHost } from '../../../../src/domain/webhooks/delivery-targets.ts';
import { type WebhookTargetSettings, defaultTargets } from '../../../../src/domain/webhooks/webhook-delivery-settings.ts';

const PRODUCTION = defaultTargets(true);
const DEVELOPMENT = defaultTargets(false);

/** A resolver answering from a table; unknown names fail as the system resolver does. */
function table(entries: Record<string, string[]>): HostResolver {
  return async (hostname) => {
    const addresses = entries[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
}

const DNS = table({
  'hooks.example.com': ['93.184.216.34', '2606:2800:220:1::1'],
  localhost: ['127.0.0.1', '::1'],
  'intranet.corp': ['10.1.2.3'],
  'metadata.cloud': ['169.254.169.254'],
  'mixed.example': ['93.184.216.34', '192.168.0.10'],
});

function lookup(targets: DeliveryTargets, hostname: string, options: { all?: boolean; family?: number | string } = {}) {
  return new Promise<{ err: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number }>((resolve) =>
    targets.lookup(hostname, options as any, (err, address, family) => resolve({ err, address, family })),
  );
}

const targets = (settings: WebhookTargetSettings, resolver = DNS) => new DeliveryTargets(settings, resolver, 50);

describe('webhook delivery targets', () => {
  it('refuses every internal class in production, loopback only outside it, nothing with allowPrivate', () => {
    const production = targets(PRODUCTION);
    const development = targets(DEVELOPMENT);
    const open = targets({ ...PRODUCTION, allowPrivate: true });
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      assert.equal(production.refusal(address), 'a loopback address', address);
      assert.equal(development.refusal(address), null, address);
      assert.equal(open.refusal(address), null, address);
    }
    for (const [address, reason] of [
      ['10.0.0.1', 'a private-network address'],
      ['100.64.1.1', 'a private-network address'],
      ['fd00::1', 'a private-network address'],
      ['169.254.169.254', 'a link-local address'],
      ['fe80::1', 'a link-local address'],
      ['224.0.0.1', 'a multicast or broadcast address'],
      ['0.0.0.0', 'the unspecified address'],
      ['::', 'the unspecified address'],
    ]) {
      assert.equal(production.refusal(address), reason, address);
      assert.equal(development.refusal(address), reason, address);
      assert.equal(open.refusal(address), null, address);
    }
    assert.equal(production.refusal('93.184.216.34'), null);
  });

  it('checks literal hosts as URLs spell them, and lets listed hosts through', () => {
    const production = targets({ ...PRODUCTION, allowedHosts: ['10.0.0.7', '[::1]'] });
    assert.match(production.literalRefusal('[::ffff:7f00:1]')!, /^refused by the webhook target policy: ::ffff:7f00:1 is a loopback address$/);
    assert.match(production.literalRefusal('[fe80::1]')!, /link-local/);
    assert.match(production.literalRefusal('10.0.0.8')!, /private-network/);
    assert.equal(production.literalRefusal('10.0.0.7'), null);
    assert.equal(production.literalRefusal('[0:0::1]'), null);
    assert.equal(production.literalRefusal('localhost'), null, 'names are checked when resolved');
  });

  it('refuses a subscription to a literal or a name resolving to a refused address, and accepts a name that does not resolve', async () => {
    const production = targets(PRODUCTION);
    const check = (url: string) => production.subscriptionRefusal(new URL(url));
    assert.equal(await check('https://hooks.example.com/in'), null);
    assert.equal(await check('http://localhost:3000/hook'), 'refused by the webhook target policy: localhost resolves to a loopback address');
    assert.equal(await check('http://LOCALHOST./hook'), 'refused by the webhook target policy: localhost resolves to a loopback address');
    assert.match((await check('http://metadata.cloud/latest'))!, /metadata.cloud resolves to a link-local address$/);
    assert.match((await check('http://mixed.example/'))!, /mixed.example resolves to a private-network address$/, 'one refused address refuses the host');
    assert.match((await check('http://2130706433/'))!, /127\.0\.0\.1 is a loopback address/, 'the URL parser reads other spellings of IPv4');
    assert.match((await check('http://[::ffff:169.254.169.254]/'))!, /link-local/);
    assert.equal(await check('http://nowhere.invalid/'), null);
    const hanging = targets(PRODUCTION, () => new Promise(() => {}));
    assert.equal(await hanging.subscriptionRefusal(new URL('http://slow.example/')), null, 'gives up waiting for DNS');
    assert.equal(await targets(DEVELOPMENT).subscriptionRefusal(new URL('http://localhost:3000/')), null);
    assert.match((await targets(DEVELOPMENT).subscriptionRefusal(new URL('http://intranet.corp/')))!, /private-network/);
    assert.equal(await targets({ ...PRODUCTION, allowedHosts: ['intranet.corp'] }).subscriptionRefusal(new URL('http://Intranet.Corp./x')), null);
    assert.equal(await targets({ ...PRODUCTION, allowPrivate: true }).subscriptionRefusal(new URL('http://localhost/')), null);
  });

  it('resolves for connections, in both callback forms, and fails a refused one with RefusedTarget', async () => {
    const production = targets(PRODUCTION);
    const one = await lookup(production, 'hooks.example.com', {});
    assert.deepEqual([one.err, one.address, one.family], [null, '93.184.216.34', 4]);
    const v6 = await lookup(production, 'hooks.example.com', { family: 6 });
    assert.deepEqual([v6.address, v6.family], ['2606:2800:220:1::1', 6]);
    const all = await lookup(production, 'hooks.example.com', { all: true, family: 'IPv4' });
    assert.deepEqual(all.address, [{ address: '93.184.216.34', family: 4 }]);

    const refused = await lookup(production, 'localhost', { all: true });
    assert.ok(refused.err instanceof RefusedTarget);
    assert.equal(refused.err.message, 'refused by the webhook target policy: localhost resolves to a loopback address');
    assert.equal(refused.err.code, 'EWEBHOOKTARGET');
    assert.equal((await lookup(production, 'nowhere.invalid')).err?.code, 'ENOTFOUND');

    const listed = targets({ ...PRODUCTION, allowedHosts: ['localhost'] });
    assert.equal((await lookup(listed, 'localhost')).address, '127.0.0.1');
    assert.equal((await lookup(targets(DEVELOPMENT), 'localhost', { family: 6 })).address, '::1');
  });

  it('normalises host names and addresses the way URLs spell them', () => {
    assert.equal(normalizeHost(' Hooks.Example.COM. '), 'hooks.example.com');
    assert.equal(normalizeHost('[::FFFF:127.0.0.1]'), '::ffff:7f00:1');
    assert.equal(normalizeHost('0:0:0:0:0:0:0:1'), '::1');
    assert.equal(normalizeHost('bücher.example'), 'xn--bcher-kva.example');
    assert.equal(normalizeHost('a b'), '');
  });
});
