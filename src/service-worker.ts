/// <reference types="@sveltejs/kit" />
/// <reference no-default-lib="true"/>
/// <reference lib="esnext" />
/// <reference lib="webworker" />
/**
 * Offline self-study: after one visit, the home page, every learner page and article, and
 * /progress load and link to each other with the network off. The pages that need the server
 * (/join, /host, /teacher) show our own offline page instead of the browser's error.
 *
 * At install the app shell (built and static files) and the self-study pages listed by
 * /offline/pages.json are cached; pages and their data are then fetched network-first and fall
 * back to the cache, so an online visit always gets the newest page. Each deployment has its own
 * cache (named by `version`); the new worker takes over at once and deletes the others, so an
 * update reaches the learner on their next online visit. Progress lives in localStorage, which
 * no cache change touches.
 *
 * Answer keys: learner pages carry them (self-study grades in the browser). They are never cached
 * because of a classroom page: not at an install a classroom page set off, and never from a
 * classroom page's own requests. Classroom pages themselves are never cached.
 */
import { build, files, prerendered, version } from '$service-worker';

const worker = self as unknown as ServiceWorkerGlobalScope;
const CACHE = `causeway-${version}`;
const OFFLINE_PAGE = '/offline';
const PAGE_LIST = '/offline/pages.json';
const SHELL = [...build, ...files, ...prerendered];

/** Pages that need the server: never cached, and shown as the offline page when it is out of reach. */
const isClassroomPath = (path: string) => /^\/(join|host|teacher)(\/|$)/.test(path);
/** Pages that work offline, with their data (`__data.json`), cached as they are visited. */
const isSelfStudyPath = (path: string) =>
	/^\/(__data\.json|progress(\/__data\.json)?|(learn|article)\/[^/]+(\/__data\.json)?)?$/.test(
		path
	);

worker.addEventListener('install', (event) => {
	event.waitUntil(
		(async () => {
			const cache = await caches.open(CACHE);
			await cache.addAll(SHELL);
			const list = (await (await cache.match(PAGE_LIST))?.json()) as
				{ open: string[]; keyBearing: string[] } | undefined;
			const windows = await worker.clients.matchAll({ type: 'window', includeUncontrolled: true });
			const fromClassroom = windows.some((w) => isClassroomPath(new URL(w.url).pathname));
			const pages = [...(list?.open ?? []), ...(fromClassroom ? [] : (list?.keyBearing ?? []))];
			// A page that fails to fetch now is cached on its next visit instead.
			await Promise.all(pages.map((page) => cache.add(page).catch(() => undefined)));
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

/** Whether the request was made by a classroom page (its own data, or a page it navigated to). */
async function fromClassroomPage(event: FetchEvent): Promise<boolean> {
	const client = event.clientId ? await worker.clients.get(event.clientId) : undefined;
	return client !== undefined && isClassroomPath(new URL(client.url).pathname);
}

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
				if (
					response.ok &&
					response.type === 'basic' &&
					isSelfStudyPath(url.pathname) &&
					!(await fromClassroomPage(event))
				) {
					// Kept by path: `?start` or SvelteKit's `?x-sveltekit-invalidated` ask for the same page.
					await cache.put(url.pathname, response.clone());
				}
				return response;
			} catch (error) {
				const hit = await cache.match(url.pathname);
				if (hit) return hit;
				// A page we cannot show offline: ours, not the browser's error page.
				if (event.request.mode === 'navigate') {
					const offline = await cache.match(OFFLINE_PAGE);
					if (offline) return offline;
				}
				throw error;
			}
		})()
	);
});
