/**
 * Where people reach this server, and so whether its cookies must be Secure. Configuration read
 * per request, with no session in it: the pages and endpoints that build links or set cookies
 * import it, and so does `teachers.ts`, without pulling in session look-ups.
 */
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
