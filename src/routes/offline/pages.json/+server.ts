import { json } from '@sveltejs/kit';
import { allPacks } from '$lib/server/content';
import type { RequestHandler } from './$types';

// Built once with the app: the service worker reads it at install, offline included.
export const prerender = true;

/**
 * The self-study pages the service worker keeps for offline use, and their data: the home page,
 * /progress, and each pack's article and learner page. `keyBearing` pages carry answer keys
 * (self-study grades in the browser), which are never cached because of a classroom page.
 */
export const GET: RequestHandler = () =>
	json({
		open: [
			'/',
			'/__data.json',
			'/progress',
			...allPacks().flatMap((p) => [`/article/${p.id}`, `/article/${p.id}/__data.json`])
		],
		keyBearing: allPacks().flatMap((p) => [`/learn/${p.id}`, `/learn/${p.id}/__data.json`])
	});
