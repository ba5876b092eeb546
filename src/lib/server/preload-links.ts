/**
 * A rendered page's module preloads, written into its head as well as its `Link` header.
 *
 * SvelteKit sends a page's modulepreloads only in the `Link` header (it writes the tags only when
 * prerendering). Vite's preload helper, which runs as SvelteKit's client loads the page's layout
 * and page modules, looks for what is already preloaded among the document's `<link>` elements,
 * so it found none and appended a `<link rel="modulepreload">` for every module they import, each
 * a request to the memory cache, inside the two longest tasks of the page's load (start and
 * hydration: 12 links on the learner's page, 14 on the presenter's). With the tags in the head it
 * appends only the error page's module, which SvelteKit does not preload. The header stays: it
 * reaches the browser before the first byte of the page.
 */
import type { ResolveOptions } from '@sveltejs/kit';

/** What SvelteKit preloads when `resolve` is given no `preload` of its own. */
const preloadedByDefault = (type: string) => type === 'js' || type === 'css';

const attribute = (value: string) => value.replaceAll('&', '&amp;').replaceAll('"', '&quot;');

/** `resolve` options for one request: keep the default preloads, and tag the scripts in the head. */
export function preloadsInHead(): Pick<ResolveOptions, 'preload' | 'transformPageChunk'> {
	const scripts: string[] = [];
	let written = false;
	return {
		preload: ({ type, path }) => {
			if (type === 'js') scripts.push(path);
			return preloadedByDefault(type);
		},
		// SvelteKit decides the preloads while it renders the head, before any chunk is transformed.
		transformPageChunk: ({ html }) => {
			if (written || scripts.length === 0 || !html.includes('</head>')) return html;
			written = true;
			const tags = scripts.map((path) => `<link rel="modulepreload" href="${attribute(path)}">`);
			return html.replace('</head>', `${tags.join('')}</head>`);
		}
	};
}
