/**
 * The refusals `handle` makes itself (a cross-site write, a storage fault) carry the same security
 * headers as every response that passes through it.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { handle } from './hooks.server';

const SECURITY_HEADERS = ['x-content-type-options', 'referrer-policy'];

/** Runs `handle` on one request; `fault` makes the page's work end in a storage fault. */
async function through(path: string, init: RequestInit, fault?: string): Promise<Response> {
	const url = new URL(path, 'http://127.0.0.1:4810');
	const event = { request: new Request(url, init), url, locals: {} } as unknown as RequestEvent;
	return handle({
		event,
		resolve: async () => {
			if (fault) event.locals.storageFault = fault;
			return new Response('{}', { headers: { 'content-type': 'application/json' } });
		}
	});
}

const securityHeaders = (response: Response) =>
	Object.fromEntries(SECURITY_HEADERS.map((name) => [name, response.headers.get(name)]));

describe('handle: security headers on every response', () => {
	it.each(['/api/sessions', '/host'])(
		'%s: the cross-site 403 and the storage 503 carry them',
		async (path) => {
			const ordinary = await through(path, { method: 'GET' });
			expect(ordinary.status).toBe(200);
			expect(securityHeaders(ordinary)).toEqual({
				'x-content-type-options': 'nosniff',
				'referrer-policy': 'same-origin'
			});

			const crossSite = await through(path, {
				method: 'POST',
				headers: { origin: 'http://elsewhere.example', 'content-type': 'application/json' },
				body: '{}'
			});
			expect(crossSite.status).toBe(403);
			expect(securityHeaders(crossSite)).toEqual(securityHeaders(ordinary));

			const storage = await through(
				path,
				{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
				'The disk is full.'
			);
			expect(storage.status).toBe(503);
			expect(storage.headers.get('retry-after')).toBe('5');
			expect(securityHeaders(storage)).toEqual(securityHeaders(ordinary));
		}
	);
});
