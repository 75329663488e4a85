import { lookup as dnsLookup } from 'node:dns/promises';
import { type LookupFunction, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import ipaddr from 'ipaddr.js';
import { classifyAddress, describeClass } from './address-class.js';
import type { WebhookTargetSettings } from './webhook-delivery-settings.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to, as connections resolve it (the system resolver); tests inject their own. */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A connection the target policy refused; its message is what the delivery log shows. */
export class RefusedTarget extends Error {
  readonly code = 'EWEBHOOKTARGET';
}


/**
 * Which hosts webhooks may reach, checked twice: when a webhook is created (early, readable feedback) and on every
 * connection, on the addresses the connection actually uses (`lookup`), since what a name resolves to can change
 * between the two (DNS rebinding). A host any of whose addresses is refused is refused as a whole.
 */
export class DeliveryTargets {
  private readonly allowedHosts: ReadonlySet<string>;

  constructor(
    readonly settings: WebhookTargetSettings,
    private readonly resolve: HostResolver = systemResolver,
    /** How long a subscription waits for DNS before accepting the URL unchecked (each delivery checks again). */
    private readonly subscriptionLookupMs = 3000,
  ) {
    this.allowedHosts = new Set(settings.allowedHosts.map(normalizeHost));
  }

  /** Why a connection to this address is refused, or null when it is allowed. */
  refusal(address: string): string | null {
    if (this.settings.allowPrivate) return null;
    const kind = classifyAddress(address);
    if (kind === 'public' || (kind === 'loopback' && this.settings.allowLoopback)) return null;
    return describeClass(kind);
  }

  /** For a URL's host that is a literal address: why it is refused, or null (also for host names). */
  literalRefusal(urlHost: string): string | null {
    const host = normalizeHost(urlHost);
    if (!isIP(host) || this.allowedHosts.has(host)) return null;
    const refused = this.refusal(host);
    return refused && refusedMessage(`${host} is ${refused}`);
  }

  /**
   * The check made when a webhook is created: a refused literal address, or a host name resolving to a refused
   * address, gives the reason; a name that does not resolve (yet) is accepted, and its deliveries are checked.
   */
  async subscriptionRefusal(url: URL): Promise<string | null> {
    const host = normalizeHost(url.hostname);
    if (isIP(host)) return this.literalRefusal(host);
    if (this.settings.allowPrivate || this.allowedHosts.has(host)) return null;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(resolve, this.subscriptionLookupMs, null)));
    const addresses = await Promise.race([this.resolve(host).catch(() => null), timeout]).finally(() => clearTimeout(timer));
    return addresses ? this.namedRefusal(host, addresses) : null;
  }

  /**
   * A `lookup` for node:net: resolves the host and fails the connection with a RefusedTarget when an address it
   * would use is refused. Literal addresses never reach a lookup; `literalRefusal` covers them.
   */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.checkedAddresses(normalizeHost(hostname)).then(
      (addresses) => {
        const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
        } else if (options.all) callback(null, usable);
        else callback(null, usable[0].address, usable[0].family);
      },
      (err) => callback(err, '', 0),
    );
  };

  private async checkedAddresses(host: string): Promise<ResolvedAddress[]> {
    const addresses = await this.resolve(host);
    if (this.settings.allowPrivate || this.allowedHosts.has(host)) return addresses;
    const refused = this.namedRefusal(host, addresses);
    if (refused) throw new RefusedTarget(refused);
    return addresses;
  }

  /** The resolved addresses are not named: a tenant should not learn what internal names resolve to. */
  private namedRefusal(host: string, addresses: readonly ResolvedAddress[]): string | null {
    for (const { address } of addresses) {
      const refused = this.refusal(address);
      if (refused) return refusedMessage(`${host} resolves to ${refused}`);
    }
    return null;
  }
}

function refusedMessage(reason: string): string {
  return `refused by the webhook target policy: ${reason}`;
}

/**
 * A host as URLs spell it: lower-case ASCII (IDNA), without IPv6 brackets or a trailing dot; addresses in their
 * canonical spelling. '' for text that cannot be a host name.
 */
export function normalizeHost(text: string): string {
  const host = text.trim().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  return isIP(host) ? ipaddr.parse(host).toString() : domainToASCII(host);
}
