import adapter from './adapter/index.js';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ precompress: true }),
		// Absolute paths: offline, the service worker shows the prerendered /offline page at the
		// address that could not be reached (/join/…), where relative links and styles would miss.
		paths: { relative: false },
		// Same-origin checks live in hooks.server.ts: they cover JSON endpoints too, and compare
		// hosts, so a plain-HTTP classroom server (no ORIGIN set) is not mistaken for cross-site.
		csrf: { trustedOrigins: ['*'] },
		csp: {
			mode: 'hash',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		}
	}
};

export default config;
