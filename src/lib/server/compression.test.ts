import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { acceptsGzip, compressed } from './compression';

const PAGE = `<!doctype html><html><body>${'<p>A link of the chain.</p>'.repeat(200)}</body></html>`;

const request = (acceptEncoding?: string) =>
	new Request('http://127.0.0.1/learn/mali-russia', {
		headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}
	});
const page = (body = PAGE, type = 'text/html') =>
	new Response(body, { headers: { 'content-type': type, etag: '"abc"' } });

describe('acceptsGzip', () => {
	it('reads gzip or * from Accept-Encoding, unless refused with q=0', () => {
		expect(acceptsGzip('gzip, deflate, br, zstd')).toBe(true);
		expect(acceptsGzip('br;q=1.0, GZIP;q=0.5')).toBe(true);
		expect(acceptsGzip('*')).toBe(true);
		expect(acceptsGzip('gzip;q=0')).toBe(false);
		expect(acceptsGzip('br, deflate')).toBe(false);
		expect(acceptsGzip('identity')).toBe(false);
		expect(acceptsGzip(null)).toBe(false);
	});
});

describe('compressed', () => {
	it('gzips a page for a browser that takes gzip, keeping its ETag and saying it varies', async () => {
		const response = compressed(request('gzip, deflate, br'), page(), false);
		expect(response.headers.get('content-encoding')).toBe('gzip');
		expect(response.headers.get('vary')).toBe('Accept-Encoding');
		expect(response.headers.get('etag')).toBe('"abc"');
		expect(response.headers.get('content-length')).toBeNull();
		const bytes = Buffer.from(await response.arrayBuffer());
		expect(bytes.length).toBeLessThan(PAGE.length / 10);
		expect(gunzipSync(bytes).toString()).toBe(PAGE);
	});

	it("gzips a page's data (__data.json), which is JSON", async () => {
		const data = JSON.stringify({ type: 'data', nodes: Array(200).fill({ text: 'a link' }) });
		const response = compressed(request('gzip'), page(data, 'application/json'), true);
		expect(response.headers.get('content-encoding')).toBe('gzip');
		expect(gunzipSync(Buffer.from(await response.arrayBuffer())).toString()).toBe(data);
	});

	it('sends the page as it is to a client that does not take gzip, still saying it varies', async () => {
		const response = compressed(request(), page(), false);
		expect(response.headers.get('content-encoding')).toBeNull();
		expect(response.headers.get('vary')).toBe('Accept-Encoding');
		expect(await response.text()).toBe(PAGE);
	});

	it('leaves the JSON API, event streams, small pages and non-200 replies alone', async () => {
		const api = new Response(JSON.stringify({ items: Array(500).fill('answer') }), {
			headers: { 'content-type': 'application/json' }
		});
		const stream = new Response('event: state\ndata: {}\n\n'.repeat(100), {
			headers: { 'content-type': 'text/event-stream' }
		});
		const small = new Response('<p>hi</p>', {
			headers: { 'content-type': 'text/html', 'content-length': '9' }
		});
		const missing = new Response(PAGE, { status: 404, headers: { 'content-type': 'text/html' } });
		for (const response of [api, stream, small, missing]) {
			const result = compressed(request('gzip'), response, false);
			expect(result).toBe(response);
			expect(result.headers.get('content-encoding')).toBeNull();
			expect(result.headers.get('vary')).toBeNull();
		}
	});
});
