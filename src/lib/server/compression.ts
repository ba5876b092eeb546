/**
 * Gzip for the pages and their data. adapter-node serves the built files precompressed but sends
 * every rendered page as it is, and a page carries its data inline: the learner page is 77 kB of
 * HTML that gzips to 18 kB, which a phone on a slow connection waits for before it draws anything.
 * Only pages and `__data.json` are compressed: the JSON API's replies are small and on the
 * answers' hot path, and the event streams must be flushed as they are written.
 */

/** Below this, a page gains less from gzip than its header costs. */
const MIN_BYTES = 1024;

/** Whether the request's Accept-Encoding takes gzip (not refused with q=0). */
export function acceptsGzip(acceptEncoding: string | null): boolean {
	if (!acceptEncoding) return false;
	return acceptEncoding.split(',').some((entry) => {
		const [coding, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
		if (coding !== 'gzip' && coding !== '*') return false;
		const q = parameters.find((p) => p.startsWith('q='));
		return q === undefined || Number(q.slice(2)) > 0;
	});
}

/** Whether `response` is a page or page data (`isDataRequest`) worth compressing. */
function compressible(response: Response, isDataRequest: boolean): boolean {
	if (response.status !== 200 || !response.body || response.headers.has('content-encoding'))
		return false;
	const length = response.headers.get('content-length');
	if (length !== null && Number(length) < MIN_BYTES) return false;
	const type = response.headers.get('content-type') ?? '';
	return type.startsWith('text/html') || isDataRequest;
}

/**
 * The response gzipped when the request accepts it and it is a page or page data (a request for
 * a page's `__data.json`: `isDataRequest`); otherwise the response itself. The ETag is kept:
 * SvelteKit compares If-None-Match with the page's own, and `Vary: Accept-Encoding` keeps a cache
 * from handing one encoding to a client that asked for the other.
 */
export function compressed(request: Request, response: Response, isDataRequest: boolean): Response {
	if (!compressible(response, isDataRequest)) return response;
	response.headers.append('vary', 'Accept-Encoding');
	if (!acceptsGzip(request.headers.get('accept-encoding'))) return response;
	const headers = new Headers(response.headers);
	headers.set('content-encoding', 'gzip');
	headers.delete('content-length');
	return new Response(response.body!.pipeThrough(new CompressionStream('gzip')), {
		status: response.status,
		statusText: response.statusText,
		headers
	});
}
