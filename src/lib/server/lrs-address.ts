/**
 * Which addresses the server may send a teacher's statements to. Anyone who hosts a session names
 * the LRS, so without this the server would post (and report back) to any port on its own machine
 * or its school's network. Every address a name resolves to is checked against one block list,
 * the name is resolved once, and the connection is made to the very addresses that were checked
 * (a second DNS answer, "rebinding", never reaches a socket).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { ConfigError } from './config';

/** A refusal before anything was sent: the teacher's request was at fault (HTTP 400). */
export class LrsRefused extends Error {}

/**
 * IPv4 ranges that are not the public internet (IANA's special-purpose registry): an LRS is never
 * there unless the administrator names its host in LRS_ALLOWED_HOSTS.
 */
const BLOCKED_V4: ReadonlyArray<readonly [network: string, prefix: number]> = [
	['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local machine
	['10.0.0.0', 8], // private
	['100.64.0.0', 10], // carrier-grade NAT
	['127.0.0.0', 8], // loopback
	['169.254.0.0', 16], // link-local (cloud metadata services live here)
	['172.16.0.0', 12], // private
	['192.0.0.0', 24], // IETF protocol assignments
	['192.0.2.0', 24], // documentation (TEST-NET-1)
	['192.88.99.0', 24], // 6to4 relay anycast
	['192.168.0.0', 16], // private
	['198.18.0.0', 15], // benchmarking
	['198.51.100.0', 24], // documentation (TEST-NET-2)
	['203.0.113.0', 24], // documentation (TEST-NET-3)
	['224.0.0.0', 4], // multicast
	['240.0.0.0', 4] // reserved, and 255.255.255.255, the broadcast address
];

/** IPv6 ranges of the same kinds (IANA's IPv6 special-purpose registry). */
const BLOCKED_V6: ReadonlyArray<readonly [network: string, prefix: number]> = [
	['::', 128], // unspecified
	['::1', 128], // loopback
	['64:ff9b:1::', 48], // local-use NAT64
	['100::', 64], // discard-only
	['2001::', 23], // IETF protocol assignments (Teredo, benchmarking, ORCHID)
	['2001:db8::', 32], // documentation
	['3fff::', 20], // documentation
	['fc00::', 7], // unique-local
	['fe80::', 10], // link-local
	['fec0::', 10], // site-local (deprecated)
	['ff00::', 8] // multicast
];

/**
 * IPv6 prefixes that carry an IPv4 address in their low 32 bits (or, for 6to4, right after the
 * prefix). Each blocked IPv4 range is blocked in each of these forms too, so `[::ffff:7f00:1]`,
 * `[::127.0.0.1]` or `[64:ff9b::a00:1]` cannot smuggle a private address past the IPv4 rules.
 * Public IPv4 addresses in these forms stay reachable (an IPv6-only school behind DNS64 needs that).
 */
const V4_CARRIERS: ReadonlyArray<(octets: number[]) => readonly [address: string, bits: number]> = [
	(o) => [`::ffff:${o.join('.')}`, 96], // IPv4-mapped
	(o) => [`::ffff:0:${o.join('.')}`, 96], // IPv4-translated (SIIT)
	(o) => [`::${o.join('.')}`, 96], // IPv4-compatible (deprecated)
	(o) => [`64:ff9b::${o.join('.')}`, 96], // NAT64, well-known prefix
	(o) => [`2002:${hex16(o[0]!, o[1]!)}:${hex16(o[2]!, o[3]!)}::`, 16] // 6to4
];

const hex16 = (high: number, low: number) => ((high << 8) | low).toString(16);

function buildBlockList(): BlockList {
	const list = new BlockList();
	for (const [network, prefix] of BLOCKED_V4) {
		list.addSubnet(network, prefix, 'ipv4');
		const octets = network.split('.').map(Number);
		for (const carrier of V4_CARRIERS) {
			const [address, bits] = carrier(octets);
			list.addSubnet(address, bits + prefix, 'ipv6');
		}
	}
	for (const [network, prefix] of BLOCKED_V6) list.addSubnet(network, prefix, 'ipv6');
	return list;
}

const BLOCKED = buildBlockList();

/** Whether an IP address (v4 or v6, any valid spelling) is off limits for an LRS. */
export function isBlockedAddress(address: string): boolean {
	const family = isIP(address);
	if (family === 0) return true;
	return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Where the administrator lets statements go although the address is private. */
export interface LrsPolicy {
	/** Host names or IP addresses (as a URL writes them) exempt from the block list. */
	allowedHosts: ReadonlySet<string>;
}

/** A host as the URL parser writes it, without the brackets of IPv6 and a final dot. */
function canonicalHost(hostname: string): string {
	return hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
}

/**
 * LRS_ALLOWED_HOSTS: a comma-separated list of host names or IP addresses, e.g.
 * `lrs.school.internal, 10.20.0.5`. Each is written the way a URL parser writes it, so
 * `LRS.School.Internal` or `[::1]` match URLs that spell them otherwise.
 */
export function parseAllowedHosts(value: string | undefined): LrsPolicy {
	const allowedHosts = new Set<string>();
	for (const entry of (value ?? '').split(',')) {
		const trimmed = entry.trim();
		if (!trimmed) continue;
		let host: string;
		try {
			const url = new URL(`http://${trimmed}/`);
			if (url.port || url.username || url.pathname !== '/') throw new Error('not a host');
			host = canonicalHost(url.hostname);
		} catch {
			throw new ConfigError(
				`LRS_ALLOWED_HOSTS: "${trimmed}" is not a host name or IP address (write hosts only, without a scheme, port or path, separated by commas).`
			);
		}
		allowedHosts.add(host);
	}
	return { allowedHosts };
}

/** Resolves a host name to every address it has (the system resolver, /etc/hosts included). */
export type Resolver = (hostname: string) => Promise<ReadonlyArray<{ address: string }>>;

export const systemResolver: Resolver = (hostname) =>
	dnsLookup(hostname, { all: true, verbatim: true });

/** A name that means "this machine" whatever DNS says (RFC 6761). */
const isLocalhostName = (host: string) => host === 'localhost' || host.endsWith('.localhost');

/**
 * The addresses to connect to for `url`, each checked: an IP literal as it stands, a name resolved
 * once. Throws LrsRefused naming the host when it is off limits or cannot be found.
 */
export async function checkedAddresses(
	url: URL,
	policy: LrsPolicy,
	resolve: Resolver = systemResolver
): Promise<string[]> {
	const host = canonicalHost(url.hostname);
	const allowed = policy.allowedHosts.has(host);
	const refuse = () =>
		new LrsRefused(
			`The LRS host ${host} is on a private or local network; the server's administrator can allow it with LRS_ALLOWED_HOSTS.`
		);
	if (!allowed && isLocalhostName(host)) throw refuse();
	let addresses: string[];
	if (isIP(host)) {
		addresses = [host];
	} else {
		const found = await resolve(host).catch(() => []);
		addresses = found.map((a) => a.address);
		if (addresses.length === 0) throw new LrsRefused(`The LRS host ${host} could not be found.`);
	}
	// One private address is enough to refuse: which one a connection would use is not ours to pick.
	if (!allowed && addresses.some(isBlockedAddress)) throw refuse();
	return addresses;
}

/**
 * An undici Agent that connects `hostname` only to `addresses` (already checked) and checks them
 * again as it connects: DNS is never asked a second time, and no other host can be reached
 * through it (a redirect would need one).
 */
export function pinnedAgent(
	hostname: string,
	addresses: readonly string[],
	policy: LrsPolicy
): Agent {
	const host = canonicalHost(hostname);
	const allowed = policy.allowedHosts.has(host);
	const lookup: LookupFunction = (name, options, callback) => {
		const usable = addresses.filter((a) => allowed || !isBlockedAddress(a));
		if (canonicalHost(name) !== host || usable.length !== addresses.length) {
			callback(new LrsRefused(`The LRS host ${name} is not the one that was checked.`), '', 0);
			return;
		}
		const entries = usable.map((address) => ({ address, family: isIP(address) }));
		if (options.all) callback(null, entries);
		else callback(null, entries[0]!.address, entries[0]!.family);
	};
	return new Agent({ connect: { lookup } });
}
