/**
 * What every request is held to, whoever serves it: SvelteKit's `handle` (hooks.server.ts) and
 * the front door that answers before SvelteKit (front-door.ts) ask these same questions.
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** What the cross-site check reads of a request. */
export interface RequestHead {
	method: string;
	/** The Origin header, or null. */
	origin: string | null;
	/** The Content-Type header, or null. */
	contentType: string | null;
	/** The host this server was reached at, as SvelteKit's `event.url.host` has it. */
	host: string;
}

/**
 * A state-changing request from another site. Browsers send Origin with every POST; a request
 * without it is a script (which authenticates with a bearer token), unless it is a form post.
 * Hosts are compared, not origins: without ORIGIN set, adapter-node assumes https while a
 * classroom server on the local network is reached over plain http.
 */
export function isCrossSite({ method, origin, contentType, host }: RequestHead): boolean {
	if (SAFE_METHODS.has(method)) return false;
	if (origin === null) {
		const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
		return FORM_TYPES.includes(type);
	}
	try {
		return new URL(origin).host !== host;
	} catch {
		return true;
	}
}

/** Headers every response carries, refusals included. */
export const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'same-origin'
} as const;
