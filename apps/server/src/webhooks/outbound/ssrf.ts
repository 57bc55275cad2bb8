import { lookup } from 'node:dns/promises';
import { type Cidr, inCidr, parseCidr, parseIp, refusedReason } from './ip.js';

/**
 * The SSRF guard of every URL QuickCart is told to call or send people to (`webhook_url`,
 * `back_url`, a partner's endpoint): http(s) only, no credentials in the URL, and no loopback,
 * private, link-local, metadata or otherwise non-public address, checked on the literal host at
 * once and on every address the name resolves to before connecting (the connection then goes to
 * the checked address, so a second DNS answer cannot swap it). Redirects are never followed
 * (see transport.ts). `WEBHOOK_ALLOWED_HOSTS` names exemptions for local development and tests.
 */

/** Thrown when a URL may not be called; `reason` names the rule, never a secret. */
export class TargetRefusedError extends Error {
  override readonly name = 'TargetRefusedError';
  readonly code = 'TARGET_REFUSED';
  constructor(
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }
}

/** Thrown when a host name does not resolve: a network failure (retried), not a refusal. */
export class TargetLookupError extends Error {
  override readonly name = 'TargetLookupError';
  readonly code = 'DNS_FAILED';
  constructor(host: string, cause: unknown) {
    const code = (cause as { code?: string } | undefined)?.code;
    super(`the host ${host} does not resolve${code ? ` (${code})` : ''}`, { cause });
  }
}

/** One resolved address. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (tests inject their own). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** The system resolver (`getaddrinfo`, as Node's http would use), every address. */
export const systemResolver: Resolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }));

/** Exemptions from the address rules: host names (exact, case-insensitive) and IP ranges. */
export interface AllowedHosts {
  names: ReadonlySet<string>;
  ranges: readonly Cidr[];
}

/**
 * Parses `WEBHOOK_ALLOWED_HOSTS`: comma-separated host names, addresses or CIDRs
 * (`127.0.0.1,::1,10.0.0.0/8,receiver.internal`). Throws a TypeError naming a bad entry.
 */
export function parseAllowedHosts(text: string | undefined): AllowedHosts {
  const names = new Set<string>();
  const ranges: Cidr[] = [];
  for (const raw of (text ?? '').split(',')) {
    const entry = raw
      .trim()
      .toLowerCase()
      .replace(/^\[|\]$/g, '');
    if (entry === '') continue;
    const range = parseCidr(entry);
    if (range) ranges.push(range);
    else if (/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/.test(entry))
      names.add(entry.replace(/\.$/, ''));
    else throw new TypeError(`"${entry}" is neither a host name, an IP address nor a CIDR range`);
  }
  return { names, ranges };
}

/** Names that always mean this machine or a cloud metadata service, whatever DNS says. */
const REFUSED_NAMES = [/^localhost$/, /\.localhost$/, /^metadata\.google\.internal$/, /^metadata$/];

/** A URL that passed the guard, and the addresses it may be connected to. */
export interface CheckedTarget {
  url: URL;
  /** The host without IPv6 brackets or a trailing dot. */
  host: string;
  addresses: ResolvedAddress[];
}

/** The guard, with its exemptions and resolver. */
export interface TargetGuard {
  /**
   * The checks that need no DNS (scheme, credentials, literal addresses in every spelling the URL
   * parser accepts, local names): throws TargetRefusedError, else returns the parsed URL.
   */
  checkUrl(url: string | URL): URL;
  /** `checkUrl`, then every address the host resolves to; throws TargetRefusedError. */
  resolve(url: string | URL): Promise<CheckedTarget>;
}

/** Options of `createTargetGuard()`. */
export interface TargetGuardOptions {
  /** Exemptions (`WEBHOOK_ALLOWED_HOSTS`), as text or parsed. */
  allowedHosts?: string | AllowedHosts | undefined;
  /** Default: the system resolver. */
  resolver?: Resolver;
}

function hostOf(url: URL): string {
  return url.hostname
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

/**
 * A target guard.
 * @example
 * const guard = createTargetGuard({ allowedHosts: config.webhookAllowedHosts });
 * guard.checkUrl('http://169.254.169.254/latest'); // throws TargetRefusedError (cloud metadata)
 * const { addresses } = await guard.resolve('https://api.partner.example/hook');
 */
export function createTargetGuard(options: TargetGuardOptions = {}): TargetGuard {
  const allowed =
    typeof options.allowedHosts === 'object' ? options.allowedHosts : parseAllowedHosts(options.allowedHosts);
  const resolver = options.resolver ?? systemResolver;
  const allowedAddress = (bytes: Uint8Array) => allowed.ranges.some((range) => inCidr(bytes, range));

  /** Throws when `address` is refused; `context` says where it came from (`host x resolves to`). */
  function refuseAddress(address: string, context: string): void {
    const bytes = parseIp(address);
    if (!bytes) throw new TargetRefusedError(`${context} ${address}, not a usable IP address`, 'bad address');
    if (allowedAddress(bytes)) return;
    const reason = refusedReason(bytes);
    if (reason) {
      throw new TargetRefusedError(
        `${context} ${address}: a ${reason} address, which webhooks may not reach`,
        reason,
      );
    }
  }

  function checkUrl(input: string | URL): URL {
    let url: URL;
    try {
      url = typeof input === 'string' ? new URL(input) : input;
    } catch {
      throw new TargetRefusedError('the URL is malformed', 'malformed');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TargetRefusedError(`only http and https URLs are allowed, not ${url.protocol}`, 'scheme');
    }
    if (url.username !== '' || url.password !== '') {
      throw new TargetRefusedError('the URL may not carry credentials (user:password@)', 'credentials');
    }
    const host = hostOf(url);
    if (host === '') throw new TargetRefusedError('the URL has no host', 'malformed');
    if (allowed.names.has(host)) return url;
    // The WHATWG parser already turned 2130706433, 0x7f.1 and 0177.0.0.1 into 127.0.0.1.
    if (parseIp(host)) refuseAddress(host, 'the URL names');
    else if (REFUSED_NAMES.some((pattern) => pattern.test(host))) {
      throw new TargetRefusedError(`the host ${host} names this machine or a metadata service`, 'local name');
    }
    return url;
  }

  return {
    checkUrl,
    async resolve(input) {
      const url = checkUrl(input);
      const host = hostOf(url);
      if (parseIp(host)) {
        return { url, host, addresses: [{ address: host, family: host.includes(':') ? 6 : 4 }] };
      }
      let addresses: ResolvedAddress[];
      try {
        addresses = await resolver(host);
      } catch (error) {
        throw new TargetLookupError(host, error);
      }
      if (addresses.length === 0) throw new TargetLookupError(host, undefined);
      // Every address must pass, not just the first: the connection may use any of them.
      if (!allowed.names.has(host)) {
        for (const { address } of addresses) refuseAddress(address, `${host} resolves to`);
      }
      return { url, host, addresses };
    },
  };
}
