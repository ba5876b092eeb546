import { error } from '@sveltejs/kit';
import { publicPack } from '$lib/content/public-pack';
import { findPack } from '$lib/server/content';
import { answerKeyMode } from '$lib/server/study';
import type { PageServerLoad } from './$types';

/**
 * In client mode self-study grades in the browser, so the whole pack, answers included, goes to
 * the page (the service worker keeps it only for a learner studying on this device). In server
 * mode the page gets the questions without their keys; the server grades.
 */
export const load: PageServerLoad = ({ params }) => {
	const pack = findPack(params.id);
	if (!pack) error(404, `There is no scenario called "${params.id}".`);
	if (answerKeyMode() === 'server') return { pack: publicPack(pack) };
	return { pack };
};
