import { describe, expect, it } from 'vitest';
import { preloadsInHead } from './preload-links';

const HEAD = '<head><link href="/_app/immutable/assets/0.css" rel="stylesheet"></head>';

/** Runs the options as SvelteKit does: every preload decided, then the page's chunks transformed. */
function render(
	assets: Array<{ type: 'js' | 'css' | 'font' | 'asset'; path: string }>,
	chunks: string[]
) {
	const options = preloadsInHead();
	const preloaded = assets.map((asset) => options.preload!(asset));
	const html = chunks.map((chunk, i) =>
		options.transformPageChunk!({ html: chunk, done: i === chunks.length - 1 })
	);
	return { preloaded, html };
}

describe('preloadsInHead', () => {
	it("preloads what SvelteKit does by default, and tags the page's scripts in its head", () => {
		const { preloaded, html } = render(
			[
				{ type: 'css', path: '/_app/immutable/assets/0.css' },
				{ type: 'font', path: '/_app/immutable/assets/a.woff2' },
				{ type: 'js', path: '/_app/immutable/entry/start.js' },
				{ type: 'js', path: '/_app/immutable/nodes/0.js' }
			],
			[`${HEAD}<body></body>`]
		);
		expect(preloaded).toEqual([true, false, true, true]);
		expect(html).toEqual([
			'<head><link href="/_app/immutable/assets/0.css" rel="stylesheet">' +
				'<link rel="modulepreload" href="/_app/immutable/entry/start.js">' +
				'<link rel="modulepreload" href="/_app/immutable/nodes/0.js"></head><body></body>'
		]);
	});

	it('writes the tags once, into the chunk that closes the head, with the path as an attribute', () => {
		const { html } = render(
			[{ type: 'js', path: '/_app/a"b&c.js' }],
			['<html>', HEAD, '<body></head></body>']
		);
		expect(html[0]).toBe('<html>');
		expect(html[1]).toContain('<link rel="modulepreload" href="/_app/a&quot;b&amp;c.js"></head>');
		expect(html[2]).toBe('<body></head></body>');
	});

	it('leaves a page without scripts as it is', () => {
		expect(render([], [HEAD]).html).toEqual([HEAD]);
	});
});
