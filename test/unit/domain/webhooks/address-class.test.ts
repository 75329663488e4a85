import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AddressClass, classifyAddress } from '../../../../src/domain/webhooks/address-class.ts';

const CASES: Record<AddressClass, string[]> = {
  public: ['8.8.8.8', '93.184.216.34', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::1'],
  loopback: ['127.0.0.1', '127.255.255.254', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:7f00:1', '::FFFF:7F00:0001', '64:ff9b::7f00:1', '::ffff:0:7f00:1', '2002:7f00:1::'],
  private: ['10.0.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1', '100.64.0.1', '100.127.255.255', 'fc00::1', 'fd12:3456::1', 'fec0::1', '::ffff:10.1.2.3', '::ffff:192.168.0.1'],
  'link-local': ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fe80::1%eth0', 'febf::1', '::ffff:169.254.169.254'],
  multicast: ['224.0.0.1', '239.255.255.250', '255.255.255.255', 'ff02::1', 'ff05::2'],
  unspecified: ['0.0.0.0', '0.1.2.3', '::', '::ffff:0.0.0.0'],
  reserved: ['192.0.2.1', '198.51.100.7', '203.0.113.9', '198.18.0.1', '240.0.0.1', '2001:db8::1', '2001::1', '::7f00:1', '::a00:1', '100::1'],
};

describe('webhook address classes', () => {
  for (const [kind, addresses] of Object.entries(CASES)) {
    it(`classes ${addresses.join(', ')} as ${kind}`, () => {
      for (const address of addresses) assert.equal(classifyAddress(address), kind, address);
    });
  }

  it('keeps the neighbours of internal ranges public', () => {
    for (const address of ['9.255.255.255', '11.0.0.0', '172.15.255.255', '172.32.0.0', '192.167.255.255', '100.63.255.255', '100.128.0.0', '126.255.255.255', '128.0.0.0', '169.253.255.255', 'fbff::1', 'fe00::1']) {
      assert.equal(classifyAddress(address), 'public', address);
    }
  });

  it('throws on text that is not an address', () => {
    for (const text of ['localhost', '256.1.1.1', '1.2.3', '0x7f.1', '[::1]', '']) assert.throws(() => classifyAddress(text), text);
  });
});
