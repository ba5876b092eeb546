/**
 * Where people reach this server (and whence they call it), and so whether its cookies must be
 * Secure. Configuration read
 * per request, with no session in it: the pages and endpoints that build links or set cookies
 * import it, and so does `teachers.ts`, without pulling in session look-ups.
 */
import { error, type RequestEvent } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';

/**
 * The origin people reach this server at. With ORIGIN set (behind a proxy), the configured one;
 * otherwise the request's host over plain http, because adapter-node itself serves no TLS.
 */
export function publicOrigin(url: URL): string {
	return env.ORIGIN ? url.origin : `http://${url.host}`;
}

/** Whether cookies should be Secure: only when people reach the server over https. */
export function secureCookies(url: URL): boolean {
	return publicOrigin(url).startsWith('https:');
}

/**
 * The caller's address. Behind a load balancer adapter-node reads it from the header named by
 * ADDRESS_HEADER, and throws when a request lacks it (one that reached a process directly, past
 * the proxy): that is the caller's fault, a 400 saying so, not a 500.
 */
export function clientAddress(event: Pick<RequestEvent, 'getClientAddress'>): string {
	try {
		return event.getClientAddress();
	} catch {
		error(
			400,
			'This server is reached through its proxy: the request lacks the header that carries the caller’s address.'
		);
	}
}
