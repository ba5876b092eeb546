/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline support: after one visit, the learner page, the article and /progress work with the
 * network off. The app shell (built files and static files) is cached at install; pages and their
 * data are fetched network-first and fall back to the cache. Each deployment has its own cache
 * (named by `version`), and activating it deletes the others.
 */
import { build, files, version } from '$service-worker';

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `causeway-${version}`;
/** Pages cached at install so that they work offline even if not yet visited in this version. */
const PAGES = [
	'/learn/mali-russia',
	'/learn/mali-russia/__data.json',
	'/article/mali-russia',
	'/article/mali-russia/__data.json',
	'/progress'
];
const SHELL = [...build, ...files];

worker.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll(SHELL);
			// A page that fails to fetch now is cached on the next visit instead.
			await Promise.all(PAGES.map((page) => cache.add(page).catch(() => undefined)));
			await worker.skipWaiting();
		})()
	);
});

worker.addEventListener('activate', (event) => {
	event.waitUntil(
		(async () => {
			for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
			await worker.clients.claim();
		})()
	);
});

worker.addEventListener('fetch', (event) => {
	const url = new URL(event.request.url);
	// Only this site's GETs; the classroom API and its live stream must always reach the server.
	if (
		event.request.method !== 'GET' ||
		url.origin !== worker.location.origin ||
		url.pathname.startsWith('/api/')
	) {
		return;
	}
	event.respondWith(
		(async () => {
			const cache = await caches.open(CACHE);
			// Built files never change within a version: the cache answers.
			if (SHELL.includes(url.pathname)) {
				const hit = await cache.match(url.pathname);
				if (hit) return hit;
			}
			try {
				const response = await fetch(event.request);
				if (response.ok && response.type === 'basic') {
					await cache.put(event.request, response.clone());
				}
				return response;
			} catch (error) {
				const hit = (await cache.match(event.request)) ?? (await cache.match(url.pathname));
				if (hit) return hit;
				throw error;
			}
		})()
	);
});
